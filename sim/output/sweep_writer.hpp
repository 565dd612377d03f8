// A sweep's results file, written a point at a time as the points finish (memory does not grow with the
// number of points), into a checkpoint beside the target, "<target>.checkpoint", renamed into place once
// every point is in. An interrupted sweep leaves its checkpoint, and `--resume` goes on from it. The
// checkpoint is not a temporary name: check_target's clean-up of dead processes' files never touches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/results.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// The /points table: one column per swept path, values as given (numeric columns where every value is a
// number).
struct PointColumns {
  std::vector<std::string> paths;
  std::vector<std::vector<std::string>> values;  // [point][path]
};

class SweepFile {
 public:
  static std::string checkpoint_name(const std::string& target);

  // Starts a new checkpoint: the header from point 0's study, /points, and `definition` (what --resume
  // checks it continues the same sweep with). Throws OutputError.
  SweepFile(const std::string& target, const scenario::Study& first, std::uint64_t seed, const RunInfo& info,
            const PointColumns& points, const std::string& definition);
  // Reopens the checkpoint of an interrupted sweep. InputError when there is none or it holds another sweep
  // (another scenario, grid, seed or replications); rows of a point not finished are dropped.
  SweepFile(const std::string& target, const std::string& definition);
  ~SweepFile();
  SweepFile(const SweepFile&) = delete;
  SweepFile& operator=(const SweepFile&) = delete;

  [[nodiscard]] int points_done() const { return points_done_; }
  // Appends the next point's tables (point == points_done()) and records it as done on disk.
  void add_point(int point, const scenario::Study& study, const std::vector<model::Results>& results);
  // Closes the file and renames it to the target.
  void finish();

 private:
  void set_progress();
  std::string target_, checkpoint_;
  std::int64_t file_ = -1;  // hid_t
  int points_done_ = 0, replications_ = 0;
  bool precision_met_ = true;
};

}  // namespace ccsim::output
