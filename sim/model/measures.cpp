#include "model/measures.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace ccsim::model {

void ContactCounts::add(const ContactCounts& o) {
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  unserved += o.unserved;
  short_abandoned += o.short_abandoned;
  answered_within_tau += o.answered_within_tau;
  abandoned_within_tau += o.abandoned_within_tau;
  wait_answered_s += o.wait_answered_s;
  wait_abandoned_s += o.wait_abandoned_s;
  wait_unserved_s += o.wait_unserved_s;
  handle_s += o.handle_s;
  balked += o.balked;
  appointments += o.appointments;
  no_shows += o.no_shows;
  served_on_time += o.served_on_time;
  booked_answered += o.booked_answered;
  due_met += o.due_met;
  deferred_offered += o.deferred_offered;
  backlog += o.backlog;
  announced += o.announced;
  balked_announced += o.balked_announced;
  blocked += o.blocked;
  redials += o.redials;
  customers += o.customers;
  customers_served += o.customers_served;
  customers_lost += o.customers_lost;
  first_offered += o.first_offered;
  first_answered_within_tau += o.first_answered_within_tau;
  first_abandoned += o.first_abandoned;
  callbacks_offered += o.callbacks_offered;
  callbacks_accepted += o.callbacks_accepted;
  callbacks_completed += o.callbacks_completed;
  callbacks_failed += o.callbacks_failed;
  callbacks_unserved += o.callbacks_unserved;
  callback_delay_s += o.callback_delay_s;
  longest_announced_stayed_s = std::max(longest_announced_stayed_s, o.longest_announced_stayed_s);
}

void WaitHistogram::add(const WaitHistogram& o) {
  if (o.used_ > bins_.size()) bins_.resize(o.used_, 0);
  for (std::size_t i = 0; i < o.used_; ++i) bins_[i] += o.bins_[i];
  used_ = std::max(used_, o.used_);
  count_ += o.count_;
}

WaitHistogram WaitHistogram::compact() const {
  WaitHistogram h;
  h.bins_ = bins();
  h.count_ = count_;
  h.used_ = used_;
  return h;
}

double WaitHistogram::percentile(double p) const {
  double out = NAN;
  percentiles(&p, &out, 1);
  return out;
}

void WaitHistogram::percentiles(const double* p, double* out, std::size_t n) const {
  if (count_ == 0) {
    std::fill(out, out + n, NAN);
    return;
  }
  std::uint64_t seen = 0;
  std::size_t b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // The k-th smallest wait with k = ceil(p n) (the usual "nearest rank" definition).
    auto rank = static_cast<std::uint64_t>(std::ceil(p[i] * static_cast<double>(count_) - 1e-9));
    rank = std::max<std::uint64_t>(rank, 1);
    // The shares ascend, so each search goes on from the bin where the last one stopped.
    while (b < used_ && seen + bins_[b] < rank) seen += bins_[b++];
    out[i] = static_cast<double>(std::min(b, used_ - 1));
  }
}

namespace {

using D = Display;
using P = Pooling;
// clang-format off
const std::vector<MeasureInfo> kTable = {
    {Measure::offered, "offered", nullptr, "offered",
     "Contacts that arrived (walk-ins, calls, chats, e-mails, appointments that showed up).",
     "contacts", D::count, 1, P::total, "", ""},
    {Measure::answered, "answered", nullptr, "answered", "Contacts an agent started to serve.",
     "contacts", D::count, 1, P::total, "", ""},
    {Measure::abandoned, "abandoned", nullptr, "abandoned",
     "Contacts that hung up or left before being answered (balked walk-ins included).",
     "contacts", D::count, 1, P::total, "", ""},
    {Measure::unserved, "unserved", nullptr, "unserved",
     "Contacts still waiting when the last agent who could serve them left.",
     "contacts", D::count, 1, P::total, "", ""},
    {Measure::short_abandoned, "short_abandoned", nullptr, "short abandons",
     "Abandoned within the short-abandon threshold.", "contacts", D::count, 1, P::total, "", ""},
    {Measure::service_level, "service_level", "sl", "SL",
     "Share answered within tau, over the denominator the scenario's service-level definition names.",
     "share", D::percent, 1, P::ratio, "answered within tau", "per the service-level definition"},
    {Measure::asa, "asa", nullptr, "ASA", "Average speed of answer: mean wait of answered contacts.",
     "s", D::seconds, 1, P::ratio, "summed waits of answered contacts", "answered"},
    {Measure::mean_wait, "mean_wait", "wait", "mean wait",
     "Mean wait of every contact that left the queue: answered, abandoned (until they hung up) and unserved "
     "(until the last agent who could serve them left).",
     "s", D::seconds, 1, P::ratio, "summed waits of answered, abandoned and unserved contacts",
     "answered + abandoned + unserved"},
    {Measure::abandon_rate, "abandon_rate", "abandon", "abandoned", "Share of offered contacts abandoned.",
     "share", D::percent, 1, P::ratio, "abandoned", "offered"},
    {Measure::aht, "aht", nullptr, "AHT",
     "Average handle time of answered contacts, after-contact work included.", "s", D::seconds, 1,
     P::ratio, "summed handle times", "answered"},
    {Measure::wait_p50, "wait_p50", nullptr, "wait p50",
     "Median wait of answered contacts (nearest rank, rounded up to the whole second).", "s", D::seconds,
     0, P::percentile, "", ""},
    {Measure::wait_p80, "wait_p80", nullptr, "wait p80", "80th percentile of answered contacts' waits.",
     "s", D::seconds, 0, P::percentile, "", ""},
    {Measure::wait_p90, "wait_p90", nullptr, "wait p90", "90th percentile of answered contacts' waits.",
     "s", D::seconds, 0, P::percentile, "", ""},
    {Measure::wait_p95, "wait_p95", nullptr, "wait p95", "95th percentile of answered contacts' waits.",
     "s", D::seconds, 0, P::percentile, "", ""},
    {Measure::balked, "balked", nullptr, "balked",
     "Walk-ins or callers who left at once on seeing the queue or hearing an announcement.", "contacts",
     D::count, 1, P::total, "", ""},
    {Measure::no_show_rate, "no_show_rate", nullptr, "no-shows", "Share of booked appointments not kept.",
     "share", D::percent, 1, P::ratio, "no-shows", "appointments booked"},
    {Measure::on_time_rate, "on_time_rate", nullptr, "served on time",
     "Share of answered appointments served within on_time_within of their slot.", "share", D::percent, 1,
     P::ratio, "appointments served on time", "appointments answered"},
    {Measure::due_met_rate, "due_met_rate", nullptr, "done within due",
     "Share of offered e-mails answered within their due time.", "share", D::percent, 1, P::ratio,
     "e-mails answered within due", "e-mails offered"},
    {Measure::backlog, "backlog", nullptr, "backlog at closing",
     "Deferred contacts (e-mails) waiting at the end of the interval or day.", "contacts", D::count, 1,
     P::level, "", ""},
    {Measure::announced_share, "announced_share", nullptr, "announced",
     "Share of offered contacts who heard a wait announcement.", "share", D::percent, 1, P::ratio,
     "announced", "offered"},
    {Measure::balked_announced, "balked_announced", nullptr, "balked after announcement",
     "Callers who balked after hearing an announcement.", "contacts", D::count, 1, P::total, "", ""},
    {Measure::blocked, "blocked", nullptr, "blocked",
     "Attempts that found every line or waiting place taken and heard busy (not in offered).", "contacts",
     D::count, 1, P::total, "", ""},
    {Measure::blocked_share, "blocked_share", nullptr, "blocked",
     "Share of attempts blocked: blocked over offered + blocked.", "share", D::percent, 1, P::ratio,
     "blocked", "offered + blocked"},
    {Measure::service_level_incl_blocked, "service_level_incl_blocked", nullptr, "SL incl. blocked",
     "Service level with blocked attempts in the denominator: answered within tau over the service-level "
     "definition's denominator + blocked.", "share", D::percent, 1, P::ratio, "answered within tau",
     "per the service-level definition, + blocked"},
    {Measure::first_attempt_service_level, "first_attempt_service_level", nullptr, "first-call SL",
     "Customers' first calls answered within tau over first calls offered (redials and transfers aside).",
     "share", D::percent, 1, P::ratio, "first calls answered within tau", "first calls offered"},
    {Measure::first_attempt_abandon_rate, "first_attempt_abandon_rate", nullptr, "first-call abandoned",
     "Share of customers' first calls offered that abandoned (balked included).", "share", D::percent, 1,
     P::ratio, "first calls abandoned", "first calls offered"},
    {Measure::redials, "redials", nullptr, "redials",
     "Attempts after a customer's first: callers calling again (blocked redials included).", "contacts",
     D::count, 1, P::total, "", ""},
    {Measure::customers, "customers", nullptr, "customers",
     "Customers, each counted once, in the interval of their first call (blocked or not).", "contacts",
     D::count, 1, P::total, "", ""},
    {Measure::customers_served_share, "customers_served_share", nullptr, "customers served",
     "Share of customers answered at some attempt (by the interval of their first call).", "share",
     D::percent, 1, P::ratio, "customers answered at some attempt", "customers"},
    {Measure::callbacks_offered, "callbacks_offered", nullptr, "callbacks offered",
     "Callers offered a callback: their predicted wait at arrival was over the type's threshold.", "contacts",
     D::count, 1, P::total, "", ""},
    {Measure::callbacks_accepted, "callbacks_accepted", nullptr, "callbacks accepted",
     "Callers who took the callback and left the line (not in offered).", "contacts", D::count, 1, P::total,
     "", ""},
    {Measure::callbacks_completed, "callbacks_completed", nullptr, "callbacks completed",
     "Callbacks that reached their customer (by the interval of the request).", "contacts", D::count, 1,
     P::total, "", ""},
    {Measure::callbacks_failed, "callbacks_failed", nullptr, "callbacks failed",
     "Callbacks whose every try went unanswered.", "contacts", D::count, 1, P::total, "", ""},
    {Measure::callback_delay, "callback_delay", nullptr, "callback delay",
     "Mean time from a callback's request to the customer answering it (completed callbacks).", "s",
     D::seconds, 0, P::ratio, "request to answer, summed", "callbacks completed"},
    {Measure::occupancy, "occupancy", nullptr, "occupancy",
     "Share of agents' available time spent busy (available = staffed - breaks - shrinkage - "
     "interruptions).", "share", D::percent, 1, P::ratio, "busy time, wrap-up included", "available time"},
    {Measure::paid_hours, "paid_hours", nullptr, "paid hours",
     "Agent-hours paid: rostered time within the intervals (breaks included), absent agents' too unless "
     "costs.absence_paid is false.", "h", D::count, 1, P::total, "", ""},
    {Measure::staff_cost, "staff_cost", nullptr, "staff cost",
     "Paid agent-hours times the rate of their group plus that of their location.", "money", D::count, 2,
     P::total, "", ""},
    {Measure::abandon_cost, "abandon_cost", nullptr, "abandon cost",
     "Abandoned contacts (balked included) times their type's cost per abandoned contact.", "money",
     D::count, 2, P::total, "", ""},
    {Measure::unserved_cost, "unserved_cost", nullptr, "unserved cost",
     "Unserved contacts times their type's cost per unserved contact.", "money", D::count, 2, P::total, "",
     ""},
    {Measure::cost, "cost", nullptr, "cost", "Staff cost + abandon cost + unserved cost.", "money", D::count,
     2, P::total, "", ""},
};
// clang-format on

}  // namespace

const std::vector<MeasureInfo>& measure_table() {
  return kTable;
}

const MeasureInfo& info(Measure m) {
  return kTable[static_cast<std::size_t>(m)];
}

const char* to_string(Measure m) {
  return info(m).name;
}

const MeasureInfo* find_measure(std::string_view name) {
  for (const auto& m : kTable)
    if (name == m.name || (m.alias && name == m.alias)) return &m;
  return nullptr;
}

std::string measure_names(bool aliases_only) {
  std::string out;
  for (const auto& m : kTable) {
    if (aliases_only && m.pooling != Pooling::ratio) continue;
    out += (out.empty() ? "" : ", ") + std::string(m.alias && aliases_only ? m.alias : m.name);
  }
  return out;
}

const char* estimator_name(Measure m) {
  switch (info(m).pooling) {
    case Pooling::ratio:
      return "ratio_of_totals";
    case Pooling::percentile:
      return "pooled_percentile";
    case Pooling::total:
    case Pooling::level:
      return "mean";
  }
  return "?";
}

CostRates cost_rates(const scenario::Scenario& s) {
  CostRates r;
  r.groups = static_cast<int>(s.agent_groups.size());
  r.locations = static_cast<int>(s.locations.size());
  for (const auto& g : s.agent_groups)
    for (const auto& l : s.locations) r.per_hour.push_back(g.cost_per_hour + l.cost_per_hour);
  for (const auto& t : s.contact_types) {
    r.per_abandoned.push_back(t.cost_per_abandoned);
    r.per_unserved.push_back(t.cost_per_unserved);
  }
  return r;
}

CostCell cost_of(const CostRates& rates, const double* paid_s, const ContactCell* types) {
  CostCell c;
  for (std::size_t i = 0; i < rates.per_hour.size(); ++i) {
    c.paid_s += paid_s[i];
    c.staff += rates.per_hour[i] * paid_s[i] / 3600.0;
  }
  for (std::size_t t = 0; t < rates.per_abandoned.size(); ++t) {
    c.abandon += rates.per_abandoned[t] * static_cast<double>(types[t].counts.abandoned);
    c.unserved += rates.per_unserved[t] * static_cast<double>(types[t].counts.unserved);
  }
  return c;
}

Fraction fraction(const CostCell& c, Measure m) {
  switch (m) {
    case Measure::paid_hours:
      return {c.paid_s / 3600.0};
    case Measure::staff_cost:
      return {c.staff};
    case Measure::abandon_cost:
      return {c.abandon};
    case Measure::unserved_cost:
      return {c.unserved};
    case Measure::cost:
      return {c.total()};
    default:
      return {NAN};
  }
}

Fraction fraction(const ContactCounts& c, Measure m, scenario::ServiceLevelDefinition sl) {
  const auto d = [](std::uint64_t x) { return static_cast<double>(x); };
  switch (m) {
    case Measure::offered:
      return {d(c.offered)};
    case Measure::answered:
      return {d(c.answered)};
    case Measure::abandoned:
      return {d(c.abandoned)};
    case Measure::short_abandoned:
      return {d(c.short_abandoned)};
    case Measure::service_level:
    case Measure::service_level_incl_blocked: {
      using SL = scenario::ServiceLevelDefinition;
      double den = 0.0;
      switch (sl) {
        case SL::offered:
          den = d(c.offered);
          break;
        case SL::offered_minus_short_abandons:
          den = d(c.offered - c.short_abandoned);
          break;
        case SL::answered:
          den = d(c.answered);
          break;
        case SL::answered_plus_late_abandons:
          den = d(c.answered + c.abandoned - c.abandoned_within_tau);
          break;
      }
      if (m == Measure::service_level_incl_blocked) den += d(c.blocked);
      return {d(c.answered_within_tau), den};
    }
    case Measure::blocked:
      return {d(c.blocked)};
    case Measure::blocked_share:
      return {d(c.blocked), d(c.offered + c.blocked)};
    case Measure::first_attempt_service_level:
      return {d(c.first_answered_within_tau), d(c.first_offered)};
    case Measure::first_attempt_abandon_rate:
      return {d(c.first_abandoned), d(c.first_offered)};
    case Measure::redials:
      return {d(c.redials)};
    case Measure::customers:
      return {d(c.customers)};
    case Measure::customers_served_share:
      return {d(c.customers_served), d(c.customers)};
    case Measure::callbacks_offered:
      return {d(c.callbacks_offered)};
    case Measure::callbacks_accepted:
      return {d(c.callbacks_accepted)};
    case Measure::callbacks_completed:
      return {d(c.callbacks_completed)};
    case Measure::callbacks_failed:
      return {d(c.callbacks_failed)};
    case Measure::callback_delay:
      return {c.callback_delay_s, d(c.callbacks_completed)};
    case Measure::asa:
      return {c.wait_answered_s, d(c.answered)};
    // Every contact that left the queue: answered, abandoned, and unserved (still waiting when the last
    // agent who could serve it left; its wait runs until then).
    case Measure::mean_wait:
      return {c.wait_answered_s + c.wait_abandoned_s + c.wait_unserved_s,
              d(c.answered + c.abandoned + c.unserved)};
    case Measure::abandon_rate:
      return {d(c.abandoned), d(c.offered)};
    case Measure::aht:
      return {c.handle_s, d(c.answered)};
    case Measure::unserved:
      return {d(c.unserved)};
    case Measure::balked:
      return {d(c.balked)};
    case Measure::no_show_rate:
      return {d(c.no_shows), d(c.appointments)};
    case Measure::on_time_rate:
      return {d(c.served_on_time), d(c.booked_answered)};
    case Measure::due_met_rate:
      return {d(c.due_met), d(c.deferred_offered)};
    case Measure::backlog:
      return {d(c.backlog)};
    case Measure::announced_share:
      return {d(c.announced), d(c.offered)};
    case Measure::balked_announced:
      return {d(c.balked_announced)};
    case Measure::wait_p50:
    case Measure::wait_p80:
    case Measure::wait_p90:
    case Measure::wait_p95:
    case Measure::occupancy:
    case Measure::paid_hours:
    case Measure::staff_cost:
    case Measure::abandon_cost:
    case Measure::unserved_cost:
    case Measure::cost:
      break;
  }
  return {NAN};
}

double value(const ContactCell& cell, Measure m, scenario::ServiceLevelDefinition sl) {
  switch (m) {
    case Measure::wait_p50:
      return cell.wait.p50;
    case Measure::wait_p80:
      return cell.wait.p80;
    case Measure::wait_p90:
      return cell.wait.p90;
    case Measure::wait_p95:
      return cell.wait.p95;
    default:
      return fraction(cell.counts, m, sl).value();
  }
}

double display_scale(Measure m) {
  return info(m).display == Display::percent ? 100.0 : 1.0;
}

std::string format_value(Display d, int decimals, double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  if (d == Display::clock) {
    const long s = std::lround(v);
    std::snprintf(buf, sizeof buf, "%s%ld:%02ld", s < 0 ? "-" : "", std::labs(s) / 60, std::labs(s) % 60);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, d == Display::percent ? 100.0 * v : v);
  return buf;
}

std::string format_value(Measure m, double v) {
  const MeasureInfo& i = info(m);
  return format_value(i.display, i.decimals, v);
}

std::string heading_with_unit(Measure m) {
  const MeasureInfo& i = info(m);
  switch (i.display) {
    case Display::percent:
      return std::string(i.heading) + " %";
    case Display::seconds:
      return std::string(i.heading) + " s";
    case Display::clock:
      return std::string(i.heading) + " m:ss";
    case Display::count:
      break;
  }
  return i.heading;
}

}  // namespace ccsim::model
