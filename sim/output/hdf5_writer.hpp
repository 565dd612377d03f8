// sim/output: writes results to HDF5 (compound tables readable by h5py/pandas, HDFView, MATLAB). It holds
// no simulation logic and is the only part of ccsim that includes HDF5.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "model/results.hpp"
#include "output/target_file.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// 6: names whole (up to 255 bytes, UTF-8 fields); summary tables hold the ratio of totals in
// mean/half_width with `estimator`, `mean_of_days`, `half_width_of_days`; /measures; occupancy of "all"
// groups; interval labels 256 bytes. 7: staffing files (`ccsim staff -o`: /staffing/by_interval,
// /staffing/achieved); results tables unchanged. 8: name columns as wide as the file's longest name.
// 9: costs (/costs, /replications/costs_by_interval,
// costs_by_day, costs_per_day, /summary/costs_*, root attribute `costs`).
// 10: /records/contacts and /records/agents (`run --records`).
// 11: a `point` column (after `policy`) in every results table, 0 outside a sweep; `ccsim sweep` files
// add /points (index, one column per swept path).
// 12: roster files (`ccsim roster -o`): /staffing/by_interval per group, /roster/tours, roster attributes;
// results files unchanged.
// 13: /factors (the policies' factors), root attribute service_level_target, predictors' relative error
// with a floor on the real wait.
// 14: finite lines and redials: blocked, redials, customers, customers_served, customers_lost,
// first_offered, first_answered_within_tau, first_abandoned in the replication contact tables; eight more
// measures in the summaries and /measures.
// 15: callbacks: callbacks_offered, callbacks_accepted, callbacks_completed, callbacks_failed,
// callbacks_unserved, callback_delay_s in the replication contact tables; outcome callback_accepted in
// /records/contacts; five more measures in the summaries and /measures.
// 16: /records/contacts has a row per call-out (a callback's try), outcomes callback_completed and
// callback_not_reached; the tables unchanged.
// 17: /replications/breaks_by_day has a column forfeited (after taken).
// 18: /records/contacts outcome callback_unserved: a row for each callback given up at the closing.
inline constexpr int kFormatVersion = 18;

struct RunInfo {
  std::string ccsim_version;
  std::string command_line;
};

// A results file written while the run goes on (`ccsim run`): made before anything is simulated (so an
// unwritable path stops the run), its header written by the writer thread beside the simulation (start),
// the first policy's per-replication rows added as each replication is handed on (the
// model::ReplicationSink of RunOptions::sink; the other policies' are spooled, since every table holds the
// policies one after the other), the rest by finish(). Under a temporary name beside `path` until finish()
// renames it; a writer destroyed unfinished (a failure, Ctrl-C) removes it. Throws OutputError naming the
// system's cause.
class ResultsWriter final : public model::ReplicationSink {
 public:
  ResultsWriter(const std::string& path, const scenario::Study& study, std::uint64_t seed,
                const RunInfo& info);
  ~ResultsWriter() override;
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  void start() override;
  [[nodiscard]] bool takes(int policy) const override { return policy == 0; }
  void take(int policy, int replication, const model::ReplicationResult& result) override;
  // Everything else, from the finished run; once *cancel is set the file is removed instead (Interrupted).
  void finish(const std::vector<model::Results>& results, const std::atomic<bool>* cancel = nullptr);

 private:
  [[noreturn]] void give_up(const std::string& what);  // removes the file; throws OutputError
  struct Open;
  std::unique_ptr<Open> open_;
  std::string path_, tmp_;
  const scenario::Study& study_;
  std::uint64_t seed_;
  RunInfo info_;
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
