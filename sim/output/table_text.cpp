#include "output/table_text.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

#include "output/hdf5_util.hpp"
#include "output/results_file.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

std::vector<std::string> compound_datasets(hid_t file) {
  std::vector<std::string> out;
  H5Ovisit(
      file, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type != H5O_TYPE_DATASET) return 0;
        const Handle set(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose);
        const Handle type(H5Dget_type(set), H5Tclose);
        if (H5Tget_class(type) == H5T_COMPOUND)
          static_cast<std::vector<std::string>*>(data)->push_back("/" + std::string(name));
        return 0;
      },
      &out);
  return out;
}

// The names of a name table (/policies, /contact_types, /agent_groups) by index; empty when absent.
std::vector<std::string> names(const File& f, const char* path) {
  if (!f.has(path)) return {};
  struct Row {
    std::int32_t index;
    char name[256];
  };
  std::vector<std::string> out;
  for (const Row& r : f.table<Row>(path, {number("index", offsetof(Row, index), H5T_NATIVE_INT32),
                                          text("name", offsetof(Row, name), sizeof(Row::name))})) {
    if (r.index < 0) continue;
    if (out.size() <= static_cast<std::size_t>(r.index)) out.resize(static_cast<std::size_t>(r.index) + 1);
    out[static_cast<std::size_t>(r.index)] = std::string(r.name, strnlen(r.name, sizeof r.name));
  }
  return out;
}

struct Column {
  std::string name;
  std::size_t offset = 0, size = 0;
  H5T_class_t kind = H5T_NO_CLASS;
  bool is_signed = false;
  hid_t type = -1;                                 // the member's memory type (enums: for their names)
  const std::vector<std::string>* names = nullptr;  // decoded indices
};

std::string number_text(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::string cell(const Column& c, const unsigned char* row) {
  const unsigned char* p = row + c.offset;
  switch (c.kind) {
    case H5T_INTEGER: {
      std::int64_t v = 0;
      if (c.is_signed) {
        if (c.size == 1) v = *reinterpret_cast<const std::int8_t*>(p);
        if (c.size == 2) v = *reinterpret_cast<const std::int16_t*>(p);
        if (c.size == 4) v = *reinterpret_cast<const std::int32_t*>(p);
        if (c.size == 8) v = *reinterpret_cast<const std::int64_t*>(p);
      } else {
        std::uint64_t u = 0;
        std::memcpy(&u, p, std::min<std::size_t>(c.size, sizeof u));  // little-endian native
        if (c.size == 8) return std::to_string(u);
        v = static_cast<std::int64_t>(u);
      }
      if (c.names) {
        if (v < 0) return "";
        if (static_cast<std::size_t>(v) < c.names->size()) return (*c.names)[static_cast<std::size_t>(v)];
      }
      return std::to_string(v);
    }
    case H5T_FLOAT:
      return number_text(c.size == 4 ? static_cast<double>(*reinterpret_cast<const float*>(p))
                                     : *reinterpret_cast<const double*>(p));
    case H5T_STRING:
      return std::string(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), c.size));
    case H5T_ENUM: {
      char name[64] = {};
      if (H5Tenum_nameof(c.type, p, name, sizeof name) >= 0) return name;
      return "?";
    }
    default:
      return "?";
  }
}

}  // namespace

std::vector<std::string> table_paths(const std::string& file) {
  const File f(file, Accept::results_or_staffing);
  return compound_datasets(f.id());
}

void read_table_text(const std::string& file, const std::string& table,
                     const std::function<void(const std::vector<std::string>&)>& header,
                     const std::function<void(const std::vector<std::string>&)>& row) {
  const File f(file, Accept::results_or_staffing);
  const std::vector<std::string> tables = compound_datasets(f.id());
  if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
    std::string list;
    for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
    throw InputError(file + ": no table '" + table + "' (it has " + list + ")");
  }
  const std::map<std::string, std::vector<std::string>> decoded = {
      {"policy", names(f, "/policies")},
      {"contact_type", names(f, "/contact_types")},
      {"transfer_to", names(f, "/contact_types")},
      {"group", names(f, "/agent_groups")}};
  const Handle set(H5Dopen2(f.id(), table.c_str(), H5P_DEFAULT), H5Dclose);
  const Handle file_type(H5Dget_type(set), H5Tclose);
  const Handle memory(H5Tget_native_type(file_type, H5T_DIR_ASCEND), H5Tclose);
  if (set < 0 || memory < 0) throw InputError(file + ": cannot read " + table);
  const int members = H5Tget_nmembers(memory);
  std::vector<Column> columns(static_cast<std::size_t>(std::max(members, 0)));
  std::vector<Handle> member_types;
  member_types.reserve(columns.size());
  std::vector<std::string> names_row;
  for (int i = 0; i < members; ++i) {
    Column& c = columns[static_cast<std::size_t>(i)];
    char* name = H5Tget_member_name(memory, static_cast<unsigned>(i));
    c.name = name ? name : "";
    H5free_memory(name);
    c.offset = H5Tget_member_offset(memory, static_cast<unsigned>(i));
    member_types.emplace_back(H5Tget_member_type(memory, static_cast<unsigned>(i)), H5Tclose);
    c.type = member_types.back();
    c.kind = H5Tget_class(c.type);
    c.size = H5Tget_size(c.type);
    c.is_signed = c.kind == H5T_INTEGER && H5Tget_sign(c.type) == H5T_SGN_2;
    const auto d = decoded.find(c.name);
    if (c.kind == H5T_INTEGER && d != decoded.end() && !d->second.empty()) c.names = &d->second;
    names_row.push_back(c.name);
  }
  header(names_row);
  const Handle space(H5Dget_space(set), H5Sclose);
  const auto total = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space));
  const std::size_t row_size = H5Tget_size(memory);
  constexpr hsize_t kBatch = 4096;
  std::vector<unsigned char> buffer(static_cast<std::size_t>(std::min(total, kBatch)) * row_size);
  std::vector<std::string> cells(columns.size());
  for (hsize_t start = 0; start < total; start += kBatch) {
    hsize_t offset[1] = {start}, count[1] = {std::min(kBatch, total - start)};
    const Handle slab(H5Dget_space(set), H5Sclose);
    H5Sselect_hyperslab(slab, H5S_SELECT_SET, offset, nullptr, count, nullptr);
    const Handle in_memory(H5Screate_simple(1, count, nullptr), H5Sclose);
    if (H5Dread(set, memory, in_memory, slab, H5P_DEFAULT, buffer.data()) < 0)
      throw InputError(file + ": cannot read " + table + " (the file is truncated or damaged)");
    for (hsize_t r = 0; r < count[0]; ++r) {
      for (std::size_t c = 0; c < columns.size(); ++c)
        cells[c] = cell(columns[c], buffer.data() + r * row_size);
      row(cells);
    }
  }
}

}  // namespace ccsim::output
