#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"
#include "model/model.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {

struct RunOptions {
  std::uint64_t seed = 1;
  int replications = 10;
  int threads = 0;  // 0: all cores
  // Called after each finished replication with (done, total), from the thread that finished it.
  std::function<void(int, int)> progress;
};

// One row of a summary: a measure of one series (contact type, or all types) in one interval or the day,
// as mean and 95% CI across replications, with the stationary Erlang-A value beside it (NaN where the
// formula says nothing: single types in a multi-type pool, percentiles).
struct SummaryRow {
  int interval = -1;  // -1: the day (intervals after warm-up)
  int series = 0;
  Measure measure = Measure::offered;
  analysis::Estimate estimate;
  double erlang_a = NAN;
};

struct OccupancyRow {
  int interval = -1;
  analysis::Estimate estimate;
  double erlang_a = NAN;
};

struct Results {
  std::uint64_t seed = 0;
  int replications = 0;
  std::vector<std::string> series_names;  // contact types, then "all" when there are several
  std::vector<ReplicationResult> by_replication;
  std::vector<SummaryRow> contacts_by_interval, contacts_by_day;
  std::vector<OccupancyRow> occupancy_by_interval;
  OccupancyRow occupancy_by_day;
  std::vector<analysis::QueueMeasures> erlang_a_by_interval;  // pooled, per interval
  std::uint64_t events = 0;
  double wall_seconds = 0.0;
};

// Runs every replication (in parallel; results do not depend on the number of threads) and summarises.
Results run(const scenario::Scenario& s, const RunOptions& options);

// The stationary Erlang-A input for one interval: all types pooled, mean handle time weighted by volume,
// patience rate 1 / (volume-weighted mean patience); types that never abandon count as patience 0 rate.
analysis::QueueInput erlang_a_input(const Model& m, int interval);

}  // namespace ccsim::model
