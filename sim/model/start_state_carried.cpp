// Pending redials and callbacks of a live state: carried into a replication that starts from it, and
// captured from one for --save-state. A carried redial or callback belongs to a customer of before, still
// trying: it is counted as a customer of the state's interval (as the callers waiting there are) and ends
// served or lost like any; a carried callback is not accepted in this run, but its completion, failure or
// closing is counted (the invariants count it as carried). Its talk time, wrap-up and which tries reach
// the customer are drawn from the type's start-state stream, as the offer draws them for a new one.
#include <algorithm>
#include <cmath>

#include "model/conductor.hpp"

namespace ccsim::model {

using scenario::StartState;
using State = Replication::State;

namespace {

// The last attempt a redial as `type` may make under this model (0: no type redials as it).
int last_attempt(const Model& m, int type) {
  int most = 0;
  for (const RedialModel& r : m.redial)
    if (r.max_attempts > 1 && static_cast<int>(r.as) == type) most = std::max(most, r.max_attempts);
  return most;
}

}  // namespace

void check_carried(const StartState& st, const Model& m,
                   const std::function<void(const std::string&, const std::string&)>& error) {
  auto redial = [&](const std::string& where, int type, int attempt) {
    const int most = last_attempt(m, type);
    if (most == 0)
      error(where, "type: the contact type has no redial (nor does any type redial as it)");
    else if (attempt > most)
      error(where, "attempt: " + std::to_string(attempt) + " is beyond the " + std::to_string(most) +
                       " of the type's redial.max_attempts");
  };
  // `below`: more tries are to come, so fewer than `attempts` were made.
  auto callback = [&](const std::string& where, int type, int tries, bool below) {
    const scenario::Callback& b = m.callback[static_cast<std::size_t>(type)];
    if (!b.any())
      error(where, "type: the contact type offers no callback");
    else if (below ? tries >= b.attempts : tries > b.attempts)
      error(where, "tries: " + std::to_string(tries) + " tries made" + (below ? " and more to come" : "") +
                       ", but the type makes at most " + std::to_string(b.attempts) + " (callback.attempts)");
  };
  for (const auto& w : st.waiting)
    if (w.attempt > 1) redial(w.where, w.type, w.attempt);
  for (const auto& r : st.redials) redial(r.where, r.type, r.attempt);
  for (const auto& c : st.callbacks) callback(c.where, c.type, c.tries, true);
  for (const auto& a : st.agents)
    for (const auto& h : a.held)
      if (h.callback) callback(h.where, h.type, h.callback->tries, false);
}

// A callback of `type` accepted `requested_ago` before `now` with `tries` made: its slot, waiting (the
// caller queues or schedules it), holding no line and no waiting place.
std::uint32_t State::carry_callback(std::uint32_t type, double requested_ago, int tries, double now) {
  const scenario::Callback& b = m.callback[type];
  engine::Stream& s = starting[type];
  const std::uint32_t slot = new_slot();
  const std::uint32_t cell = clock.interval_of(now) * static_cast<std::uint32_t>(m.types) + type;
  const double handle_s = b.handle_time.sample(s);
  const double wrap_s = m.wrap_up[type].sample(s);
  contacts[slot] = {now, now, kNaN, handle_s, wrap_s, 1.0, next_serial++, type, cell, ContactState::waiting};
  contacts[slot].callback = true;
  tally.arrived(slot, contacts[slot].serial, -1, now - requested_ago);  // records: no caller's leg in the run
  callbacks.add(slot, now - requested_ago);
  Callbacks::Job& job = callbacks[slot];
  job.tries = static_cast<std::uint32_t>(tries);
  if (b.success < 1.0) {
    std::uint32_t reached = 0;
    for (int k = 0; k < b.attempts; ++k) reached |= std::uint32_t{s.uniform() < b.success} << k;
    job.reached = reached;
  }
  ++carried_callbacks[type];
  tally.carried_customer(cell);
  return slot;
}

// A callback waiting at the state's time: it joins its queue in its place (the caller, apply_start_waiting,
// orders it among the callers by how long each has been queued; keep_place: false, its own queue).
void State::queue_carried_callback(const StartState::Callback& c, double now) {
  const auto type = static_cast<std::uint32_t>(c.type);
  const std::uint32_t slot = carry_callback(type, c.requested_s, c.tries, now);
  const double since = now - (std::isnan(c.queued_s) ? c.requested_s : c.queued_s);
  contacts[slot].queued_s = contacts[slot].wait_from_s = since;
  const std::uint32_t q = queue_of(contacts[slot]);  // the caller's place, or the type's callback queue
  queues.push(q, slot);
  callbacks.queued(q, +1);
  rearm_overflow(q, now);
}

// An agent busy calling a customer back at the state's time (its state is already set busy): the try ends
// `remaining` from now, or, given `elapsed`, after the rest of the ring and the talk (the talk's residual
// drawn given what has passed). Its end is the model's end of a try (end_callback).
void State::start_carried_call_out(std::uint32_t agent, const StartState::Held& h, double now) {
  const auto type = static_cast<std::uint32_t>(h.type);
  const scenario::Callback& b = m.callback[type];
  const StartState::CallOut& out = *h.callback;
  const std::uint32_t slot = carry_callback(type, out.requested_s, out.tries, now);
  Contact& c = contacts[slot];
  c.state = ContactState::in_service;
  Callbacks::Job& job = callbacks[slot];
  const std::uint32_t bit = std::uint32_t{1} << (out.tries - 1);
  if (out.reaches >= 0) job.reached = out.reaches ? job.reached | bit : job.reached & ~bit;
  const bool reaches = (job.reached & bit) != 0;
  Agent& a = pool[agent];
  const double factor = m.locations[a.location].handle_time_factor;
  double rest = h.remaining_s, began = kNaN;
  if (std::isnan(rest)) {
    began = now - h.elapsed_s;
    const double ringing = b.ring_s - h.elapsed_s;
    if (!reaches)
      rest = std::max(0.0, ringing);
    else if (ringing > 0.0)
      rest = ringing + c.handle_s * factor;
    else
      rest = b.handle_time.scaled(factor).residual(-ringing, starting[type]);
  }
  // When the customer answers this try: as given, else the ring's end, else (only `remaining` known) now.
  job.answered_s = !std::isnan(out.delay_s) ? job.requested_s + out.delay_s
                   : !std::isnan(began)     ? began + b.ring_s
                                            : now;
  hand_to(agent, slot, type);
  schedule(now + rest, EventKind::service_end, agent, slot);
}

// A contact of a state in an agent's hands: the agent holds it over the skill of its type.
void State::hand_to(std::uint32_t agent, std::uint32_t slot, std::uint32_t type) {
  Agent& a = pool[agent];
  if (checking) {
    if (server_of.size() < contacts.size()) server_of.resize(contacts.size(), kNone);
    server_of[slot] = agent;
  }
  for (const Route& r : m.types_for_group[a.group])
    if (r.type == type) a.edge = r.edge;
  a.contact = slot;
}

// Redials due and callbacks waiting for their next try: in the calendar at their times.
void State::apply_start_pending() {
  const StartState& st = *plan->state;
  const double now = plan->time_s;
  const std::uint32_t k = clock.interval_of(now);
  for (const auto& r : st.redials) {
    const auto type = static_cast<std::uint32_t>(r.type);
    const std::uint32_t cell = k * static_cast<std::uint32_t>(m.types) + type;
    tally.carried_customer(cell);
    // The customer's id: a serial of its own (its first call was before the run).
    const std::uint32_t index =
        redials.add({next_serial++, cell, type, static_cast<std::uint8_t>(r.attempt), true});
    schedule(r.at_s, EventKind::redial, index);
  }
  for (const auto& c : st.callbacks) {
    if (std::isnan(c.next_try_s)) continue;  // queued: apply_start_waiting
    const std::uint32_t slot =
        carry_callback(static_cast<std::uint32_t>(c.type), c.requested_s, c.tries, now);
    contacts[slot].state = ContactState::retry_due;
    schedule(c.next_try_s, EventKind::callback_retry, slot, contacts[slot].serial);
  }
}

// The callback an agent is calling out for, as the state says it: whether this try reaches the customer,
// and when it answers.
StartState::CallOut State::capture_call_out(std::uint32_t slot, double now) const {
  const Callbacks::Job& job = callbacks[slot];
  StartState::CallOut out;
  out.requested_s = now - job.requested_s;
  out.tries = static_cast<int>(job.tries);
  out.reaches = (job.reached >> (job.tries - 1) & 1u) != 0;
  if (out.reaches) out.delay_s = job.answered_s - job.requested_s;
  return out;
}

// Callbacks in the queues (in their order) and waiting for a next try, and redials due (by time), read from
// the contacts and the calendar.
void State::capture_pending(StartState& st, double now) const {
  std::vector<std::pair<double, std::uint32_t>> queued;  // (queued from, slot)
  for (std::uint32_t slot = 0; slot < contacts.size(); ++slot)
    if (contacts[slot].callback && contacts[slot].state == ContactState::waiting)
      queued.emplace_back(contacts[slot].queued_s, slot);
  std::sort(queued.begin(), queued.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : contacts[a.second].serial < contacts[b.second].serial;
  });
  for (const auto& [from, slot] : queued) {
    const Callbacks::Job& job = callbacks[slot];
    StartState::Callback c;
    c.type = static_cast<int>(contacts[slot].type);
    c.requested_s = now - job.requested_s;
    c.queued_s = std::max(0.0, now - from);
    c.tries = static_cast<int>(job.tries);
    st.callbacks.push_back(c);
  }
  struct Due {
    double at;
    std::uint32_t subject;
    bool redial;
  };
  std::vector<Due> due;
  calendar.for_each([&](double t, std::uint8_t kind, std::uint32_t subject, std::uint32_t token) {
    const auto k = static_cast<EventKind>(kind);
    if (k == EventKind::redial && redials.pending()[subject].active) due.push_back({t, subject, true});
    if (k == EventKind::callback_retry && contacts[subject].serial == token &&
        contacts[subject].state == ContactState::retry_due)
      due.push_back({t, subject, false});
  });
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) {
    return a.at != b.at ? a.at < b.at : a.redial != b.redial ? a.redial : a.subject < b.subject;
  });
  for (const Due& d : due) {
    if (d.redial) {
      const Redials::Pending& p = redials.pending()[d.subject];
      st.redials.push_back({static_cast<int>(p.type), d.at, p.attempt, ""});
      continue;
    }
    const Callbacks::Job& job = callbacks[d.subject];
    StartState::Callback c;
    c.type = static_cast<int>(contacts[d.subject].type);
    c.requested_s = now - job.requested_s;
    c.tries = static_cast<int>(job.tries);
    c.next_try_s = d.at;
    st.callbacks.push_back(c);
  }
}

}  // namespace ccsim::model
