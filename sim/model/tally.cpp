#include "model/tally.hpp"

namespace ccsim::model {
namespace {

WaitPercentiles percentiles(const WaitHistogram& h) {
  static constexpr double kShares[4] = {0.50, 0.80, 0.90, 0.95};
  double at[4];
  h.percentiles(kShares, at, 4);
  return {at[0], at[1], at[2], at[3]};
}

void add_time(AgentTime& t, AgentState state, double d) {
  t.staffed_s += d;
  switch (state) {
    case AgentState::busy:
      t.busy_s += d;
      break;
    case AgentState::wrap:
      t.busy_s += d, t.wrap_s += d;
      break;
    case AgentState::on_break:
      t.break_s += d;
      break;
    case AgentState::shrinkage:
      t.shrinkage_s += d;
      break;
    case AgentState::interrupted:
      t.interrupted_s += d;
      break;
    case AgentState::idle:
    case AgentState::off:
      break;
  }
}

}  // namespace

void Tally::record(const Contact& c, std::uint32_t slot, Outcome outcome, double wait) {
  ContactRecord r = log_->start(c, slot, m_);
  r.outcome = outcome;
  r.wait_s = wait;
  log_->store()->add(r);
}

void Tally::record_answered(const Contact& c, std::uint32_t slot, std::uint32_t agent, std::uint32_t edge,
                            double wait, double talk_s) {
  ContactRecord r = log_->start(c, slot, m_);
  const std::uint32_t next = continues_as(m_, c);
  r.outcome = next == kNone ? Outcome::answered : Outcome::transferred;
  r.transfer_to = next == kNone ? -1 : static_cast<std::int32_t>(next);
  r.wait_s = wait;
  r.group = static_cast<std::int32_t>(m_.skills[edge].group);
  r.agent = static_cast<std::int32_t>(agent);
  r.handle_s = talk_s;
  r.wrap_s = c.wrap_s;
  log_->store()->add(r);
}

void Tally::record_no_show(std::uint32_t cell, std::uint32_t id, double slot_s) {
  ContactRecord r;
  r.contact = r.customer = id;
  r.contact_type = static_cast<std::int32_t>(cell % types());
  r.interval = static_cast<std::int32_t>(cell / types());
  r.channel = static_cast<std::uint8_t>(m_.channel[cell % types()]);
  r.outcome = Outcome::no_show;
  r.arrival_s = slot_s;  // the slot booked
  log_->store()->add(r);
}

// A call-out continues the leg whose caller took the callback (its parent, same customer); one carried in by
// a start state has no such leg in the run and is its own customer. Its wait is the callback's delay as the
// tables count it (request to the customer's answer), for a try that reaches the customer.
void Tally::call_out(const Contact& c, std::uint32_t slot, std::uint32_t id, std::uint32_t agent,
                     std::uint32_t edge, bool reached, double requested_s, double answered_s, double busy_s) {
  const auto [leg, customer] = log_->callback_origin(slot);
  ContactRecord r = log_->start(c, slot, m_);  // type, interval, channel, attempt, queued_s
  r.contact = id;
  r.customer = leg >= 0 ? customer : id;
  r.parent = leg;
  r.announced_s = r.predicted_s = kNaN;  // the caller's, not the call-out's
  r.outcome = reached ? Outcome::callback_completed : Outcome::callback_not_reached;
  r.arrival_s = requested_s;
  r.wait_s = reached ? answered_s - requested_s : kNaN;
  r.group = static_cast<std::int32_t>(m_.skills[edge].group);
  r.agent = static_cast<std::int32_t>(agent);
  r.handle_s = busy_s;
  r.wrap_s = reached ? c.wrap_s : 0.0;
  log_->store()->add(r);
}

// Its wait is not the tables' (they count a delay only for a callback that reached its customer): NaN.
void Tally::record_callback_unserved(const Contact& c, std::uint32_t slot, std::uint32_t id,
                                     double requested_s, bool queued) {
  const auto [leg, customer] = log_->callback_origin(slot);
  ContactRecord r = log_->start(c, slot, m_);
  r.contact = id;
  r.customer = leg >= 0 ? customer : id;
  r.parent = leg;
  r.announced_s = r.predicted_s = kNaN;
  r.outcome = Outcome::callback_unserved;
  r.arrival_s = requested_s;
  if (!queued) r.queued_s = kNaN;
  log_->store()->add(r);
}

void Tally::place_cells() {
  const auto types = static_cast<std::uint32_t>(m_.types),
             edges = static_cast<std::uint32_t>(m_.skills.size());
  places_.resize(static_cast<std::size_t>(m_.intervals) * types);
  for (std::uint32_t cell = 0; cell < places_.size(); ++cell) {
    const std::uint32_t k = cell / types, day = k / per_day();
    const bool warm_up = k % per_day() < static_cast<std::uint32_t>(m_.warmup_intervals);
    places_[cell] = {k * edges, warm_up ? kNone : day * types + cell % types, day * edges};
  }
}

void Tally::reset() {
  if (places_.size() != static_cast<std::size_t>(m_.intervals) * static_cast<std::size_t>(m_.types))
    place_cells();
  const auto types = static_cast<std::size_t>(m_.types), groups = static_cast<std::size_t>(m_.groups);
  const auto k = static_cast<std::size_t>(m_.intervals), days = static_cast<std::size_t>(m_.days);
  counts_.assign(k * types, ContactCounts{});
  waits_.resize(k * types);
  for (auto& w : waits_) w.clear();
  agent_time_.assign(k * groups, AgentTime{});
  paid_.assign(k * groups * m_.locations.size(), 0.0);
  day_agent_time_.assign(days * groups, AgentTime{});
  day_sums_.assign(days * types, DaySums{});
  day_served_handle_.assign(days * m_.skills.size(), 0.0);
  predictions_.assign(m_.announcement.measure ? k * types * kPredictors : 0, PredictionStats{});
  day_predictions_.assign(m_.announcement.measure ? days * types * kPredictors : 0, PredictionStats{});
  breaks_.assign(groups, BreakStats{});
  served_.assign(k * m_.skills.size(), ServedCount{});
  transfers_.assign(k * static_cast<std::size_t>(m_.transfer_edges), 0);
}

template <class F>
void Tally::split(double from, double to, F&& f) const {
  from = std::max(from, 0.0);
  to = std::min(to, m_.day_end_s);
  while (from < to) {
    const std::uint32_t k = clock_.interval_of(from);
    const double start = m_.interval_start(static_cast<int>(k)), close = start + m_.interval_s;
    if (from >= close) {  // after closing: skip to the next day's opening
      from = (std::floor(from / Model::kDayPeriod) + 1) * Model::kDayPeriod;
      continue;
    }
    const double end = std::min(to, close);
    f(k, end - from);
    from = end;
  }
}

void Tally::paid(std::uint32_t group, std::uint32_t location, double from, double to) {
  const auto locations = static_cast<std::uint32_t>(m_.locations.size());
  split(from, to, [&](std::uint32_t k, double seconds) {
    paid_[(k * static_cast<std::uint32_t>(m_.groups) + group) * locations + location] += seconds;
  });
}

void Tally::book(std::uint32_t group, AgentState state, double since, double to) {
  if (state == AgentState::off) return;
  split(since, to, [&](std::uint32_t k, double seconds) {
    add_time(agent_time_[k * static_cast<std::uint32_t>(m_.groups) + group], state, seconds);
  });
  // Day totals are booked per stint, not summed from the intervals, so that they come out the same to the
  // last bit whatever the interval length.
  const double from = std::max(since, 0.0);
  to = std::min(to, m_.day_end_s);
  if (m_.days == 1) {  // the loop below for its one day (0 * kDayPeriod + x is x, to the bit)
    const double open = m_.warmup_intervals * m_.interval_s;
    if (open >= to) return;
    const double portion = std::min(to, m_.day_length_s) - std::max(from, open);
    if (portion > 0.0) add_time(day_agent_time_[group], state, portion);
    return;
  }
  for (int d = m_.days == 1 ? 0 : std::max(0, static_cast<int>(from / Model::kDayPeriod)); d < m_.days; ++d) {
    const double open = d * Model::kDayPeriod + m_.warmup_intervals * m_.interval_s;
    if (open >= to) break;
    const double portion = std::min(to, d * Model::kDayPeriod + m_.day_length_s) - std::max(from, open);
    if (portion > 0.0)
      add_time(day_agent_time_[static_cast<std::size_t>(d) * static_cast<std::size_t>(m_.groups) + group],
               state, portion);
  }
}

// Money per interval, per day and for the run, each from its own tallied quantities by the measures'
// formula: paid seconds per group and location, abandoned and unserved contacts per type.
void Tally::collect_costs(ReplicationResult& r) const {
  const auto series = static_cast<std::size_t>(r.series);
  const std::size_t cells = static_cast<std::size_t>(m_.groups) * m_.locations.size();
  const auto ipd = static_cast<std::size_t>(m_.intervals_per_day);
  std::vector<double> day(cells, 0.0);
  r.paid_by_day.assign(cells, 0.0);
  for (std::size_t k = 0; k < static_cast<std::size_t>(m_.intervals); ++k) {
    const double* paid = &paid_[k * cells];
    r.costs_by_interval.push_back(cost_of(m_.costs, paid, &r.contacts_by_interval[k * series]));
    if (k % ipd >= static_cast<std::size_t>(m_.warmup_intervals))
      for (std::size_t i = 0; i < cells; ++i) day[i] += paid[i];
    if (k % ipd != ipd - 1) continue;
    r.costs_per_day.push_back(cost_of(m_.costs, day.data(), &r.contacts_per_day[(k / ipd) * series]));
    for (std::size_t i = 0; i < cells; ++i) r.paid_by_day[i] += day[i];
    day.assign(cells, 0.0);
  }
  r.costs_by_day = cost_of(m_.costs, r.paid_by_day.data(), r.contacts_by_day.data());
}

ReplicationResult Tally::collect(std::uint64_t events) const {
  ReplicationResult r;
  const int types = m_.types;
  r.series = types > 1 ? types + 1 : 1;
  const auto series = static_cast<std::size_t>(r.series);
  const auto groups = static_cast<std::size_t>(m_.groups);
  const auto edges = m_.skills.size();
  const auto tedges = static_cast<std::size_t>(m_.transfer_edges);
  const auto days = static_cast<std::size_t>(m_.days);
  const auto ipd = static_cast<std::size_t>(m_.intervals_per_day);
  r.contacts_by_interval.resize(static_cast<std::size_t>(m_.intervals) * series);
  r.contacts_by_day.resize(series);
  r.agents_by_day.resize(groups);
  r.served_by_day.resize(edges);
  r.transfers_by_day.resize(tedges);
  r.contacts_per_day.resize(days * series);
  r.agents_per_day.resize(days * groups);
  r.breaks_by_day = breaks_;
  std::vector<WaitHistogram> day(series);
  const std::vector<double> scheduled = scheduled_seconds(m_);
  // Warm-up intervals open every day and are left out of the per-day tables and the run's totals alike.
  for (std::size_t k = 0; k < static_cast<std::size_t>(m_.intervals); ++k) {
    const std::size_t d = k / ipd;
    const bool measured = k % ipd >= static_cast<std::size_t>(m_.warmup_intervals);
    WaitHistogram all;
    ContactCounts all_counts;
    for (std::size_t t = 0; t < static_cast<std::size_t>(types); ++t) {
      const std::size_t src = k * static_cast<std::size_t>(types) + t;
      ContactCell& cell = r.contacts_by_interval[k * series + t];
      cell.counts = counts_[src];
      cell.wait = percentiles(waits_[src]);
      cell.waits = waits_[src].compact();  // pooled across replications by the runner
      if (types > 1) {
        all.add(waits_[src]);
        all_counts.add(counts_[src]);
      }
      if (measured) {
        r.contacts_per_day[d * series + t].counts.add(counts_[src]);
        day[t].add(waits_[src]);
      }
    }
    if (types > 1) {
      ContactCell& cell = r.contacts_by_interval[k * series + series - 1];
      cell.counts = all_counts;
      cell.wait = percentiles(all);
      if (measured) day[series - 1].add(all);
      cell.waits = std::move(all);
    }
    for (std::size_t g = 0; g < groups; ++g) {
      AgentTime at = agent_time_[k * groups + g];
      at.scheduled_s = scheduled[k * groups + g];
      r.agents_by_interval.push_back(at);
      if (measured) r.agents_per_day[d * groups + g].scheduled_s += at.scheduled_s;
    }
    for (std::size_t e = 0; e < edges; ++e) {
      const ServedCount& sc = served_[k * edges + e];
      r.served_by_interval.push_back(sc);
      if (measured) r.served_by_day[e].answered += sc.answered;
    }
    for (std::size_t e = 0; e < tedges; ++e) {
      r.transfers_by_interval.push_back(transfers_[k * tedges + e]);
      if (measured) r.transfers_by_day[e] += transfers_[k * tedges + e];
    }
  }
  // Seconds come from the day sums booked as the day went (the same whatever the interval length), counts
  // from the intervals (exact); the run's totals add the days in order.
  for (std::size_t d = 0; d < days; ++d) {
    ContactCounts all_counts;
    for (std::size_t t = 0; t < static_cast<std::size_t>(types); ++t) {
      ContactCounts& c = r.contacts_per_day[d * series + t].counts;
      const DaySums& ds = day_sums_[d * static_cast<std::size_t>(types) + t];
      c.wait_answered_s = ds.wait_answered_s;
      c.wait_abandoned_s = ds.wait_abandoned_s;
      c.wait_unserved_s = ds.wait_unserved_s;
      c.handle_s = ds.handle_s;
      c.callback_delay_s = ds.callback_delay_s;
      // A backlog is a level, not a flow: a day's is the one left at its closing.
      c.backlog = counts_[((d + 1) * ipd - 1) * static_cast<std::size_t>(types) + t].backlog;
      all_counts.add(c);
    }
    if (types > 1) r.contacts_per_day[d * series + series - 1].counts = all_counts;
    for (std::size_t s = 0; s < series; ++s)
      r.contacts_by_day[s].counts.add(r.contacts_per_day[d * series + s].counts);
    for (std::size_t g = 0; g < groups; ++g) {
      AgentTime& at = r.agents_per_day[d * groups + g];
      const double scheduled_s = at.scheduled_s;
      at = day_agent_time_[d * groups + g];
      at.scheduled_s = scheduled_s;
      r.agents_by_day[g].add(at);
    }
    for (std::size_t e = 0; e < edges; ++e) r.served_by_day[e].handle_s += day_served_handle_[d * edges + e];
  }
  collect_costs(r);
  for (std::size_t s = 0; s < series; ++s) {
    r.contacts_by_day[s].counts.backlog = r.contacts_per_day[(days - 1) * series + s].counts.backlog;
    r.contacts_by_day[s].wait = percentiles(day[s]);
    r.contacts_by_day[s].waits = std::move(day[s]);
  }
  if (m_.announcement.measure) {
    r.predictions_by_interval = predictions_;
    const std::size_t per_day = static_cast<std::size_t>(types) * kPredictors;
    r.predictions_by_day.assign(per_day, PredictionStats{});
    for (std::size_t d = 0; d < days; ++d)
      for (std::size_t i = 0; i < per_day; ++i)
        r.predictions_by_day[i].add(day_predictions_[d * per_day + i]);
  }
  r.events = events;
  return r;
}

}  // namespace ccsim::model
