// The runner: plays replications on worker threads and hands each policy's results on in replication
// order through a bounded reorder buffer, so that what is accumulated does not depend on the number of
// threads. Internal to sim/model (results.cpp drives it).
#pragma once

#include <optional>
#include <vector>

#include "model/results.hpp"

namespace ccsim::model {

// Replications [from, to) of every policy, accumulated into results[p] (and kept or spooled as
// options.keep_replications says). With `until`, each policy's day fraction of that measure is also added
// to until->at(p), for the precision loop.
struct UntilMeasure {
  Measure measure;
  std::vector<analysis::RatioAccumulator> by_policy;
};
void simulate(const scenario::Study& study, const std::vector<Model>& models, std::vector<Results>& results,
              int from, int to, const RunOptions& options, int total_for_progress, UntilMeasure* until,
              const std::vector<std::vector<StartPlan>>& plans);

}  // namespace ccsim::model
