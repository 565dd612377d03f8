// sim/planning: staffing above the model — the available agents each interval and group needs to meet a
// target, analytically (Erlang C/A per interval) and by simulation (the iterative staffing algorithm), and a
// scenario that staffs exactly that. It calls the model like any other client; nothing here runs per event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {
struct Results;
}

namespace ccsim::planning {

// "sl=0.8", "abandon=0.05", "asa=30s", or for one contact type "billing:sl=0.9".
struct Target {
  int type = -1;  // -1: each group's contacts pooled (the types it serves at its best priority); else a type
  analysis::TargetKind kind = analysis::TargetKind::service_level;
  double value = 0.8;  // SL at least this; ASA (seconds) and abandonment rate at most this
  std::string name;    // as printed and as JSON key: "sl", "billing:sl"
};

struct StaffOptions {
  std::vector<Target> targets;
  int replications =
      20;  // per search step, fixed: every step faces the same customers (common random numbers)
  int verify_replications = 40;
  std::uint64_t seed = 1;
  std::uint64_t verify_seed = 0;  // 0: derived from seed, so the verification sees other customers
  int max_steps = 40;
  int threads = 0;
};

struct StaffRow {
  int interval = 0;  // of the run
  int group = 0;
  int required = 0;         // by simulation (the iterative staffing algorithm), verified below
  int required_erlang = 0;  // stationary Erlang C/A per interval
  double available = 0.0;   // the scenario's roster as planned: after breaks, absence and shrinkage
  double load = 0.0;        // offered load in erlangs: mean busy agents with ample staff
  // Per target, the verified plan's achieved measure with its 95% CI (NaN where the target does not
  // concern this group or nobody was offered).
  std::vector<analysis::Estimate> achieved;
  [[nodiscard]] double gap() const { return available - required; }
};

struct StaffPlan {
  std::vector<Target> targets;
  int groups = 0, intervals = 0;
  std::vector<StaffRow> rows;  // [interval * groups + group]
  int steps = 0;               // simulation steps of the search (the ample one included)
  bool converged = false;      // the plan stopped changing before max_steps
  double seconds = 0.0;
  [[nodiscard]] const StaffRow& at(int interval, int group) const {
    return rows[static_cast<std::size_t>(interval * groups + group)];
  }
};

// Checks targets against the scenario (type names, ranges); throws InputError.
void check_targets(const scenario::Scenario& s, const std::vector<Target>& targets);

StaffPlan staff(const scenario::Scenario& s, const StaffOptions& options);

// Per interval of the run, whether a group misses a target in simulated results (point estimates of the
// types it serves at its best priority; warm-up intervals never miss).
std::vector<bool> missed_intervals(const scenario::Scenario& s, const model::Results& r,
                                   const std::vector<Target>& targets, int group);

// Whether an estimate meets a target (a NaN estimate — nobody offered — does).
bool meets(const Target& t, double value);

// The scenario with each group staffed by `counts[group]` (available agents per interval of the run) instead
// of its shifts; absence and shrinkage dropped, since the counts are available agents already.
scenario::Scenario with_counts(const scenario::Scenario& s, const std::vector<std::vector<int>>& counts);

}  // namespace ccsim::planning
