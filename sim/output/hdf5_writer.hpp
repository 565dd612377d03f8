// sim/output: writes results to HDF5 (compound tables readable by h5py/pandas, HDFView, MATLAB). It holds
// no simulation logic and is the only part of ccsim that includes HDF5.
#pragma once

#include <atomic>
#include <string>

#include "model/results.hpp"
#include "output/target_file.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// 6: names whole (up to 255 bytes, UTF-8 fields); summary tables hold the ratio of totals in
// mean/half_width with `estimator`, `mean_of_days`, `half_width_of_days`; /measures; occupancy of "all"
// groups; interval labels 256 bytes. 7: staffing files (`ccsim staff -o`: /staffing/by_interval,
// /staffing/achieved); results tables unchanged.
inline constexpr int kFormatVersion = 8;

struct RunInfo {
  std::string ccsim_version;
  std::string command_line;
};

// Writes the whole file under a temporary name beside `path`, then renames it: a failed or interrupted
// write never leaves a half-written file under the requested name. Throws OutputError.
void write_results(const std::string& path, const scenario::Scenario& s, const model::Results& r,
                   const RunInfo& info);
// Every policy of a study into one file (tables carry a policy column; /policies names them). Once
// *cancel is set the finished temporary file is removed instead of renamed (Interrupted).
// A failure names the system's cause and leaves no temporary file and any existing `path` untouched.
void write_results(const std::string& path, const scenario::Study& study,
                   const std::vector<model::Results>& results, const RunInfo& info,
                   const std::atomic<bool>* cancel = nullptr);

}  // namespace ccsim::output
