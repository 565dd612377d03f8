// Contacts entering the system: arrivals of each type (a Poisson process piecewise constant by interval),
// booked customers, transfers to a next type, and the slots contacts are kept in.
#include <algorithm>
#include <bit>

#include "model/conductor.hpp"

namespace ccsim::model {

using State = Replication::State;

// Next arrival of a type after t in a Poisson process whose rate is constant within each interval: one
// unit-exponential draw is spent against the integrated rate, across runs of intervals with the same rate
// (so 15- and 60-minute intervals give the same times to the last bit).
double State::next_arrival(std::uint32_t type, double t) {
  double budget = arrivals[type].exponential(1.0);
  const auto base = static_cast<std::size_t>(type) * static_cast<std::size_t>(m.intervals);
  for (int k = static_cast<int>(clock.interval_of(t)); k < m.intervals;) {
    const int run_end = m.rate_run_end[base + static_cast<std::size_t>(k)];
    const double start = m.interval_start(k), end = m.interval_start(run_end - 1) + m.interval_s;
    if (t < end) {             // else: after the day's closing
      t = std::max(t, start);  // nights have no arrivals
      const double rate = m.rate[base + static_cast<std::size_t>(k)] *
                          busyness[m.days == 1 ? 0 : static_cast<std::size_t>(k / m.intervals_per_day)];
      const double capacity = rate * (end - t);
      if (budget < capacity) return t + budget / rate;
      budget -= capacity;
      t = end;
    }
    k = run_end;
  }
  return kNever;
}

void State::schedule_arrival(std::uint32_t type, double after) {
  const double t = next_arrival(type, after);
  next_arrival_at[type] = t < m.day_end_s ? t : kNever;
  // The earliest next arrival over the types, kept beside the calendar rather than in it: one heap event
  // fewer per contact. A tournament over the types finds it in log2(types) steps: each node holds the
  // earlier of its two children's winners, the left (lower type) on a tie — overall, the lowest type among
  // the earliest, as a scan would find it.
  if (next_arrival_at.size() == 1) {  // one type: nothing to compare
    first_arrival = next_arrival_at[0] < kNever ? 0 : kNone;
    return;
  }
  // Each node holds its winner as one 128-bit key, the time's bits (non-negative doubles order as their
  // bits do) above the type, and the leaves past the last type hold kNever: an update walks up comparing
  // with the sibling alone, one load per level, and takes the lesser key without a branch (which side wins
  // follows the random times: a branch on it was mispredicted).
  const auto leaves = static_cast<std::uint32_t>(std::bit_ceil(next_arrival_at.size()));
  auto key = [](double time, std::uint32_t k) {
    return (ArrivalKey{std::bit_cast<std::uint64_t>(time + 0.0)} << 64) | k;
  };
  if (arrival_tree.empty()) {  // the first of a replication: every node from the times as they stand
    arrival_tree.assign(2 * leaves, 0);
    for (std::uint32_t k = 0; k < leaves; ++k)
      arrival_tree[leaves + k] = key(k < next_arrival_at.size() ? next_arrival_at[k] : kNever, k);
    for (std::uint32_t n = leaves - 1; n >= 1; --n)
      arrival_tree[n] = std::min(arrival_tree[2 * n], arrival_tree[2 * n + 1]);
  } else {
    std::uint32_t node = leaves + type;
    ArrivalKey winner = key(next_arrival_at[type], type);
    arrival_tree[node] = winner;
    for (; node > 1; node /= 2) {
      const ArrivalKey sibling = arrival_tree[node ^ 1U];
      winner = sibling < winner ? sibling : winner;
      arrival_tree[node / 2] = winner;
    }
  }
  const auto winner = static_cast<std::uint32_t>(arrival_tree[1]);
  first_arrival = next_arrival_at[winner] < kNever ? winner : kNone;
}

std::uint32_t State::new_slot() {
  if (free_slots.empty()) {
    contacts.emplace_back();
    pending_patience.emplace_back();
    if (m.announcement.measure || m.callbacks) announcer.fit(contacts.size());
    return static_cast<std::uint32_t>(contacts.size() - 1);
  }
  const std::uint32_t slot = free_slots.back();
  free_slots.pop_back();
  return slot;
}

void State::release(std::uint32_t slot) {
  contacts[slot].state = ContactState::free;
  contacts[slot].callback = false;
  if (m.limited) lines.release(slot);
  if (m.announcement.measure || m.callbacks) announcer.forget(slot);  // no stale prediction
  free_slots.push_back(slot);
}

// A new contact of `type` whose wait starts at `wait_from` (queued from `queued`): every attribute is drawn
// now, from its own stream, whether or not it will be used — the k-th caller of a type is the same person
// under every policy. Counts it as offered; returns its slot and its patience.
std::uint32_t State::new_contact(std::uint32_t type, double arrival, double queued, double wait_from,
                                 double slot_time, double& patience_s) {
  const std::uint32_t slot = new_slot();
  const std::uint32_t k = clock.interval_of(wait_from);
  const std::uint32_t cell = k * static_cast<std::uint32_t>(m.types) + type;
  const double handle_s = m.handle_time[type].sample(handle[type]) * m.handle_scale[type * m.intervals + k];
  patience_s = m.patience[type].sample(patience[type]);
  const double wrap_s = m.wrap_up[type].sample(wrap_up[type]);
  // The transfer stream serves only this type's transfers: no draw where there are none.
  const double transfer_u = m.transfers_from[type].empty() ? 1.0 : transfer_choice[type].uniform();
  contacts[slot] = {queued,     wait_from,     slot_time, handle_s, wrap_s,
                    transfer_u, next_serial++, type,      cell,     ContactState::waiting};
  tally.arrived(slot, contacts[slot].serial, -1, arrival);
  tally.offered(cell, m.traits[type].email);
  tally.customer(cell);
  entered(slot);
  return slot;
}

void State::on_arrival(std::uint32_t type, double now) {
  double patience_s = 0.0;
  const std::uint32_t slot = new_contact(type, now, now, now, kNaN, patience_s);
  schedule_arrival(type, now);
  walk_in(slot, patience_s, now);
}

// A caller's attempt (a new arrival or a redial) comes in.
void State::walk_in(std::uint32_t slot, double patience_s, double now) {
  const std::uint32_t type = contacts[slot].type;
  // At a counter the queue is in sight: a walk-in who sees too many waiting leaves at once.
  if (m.balk_at_queue[type] > 0 &&
      queues.waiting(type) >= static_cast<std::uint32_t>(m.balk_at_queue[type])) {
    tally.balked(contacts[slot], slot, false);
    left_unanswered(slot);
    failed(slot, scenario::RedialCause::balked, now);
    release(slot);
    return;
  }
  offer(slot, patience_s, now, true);
}

// A booked customer walks in: the wait counts from the later of slot and arrival; with the policy
// early_appointments: wait_for_slot an early one joins the queue only at the slot.
void State::on_appointment_arrival(std::uint32_t type, std::uint32_t index, double now) {
  const auto per_day = static_cast<std::uint32_t>(m.appointments[type].slots_s.size());
  const double slot_time =
      (index / per_day) * Model::kDayPeriod + m.appointments[type].slots_s[index % per_day];
  const double wait_from = std::max(now, slot_time);
  const double ready = m.early_wait_for_slot ? wait_from : now;
  double patience_s = 0.0;
  const std::uint32_t slot = new_contact(type, now, ready, wait_from, slot_time, patience_s);
  // Patience runs from when the wait starts counting.
  pending_patience[slot] = patience_s < kNever ? wait_from + patience_s : kNever;
  if (ready > now)
    schedule(ready, EventKind::appointment_ready, slot, contacts[slot].serial);
  else
    offer(slot, pending_patience[slot] - now, now);
}

void State::on_appointment_ready(std::uint32_t slot, std::uint32_t serial, double now) {
  if (contacts[slot].serial != serial || contacts[slot].state != ContactState::waiting) return;
  offer(slot, pending_patience[slot] - now, now);
}

// E-mail backlog at the end of an interval.
void State::on_interval_end(std::uint32_t interval) {
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t)
    if (m.traits[t].email)
      tally.backlog(interval * static_cast<std::uint32_t>(m.types) + t, queues.waiting(t));
}

// After service the contact may continue as another type (second line): same slot, new serial.
bool State::transfer(std::uint32_t slot, double now) {
  Contact& c = contacts[slot];
  if (m.transfers_from[c.type].empty()) return false;  // most types: nothing to draw or walk
  for (const TransferRoute& x : m.transfers_from[c.type]) {
    if (c.transfer_u >= x.cumulative) continue;
    const std::uint32_t to = x.to;
    const std::uint32_t k = clock.interval_of(now);
    tally.transferred(k, x.edge);
    const std::uint32_t parent = c.serial;
    const std::uint8_t attempt = c.attempt;
    const double patience_s = m.patience[to].sample(transferred_patience[to]);
    const double handle_s =
        m.handle_time[to].sample(transferred_handle[to]) * m.handle_scale[to * m.intervals + k];
    c = {now,
         now,
         kNaN,
         handle_s,
         m.wrap_up[to].sample(wrap_up[to]),
         transfer_choice[to].uniform(),
         next_serial++,
         to,
         k * static_cast<std::uint32_t>(m.types) + to,
         ContactState::waiting};
    c.attempt = attempt;
    c.transferred = true;
    tally.arrived(slot, c.serial, parent, now);
    tally.offered(c.cell, false);
    entered(slot);
    offer(slot, patience_s, now);
    return true;
  }
  return false;
}

// A contact enters the system: all-day agents of the types it may continue as wait for it after closing.
void State::entered(std::uint32_t slot) {
  if (const std::uint32_t target = continues_as(m, contacts[slot]); target != kNone)
    for (std::uint32_t t : m.transfer_reach[target]) ++incoming[t];
}

// A contact leaves without service (or is answered): it will not continue as its next type from here.
void State::left_unanswered(std::uint32_t slot) {
  if (const std::uint32_t target = continues_as(m, contacts[slot]); target != kNone)
    for (std::uint32_t t : m.transfer_reach[target]) --incoming[t];
}

}  // namespace ccsim::model
