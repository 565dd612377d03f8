// sim/model: the contact-centre logic — builds a Model from a Scenario, plays out replications on the
// engine, and turns their counts into the industry's measures (offered, answered, SL, ASA, occupancy...).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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
  // Finite lines and redials. `offered` counts attempts that got in; a blocked one is counted only here.
  std::uint64_t blocked = 0;                    // attempts that found no line or waiting place
  std::uint64_t redials = 0;                    // attempts after a customer's first (blocked ones too)
  std::uint64_t customers = 0;                  // customers, by the interval of their first call
  std::uint64_t customers_served = 0;           // of them: answered at some attempt
  std::uint64_t customers_lost = 0;             // of them: gave up (or left unserved) without calling again
  std::uint64_t first_offered = 0;              // first calls offered (not blocked; transfers aside)
  std::uint64_t first_answered_within_tau = 0;  // first calls answered within tau
  std::uint64_t first_abandoned = 0;            // first calls abandoned (balked included)
  // Callbacks, by the cell of the call that asked for one.
  std::uint64_t callbacks_offered = 0;    // callers offered a callback (predicted wait over the threshold)
  std::uint64_t callbacks_accepted = 0;   // of them: took it and left the line (not in `offered`)
  std::uint64_t callbacks_completed = 0;  // callbacks that reached their customer
  std::uint64_t callbacks_failed = 0;     // every try unanswered
  std::uint64_t callbacks_unserved = 0;   // not made by the closing
  double callback_delay_s = 0.0;          // sum over completed: request to the customer's answer

  void add(const ContactCounts& o);
};

// Answered contacts' waits in one-second bins: bin 0 holds waits of exactly 0, bin k waits in (k-1, k].
// A percentile read from it is the exact one rounded up to the whole second. Bins from used() on are zero:
// clearing, copying, pooling and reading walk only the bins a replication's waits reached, not every bin the
// cell ever had (a day's cell holds a few hundred waits; its longest-ever wait may need thousands of bins).
class WaitHistogram {
 public:
  void clear() {
    std::fill(bins_.begin(), bins_.begin() + static_cast<std::ptrdiff_t>(used_), 0);
    count_ = 0;
    used_ = 0;
  }
  void add(double wait_s) {
    const std::size_t b = wait_s <= 0.0 ? 0 : static_cast<std::size_t>(std::ceil(wait_s));
    if (b >= used_) {
      if (b >= bins_.size()) bins_.resize(b + 1 + bins_.size() / 2, 0);
      used_ = b + 1;
    }
    ++bins_[b];
    ++count_;
  }
  void add(const WaitHistogram& o);
  // The same waits in bins cut at used(): what a replication hands on to be pooled.
  [[nodiscard]] WaitHistogram compact() const;
  // Smallest whole second w with at least a share p of answered waits <= w; NaN when nobody was answered.
  [[nodiscard]] double percentile(double p) const;
  // percentile() of each of the ascending shares p[0..n), in one pass over the bins.
  void percentiles(const double* p, double* out, std::size_t n) const;
  // The bins, and a histogram made of them: a block of replications played on another process of an MPI
  // job carries its pooled waits to the one that writes (model/spool.cpp).
  [[nodiscard]] std::vector<std::uint64_t> bins() const {
    return {bins_.begin(), bins_.begin() + static_cast<std::ptrdiff_t>(used_)};
  }
  static WaitHistogram of_bins(std::vector<std::uint64_t> bins) {
    WaitHistogram h;
    h.bins_ = std::move(bins);
    for (const std::uint64_t b : h.bins_) h.count_ += b;
    h.used_ = h.bins_.size();
    return h;
  }
  [[nodiscard]] std::size_t used() const { return used_; }

 private:
  std::vector<std::uint64_t> bins_;  // 64 bits: pooled over many replications
  std::uint64_t count_ = 0;
  std::size_t used_ = 0;  // bins past it are zero
};

struct WaitPercentiles {
  double p50 = NAN, p80 = NAN, p90 = NAN, p95 = NAN;
};

struct ContactCell {
  ContactCounts counts;
  WaitPercentiles wait;
  // The answered waits themselves, so that replications can pool them; the runner moves them out of each
  // replication's result, so memory stays O(cells), not O(replications x cells).
  WaitHistogram waits;
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
  // Not taken: still pending when the agent's shift was over (due while it held a contact that outlasted
  // the shift, or after others it took in order); planned = taken + forfeited.
  std::uint64_t forfeited = 0;
  std::uint64_t late = 0;  // started after their planned time
  double delay_s = 0.0;    // summed over taken breaks
};

// Who served whom: contacts of a type answered by a group (one skill edge), and their handle time.
struct ServedCount {
  std::uint64_t answered = 0;
  double handle_s = 0.0;
};

// The relative error's floor on the real wait: an error of 20 s on a real wait of 2 s is not "1000% off"
// to a caller, so real waits under half a minute count as half a minute (format 13; before, waits > 0).
inline constexpr double kRelativeErrorFloorS = 30.0;

// How well a wait predictor did, over callers who had to wait: error = predicted - real wait (for callers
// who hung up, the virtual wait of a patient caller in their place).
struct PredictionStats {
  std::uint64_t n = 0;
  double sum_error = 0.0, sum_squared_error = 0.0;
  double sum_relative_error = 0.0;  // |error| / max(real wait, kRelativeErrorFloorS), over every caller
  std::uint64_t n_relative = 0;     // the callers it is over (all of them since format 13)
  std::uint64_t waited_longer = 0;  // real wait above the prediction
  void add(double predicted, double actual) {
    const double e = predicted - actual;
    ++n;
    sum_error += e;
    sum_squared_error += e * e;
    sum_relative_error += std::abs(e) / std::max(actual, kRelativeErrorFloorS);
    ++n_relative;
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
  blocked,
  blocked_share,
  service_level_incl_blocked,
  first_attempt_service_level,
  first_attempt_abandon_rate,
  redials,
  customers,
  customers_served_share,
  callbacks_offered,
  callbacks_accepted,
  callbacks_completed,
  callbacks_failed,
  callback_delay,
  occupancy,  // of agent groups, not of contacts: not in kContactMeasures
  // Money, of the whole centre (all groups and contact types): not in kContactMeasures.
  paid_hours,
  staff_cost,
  abandon_cost,
  unserved_cost,
  cost,
};
inline constexpr bool is_cost(Measure m) {
  return m >= Measure::paid_hours;
}
inline constexpr Measure kCostMeasures[] = {Measure::paid_hours, Measure::staff_cost, Measure::abandon_cost,
                                            Measure::unserved_cost, Measure::cost};
// clang-format off
inline constexpr Measure kContactMeasures[] = {
    Measure::offered, Measure::answered, Measure::abandoned, Measure::unserved, Measure::short_abandoned,
    Measure::service_level, Measure::asa, Measure::mean_wait, Measure::abandon_rate, Measure::aht,
    Measure::wait_p50, Measure::wait_p80, Measure::wait_p90, Measure::wait_p95, Measure::balked,
    Measure::no_show_rate, Measure::on_time_rate, Measure::due_met_rate, Measure::backlog,
    Measure::announced_share, Measure::balked_announced, Measure::blocked, Measure::blocked_share,
    Measure::service_level_incl_blocked, Measure::first_attempt_service_level,
    Measure::first_attempt_abandon_rate, Measure::redials, Measure::customers,
    Measure::customers_served_share, Measure::callbacks_offered, Measure::callbacks_accepted,
    Measure::callbacks_completed, Measure::callbacks_failed, Measure::callback_delay};
// clang-format on

// The prices the cost measures apply (scenario `costs`, agent groups' and locations' cost_per_hour, contact
// types' cost_per_abandoned and cost_per_unserved), flat for the tally.
struct CostRates {
  int groups = 0, locations = 0;
  std::vector<double> per_hour;  // [group * locations + location]: the group's rate plus the location's
  std::vector<double> per_abandoned, per_unserved;  // per contact type
};
CostRates cost_rates(const scenario::Scenario& s);

// One cell's money (an interval, a day or the run), from tallied quantities: paid agent-seconds (rostered
// time, absent agents' included unless the scenario says otherwise) priced per group and location, and
// abandoned and unserved contacts priced per type.
struct CostCell {
  double paid_s = 0.0;
  double staff = 0.0, abandon = 0.0, unserved = 0.0;
  [[nodiscard]] double total() const { return staff + abandon + unserved; }
  void add(const CostCell& o) {
    paid_s += o.paid_s;
    staff += o.staff;
    abandon += o.abandon;
    unserved += o.unserved;
  }
};
// `paid_s`: [group * locations + location] seconds; `types`: the cell's counts per contact type.
CostCell cost_of(const CostRates& rates, const double* paid_s, const ContactCell* types);

// How a value is shown: shares as percent, times in seconds (or minutes:seconds in plain-language text).
enum class Display : std::uint8_t { count, percent, seconds, clock };

// How replications (and contact types, intervals) combine into one figure.
enum class Pooling : std::uint8_t {
  total,       // a count: the mean over replications of each one's total
  ratio,       // numerator / denominator: the ratio of the totals over replications
  percentile,  // of all waits of all replications pooled (one fixed-bin histogram per cell)
  level,       // a level at an instant (backlog at closing): the mean over replications
};

// One home per measure: every printed or stored figure takes its name, meaning, unit, display and
// pooling from here, so a number printed under one name means one thing everywhere.
struct MeasureInfo {
  Measure measure;
  const char* name;        // on the command line, in JSON and in the HDF5 `measure` column
  const char* alias;       // the short command-line name (sl, abandon) or nullptr
  const char* heading;     // a short column heading (without the unit)
  const char* definition;  // one sentence
  const char* unit;        // of the stored value: "contacts", "share", "s", "contacts/day"
  Display display;
  int decimals;  // in the displayed unit (percent: of the percentage)
  Pooling pooling;
  const char* numerator;  // for ratios: what is summed above and below the line
  const char* denominator;
};

// Every measure in enum order.
const std::vector<MeasureInfo>& measure_table();
const MeasureInfo& info(Measure m);
const char* to_string(Measure m);
// By name or alias ("service_level" or "sl"); nullptr when unknown.
const MeasureInfo* find_measure(std::string_view name);
// The names a measure may be asked for by, for error messages: "sl, asa, abandon, ...".
std::string measure_names(bool aliases_only);

// What the default summary estimator is, said once for every writer and printer.
inline constexpr const char* kEstimatorDescription =
    "ratio of totals over replications with a delta-method 95% CI (counts: mean with a Student-t CI; "
    "percentiles: of all waits pooled); mean_of_days: the mean of each replication's own ratio with a "
    "Student-t CI";
// The estimator of one measure, as the `estimator` column of the summary tables names it.
const char* estimator_name(Measure m);

// A measure's numerator and denominator in one cell. A count is itself over 1; a percentile has none
// (NaN over 1).
struct Fraction {
  double numerator = 0.0, denominator = 1.0;
  [[nodiscard]] double value() const { return denominator > 0.0 ? numerator / denominator : NAN; }
};
Fraction fraction(const ContactCounts& c, Measure m, scenario::ServiceLevelDefinition sl);
// Occupancy = busy / available (available = staffed - breaks - shrinkage - interruptions).
inline Fraction fraction(const AgentTime& t) {
  return {t.busy_s, t.available_s()};
}
// A cost measure of one cell (a count: over 1).
Fraction fraction(const CostCell& c, Measure m);

// The measure's value for one cell; NaN where undefined (ASA with nobody answered, SL with nobody offered).
double value(const ContactCell& cell, Measure m, scenario::ServiceLevelDefinition sl);

// A value in the measure's display unit without the unit ("81.2" for an SL of 0.812, "-" for NaN).
std::string format_value(Measure m, double v);
std::string format_value(Display d, int decimals, double v);  // clock: 95 -> "1:35"
// A column heading with the displayed unit: "SL %", "ASA s", "offered".
std::string heading_with_unit(Measure m);
// The factor from the stored unit to the displayed one (100 for percent, else 1).
double display_scale(Measure m);

}  // namespace ccsim::model
