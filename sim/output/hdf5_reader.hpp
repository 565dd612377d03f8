#pragma once

#include <string>
#include <vector>

namespace ccsim::output {

// Per-replication values of the comparison measures, read back from a results file: what `ccsim
// compare` needs, for the day (all intervals after warm-up) or per interval, for the pooled contact
// series and, for occupancy, all agent groups together.
struct ComparisonData {
  std::vector<std::string> policies;
  int baseline = 0;
  std::vector<std::string> interval_labels;  // empty when read by day
  // values[measure][policy][interval or 0][replication]
  std::vector<std::vector<std::vector<std::vector<double>>>> values;
};

// `measures` as on the command line: sl, asa, abandon, mean_wait, occupancy. Throws OutputError.
ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures, bool by_interval);

}  // namespace ccsim::output
