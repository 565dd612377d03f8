// HDF5 plumbing shared by the writer's parts: owned handles, compound types, appended tables, attributes.
// Internal to sim/output.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "model/results.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output::detail {

// Names (contact types, groups, locations, policies) are up to 255 bytes of UTF-8 (the scenario refuses
// longer ones), stored whole in fixed fields with a terminating NUL; fixed rather than variable-length
// strings because they compress with the table and h5py/pandas read both alike.
constexpr std::size_t kName = 256;
// Our own vocabulary (measure, estimator, predictor names) is short.
constexpr std::size_t kWord = 32;

// Copies a name whole, or throws: a cut name could merge two names or split a UTF-8 character.
template <std::size_t N>
void copy_name(char (&dst)[N], const std::string& src) {
  if (src.size() >= N)
    throw OutputError("HDF5: '" + src.substr(0, 40) + "...' is longer than the " + std::to_string(N - 1) +
                      " bytes a name may have");
  std::memset(dst, 0, N);
  std::memcpy(dst, src.data(), src.size());
}

inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: " + what + " failed");
}
inline hid_t check_id(hid_t id, const std::string& what) {
  if (id < 0) throw OutputError("HDF5: " + what + " failed");
  return id;
}

// Owns an hid_t and closes it with the matching function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  operator hid_t() const { return id_; }  // NOLINT: used where HDF5 wants an id

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

inline Handle string_type(std::size_t size) {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(t, size), "string size");
  check(H5Tset_strpad(t, H5T_STR_NULLTERM), "string padding");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string charset");
  return t;
}

// How wide the names of the file being written are stored (set by write_results for its duration; kName
// elsewhere). Rows hold names in kName-byte fields so that every valid name fits in memory, but on disk a
// name field is only as wide as the file's longest name: 256 mostly-NUL bytes per name were most of the
// bytes deflate had to read, and of the file.
inline std::size_t& name_width() {
  thread_local std::size_t width = kName;
  return width;
}
class NameWidthScope {
 public:
  explicit NameWidthScope(std::size_t width) : saved_(name_width()) {
    name_width() = std::min(std::max(width, kWord), kName);
  }
  ~NameWidthScope() { name_width() = saved_; }
  NameWidthScope(const NameWidthScope&) = delete;
  NameWidthScope& operator=(const NameWidthScope&) = delete;

 private:
  std::size_t saved_;
};

// A compound type assembled field by field from a row struct: the row's own layout and the file's, packed,
// with names as wide as name_width(). Rows are packed into the file's layout here (a copy per field) rather
// than by HDF5's conversion, which zeroes a megabyte of buffers on every write.
class Compound {
 public:
  explicit Compound(std::size_t size)
      : size_(size), file_(check_id(H5Tcreate(H5T_COMPOUND, 1), "compound type"), H5Tclose) {}
  Compound& add(const char* name, std::size_t offset, hid_t t) { return add(name, offset, t, false); }
  Compound& text(const char* name, std::size_t offset, std::size_t size) {
    Handle s = string_type(size);
    return add(name, offset, s, false);
  }
  // A name of the scenario (contact type, group, ...) held in a kName-byte field of the row.
  Compound& name(const char* field, std::size_t offset) {
    Handle stored = string_type(name_width());
    return add(field, offset, stored, true);
  }
  [[nodiscard]] hid_t stored() const { return file_; }
  [[nodiscard]] std::size_t stored_size() const { return stored_size_; }

  // Appends rows (of the struct this type describes) in the file's layout to `out`. Throws unless every
  // name has its NUL within the stored width: a name the width was not computed from is refused, not cut.
  template <class Row>
  void pack(const std::vector<Row>& rows, std::vector<unsigned char>& out) const {
    if (sizeof(Row) != size_) throw OutputError("HDF5: rows of another size than their type");
    out.resize(rows.size() * stored_size_);
    unsigned char* to = out.data();
    for (const Row& row : rows) {
      const auto* from = reinterpret_cast<const unsigned char*>(&row);
      for (const Field& f : fields_) {
        if (f.name && !std::memchr(from + f.offset, 0, f.size))
          throw OutputError("HDF5: a name longer than the file's name width (" + std::to_string(f.size - 1) +
                            " bytes)");
        std::memcpy(to + f.stored_offset, from + f.offset, f.size);
      }
      to += stored_size_;
    }
  }

 private:
  Compound& add(const char* name, std::size_t offset, hid_t stored, bool is_name) {
    const std::size_t size = H5Tget_size(stored);
    check(H5Tset_size(file_, stored_size_ + size), std::string("field ") + name);
    check(H5Tinsert(file_, name, stored_size_, stored), std::string("field ") + name);
    fields_.push_back({offset, stored_size_, size, is_name});
    stored_size_ += size;
    return *this;
  }
  struct Field {
    std::size_t offset, stored_offset, size;
    bool name;
  };
  std::size_t size_;
  Handle file_;
  std::size_t stored_size_ = 0;
  std::vector<Field> fields_;
};

// Rows per write (and per chunk) of a table: about 256 KiB.
template <class Row>
constexpr std::size_t kBatchRows = std::max<std::size_t>(1, (256 * 1024) / sizeof(Row));

// Appends rows to a table, creating it on first use, with no fixed length, so each policy (and each batch
// of replications) adds its own rows. Chunks hold one batch, or the whole first write when it is smaller;
// chunks under 16 KiB (as stored) are written without deflate, whose fixed cost per chunk would dominate
// tiny tables.
template <class Row>
void write_table(hid_t file, const char* path, const Compound& type, const std::vector<Row>& rows) {
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) {
    const hsize_t chunk_rows = std::max<hsize_t>(1, std::min<hsize_t>(rows.size(), kBatchRows<Row>));
    hsize_t zero[1] = {0}, unlimited[1] = {H5S_UNLIMITED}, chunk[1] = {chunk_rows};
    Handle space(check_id(H5Screate_simple(1, zero, unlimited), "dataspace"), H5Sclose);
    Handle lcpl(check_id(H5Pcreate(H5P_LINK_CREATE), "link property"), H5Pclose);
    check(H5Pset_create_intermediate_group(lcpl, 1), "intermediate groups");
    Handle dcpl(check_id(H5Pcreate(H5P_DATASET_CREATE), "dataset property"), H5Pclose);
    check(H5Pset_chunk(dcpl, 1, chunk), "chunking");
    if (chunk_rows * type.stored_size() >= 16 * 1024)
      check(H5Pset_shuffle(dcpl), "shuffle"), check(H5Pset_deflate(dcpl, 1), "compression");
    Handle created(check_id(H5Dcreate2(file, path, type.stored(), space, lcpl, dcpl, H5P_DEFAULT),
                            std::string("create ") + path),
                   H5Dclose);
  }
  if (rows.empty()) return;
  Handle set(check_id(H5Dopen2(file, path, H5P_DEFAULT), std::string("open ") + path), H5Dclose);
  hsize_t old_size[1] = {0};
  {
    Handle space(check_id(H5Dget_space(set), "dataspace"), H5Sclose);
    H5Sget_simple_extent_dims(space, old_size, nullptr);
  }
  hsize_t new_size[1] = {old_size[0] + rows.size()}, count[1] = {rows.size()};
  check(H5Dset_extent(set, new_size), std::string("extend ") + path);
  Handle file_space(check_id(H5Dget_space(set), "dataspace"), H5Sclose);
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, old_size, nullptr, count, nullptr), "selection");
  Handle memory(check_id(H5Screate_simple(1, count, nullptr), "dataspace"), H5Sclose);
  // Kept per thread: a fresh buffer per write was a page fault per 4 KiB written (the allocator hands
  // buffers this size back to the system), a tenth of the writer thread's time.
  thread_local std::vector<unsigned char> packed;
  type.pack(rows, packed);
  check(H5Dwrite(set, type.stored(), memory, file_space, H5P_DEFAULT, packed.data()),
        std::string("write ") + path);
  if (packed.capacity() > (std::size_t{8} << 20)) std::vector<unsigned char>().swap(packed);
}

// A table written a batch at a time as replications are read back, so the writer's memory does not grow
// with the replications. finish() writes the rest (and creates the table when there were no rows).
template <class Row>
class Appender {
 public:
  Appender(hid_t file, const char* path, Compound type) : file_(file), path_(path), type_(std::move(type)) {}
  void push(const Row& row) {
    if (rows_.capacity() == 0) rows_.reserve(kBatchRows<Row>);
    rows_.push_back(row);
    if (rows_.size() >= kBatchRows<Row>) flush();
  }
  void finish() { flush(); }

 private:
  void flush() {
    write_table(file_, path_, type_, rows_);
    rows_.clear();
  }
  hid_t file_;
  const char* path_;
  Compound type_;
  std::vector<Row> rows_;
};

// Text attributes are variable-length UTF-8, which h5py reads as str (fixed-length ones come back as bytes).
inline void attribute(hid_t obj, const char* name, const std::string& value) {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(t, H5T_VARIABLE), "string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string charset");
  Handle space(check_id(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
  Handle a(
      check_id(H5Acreate2(obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT), std::string("attribute ") + name),
      H5Aclose);
  const char* text = value.c_str();
  check(H5Awrite(a, t, &text), std::string("attribute ") + name);
}

template <class T>
void attribute(hid_t obj, const char* name, hid_t type, T value) {
  Handle space(check_id(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
  Handle a(check_id(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                    std::string("attribute ") + name),
           H5Aclose);
  check(H5Awrite(a, type, &value), std::string("attribute ") + name);
}

// Which rows a table's block holds: a policy at a sweep point (point 0 outside a sweep). Every results
// table carries both columns, so that a sweep's file and a plain run's are read alike.
struct Key {
  std::int32_t policy, point;
};

// hdf5_writer.cpp: the file's header (attributes, /measures, /policies, names, /intervals) from the
// baseline scenario; the attributes known once everything ran; one (point, policy)'s tables, appended.
void write_header(hid_t file, const scenario::Study& study, std::uint64_t seed, const RunInfo& info);
void write_run_attributes(hid_t file, int replications, bool precision_met);
// `streamed`: the tables r's replications went to during the run (r.rows_streamed), finished here.
class ReplicationTables;
void write_policy(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r,
                  ReplicationTables* streamed = nullptr);
// The system's words for the last HDF5 failure (errno's text from the file driver, if any).
std::string hdf5_cause();

// The writer's parts for a policy's routing tables and predictor accuracy (hdf5_writer_parts.cpp).
void write_routing(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r);
void write_predictions(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r);
// `/factors` (policy, factor, value) when the policies declare factors.
void write_factors(hid_t file, const scenario::Study& study);
// The prices and the money in summary (hdf5_costs.cpp).
void write_costs(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r);
// The per-contact and agent-state records, when the run kept them (records_writer.cpp).
void write_records(hid_t file, Key key, const model::Results& r);

}  // namespace ccsim::output::detail
