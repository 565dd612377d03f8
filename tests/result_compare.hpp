// Field-by-field comparison of replication results, naming the first field that differs: the random
// scenario checker needs "identical" to mean every number, and a message that says where two runs part.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "model/model.hpp"

namespace ccsim::testing {

class Differ {
 public:
  // Empty when everything compared so far is bit-identical (NaN equals NaN: an undefined ratio twice).
  [[nodiscard]] const std::string& first() const { return first_; }

  // Relative tolerance for sums of seconds (counts are always exact): 0 asks for bit-identical numbers,
  // a little more forgives sums that add the same terms in another order.
  explicit Differ(double tolerance = 0.0) : tolerance_(tolerance) {}

  template <class T>
  void field(const std::string& path, T x, T y) {
    if (!first_.empty()) return;
    bool same = x == y || (std::isnan(static_cast<double>(x)) && std::isnan(static_cast<double>(y)));
    if constexpr (std::is_floating_point_v<T>)
      same = same || std::abs(x - y) <= tolerance_ * std::max({std::abs(x), std::abs(y), 1.0});
    if (same) return;
    char buf[96];
    std::snprintf(buf, sizeof buf, ": %.17g vs %.17g", static_cast<double>(x), static_cast<double>(y));
    first_ = path + buf;
  }

  void cell(const std::string& p, const model::ContactCell& a, const model::ContactCell& b) {
    counts(p, a.counts, b.counts);
    field(p + ".wait_p50", a.wait.p50, b.wait.p50);
    field(p + ".wait_p80", a.wait.p80, b.wait.p80);
    field(p + ".wait_p90", a.wait.p90, b.wait.p90);
    field(p + ".wait_p95", a.wait.p95, b.wait.p95);
  }

  void counts(const std::string& p, const model::ContactCounts& a, const model::ContactCounts& b) {
    field(p + ".offered", a.offered, b.offered);
    field(p + ".answered", a.answered, b.answered);
    field(p + ".abandoned", a.abandoned, b.abandoned);
    field(p + ".unserved", a.unserved, b.unserved);
    field(p + ".short_abandoned", a.short_abandoned, b.short_abandoned);
    field(p + ".answered_within_tau", a.answered_within_tau, b.answered_within_tau);
    field(p + ".abandoned_within_tau", a.abandoned_within_tau, b.abandoned_within_tau);
    field(p + ".wait_answered_s", a.wait_answered_s, b.wait_answered_s);
    field(p + ".wait_abandoned_s", a.wait_abandoned_s, b.wait_abandoned_s);
    field(p + ".handle_s", a.handle_s, b.handle_s);
    field(p + ".balked", a.balked, b.balked);
    field(p + ".appointments", a.appointments, b.appointments);
    field(p + ".no_shows", a.no_shows, b.no_shows);
    field(p + ".booked_answered", a.booked_answered, b.booked_answered);
    field(p + ".served_on_time", a.served_on_time, b.served_on_time);
    field(p + ".deferred_offered", a.deferred_offered, b.deferred_offered);
    field(p + ".due_met", a.due_met, b.due_met);
    field(p + ".backlog", a.backlog, b.backlog);
    field(p + ".announced", a.announced, b.announced);
    field(p + ".balked_announced", a.balked_announced, b.balked_announced);
    field(p + ".blocked", a.blocked, b.blocked);
    field(p + ".redials", a.redials, b.redials);
    field(p + ".customers", a.customers, b.customers);
    field(p + ".customers_served", a.customers_served, b.customers_served);
    field(p + ".customers_lost", a.customers_lost, b.customers_lost);
    field(p + ".first_offered", a.first_offered, b.first_offered);
    field(p + ".first_answered_within_tau", a.first_answered_within_tau, b.first_answered_within_tau);
    field(p + ".first_abandoned", a.first_abandoned, b.first_abandoned);
    field(p + ".callbacks_offered", a.callbacks_offered, b.callbacks_offered);
    field(p + ".callbacks_accepted", a.callbacks_accepted, b.callbacks_accepted);
    field(p + ".callbacks_completed", a.callbacks_completed, b.callbacks_completed);
    field(p + ".callbacks_failed", a.callbacks_failed, b.callbacks_failed);
    field(p + ".callbacks_unserved", a.callbacks_unserved, b.callbacks_unserved);
    field(p + ".callback_delay_s", a.callback_delay_s, b.callback_delay_s);
    field(p + ".longest_announced_stayed_s", a.longest_announced_stayed_s, b.longest_announced_stayed_s);
  }

  void time(const std::string& p, const model::AgentTime& a, const model::AgentTime& b) {
    field(p + ".scheduled_s", a.scheduled_s, b.scheduled_s);
    field(p + ".staffed_s", a.staffed_s, b.staffed_s);
    field(p + ".busy_s", a.busy_s, b.busy_s);
    field(p + ".wrap_s", a.wrap_s, b.wrap_s);
    field(p + ".break_s", a.break_s, b.break_s);
    field(p + ".shrinkage_s", a.shrinkage_s, b.shrinkage_s);
    field(p + ".interrupted_s", a.interrupted_s, b.interrupted_s);
  }

  void breaks(const std::string& p, const model::BreakStats& a, const model::BreakStats& b) {
    field(p + ".planned", a.planned, b.planned);
    field(p + ".taken", a.taken, b.taken);
    field(p + ".forfeited", a.forfeited, b.forfeited);
    field(p + ".late", a.late, b.late);
    field(p + ".delay_s", a.delay_s, b.delay_s);
  }

  void served(const std::string& p, const model::ServedCount& a, const model::ServedCount& b) {
    field(p + ".answered", a.answered, b.answered);
    field(p + ".handle_s", a.handle_s, b.handle_s);
  }

  void predictions(const std::string& p, const model::PredictionStats& a, const model::PredictionStats& b) {
    field(p + ".n", a.n, b.n);
    field(p + ".n_relative", a.n_relative, b.n_relative);
    field(p + ".waited_longer", a.waited_longer, b.waited_longer);
    field(p + ".sum_error", a.sum_error, b.sum_error);
    field(p + ".sum_squared_error", a.sum_squared_error, b.sum_squared_error);
    field(p + ".sum_relative_error", a.sum_relative_error, b.sum_relative_error);
  }

  void plain(const std::string& p, std::uint64_t a, std::uint64_t b) { field(p, a, b); }
  void seconds(const std::string& p, double a, double b) { field(p, a, b); }

  void costs(const std::string& p, const model::CostCell& a, const model::CostCell& b) {
    field(p + ".paid_s", a.paid_s, b.paid_s);
    field(p + ".staff", a.staff, b.staff);
    field(p + ".abandon", a.abandon, b.abandon);
    field(p + ".unserved", a.unserved, b.unserved);
  }

  // Vectors of any of the above, element by element, after their sizes.
  template <class T, class Compare>
  void each(const std::string& p, const std::vector<T>& a, const std::vector<T>& b, Compare compare) {
    field(p + ".size", a.size(), b.size());
    for (std::size_t i = 0; i < a.size() && i < b.size() && first_.empty(); ++i)
      (this->*compare)(p + "[" + std::to_string(i) + "]", a[i], b[i]);
  }

  // The day totals: what must not depend on the interval length when everything sits on whole hours.
  void day_totals(const model::ReplicationResult& a, const model::ReplicationResult& b) {
    each("contacts_by_day", a.contacts_by_day, b.contacts_by_day, &Differ::cell);
    each("contacts_per_day", a.contacts_per_day, b.contacts_per_day, &Differ::cell);
    each("agents_by_day", a.agents_by_day, b.agents_by_day, &Differ::time);
    each("agents_per_day", a.agents_per_day, b.agents_per_day, &Differ::time);
    each("breaks_by_day", a.breaks_by_day, b.breaks_by_day, &Differ::breaks);
    each("served_by_day", a.served_by_day, b.served_by_day, &Differ::served);
    each("transfers_by_day", a.transfers_by_day, b.transfers_by_day, &Differ::plain);
    each("predictions_by_day", a.predictions_by_day, b.predictions_by_day, &Differ::predictions);
    each("costs_per_day", a.costs_per_day, b.costs_per_day, &Differ::costs);
    costs("costs_by_day", a.costs_by_day, b.costs_by_day);
    each("paid_by_day", a.paid_by_day, b.paid_by_day, &Differ::seconds);
  }

  void all(const model::ReplicationResult& a, const model::ReplicationResult& b) {
    field("series", a.series, b.series);
    each("contacts_by_interval", a.contacts_by_interval, b.contacts_by_interval, &Differ::cell);
    each("agents_by_interval", a.agents_by_interval, b.agents_by_interval, &Differ::time);
    each("served_by_interval", a.served_by_interval, b.served_by_interval, &Differ::served);
    each("transfers_by_interval", a.transfers_by_interval, b.transfers_by_interval, &Differ::plain);
    each("predictions_by_interval", a.predictions_by_interval, b.predictions_by_interval,
         &Differ::predictions);
    each("costs_by_interval", a.costs_by_interval, b.costs_by_interval, &Differ::costs);
    day_totals(a, b);
    field("events", a.events, b.events);
  }

 private:
  double tolerance_;
  std::string first_;
};

}  // namespace ccsim::testing
