// Callbacks (virtual hold): the offer to a caller about to queue whose predicted wait (the announcement's
// predictor) passes the type's threshold, the call-out by the agent who takes the callback, a try the
// customer does not answer, and callbacks left at closing. The caller who takes a callback leaves the line
// (outcome callback_accepted, out of `offered` like a blocked attempt); the callback is work of its own with
// no patience: in the caller's place in the type's FIFO queue (keep_place), or in the type's callback queue
// (the router ranks it by the callback's priority). Every draw about a callback (its
// acceptance; its talk time and which tries reach the customer) is made at the offer, from the callback
// streams, so arrivals stay the same callers under every policy and acceptance 0 changes nothing.
#include "model/conductor.hpp"

namespace ccsim::model {

using State = Replication::State;

// The caller in `slot` (no agent free) may take a callback; true when it did (it has left the line).
bool State::offer_callback(std::uint32_t slot, double now) {
  Contact& c = contacts[slot];
  const scenario::Callback& b = m.callback[c.type];
  if (!b.any()) return false;
  announcer.predict(slot, c, queues, pool, contacts, now);
  const double predicted = announcer.prediction(slot);
  if (!m.announcement.measure) announcer.forget(slot);
  if (!(predicted > b.offer_over_s)) return false;
  tally.callback_offered(c.cell);
  engine::Stream& choice = callback_choice[c.type];
  // One draw per offer whatever the acceptance, so that policies differing in it stay paired.
  if (!(choice.uniform() < b.accept_at(predicted))) return false;
  tally.callback_accepted(c, slot);
  left_unanswered(slot);  // the call ends here: it continues as no other type
  c.transfer_u = 1.0;
  if (m.limited) lines.release(slot);  // the caller hangs up
  announcer.forget(slot);
  c.callback = true;
  engine::Stream& draws = callback_talk[c.type];
  c.handle_s = b.handle_time.sample(draws);
  callbacks.add(slot, now);
  if (b.success < 1.0) {
    std::uint32_t reached = 0;
    for (int k = 0; k < b.attempts; ++k) reached |= std::uint32_t{draws.uniform() < b.success} << k;
    callbacks[slot].reached = reached;
  }
  const std::uint32_t q = queue_of(c);
  queues.push(q, slot);
  callbacks.queued(q, +1);
  rearm_overflow(q, now);
  return true;
}

// An agent calls the customer of the callback in `slot`: it rings, then the customer answers and talks, or
// the try fails.
void State::start_callback(std::uint32_t agent, std::uint32_t slot, double now) {
  Contact& c = contacts[slot];
  Agent& a = pool[agent];
  const scenario::Callback& b = m.callback[c.type];
  c.state = ContactState::in_service;
  Callbacks::Job& job = callbacks[slot];
  const bool reaches = (job.reached >> job.tries & 1u) != 0;
  ++job.tries;
  job.answered_s = now + b.ring_s;
  const double talk = reaches ? c.handle_s * m.locations[a.location].handle_time_factor : 0.0;
  if (tally.recording_contacts())  // a leg of its own: a fresh id, drawn only when records are kept
    tally.call_out(c, slot, next_serial++, agent, a.edge, reaches, job.requested_s, job.answered_s,
                   b.ring_s + talk);
  if (checking) check_may_serve(agent, slot, now);
  if (a.state != AgentState::busy) pool.set_state(agent, AgentState::busy, now);
  a.contact = slot;
  schedule(now + b.ring_s + talk, EventKind::service_end, agent, slot);
}

// The call-out ends: the callback is completed (the agent wraps up), or the try failed and the next one is
// due `retry_after` later, or it failed for good; a try that would come after the closing is not made (the
// callback is unserved).
void State::end_callback(std::uint32_t agent, std::uint32_t slot, double now) {
  Contact& c = contacts[slot];
  const scenario::Callback& b = m.callback[c.type];
  const Callbacks::Job& job = callbacks[slot];
  pool[agent].contact = kNone;
  double wrap = 0.0;
  if ((job.reached >> (job.tries - 1) & 1u) != 0) {
    tally.callback_completed(c.cell, job.answered_s - job.requested_s);
    customer_served(slot);
    wrap = c.wrap_s;
    callbacks.done();
    release(slot);
  } else if (static_cast<int>(job.tries) >= b.attempts) {
    tally.callback_failed(c.cell);
    customer_lost(slot);
    callbacks.done();
    release(slot);
  } else if (const double at = now + b.retry_after_s; at < m.day_end_s && !clock.past_closing(at)) {
    c.state = ContactState::retry_due;
    schedule(at, EventKind::callback_retry, slot, c.serial);
  } else {
    tally.callback_unserved(c.cell);
    if (tally.recording_contacts())
      tally.record_callback_unserved(c, slot, next_serial++, job.requested_s, false);
    customer_lost(slot);
    callbacks.done();
    release(slot);
  }
  after_talk(agent, wrap, now);
}

// The next try of a callback: it joins the end of its type's queue (or an agent free takes it).
void State::on_callback_retry(std::uint32_t slot, std::uint32_t serial, double now) {
  Contact& c = contacts[slot];
  if (c.serial != serial || c.state != ContactState::retry_due) return;
  // A new serial: the queue and the overflow timers (armed per head serial) see a new entry.
  c.serial = next_serial++;
  c.state = ContactState::waiting;
  c.queued_s = now;
  offer(slot, kNever, now);
}

}  // namespace ccsim::model
