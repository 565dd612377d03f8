// The runner: plays replications on worker threads and hands each policy's results on in replication
// order through a bounded reorder buffer, so that what is accumulated does not depend on the number of
// threads. Internal to sim/model (results.cpp drives it; sweep_blocks.cpp hands on replications played on
// other processes the same way).
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "model/replication.hpp"
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

// A study's models, its results before any replication (one per policy) and its live-state plans.
struct StudyRun {
  std::vector<Model> models;
  std::vector<Results> results;
  std::vector<std::vector<StartPlan>> plans;
  std::chrono::steady_clock::time_point started;
};
StudyRun start_study(const scenario::Study& study, const RunOptions& options);
// Every policy's results after n replications: summarised from what was accumulated.
void finish_study(const scenario::Study& study, StudyRun& run, int n);

// The precision loop (--until-ci) runs in rounds, each doubling the replications: the first round's end,
// whether every policy's half-width is met, and the next round's end.
int first_round(const RunOptions& options);
bool precision_met(const UntilMeasure& until, const RunOptions& options);
int next_round(int n, const RunOptions& options);

// Plays replication i of policy p (its live state from `plans`, its records into `records`, its state at
// options.save_state_at into *saved).
ReplicationResult play(Replication& rep, const RunOptions& options,
                       const std::vector<std::vector<StartPlan>>& plans, std::size_t p, int i,
                       RecordStore* records, scenario::StartState* saved);
// Moves a replication's answered waits into pooled histograms (bin counts are integers: the pooled ones do
// not depend on the order replications come in).
void pool_waits(ReplicationResult& one, std::vector<WaitHistogram>& by_interval,
                std::vector<WaitHistogram>& by_day);
// Makes room in results for replications up to `to` (and the spool they go to when not kept).
void prepare_results(std::vector<Results>& results, int to, const RunOptions& options);
// Hands replication i of a policy on, in replication order: adds it to the running sums (and to the
// precision loop's measure), then keeps it whole (options.keep_replications) or spools it and keeps its
// day cells. Not for replications going to a sink (the runner's writer thread takes those).
void add_in_order(const scenario::Scenario& s, const Model& m, Results& into, std::size_t p,
                  ReplicationResult& one, UntilMeasure* until);
void keep(Results& into, int i, ReplicationResult&& one, bool whole);

}  // namespace ccsim::model
