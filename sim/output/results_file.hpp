// Opening a results file for reading: the checks every reader shares (an HDF5 file, ccsim's, of a version
// this ccsim reads), compound tables read by field name, attributes. Internal to sim/output.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_reader.hpp"

namespace ccsim::output::detail {

// A field of a row struct: name, offset, and either a numeric HDF5 type or a text size.
struct FieldSpec {
  const char* name;
  std::size_t offset;
  hid_t type;             // a native numeric type, or -1 for text
  std::size_t text_size;  // for text
};
inline FieldSpec number(const char* name, std::size_t offset, hid_t type) {
  return {name, offset, type, 0};
}
inline FieldSpec text(const char* name, std::size_t offset, std::size_t size) {
  return {name, offset, -1, size};
}

class File {
 public:
  explicit File(const std::string& path) : path_(path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    // A results file named on the command line is the user's input: what is wrong with it is exit 1.
    if (id_ < 0)
      throw InputError(path + ": not a ccsim results file (not HDF5, truncated, or unreadable: " +
                       (std::filesystem::is_directory(path) ? "a directory"
                        : std::filesystem::exists(path)     ? "HDF5 cannot open it"
                                                            : "no such file") +
                       ")");
    if (H5Aexists(id_, "format_version") <= 0) {
      H5Fclose(id_);
      throw InputError(path + ": an HDF5 file, but not a ccsim results file (no format_version attribute)");
    }
    version_ = int_attribute("format_version", 0);
    if (version_ < kOldestReadableVersion || version_ > kNewestReadableVersion) {
      H5Fclose(id_);
      throw InputError(path + ": results format_version " + std::to_string(version_) + "; this ccsim reads " +
                       std::to_string(kOldestReadableVersion) + " to " +
                       std::to_string(kNewestReadableVersion) +
                       (version_ > kNewestReadableVersion ? " (written by a newer ccsim)" : ""));
    }
  }
  ~File() { H5Fclose(id_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  [[nodiscard]] int version() const { return version_; }
  [[nodiscard]] hid_t id() const { return id_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  // Reads the named fields of a compound table into rows of T (HDF5 matches fields by name). Fields the
  // file does not have (an older format) stay zero; text fields take the file's character set, since HDF5
  // does not convert between ASCII and UTF-8.
  template <class T>
  std::vector<T> table(const char* path, std::initializer_list<FieldSpec> fields) const {
    hid_t set = H5Dopen2(id_, path, H5P_DEFAULT);
    if (set < 0)
      throw InputError(path_ + ": no table " + path + " (not a ccsim results file, or an older format)");
    hid_t file_type = H5Dget_type(set);
    hid_t memory = H5Tcreate(H5T_COMPOUND, sizeof(T));
    std::vector<hid_t> owned;
    for (const FieldSpec& f : fields) {
      const int member = H5Tget_member_index(file_type, f.name);
      if (member < 0) continue;
      hid_t t = f.type;
      if (f.type < 0) {
        hid_t in_file = H5Tget_member_type(file_type, static_cast<unsigned>(member));
        t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, f.text_size);
        H5Tset_strpad(t, H5T_STR_NULLTERM);
        H5Tset_cset(t, H5Tget_cset(in_file));
        H5Tclose(in_file);
        owned.push_back(t);
      }
      H5Tinsert(memory, f.name, f.offset, t);
    }
    hid_t space = H5Dget_space(set);
    std::vector<T> rows(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    herr_t status = rows.empty() ? 0 : H5Dread(set, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data());
    for (hid_t t : owned) H5Tclose(t);
    H5Tclose(memory);
    H5Tclose(file_type);
    H5Sclose(space);
    H5Dclose(set);
    if (status < 0) throw InputError(path_ + ": cannot read " + path + " (the file is truncated or damaged)");
    return rows;
  }

  [[nodiscard]] bool has(const char* path) const { return H5Lexists(id_, path, H5P_DEFAULT) > 0; }

  std::string text_attribute(const char* name) const {
    if (H5Aexists(id_, name) <= 0) return {};
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    std::string out;
    if (H5Tis_variable_str(t) > 0) {
      char* value = nullptr;
      hid_t mem = H5Tcopy(H5T_C_S1);
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, H5Tget_cset(t));  // HDF5 does not convert between character sets
      if (H5Aread(a, mem, &value) >= 0 && value) out = value;
      hid_t space = H5Aget_space(a);
      if (value) H5Dvlen_reclaim(mem, space, H5P_DEFAULT, &value);
      H5Sclose(space);
      H5Tclose(mem);
    }
    H5Tclose(t);
    H5Aclose(a);
    return out;
  }

  double double_attribute(const char* name, double fallback) const {
    if (H5Aexists(id_, name) <= 0) return fallback;
    double v = fallback;
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(a);
    return v;
  }

  int int_attribute(const char* name, int fallback) const {
    if (H5Aexists(id_, name) <= 0) return fallback;
    std::int32_t v = fallback;
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    return v;
  }

 private:
  std::string path_;
  hid_t id_ = -1;
  int version_ = 0;
};

}  // namespace ccsim::output::detail
