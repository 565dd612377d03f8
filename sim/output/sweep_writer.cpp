#include "output/sweep_writer.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "output/hdf5_util.hpp"
#include "output/result_rows.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

constexpr const char* kPointsDone = "sweep_points_done";  // only in a checkpoint: removed at finish

void write_points(hid_t file, const PointColumns& points) {
  std::vector<std::size_t> offset;
  std::vector<bool> numeric;
  const Compound t = points_row_type(points.paths, points.values, &offset, &numeric);
  const std::size_t size = t.stored_size();
  std::vector<unsigned char> rows(size * points.values.size(), 0);
  for (std::size_t i = 0; i < points.values.size(); ++i) {
    unsigned char* row = rows.data() + i * size;
    const auto index = static_cast<std::int32_t>(i);
    std::memcpy(row, &index, sizeof index);
    for (std::size_t j = 0; j < points.paths.size(); ++j) {
      const std::string& v = points.values[i][j];
      if (numeric[j]) {
        double x = 0.0;
        std::from_chars(v.data(), v.data() + v.size(), x);
        std::memcpy(row + offset[j], &x, sizeof x);
      } else {
        if (v.size() >= kName)
          throw OutputError("HDF5: a swept value is longer than 255 bytes: " + v.substr(0, 40));
        std::memcpy(row + offset[j], v.data(), v.size());
      }
    }
  }
  // One write of raw rows: write_table takes typed rows, so the table is made here at its full size.
  hsize_t dims[1] = {points.values.size()};
  Handle space(check_id(H5Screate_simple(1, dims, nullptr), "dataspace"), H5Sclose);
  Handle set(check_id(H5Dcreate2(file, "/points", t.stored(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      "create /points"),
             H5Dclose);
  if (!rows.empty()) check(H5Dwrite(set, t.stored(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), "write /points");
}

void replace_attribute(hid_t file, const char* name, std::int32_t value) {
  if (H5Aexists(file, name) > 0) check(H5Adelete(file, name), std::string("attribute ") + name);
  attribute(file, name, H5T_NATIVE_INT32, value);
}

std::int32_t int_attribute(hid_t file, const char* name) {
  std::int32_t v = 0;
  if (H5Aexists(file, name) <= 0) return -1;
  Handle a(check_id(H5Aopen(file, name, H5P_DEFAULT), name), H5Aclose);
  check(H5Aread(a, H5T_NATIVE_INT32, &v), name);
  return v;
}

std::string text_attribute(hid_t file, const char* name) {
  if (H5Aexists(file, name) <= 0) return {};
  Handle a(check_id(H5Aopen(file, name, H5P_DEFAULT), name), H5Aclose);
  Handle t(check_id(H5Aget_type(a), name), H5Tclose);
  Handle mem(check_id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5Tget_cset(t));
  char* value = nullptr;
  std::string out;
  if (H5Aread(a, mem, &value) >= 0 && value) out = value;
  Handle space(check_id(H5Aget_space(a), name), H5Sclose);
  if (value) H5Dvlen_reclaim(mem, space, H5P_DEFAULT, &value);
  return out;
}

// Every table with a `point` column keeps only the rows of points before `done` (rows are in point
// order): what an interrupted write of the next point left behind is dropped.
void drop_unfinished(hid_t file, int done) {
  std::vector<std::string> names;
  auto visit = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
    return 0;
  };
  check(H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &names), "list the tables");
  for (const auto& name : names) {
    H5O_info_t info;
    if (H5Oget_info_by_name(file, name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET)
      continue;
    Handle set(check_id(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name), H5Dclose);
    Handle type(check_id(H5Dget_type(set), "type of " + name), H5Tclose);
    if (H5Tget_class(type) != H5T_COMPOUND || H5Tget_member_index(type, "point") < 0) continue;
    Handle memory(check_id(H5Tcreate(H5T_COMPOUND, sizeof(std::int32_t)), "point type"), H5Tclose);
    check(H5Tinsert(memory, "point", 0, H5T_NATIVE_INT32), "point type");
    Handle space(check_id(H5Dget_space(set), "dataspace"), H5Sclose);
    std::vector<std::int32_t> point(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    if (!point.empty())
      check(H5Dread(set, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, point.data()), "read " + name);
    hsize_t keep[1] = {0};
    while (keep[0] < point.size() && point[keep[0]] < done) ++keep[0];
    if (keep[0] < point.size()) check(H5Dset_extent(set, keep), "truncate " + name);
  }
}

hid_t open_fapl() {
  hid_t fapl = check_id(H5Pcreate(H5P_FILE_ACCESS), "file access property");
  // Closing the file closes whatever is still open in it, so a failure leaves nothing registered.
  check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "close degree");
  return fapl;
}

}  // namespace

std::string SweepFile::checkpoint_name(const std::string& target) {
  return target + ".checkpoint";
}

SweepFile::SweepFile(const std::string& target, const scenario::Study& first, std::uint64_t seed,
                     const RunInfo& info, const PointColumns& points, const std::string& definition)
    : target_(target), checkpoint_(checkpoint_name(target)) {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fapl(open_fapl(), H5Pclose);
  file_ = H5Fcreate(checkpoint_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (file_ < 0) throw OutputError(checkpoint_ + ": cannot create the sweep's checkpoint: " + hdf5_cause());
  try {
    write_header(file_, first, seed, info);
    attribute(file_, "sweep_definition", definition);
    write_points(file_, points);
    set_progress();
  } catch (const OutputError& e) {
    const std::string cause = hdf5_cause();
    H5Fclose(file_);
    file_ = -1;
    std::remove(checkpoint_.c_str());
    throw OutputError(checkpoint_ + ": cannot write the sweep's checkpoint (" + e.what() + "): " + cause);
  }
}

SweepFile::SweepFile(const std::string& target, const std::string& definition)
    : target_(target), checkpoint_(checkpoint_name(target)) {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (!std::filesystem::is_regular_file(checkpoint_))
    throw InputError("command line: --resume: no checkpoint " + checkpoint_ +
                     " (an interrupted sweep leaves one)");
  Handle fapl(open_fapl(), H5Pclose);
  file_ = H5Fopen(checkpoint_.c_str(), H5F_ACC_RDWR, fapl);
  if (file_ < 0) throw InputError("command line: --resume: " + checkpoint_ + " is not a readable checkpoint");
  if (text_attribute(file_, "sweep_definition") != definition) {
    H5Fclose(file_);
    file_ = -1;
    throw InputError("command line: --resume: " + checkpoint_ +
                     " holds another sweep (the scenario, --set, the grid, the seed or the replications "
                     "differ); remove it to start afresh");
  }
  points_done_ = int_attribute(file_, kPointsDone);
  replications_ = int_attribute(file_, "replications");
  precision_met_ = int_attribute(file_, "precision_met") != 0;
  if (points_done_ < 0) throw InputError("command line: --resume: " + checkpoint_ + " is not a checkpoint");
  try {
    drop_unfinished(file_, points_done_);
  } catch (const OutputError& e) {
    throw OutputError(checkpoint_ + ": " + e.what() + ": " + hdf5_cause());
  }
}

SweepFile::~SweepFile() {
  if (file_ >= 0) H5Fclose(file_);
}

void SweepFile::set_progress() {
  replace_attribute(file_, kPointsDone, points_done_);
  replace_attribute(file_, "replications", replications_);
  replace_attribute(file_, "precision_met", precision_met_);
}

void SweepFile::add_point(int point, const scenario::Study& study,
                          const std::vector<model::Results>& results) {
  // Also from a thread of its own (an MPI sweep's rank 0): HDF5's automatic error printing is set per
  // thread where it is thread-safe.
  static thread_local const bool quiet = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)quiet;
  try {
    for (std::size_t p = 0; p < results.size(); ++p) {
      write_policy(file_, {static_cast<std::int32_t>(p), point}, study.policies[p], results[p]);
      replications_ = std::max(replications_, results[p].replications);
      precision_met_ = precision_met_ && results[p].precision_met;
    }
    points_done_ = point + 1;
    set_progress();
    check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush");
  } catch (const OutputError& e) {
    throw OutputError(checkpoint_ + ": cannot write point " + std::to_string(point) + " (" + e.what() +
                      "): " + hdf5_cause());
  }
}

void SweepFile::finish() {
  check(H5Adelete(file_, kPointsDone), "attribute");
  const hid_t file = file_;
  file_ = -1;
  if (H5Fclose(file) < 0)
    throw OutputError(checkpoint_ + ": cannot finish the results file: " + hdf5_cause());
  if (std::rename(checkpoint_.c_str(), target_.c_str()) != 0)
    throw OutputError(target_ + ": cannot rename the finished sweep into place: " + system_cause());
}

}  // namespace ccsim::output
