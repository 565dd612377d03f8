#include "model/sweep.hpp"

#include <algorithm>
#include <thread>

namespace ccsim::model {

void run_sweep(int first, int last, const PointStudy& study_of, const RunOptions& options,
               const PointDone& done) {
  std::vector<int> points;
  for (int i = first; i < last; ++i) points.push_back(i);
  run_sweep(points, study_of, options, done);
}

void run_sweep(const std::vector<int>& points, const PointStudy& study_of, const RunOptions& options,
               const PointDone& done) {
  if (points.empty()) return;
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const bool until = !options.until_measure.empty();
  const int replications = until ? options.max_replications : options.replications;
  const int count = static_cast<int>(points.size());
  int done_before = 0, total = 0;
  RunOptions o = options;
  for (int at = 0; at < count;) {
    // A batch of points run as one study (their policies side by side): enough tasks for every thread.
    std::vector<scenario::Study> studies{study_of(points[static_cast<std::size_t>(at)])};
    const int policies = static_cast<int>(studies.front().policies.size());
    if (total == 0) total = count * policies * replications;
    const int wanted =
        until ? 1 : std::max(1, (4 * threads + policies * replications - 1) / (policies * replications));
    while (static_cast<int>(studies.size()) < wanted && at + static_cast<int>(studies.size()) < count)
      studies.push_back(study_of(points[static_cast<std::size_t>(at) + studies.size()]));
    scenario::Study batch;
    for (const auto& s : studies)
      for (std::size_t p = 0; p < s.policies.size(); ++p) {
        batch.policies.push_back(s.policies[p]);
        batch.names.push_back(s.names[p]);
      }
    o.progress = [&](int d, int) {
      if (options.progress) options.progress(done_before + d, total);
    };
    std::vector<Results> results = run_study(batch, o);
    std::size_t r = 0;
    for (const auto& s : studies) {
      std::vector<Results> mine;
      for (std::size_t p = 0; p < s.policies.size(); ++p) mine.push_back(std::move(results[r++]));
      done(points[static_cast<std::size_t>(at)], s, mine);
      done_before += static_cast<int>(s.policies.size()) * replications;
      ++at;
    }
  }
}

}  // namespace ccsim::model
