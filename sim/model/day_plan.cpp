// The day plan: what a replication knows before it starts — its random streams, each day's busyness, who
// shows up, shifts, breaks, meetings, appointments and interval ends — all put in the calendar at once —
// and what happens when a break or a meeting falls due.
#include <algorithm>
#include <bit>

#include "model/conductor.hpp"

namespace ccsim::model {

const char* kind_name(EventKind k) {
  static constexpr const char* names[] = {
      "shift_start",         "shift_end",    "break_due",        "shrinkage_start", "shift_ready",
      "service_end",         "wrap_end",     "interruption_end", "break_end",       "shrinkage_end",
      "interruption",        "interval_end", "abandonment",      "overflow",        "appointment_ready",
      "appointment_arrival", "redial",       "callback_retry",   "arrival"};
  return names[static_cast<int>(k)];
}

void Replication::State::reset(std::uint64_t seed, std::uint32_t replication, const StartPlan* from) {
  plan = from;
  // Nothing before the state's time happens: shifts, breaks, meetings, appointments and arrivals start there.
  const double t0 = from ? from->time_s : 0.0;
  calendar.clear();
  const auto types = static_cast<std::size_t>(m.types), groups = static_cast<std::size_t>(m.groups);
  auto streams = [&](std::vector<engine::Stream>& v, std::size_t n, StreamPurpose p) {
    v.resize(n);
    for (std::uint32_t t = 0; t < n; ++t) v[t].reseed(seed, replication, stream_id(p, t));
  };
  streams(arrivals, types, StreamPurpose::arrivals);
  streams(handle, types, StreamPurpose::handle_time);
  streams(patience, types, StreamPurpose::patience);
  streams(wrap_up, types, StreamPurpose::wrap_up);
  streams(transfer_choice, types, StreamPurpose::transfer_choice);
  streams(transferred_handle, types, StreamPurpose::transferred_handle_time);
  streams(transferred_patience, types, StreamPurpose::transferred_patience);
  streams(absence, groups, StreamPurpose::absence);
  streams(interruptions, groups, StreamPurpose::interruptions);
  streams(no_show, types, StreamPurpose::appointment_no_show);
  if (from) streams(starting, types, StreamPurpose::start_state);
  streams(punctuality, types, StreamPurpose::appointment_punctuality);
  streams(redial_choice, m.redials ? types : 0, StreamPurpose::redial);
  streams(redialled, m.redials ? types : 0, StreamPurpose::redialled);
  streams(callback_choice, m.callbacks ? types : 0, StreamPurpose::callback);
  streams(callback_talk, m.callbacks ? types : 0, StreamPurpose::callback_talk);
  // One busyness factor per day: days of a week differ as much as separate days do.
  busyness.assign(static_cast<std::size_t>(m.days), 1.0);
  if (m.busyness_cv > 0.0) {
    engine::Stream day(seed, replication, stream_id(StreamPurpose::busyness, 0));
    const engine::Distribution factor = engine::Distribution::gamma(1.0, m.busyness_cv);
    for (double& b : busyness) b = factor.sample(day);
  }
  contacts.clear();
  free_slots.clear();
  pending_patience.clear();
  incoming.assign(types, 0);
  next_serial = next_shrinkage_token = 0;
  tally.reset();
  queues.reset(queue_count());
  deadlines.reset();
  overflow_timers.reset();
  overflow_timer.clear();
  overflow_first.assign(1, 0);
  for (std::uint32_t q = 0; q < queue_count(); ++q) {
    for (const Route& r : m.groups_for_type[type_of_queue(q)])
      if (r.overflow_s > 0.0) overflow_timer.push_back({q, r.group, r.overflow_s});
    overflow_first.push_back(static_cast<std::uint32_t>(overflow_timer.size()));
  }
  overflow_due.assign(overflow_timer.size(), kNever);
  overflow_head.assign(queue_count(), kNone);
  pool.reset(checking);
  announcer.reset(seed, replication);
  redials.reset();
  callbacks.reset(m.callbacks ? queue_count() : 0);
  carried_callbacks.clear();
  lines.reset(m);
  server_of.clear();
  instants_since_check = 0;
  check_stride = 1;
  replication_index = replication;
  if (from) apply_start_waiting();

  // Every day the roster repeats: one absence draw per rostered agent and day, used or not, keeps the
  // absence stream aligned across policies.
  for (std::uint32_t d = 0; d < static_cast<std::uint32_t>(m.days); ++d) {
    const double offset = d * Model::kDayPeriod, close = offset + m.day_length_s;
    for (std::uint32_t i = 0; i < m.roster.size(); ++i) {
      const RosterAgent& r = m.roster[i];
      bool absent = absence[r.group].uniform() < m.absence[r.group];
      if (r.day >= 0 && r.day != static_cast<int>(d)) continue;
      if (from && !start_shift(i, d, absent)) continue;
      // Paid hours are rostered time: an absent agent's too, unless the scenario does not pay absence.
      if (!absent || m.absence_paid)
        tally.paid(r.group, r.location, from ? std::max(offset + r.start_s, t0) : offset + r.start_s,
                   offset + r.end_s);
      if (absent || r.end_s <= 0.0 || r.start_s >= m.day_length_s) continue;
      if (!from || offset + std::max(r.start_s, 0.0) > t0 || !listed_at_start(i, offset + r.end_s))
        schedule(std::max(offset + std::max(r.start_s, 0.0), t0), EventKind::shift_start, i, d);
      schedule(offset + r.end_s, EventKind::shift_end, i);
      // A break lies within its shift (validated), after midnight too on a shift that crosses it.
      for (std::uint32_t b = 0; b < r.breaks.size(); ++b)
        if (r.breaks[b].start_s >= 0.0 && (!from || offset + r.breaks[b].start_s >= t0)) {
          tally.break_planned(r.group);
          schedule(offset + r.breaks[b].start_s, EventKind::break_due, i, b);
        }
    }
    for (std::uint32_t b = 0; b < m.shrinkage.size(); ++b)
      // A meeting begun before the state's time goes on only for the agents the state lists in it.
      if (m.shrinkage[b].end_s > 0.0 && (!from || offset + std::max(m.shrinkage[b].start_s, 0.0) >= t0))
        schedule(offset + std::max(m.shrinkage[b].start_s, 0.0), EventKind::shrinkage_start, b, d);
    // Appointments: each slot's customer shows up or not, early or late, drawn now (one draw of each per
    // slot, so the same customers come under every policy). Nobody gets in before opening.
    for (std::uint32_t t = 0; t < types; ++t) {
      const AppointmentModel& am = m.appointments[t];
      for (std::uint32_t i = 0; i < am.slots_s.size(); ++i) {
        const bool gone = no_show[t].uniform() < am.no_show;
        const double arrival = offset + std::max(0.0, am.slots_s[i] + am.punctuality.sample(punctuality[t]));
        const bool no_show_now = gone || arrival >= close;
        if (from && (no_show_now ? offset + am.slots_s[i] : arrival) < t0) continue;  // before the run starts
        // A no-show takes a contact id too, so that every record of a replication has its own.
        tally.appointment(clock.interval_of(offset + am.slots_s[i]) * static_cast<std::uint32_t>(m.types) + t,
                          no_show_now, no_show_now ? next_serial++ : 0, offset + am.slots_s[i]);
        if (!no_show_now)
          schedule(arrival, EventKind::appointment_arrival, t,
                   d * static_cast<std::uint32_t>(am.slots_s.size()) + i);
      }
    }
  }
  if (m.deferrable_work)
    for (std::uint32_t iv = 0; iv < static_cast<std::uint32_t>(m.intervals); ++iv)
      if (m.interval_start(static_cast<int>(iv)) + m.interval_s > t0)
        schedule(m.interval_start(static_cast<int>(iv)) + m.interval_s, EventKind::interval_end, iv);
}

// Breaks still pending when the shift is over are not taken: counted, so that planned = taken + forfeited.
void Replication::State::forfeit_breaks(std::uint32_t agent) {
  Agent& a = pool[agent];
  tally.breaks_forfeited(a.group, std::popcount(a.pending_breaks));
  a.pending_breaks = 0;
}

void Replication::State::on_break_due(std::uint32_t agent, std::uint32_t index, double now) {
  Agent& a = pool[agent];
  switch (a.state) {
    case AgentState::off:  // gone before its break (a break lies within its shift: only if sent home early)
      tally.breaks_forfeited(a.group, 1);
      return;
    case AgentState::idle:
    case AgentState::interrupted:
      start_break(agent, static_cast<int>(index), now);
      return;
    default:
      a.pending_breaks |= std::uint32_t{1} << index;
      return;  // after the contact, break or meeting
  }
}

// A meeting takes `agents` of the group's agents on shift: idle ones first, the others when they free up.
void Replication::State::on_shrinkage_start(std::uint32_t block, std::uint32_t day, double now) {
  const ShrinkageBlock& k = m.shrinkage[block];
  const double end_s = day * Model::kDayPeriod + k.end_s;
  int needed = k.agents;
  for (int pass = 0; pass < 2 && needed > 0; ++pass)
    for (std::uint32_t i = 0; i < pool.agents().size() && needed > 0; ++i) {
      Agent& a = pool[i];
      if (a.group != k.group || a.state == AgentState::off || a.state == AgentState::shrinkage ||
          a.pending_shrinkage_end > now)
        continue;
      const bool free_now = a.state == AgentState::idle || a.state == AgentState::interrupted;
      if (pass == 0 && free_now) {
        start_shrinkage(i, end_s, now);
        --needed;
      } else if (pass == 1 && !free_now) {
        a.pending_shrinkage_end = end_s;
        --needed;
      }
    }
}

}  // namespace ccsim::model
