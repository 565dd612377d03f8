#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"
#include "model/model.hpp"
#include "model/records.hpp"
#include "model/spool.hpp"
#include "model/start_state.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {

// Takes each policy's finished replications in replication order while the run goes on, so that the
// results file's per-replication rows are written beside the simulation rather than after it. Calls come
// one at a time (never concurrently), from a writer thread of the runner; replications of a policy it does
// not take are spooled (Results::spool) as without a sink.
class ReplicationSink {
 public:
  virtual ~ReplicationSink() = default;
  // Called first on the writer thread, before any take: work that need not hold up the simulation.
  virtual void start() {}
  [[nodiscard]] virtual bool takes(int policy) const = 0;
  virtual void take(int policy, int replication, const ReplicationResult& result) = 0;
};

struct RunOptions {
  std::uint64_t seed = 1;
  int replications = 10;  // per policy; with until_measure, the first batch
  int threads = 0;        // 0: all cores
  // Precision control: add replications until every policy's 95% CI half-width of this day measure (a
  // name or alias of the measure table: sl, asa, abandon, mean_wait, occupancy...) is at most
  // until_half_width, or max_replications is reached. The half-width is the default estimator's (the ratio
  // of totals over replications with its delta-method interval).
  std::string until_measure;
  double until_half_width = 0.0;
  int max_replications = 1000;
  // Called after each finished replication with (done, total), from the thread that finished it.
  std::function<void(int, int)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set (e.g. by Ctrl-C) to stop between replications
  bool check_invariants = false;              // check the model's invariants after every event (tests)
  // Keep every replication's whole result in Results::by_replication (tests look into them). Off, memory
  // stays O(cells): the summary is accumulated as replications finish.
  bool keep_replications = false;
  // Per-contact and agent-state records of the first `records_replications` replications of each policy,
  // in Results::records (`--records`).
  RecordKinds records;
  int records_replications = 1;
  // Live states (`--start-state`): replication r of every policy starts from start_states[r], or every
  // replication from the only one; empty: at the day's opening, as the roster says.
  std::vector<scenario::StartState> start_states;
  // `--save-state`: each replication's state at this time of the run (NaN: none), in Results::saved_states.
  double save_state_at = NAN;
  std::string save_state_text;
  // Where the per-replication results go as they are handed on (the results file being written); null:
  // spooled (or kept) for the writer after the run.
  ReplicationSink* sink = nullptr;
};

// One row of a summary: a measure of one series (contact type, or all types) in one interval or the day,
// with the stationary Erlang-A value beside it (NaN where the formula says nothing: single types in a
// multi-type pool, percentiles). `estimate` is the default estimator (see kEstimatorDescription): for a
// ratio the ratio of totals over replications with its delta-method 95% CI, for a count the mean, for a
// percentile that of all replications' waits pooled (no interval: NaN half-width). `of_days` is the mean
// of each replication's own value with its Student-t interval.
struct SummaryRow {
  int interval = -1;  // -1: the day (intervals after warm-up)
  int series = 0;
  Measure measure = Measure::offered;
  analysis::Estimate estimate;
  double erlang_a = NAN;
  analysis::Estimate of_days;
};

struct OccupancyRow {
  int interval = -1;
  int group = 0;                // -1: all groups together
  analysis::Estimate estimate;  // busy / available, ratio of totals
  double erlang_a = NAN;        // pooled Erlang A; only where there is one group
  analysis::Estimate of_days;
};

// Who served whom, per skill edge: contacts answered and their mean handle time.
struct ServedRow {
  int interval = -1;
  int edge = 0;  // index into Model::skills
  analysis::Estimate answered, aht;
};

// A group's day: how its agents' time went and how its breaks went.
struct GroupDayRow {
  int group = 0;
  analysis::Estimate staffed_hours, occupancy, interrupted_share, late_break_share, break_delay_s,
      forfeited_break_share;
};

// A wait predictor's accuracy over callers who waited (a type, or all types), per interval or the day.
struct PredictionRow {
  int interval = -1;
  int series = 0;
  int predictor = 0;  // scenario::Predictor
  analysis::Estimate bias_s, rmse_s, relative_error, share_longer;
};

struct TransferRow {
  int interval = -1;
  int edge = 0;  // index in the order transfers are listed in the scenario
  analysis::Estimate transferred;
};

struct Results {
  std::uint64_t seed = 0;
  int replications = 0;
  std::vector<std::string> series_names;  // contact types, then "all" when there are several
  // With RunOptions::keep_replications, every replication's whole result (their wait histograms moved into
  // the pooled ones below). Without, only each replication's day cells (contacts_by_day, agents_by_day: a
  // few hundred bytes, for the paired comparison `ccsim run` prints) and the whole results in `spool`.
  std::vector<ReplicationResult> by_replication;
  std::shared_ptr<ReplicationSpool> spool;
  bool rows_streamed = false;  // every replication went to RunOptions::sink: none is spooled or kept
  // With RunOptions::records: the records of the first replications, in replication order.
  std::shared_ptr<RecordStore> records;
  // Every replication's whole result in order, from `spool` or else from `by_replication` (the writer).
  void for_each_replication(const std::function<void(int, const ReplicationResult&)>& f) const;
  // What the summary needs, accumulated as replications finish, in replication order (summarise.cpp).
  std::vector<analysis::RatioAccumulator> accumulated;
  int replications_accumulated = 0;
  // All replications' answered waits, pooled per cell: [interval * series + series], and per series.
  std::vector<WaitHistogram> waits_by_interval, waits_by_day;
  std::vector<SummaryRow> contacts_by_interval, contacts_by_day;
  std::vector<SummaryRow> contacts_per_day;         // `interval` holds the day; no percentiles
  std::vector<OccupancyRow> occupancy_per_day;      // `interval` holds the day; [day * groups + group]
  std::vector<OccupancyRow> occupancy_by_interval;  // [interval * groups + group]
  std::vector<OccupancyRow> occupancy_by_day;       // per group
  std::vector<OccupancyRow> occupancy_all_by_interval, occupancy_all_by_day;  // all groups together
  std::vector<GroupDayRow> groups_by_day;
  // The cost measures (kCostMeasures) of the whole centre; `interval` holds the interval, the day (per_day)
  // or -1 (the run), `series` is 0.
  std::vector<SummaryRow> costs_by_interval, costs_per_day, costs_by_day;
  std::vector<PredictionRow> predictions_by_interval, predictions_by_day;  // empty unless measured
  std::vector<int> head_count;                                             // rostered agents per group
  std::vector<ServedRow> served_by_interval, served_by_day;
  std::vector<TransferRow> transfers_by_day;
  std::vector<analysis::QueueMeasures> erlang_a_by_interval;  // pooled, per interval
  std::uint64_t events = 0;
  double wall_seconds = 0.0;
  bool precision_met = true;                       // with --until-ci: whether the half-width was reached
  std::vector<scenario::StartState> saved_states;  // with RunOptions::save_state_at: per replication
};

// Checks RunOptions::start_states against every policy (and their number against the replications):
// throws InputError with every mistake; returns the warnings (residual times past a law's end), per policy.
std::vector<std::vector<StartPlan>> compile_start_states(const scenario::Study& study,
                                                         const std::vector<Model>& models,
                                                         const RunOptions& options,
                                                         std::vector<std::string>* warnings);
// Runs every replication (in parallel; results do not depend on the number of threads) and summarises.
Results run(const scenario::Scenario& s, const RunOptions& options);
// Every policy of a study, replication r of each facing the same customers (common random numbers).
std::vector<Results> run_study(const scenario::Study& study, const RunOptions& options);

// A replication's numerator and denominator of a measure (not a percentile) for the pooled series in an
// interval or the day (-1); occupancy over all groups; costs of the whole centre.
Fraction pooled_fraction(const ReplicationResult& rep, Measure m, int interval,
                         scenario::ServiceLevelDefinition sl);
// The same for a measure named as on the command line; throws InputError naming the valid ones.
Fraction day_fraction(const ReplicationResult& rep, const std::string& measure,
                      scenario::ServiceLevelDefinition sl);
// The replication's own day value (numerator over denominator).
double day_value(const ReplicationResult& rep, const std::string& measure,
                 scenario::ServiceLevelDefinition sl);
// A measure named on the command line that compare and --until-ci can pool from per-replication
// numerators and denominators (any measure but the percentiles); throws InputError otherwise.
Measure comparable_measure(const std::string& name);

// Adds one finished replication to r's running sums; called in replication order (summarise.cpp).
void accumulate(const scenario::Scenario& s, const Model& m, const ReplicationResult& rep, Results& r);
// Fills r's summary rows from its running sums and pooled wait histograms; results assembled by hand
// (by_replication filled, nothing accumulated) are accumulated first.
void summarise(const scenario::Scenario& s, const Model& m, Results& r);

// The stationary Erlang-A input for one interval: all types and all agents pooled (transfers included in
// the offered load), mean handle time weighted by volume, patience rate volume-weighted over types
// (types that never abandon count with rate 0).
analysis::QueueInput erlang_a_input(const Model& m, int interval);
// analysis::queue_measures, remembered per distinct input for the whole process (thread-safe): every
// policy's model, its warnings and its Erlang column ask for the same intervals again, and one heavily
// loaded interval can take a large Erlang-A chain to solve.
analysis::QueueMeasures queue_measures_once(const analysis::QueueInput& q);

}  // namespace ccsim::model
