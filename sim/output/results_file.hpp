// Opening a results (or staffing) file for reading: the checks every reader shares (an HDF5 file, ccsim's,
// of the kind wanted and a version this ccsim reads, saying which when not), compound tables read column by
// column by name (never by position; a missing column named), attributes. Internal to sim/output.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_reader.hpp"

namespace ccsim::output::detail {

// A column of a table read into a field of a row struct, by the column's name: name, offset, and either a
// numeric HDF5 type or a text size. A column is required in files of format `since` and later (0: in every
// file); kOptional marks one a table may lack (the by-day tables have no `interval`).
inline constexpr int kOptional = -1;
struct FieldSpec {
  const char* name;
  std::size_t offset;
  hid_t type;             // a native numeric type, or -1 for text
  std::size_t text_size;  // for text
  int since = 0;
};
inline FieldSpec number(const char* name, std::size_t offset, hid_t type, int since = 0) {
  return {name, offset, type, 0, since};
}
inline FieldSpec text(const char* name, std::size_t offset, std::size_t size, int since = 0) {
  return {name, offset, -1, size, since};
}

// Which files an opening accepts: `compare` and `report` read what `ccsim run` (or `sweep`) writes; the
// staffing side of `report` and `export` also read what `ccsim staff -o` and `ccsim roster -o` write.
enum class Accept { results, results_or_staffing };

class File {
 public:
  explicit File(const std::string& path, Accept accept = Accept::results) : path_(path) {
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
    // `ccsim staff -o` and `ccsim roster -o` write HDF5 with a format_version too, but other tables.
    const std::string format = text_attribute("format");
    const bool staffing = format == "ccsim-staffing";
    if (!format.empty() && format != "ccsim-results" &&
        !(staffing && accept == Accept::results_or_staffing)) {
      H5Fclose(id_);
      throw InputError(path + ": a '" + format + "' file, not a ccsim results file ('ccsim-results')" +
                       (staffing ? ": ccsim staff -o or ccsim roster -o writes it; compare and report read "
                                   "what ccsim run writes"
                                 : ""));
    }
    const std::optional<int> version = whole_attribute("format_version");
    if (!version) {
      H5Fclose(id_);
      throw InputError(path + ": format_version is not a whole number: not a ccsim results file, or damaged");
    }
    version_ = *version;
    if (version_ < kOldestReadableVersion || version_ > kNewestReadableVersion) {
      H5Fclose(id_);
      throw InputError(path + ": " + (staffing ? "staffing" : "results") + " format_version " +
                       std::to_string(version_) + "; this ccsim (" + CCSIM_VERSION +
                       ") reads format_version " + std::to_string(kOldestReadableVersion) + " to " +
                       std::to_string(kNewestReadableVersion) +
                       (version_ > kNewestReadableVersion
                            ? " (the file was written by a newer ccsim: read it with that version)"
                            : " (the file was written by an older ccsim: run its scenario again)"));
    }
  }
  ~File() { H5Fclose(id_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  [[nodiscard]] int version() const { return version_; }
  [[nodiscard]] hid_t id() const { return id_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  // What a damaged file (or one another program wrote) is told: "PATH: WHAT (...)".
  [[noreturn]] void damaged(const std::string& what) const {
    throw InputError(path_ + ": " + what + " (format_version " + std::to_string(version_) +
                     "; the file is damaged or not written by ccsim)");
  }

  // Reads the named columns of a compound table into rows of T: HDF5 matches the members by name, never by
  // position, and converts numbers to the field's type. A column the file lacks is an error unless it came
  // after the file's format (it stays as T's initialiser left it) or is optional; text fields take the
  // file's character set, since HDF5 does not convert between ASCII and UTF-8.
  template <class T>
  std::vector<T> table(const char* path, std::initializer_list<FieldSpec> fields) const {
    hid_t set = H5Lexists(id_, path, H5P_DEFAULT) > 0 ? H5Dopen2(id_, path, H5P_DEFAULT) : -1;
    if (set < 0)
      throw InputError(path_ + ": no table " + path + " (format_version " + std::to_string(version_) +
                       " has one: the file is damaged or not written by ccsim)");
    hid_t file_type = H5Dget_type(set);
    if (H5Tget_class(file_type) != H5T_COMPOUND) {
      H5Tclose(file_type);
      H5Dclose(set);
      throw InputError(path_ + ": " + path + " is not a table of named columns (damaged, or not ccsim's)");
    }
    hid_t memory = H5Tcreate(H5T_COMPOUND, sizeof(T));
    std::vector<hid_t> owned;
    std::string problems;
    for (const FieldSpec& f : fields) {
      const int member = H5Tget_member_index(file_type, f.name);
      if (member < 0) {
        if (f.since != kOptional && version_ >= f.since)
          problems += std::string(" no column '") + f.name + "';";
        continue;
      }
      const H5T_class_t column_class = H5Tget_member_class(file_type, static_cast<unsigned>(member));
      const bool numeric = column_class == H5T_INTEGER || column_class == H5T_FLOAT;
      if (f.type < 0 ? column_class != H5T_STRING : !numeric) {
        problems += std::string(" column '") + f.name + "' is not " + (f.type < 0 ? "text;" : "a number;");
        continue;
      }
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
    if (!problems.empty()) {
      for (hid_t t : owned) H5Tclose(t);
      H5Tclose(memory);
      H5Tclose(file_type);
      H5Dclose(set);
      problems.pop_back();
      damaged(std::string(path) + ":" + problems);
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

  // A table's column names, each with whether it holds text (for tables whose columns the file defines,
  // as a sweep's /points: one per swept path).
  [[nodiscard]] std::vector<std::pair<std::string, bool>> columns(const char* path) const {
    std::vector<std::pair<std::string, bool>> out;
    hid_t set = H5Dopen2(id_, path, H5P_DEFAULT);
    if (set < 0) return out;
    hid_t t = H5Dget_type(set);
    if (H5Tget_class(t) == H5T_COMPOUND)
      for (int i = 0; i < H5Tget_nmembers(t); ++i) {
        char* name = H5Tget_member_name(t, static_cast<unsigned>(i));
        out.emplace_back(name ? name : "", H5Tget_member_class(t, static_cast<unsigned>(i)) == H5T_STRING);
        H5free_memory(name);
      }
    H5Tclose(t);
    H5Dclose(set);
    return out;
  }

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

  int int_attribute(const char* name, int fallback) const { return whole_attribute(name).value_or(fallback); }

  // An integer attribute, or nothing when it is missing or not an integer.
  std::optional<int> whole_attribute(const char* name) const {
    if (H5Aexists(id_, name) <= 0) return std::nullopt;
    std::int32_t v = 0;
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    const bool whole = H5Tget_class(t) == H5T_INTEGER && H5Aread(a, H5T_NATIVE_INT32, &v) >= 0;
    H5Tclose(t);
    H5Aclose(a);
    return whole ? std::optional<int>(v) : std::nullopt;
  }

 private:
  std::string path_;
  hid_t id_ = -1;
  int version_ = 0;
};

}  // namespace ccsim::output::detail
