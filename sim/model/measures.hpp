// sim/model: the contact-centre logic — builds a Model from a Scenario, plays out replications on the
// engine, and turns their counts into the industry's measures (offered, answered, SL, ASA, occupancy...).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::model {

// Counts for one cell (an interval or the day, a contact type or all types), by arrival interval.
struct ContactCounts {
  std::uint64_t offered = 0;
  std::uint64_t answered = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t unserved = 0;         // still waiting when the last agent who could serve it left
  std::uint64_t short_abandoned = 0;  // abandoned within the short-abandon threshold
  std::uint64_t answered_within_tau = 0;
  std::uint64_t abandoned_within_tau = 0;
  double wait_answered_s = 0.0;    // sum of waits of answered contacts
  double wait_abandoned_s = 0.0;   // sum of time abandoned contacts waited before hanging up
  double wait_unserved_s = 0.0;    // sum of time unserved contacts waited until they were dropped
  double handle_s = 0.0;           // sum of handle times of answered contacts
  std::uint64_t balked = 0;        // walk-ins who saw the queue and left at once (counted as abandoned too)
  std::uint64_t appointments = 0;  // booked, by slot interval
  std::uint64_t no_shows = 0;
  std::uint64_t booked_answered = 0;        // appointments answered
  std::uint64_t served_on_time = 0;         // appointments answered within on_time_within of their slot
  std::uint64_t deferred_offered = 0;       // offered e-mails (the denominator of due_met)
  std::uint64_t due_met = 0;                // e-mails answered within their due time
  std::uint64_t backlog = 0;                // e-mails waiting at the end of the interval
  std::uint64_t announced = 0;              // callers who heard an announcement
  std::uint64_t balked_announced = 0;       // of the balked: after hearing it
  double longest_announced_stayed_s = 0.0;  // the longest wait announced to a caller who stayed

  void add(const ContactCounts& o);
};

// Answered contacts' waits in one-second bins: bin 0 holds waits of exactly 0, bin k waits in (k-1, k].
// A percentile read from it is the exact one rounded up to the whole second.
class WaitHistogram {
 public:
  void clear() {
    bins_.assign(bins_.size(), 0);
    count_ = 0;
  }
  void add(double wait_s) {
    std::size_t b = wait_s <= 0.0 ? 0 : static_cast<std::size_t>(std::ceil(wait_s));
    if (b >= bins_.size()) bins_.resize(b + 1 + bins_.size() / 2, 0);
    ++bins_[b];
    ++count_;
  }
  void add(const WaitHistogram& o);
  // Smallest whole second w with at least a share p of answered waits <= w; NaN when nobody was answered.
  [[nodiscard]] double percentile(double p) const;

 private:
  std::vector<std::uint32_t> bins_;
  std::uint64_t count_ = 0;
};

struct WaitPercentiles {
  double p50 = NAN, p80 = NAN, p90 = NAN, p95 = NAN;
};

struct ContactCell {
  ContactCounts counts;
  WaitPercentiles wait;
};

// Agent time in one cell (an interval or the day, one group), in agent-seconds. "Staffed" is time on
// shift of agents who showed up; available = staffed - breaks - shrinkage - interruptions = busy + idle.
struct AgentTime {
  double scheduled_s = 0.0;  // rostered, including agents who did not show up
  double staffed_s = 0.0;
  double busy_s = 0.0;  // handling contacts, wrap-up included
  double wrap_s = 0.0;  // of which after-contact work
  double break_s = 0.0;
  double shrinkage_s = 0.0;
  double interrupted_s = 0.0;  // lost to interruptions (home work)
  [[nodiscard]] double available_s() const { return staffed_s - break_s - shrinkage_s - interrupted_s; }
  [[nodiscard]] double occupancy() const { return available_s() > 0.0 ? busy_s / available_s() : NAN; }
  void add(const AgentTime& o) {
    scheduled_s += o.scheduled_s;
    staffed_s += o.staffed_s;
    busy_s += o.busy_s;
    wrap_s += o.wrap_s;
    break_s += o.break_s;
    shrinkage_s += o.shrinkage_s;
    interrupted_s += o.interrupted_s;
  }
};

// How breaks went: an agent busy when a break falls due finishes the contact first, so breaks start late.
struct BreakStats {
  std::uint64_t planned = 0;  // breaks of agents on shift
  std::uint64_t taken = 0;
  std::uint64_t late = 0;  // started after their planned time
  double delay_s = 0.0;    // summed over taken breaks
};

// Who served whom: contacts of a type answered by a group (one skill edge), and their handle time.
struct ServedCount {
  std::uint64_t answered = 0;
  double handle_s = 0.0;
};

// How well a wait predictor did, over callers who had to wait: error = predicted - real wait (for callers
// who hung up, the virtual wait of a patient caller in their place).
struct PredictionStats {
  std::uint64_t n = 0;
  double sum_error = 0.0, sum_squared_error = 0.0;
  double sum_relative_error = 0.0;  // |error| / real wait, over real waits > 0
  std::uint64_t n_relative = 0;
  std::uint64_t waited_longer = 0;  // real wait above the prediction
  void add(double predicted, double actual) {
    const double e = predicted - actual;
    ++n;
    sum_error += e;
    sum_squared_error += e * e;
    if (actual > 0.0) {
      sum_relative_error += std::abs(e) / actual;
      ++n_relative;
    }
    waited_longer += actual > predicted;
  }
  void add(const PredictionStats& o) {
    n += o.n;
    sum_error += o.sum_error;
    sum_squared_error += o.sum_squared_error;
    sum_relative_error += o.sum_relative_error;
    n_relative += o.n_relative;
    waited_longer += o.waited_longer;
  }
  [[nodiscard]] double bias() const { return n ? sum_error / static_cast<double>(n) : NAN; }
  [[nodiscard]] double rmse() const {
    return n ? std::sqrt(sum_squared_error / static_cast<double>(n)) : NAN;
  }
  [[nodiscard]] double relative_error() const {
    return n_relative ? sum_relative_error / static_cast<double>(n_relative) : NAN;
  }
  [[nodiscard]] double share_longer() const {
    return n ? static_cast<double>(waited_longer) / static_cast<double>(n) : NAN;
  }
};
inline constexpr int kPredictors = 4;  // in the order of scenario::Predictor

enum class Measure : std::uint8_t {
  offered,
  answered,
  abandoned,
  unserved,
  short_abandoned,
  service_level,
  asa,
  mean_wait,
  abandon_rate,
  aht,
  wait_p50,
  wait_p80,
  wait_p90,
  wait_p95,
  balked,
  no_show_rate,
  on_time_rate,
  due_met_rate,
  backlog,
  announced_share,
  balked_announced,
};
// clang-format off
inline constexpr Measure kContactMeasures[] = {
    Measure::offered, Measure::answered, Measure::abandoned, Measure::unserved, Measure::short_abandoned,
    Measure::service_level, Measure::asa, Measure::mean_wait, Measure::abandon_rate, Measure::aht,
    Measure::wait_p50, Measure::wait_p80, Measure::wait_p90, Measure::wait_p95, Measure::balked,
    Measure::no_show_rate, Measure::on_time_rate, Measure::due_met_rate, Measure::backlog,
    Measure::announced_share, Measure::balked_announced};
// clang-format on
const char* to_string(Measure m);

// The measure's value for one cell; NaN where undefined (ASA with nobody answered, SL with nobody offered).
double value(const ContactCell& cell, Measure m, scenario::ServiceLevelDefinition sl);

}  // namespace ccsim::model
