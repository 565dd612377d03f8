#include "model/measures.hpp"

#include <algorithm>

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
  longest_announced_stayed_s = std::max(longest_announced_stayed_s, o.longest_announced_stayed_s);
}

void WaitHistogram::add(const WaitHistogram& o) {
  if (o.bins_.size() > bins_.size()) bins_.resize(o.bins_.size(), 0);
  for (std::size_t i = 0; i < o.bins_.size(); ++i) bins_[i] += o.bins_[i];
  count_ += o.count_;
}

double WaitHistogram::percentile(double p) const {
  if (count_ == 0) return NAN;
  // The k-th smallest wait with k = ceil(p n) (the usual "nearest rank" definition).
  auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_) - 1e-9));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < bins_.size(); ++b) {
    seen += bins_[b];
    if (seen >= rank) return static_cast<double>(b);
  }
  return static_cast<double>(bins_.size() - 1);
}

const char* to_string(Measure m) {
  switch (m) {
    case Measure::offered:
      return "offered";
    case Measure::answered:
      return "answered";
    case Measure::abandoned:
      return "abandoned";
    case Measure::short_abandoned:
      return "short_abandoned";
    case Measure::service_level:
      return "service_level";
    case Measure::asa:
      return "asa";
    case Measure::mean_wait:
      return "mean_wait";
    case Measure::abandon_rate:
      return "abandon_rate";
    case Measure::aht:
      return "aht";
    case Measure::wait_p50:
      return "wait_p50";
    case Measure::wait_p80:
      return "wait_p80";
    case Measure::wait_p90:
      return "wait_p90";
    case Measure::wait_p95:
      return "wait_p95";
    case Measure::unserved:
      return "unserved";
    case Measure::balked:
      return "balked";
    case Measure::no_show_rate:
      return "no_show_rate";
    case Measure::on_time_rate:
      return "on_time_rate";
    case Measure::due_met_rate:
      return "due_met_rate";
    case Measure::backlog:
      return "backlog";
    case Measure::announced_share:
      return "announced_share";
    case Measure::balked_announced:
      return "balked_announced";
  }
  return "?";
}

namespace {
double ratio(double num, double den) {
  return den > 0.0 ? num / den : NAN;
}
}  // namespace

double value(const ContactCell& cell, Measure m, scenario::ServiceLevelDefinition sl) {
  const ContactCounts& c = cell.counts;
  const auto d = [](std::uint64_t x) { return static_cast<double>(x); };
  switch (m) {
    case Measure::offered:
      return d(c.offered);
    case Measure::answered:
      return d(c.answered);
    case Measure::abandoned:
      return d(c.abandoned);
    case Measure::short_abandoned:
      return d(c.short_abandoned);
    case Measure::service_level: {
      using D = scenario::ServiceLevelDefinition;
      double den = 0.0;
      switch (sl) {
        case D::offered:
          den = d(c.offered);
          break;
        case D::offered_minus_short_abandons:
          den = d(c.offered - c.short_abandoned);
          break;
        case D::answered:
          den = d(c.answered);
          break;
        case D::answered_plus_late_abandons:
          den = d(c.answered + c.abandoned - c.abandoned_within_tau);
          break;
      }
      return ratio(d(c.answered_within_tau), den);
    }
    case Measure::asa:
      return ratio(c.wait_answered_s, d(c.answered));
    // Every contact that left the queue: answered, abandoned, and unserved (still waiting when the last
    // agent who could serve it left; its wait runs until then).
    case Measure::mean_wait:
      return ratio(c.wait_answered_s + c.wait_abandoned_s + c.wait_unserved_s,
                   d(c.answered + c.abandoned + c.unserved));
    case Measure::abandon_rate:
      return ratio(d(c.abandoned), d(c.offered));
    case Measure::aht:
      return ratio(c.handle_s, d(c.answered));
    case Measure::wait_p50:
      return cell.wait.p50;
    case Measure::wait_p80:
      return cell.wait.p80;
    case Measure::wait_p90:
      return cell.wait.p90;
    case Measure::wait_p95:
      return cell.wait.p95;
    case Measure::unserved:
      return d(c.unserved);
    case Measure::balked:
      return d(c.balked);
    case Measure::no_show_rate:
      return ratio(d(c.no_shows), d(c.appointments));
    // Share of answered appointments served within on_time_within of their slot.
    case Measure::on_time_rate:
      return ratio(d(c.served_on_time), d(c.booked_answered));
    case Measure::due_met_rate:
      return ratio(d(c.due_met), d(c.deferred_offered));
    case Measure::backlog:
      return d(c.backlog);
    case Measure::announced_share:
      return ratio(d(c.announced), d(c.offered));
    case Measure::balked_announced:
      return d(c.balked_announced);
  }
  return NAN;
}

}  // namespace ccsim::model
