// The conductor's event loop and handlers: each handler asks the rooms (router, pool, queues, announcer),
// records outcomes in the tally and schedules what follows.
#include "model/replication.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "common/error.hpp"
#include "model/conductor.hpp"

namespace ccsim::model {

using State = Replication::State;

void State::start_service(std::uint32_t agent, std::uint32_t slot, std::uint32_t edge, double now) {
  Contact& c = contacts[slot];
  Agent& a = pool[agent];
  c.state = ContactState::in_service;
  const double wait = std::max(0.0, now - c.wait_from_s);
  const bool chat = m.traits[c.type].chat;
  // A chat runs slower the more chats its agent holds; its wrap-up is part of the session.
  double talk = c.handle_s * m.locations[a.location].handle_time_factor;
  if (chat) talk = talk * m.slowdown[c.type][a.chats] + c.wrap_s;
  tally.answered(c, edge, wait, chat ? talk : talk + c.wrap_s, now);
  if (m.announcement.measure) {
    record_prediction(slot, wait);
    announcer.answered(c.type, wait);
  }
  if (checking) check_may_serve(agent, slot, now);
  if (a.state != AgentState::busy) pool.set_state(agent, AgentState::busy, now);
  if (chat) {
    ++a.chats;
    a.chat_limit = std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[c.type]));
  }
  a.contact = slot;
  a.edge = edge;
  schedule(now + talk, EventKind::service_end, agent, slot);
}

// Takes the picked contact off its queue; ghosts ahead of it end their virtual waits now.
void State::take(const ContactPick& pick, double now) {
  const auto& ghosts = queues.take(pick.type);
  if (!ghosts.empty()) end_ghosts(ghosts, now);
}

// An agent holding chats takes more waiting chats while it has room, then offers what room is left.
void State::fill_chats(std::uint32_t agent, double now) {
  Agent& a = pool[agent];
  if (a.chats == 0 || !AgentPool::may_take_more(a, now)) return;
  for (;;) {
    const ContactPick pick = router.select_contact(a.group, now, {true, a.chats, a.chat_limit});
    if (pick.slot == kNone) break;
    take(pick, now);
    start_service(agent, pick.slot, pick.edge, now);
  }
  pool.list_chat_open(agent);
}

// A contact joins its type: an agent takes it, or it queues (with its patience and overflows armed).
void State::offer(std::uint32_t slot, double patience_s, double now) {
  Contact& c = contacts[slot];
  const AgentPick pick = router.select_agent(c.type, now, now);
  if (pick.agent != kNone) {
    start_service(pick.agent, slot, pick.edge, now);
    if (pool[pick.agent].chats > 0) fill_chats(pick.agent, now);
    return;
  }
  if (m.announcement.measure) {
    announcer.predict(slot, c, queues, pool, contacts, now);
    const Reaction heard = announcer.announce(slot, c, patience_s, now);
    if (heard.announced) tally.announced(c.cell, heard.heard_s, !heard.balked);
    if (heard.balked) {
      tally.balked(c.cell, true);
      left_unanswered(slot);
      release(slot);
      return;
    }
    patience_s = heard.patience_s;
  }
  queues.push(c.type, slot);
  if (patience_s < kNever) schedule(now + patience_s, EventKind::abandonment, slot, c.serial);
  for (const Route& r : m.groups_for_type[c.type])
    if (r.overflow_s > 0.0 && r.overflow_s < patience_s)
      schedule(now + r.overflow_s, EventKind::overflow, slot, c.serial);
}

void State::on_abandonment(std::uint32_t slot, std::uint32_t serial, double now) {
  Contact& c = contacts[slot];
  if (c.serial != serial || c.state != ContactState::waiting) return;  // answered meanwhile: stale
  queues.left(c.type);
  tally.abandoned(c.cell, now - c.wait_from_s);
  left_unanswered(slot);
  if (m.announcement.measure && announcer.predicted(slot)) {
    c.state = ContactState::ghost;  // keeps its place to measure its virtual wait
    return;
  }
  release(slot);  // its queue entry goes stale and is skipped when it reaches the head
}

// The contact has waited long enough to be offered to a further group: if one has a free agent, that agent
// takes whichever contact its own selection policy prefers (this one, or one waiting longer).
void State::on_overflow(std::uint32_t slot, std::uint32_t serial, double now) {
  const Contact& c = contacts[slot];
  if (c.serial != serial || c.state != ContactState::waiting) return;
  const AgentPick pick = router.select_agent(c.type, c.queued_s, now);
  if (pick.agent == kNone) return;
  if (pool[pick.agent].chats > 0)
    fill_chats(pick.agent, now);  // it holds chats: it may take only chats it has room for
  else
    dispatch(pick.agent, now);
}

void State::record_prediction(std::uint32_t slot, double actual) {
  if (const double* p = announcer.take(slot))
    tally.prediction(contacts[slot].cell, contacts[slot].type, p, actual);
}

// Ghosts whose places reach an agent now: their virtual waits end.
void State::end_ghosts(const std::vector<std::uint32_t>& slots, double now) {
  for (std::uint32_t slot : slots) {
    record_prediction(slot, now - contacts[slot].wait_from_s);
    release(slot);
  }
}

// Empties a type's queue: live contacts count as unserved (their wait runs until now), ghosts are dropped
// unmeasured.
void State::drop_queue(std::uint32_t type, double now) {
  std::vector<std::uint32_t> ghosts;
  for (std::uint32_t slot : queues.drop(type, ghosts)) {
    tally.unserved(contacts[slot].cell, std::max(0.0, now - contacts[slot].wait_from_s));
    left_unanswered(slot);
    release(slot);
  }
  for (std::uint32_t slot : ghosts) release(slot);
}

void State::become_idle(std::uint32_t agent, double now) {
  pool.make_idle(agent, now);
  const Agent& a = pool[agent];
  const LocationModel& loc = m.locations[a.location];
  if (loc.interruption_gap_s > 0.0 && now < a.shift_end_s)  // memoryless: a fresh draw each time it is idle
    schedule(now + interruptions[a.group].exponential(loc.interruption_gap_s), EventKind::interruption, agent,
             a.epoch);
}

// A free agent takes the next contact its group may take, or goes idle. After its shift an agent (one
// staying to empty the queue) does no e-mail.
void State::dispatch(std::uint32_t agent, double now) {
  const Agent& a = pool[agent];
  const Appetite appetite{now >= a.shift_end_s, 0, kNone};
  const ContactPick pick = router.select_contact(a.group, now, appetite);
  if (pick.slot == kNone) {
    if (m.announcement.measure)  // a free agent and nobody live to take: ghosts at the heads are answered
      for (const Route& r : m.types_for_group[a.group])
        if (appetite.may_take(m, r.type)) {
          const auto& ghosts = queues.consume_ghosts(r.type);
          if (!ghosts.empty()) end_ghosts(ghosts, now);
        }
    become_idle(agent, now);
    return;
  }
  take(pick, now);
  start_service(agent, pick.slot, pick.edge, now);
  if (pool[agent].chats > 0) fill_chats(agent, now);
}

void State::start_break(std::uint32_t agent, int index, double now) {
  const Agent& a = pool[agent];
  const PlannedBreak& b = m.roster[agent].breaks[static_cast<std::size_t>(index)];
  tally.break_taken(a.group, now - (a.day_offset_s + b.start_s));
  pool.set_state(agent, AgentState::on_break, now);
  schedule(now + b.duration_s, EventKind::break_end, agent);
}

void State::start_shrinkage(std::uint32_t agent, double end, double now) {
  pool.set_state(agent, AgentState::shrinkage, now);
  pool[agent].shrinkage_token = ++next_shrinkage_token;
  schedule(end, EventKind::shrinkage_end, agent, next_shrinkage_token);
}

// The agent has finished what it was doing: leave if the shift is over (an all-day agent stays while it is
// needed), take a break or meeting that fell due meanwhile, else look for work.
void State::become_free(std::uint32_t agent, double now) {
  Agent& a = pool[agent];
  if (a.shift_over || now >= a.shift_end_s) {
    a.shift_over = false;  // breaks and meetings still pending are forfeit
    a.pending_breaks = 0;
    a.pending_shrinkage_end = -1.0;
    if (a.until_queue_empty && still_needed(a)) {
      dispatch(agent, now);
      if (a.state == AgentState::idle) pool.lingering.push_back(agent);
      return;
    }
    leave(agent, now);
    return;
  }
  if (a.pending_breaks != 0) {
    const int b = std::countr_zero(a.pending_breaks);
    a.pending_breaks &= a.pending_breaks - 1;
    start_break(agent, b, now);
    return;
  }
  if (a.pending_shrinkage_end > now) {
    const double end = a.pending_shrinkage_end;
    a.pending_shrinkage_end = -1.0;
    start_shrinkage(agent, end, now);
    return;
  }
  a.pending_shrinkage_end = -1.0;
  dispatch(agent, now);
}

void State::on_service_end(std::uint32_t agent, std::uint32_t slot, double now) {
  Agent& a = pool[agent];
  left_unanswered(slot);  // answered: from here its continuation (if any) counts as entering anew
  if (m.traits[contacts[slot].type].chat) {
    if (!transfer(slot, now)) release(slot);
    if (--a.chats == 0) {
      a.chat_limit = kNone;
      a.contact = kNone;
      become_free(agent, now);
    } else {
      fill_chats(agent, now);
    }
    return;
  }
  const double wrap = contacts[slot].wrap_s;
  a.contact = kNone;
  // The transferred contact is routed while its agent is still handing over, then the agent moves on.
  if (!transfer(slot, now)) release(slot);
  if (wrap > 0.0) {
    pool.set_state(agent, AgentState::wrap, now);
    schedule(now + wrap, EventKind::wrap_end, agent);
  } else {
    become_free(agent, now);
  }
}

void State::on_shift_start(std::uint32_t agent, std::uint32_t day, double now) {
  Agent& a = pool[agent];
  a.day_offset_s = day * Model::kDayPeriod;
  a.shift_end_s = a.day_offset_s + m.roster[agent].end_s;
  if (a.state != AgentState::off) {  // still at work from yesterday (an all-day agent emptying the queue)
    a.shift_over = false;
    return;
  }
  pool.set_state(agent, AgentState::idle, now);  // on shift, but not yet in the idle list
  schedule(now, EventKind::shift_ready, agent, ++a.epoch);
}

void State::on_shift_end(std::uint32_t agent, double now) {
  Agent& a = pool[agent];
  switch (a.state) {
    case AgentState::busy:
    case AgentState::wrap:
      a.shift_over = true;
      break;  // finishes the contact in hand first
    case AgentState::off:
      break;
    default:  // idle, interrupted, in a meeting or on a break
      if (a.until_queue_empty && still_needed(a)) {
        // Stays for what waits (inside an overflow delay or not) or is on its way; one interrupted or in a
        // meeting decides again when that ends.
        if (a.state == AgentState::idle) pool.lingering.push_back(agent);
        break;
      }
      leave(agent, now);  // idle entries and pending events go stale
      break;
  }
}

void State::leave(std::uint32_t agent, double now) {
  Agent& a = pool[agent];
  pool.set_state(agent, AgentState::off, now);
  a.shift_over = false;
  a.pending_breaks = 0;
  a.pending_shrinkage_end = -1.0;
}

// Whether an all-day agent past closing is still needed: a voice, chat or counter contact it may serve is
// waiting (inside an overflow delay or not) or may yet reach it by transfer.
bool State::still_needed(const Agent& a) const {
  for (const Route& r : m.types_for_group[a.group])
    if (!m.traits[r.type].email && (queues.waiting(r.type) > 0 || incoming[r.type] > 0)) return true;
  return false;
}

// At the end of an instant after a day's closing: all-day agents idle since go home once nothing they may
// serve waits or comes, and callers, chats and walk-ins nobody left on duty may serve are unserved — this is
// the night (e-mail waits for the morning).
void State::after_closing(double now) {
  std::size_t kept = 0;
  for (std::uint32_t agent : pool.lingering) {
    const Agent& a = pool[agent];
    if (a.state != AgentState::idle || now < a.shift_end_s) continue;  // busy again: back via become_free
    if (still_needed(a))
      pool.lingering[kept++] = agent;
    else
      leave(agent, now);
  }
  pool.lingering.resize(kept);
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
    if (queues.waiting(t) == 0 || m.traits[t].email) continue;
    bool staffed = false;
    for (const Route& r : m.groups_for_type[t]) staffed |= pool.staffed(r.group) > 0;
    if (!staffed) drop_queue(t, now);
  }
}

void State::on_break_due(std::uint32_t agent, std::uint32_t index, double now) {
  Agent& a = pool[agent];
  switch (a.state) {
    case AgentState::off:
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
void State::on_shrinkage_start(std::uint32_t block, std::uint32_t day, double now) {
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

void State::on_interruption(std::uint32_t agent, std::uint32_t epoch, double now) {
  const Agent& a = pool[agent];
  if (a.state != AgentState::idle || a.epoch != epoch) return;  // took a contact meanwhile: stale
  pool.set_state(agent, AgentState::interrupted, now);
  schedule(now + m.locations[a.location].interruption_duration.sample(interruptions[a.group]),
           EventKind::interruption_end, agent);
}

std::uint64_t State::play(const std::atomic<bool>* cancel) {
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) schedule_arrival(t, 0.0);
  std::uint64_t events = 0;
  double last_time = 0.0;
  while (!calendar.empty()) {
    const engine::Event e = calendar.pop();
    ++events;
    // A few thousand events take microseconds: Ctrl-C is seen at once, at the cost of one test per batch.
    if (cancel && (events & 4095U) == 0 && cancel->load(std::memory_order_relaxed))
      throw Interrupted("interrupted: no results written");
    if (checking) {
      current = &e;
      if (e.time < last_time) violation("the clock went back from " + std::to_string(last_time) + " s");
    }
    last_time = e.time;
    switch (static_cast<EventKind>(e.kind())) {
      case EventKind::service_end:
        on_service_end(e.subject, e.token, e.time);
        break;
      case EventKind::wrap_end:
        become_free(e.subject, e.time);
        break;
      case EventKind::interruption_end:
        if (pool[e.subject].state == AgentState::interrupted) become_free(e.subject, e.time);
        break;
      case EventKind::break_end:
        if (pool[e.subject].state == AgentState::on_break) become_free(e.subject, e.time);
        break;
      case EventKind::shrinkage_end:
        if (pool[e.subject].state == AgentState::shrinkage && pool[e.subject].shrinkage_token == e.token)
          become_free(e.subject, e.time);
        break;
      case EventKind::shift_end:
        on_shift_end(e.subject, e.time);
        break;
      case EventKind::break_due:
        on_break_due(e.subject, e.token, e.time);
        break;
      case EventKind::shrinkage_start:
        on_shrinkage_start(e.subject, e.token, e.time);
        break;
      case EventKind::interruption:
        on_interruption(e.subject, e.token, e.time);
        break;
      case EventKind::shift_start:
        on_shift_start(e.subject, e.token, e.time);
        break;
      case EventKind::shift_ready:
        if (pool[e.subject].state == AgentState::idle && pool[e.subject].epoch == e.token)
          become_free(e.subject, e.time);
        break;
      case EventKind::interval_end:
        on_interval_end(e.subject);
        break;
      case EventKind::appointment_arrival:
        on_appointment_arrival(e.subject, e.token, e.time);
        break;
      case EventKind::appointment_ready:
        on_appointment_ready(e.subject, e.token, e.time);
        break;
      case EventKind::abandonment:
        on_abandonment(e.subject, e.token, e.time);
        break;
      case EventKind::overflow:
        on_overflow(e.subject, e.token, e.time);
        break;
      case EventKind::arrival:
        on_arrival(e.subject, e.time);
        break;
    }
    if (calendar.empty() || calendar.next().time > e.time) {  // the end of an instant
      if (clock.past_closing(e.time)) after_closing(e.time);
      // The first two replications are checked at every instant; later ones, which the theory tests run by
      // the hundred, at every k-th instant so that checking costs a few times what simulating does.
      if (checking && ++instants_since_check >= check_stride) {
        instants_since_check = 0;
        check_instant(e.time);
        if (replication_index >= 2)
          check_stride =
              1 +
              (pool.agents().size() + contacts.size() + static_cast<std::size_t>(m.intervals * m.types)) / 16;
      }
    }
  }
  current = nullptr;
  // Contacts still queued found nobody left who could serve them (everyone's shift ended).
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) drop_queue(t, calendar.now());
  for (const Agent& a : pool.agents())
    if (a.state == AgentState::busy || a.state == AgentState::wrap)
      throw SimulationError("replication ended at t=" + std::to_string(calendar.now()) +
                            " s with an agent of group " + std::to_string(a.group) + " still busy");
  pool.clock_until(m.day_end_s);
  for (std::uint32_t i = 0; i < pool.agents().size(); ++i) {
    const Agent& a = pool.agents()[i];
    tally.book(a.group, a.state, a.since_s, m.day_end_s);
  }
  if (checking) check_time_accounting();
  return events;
}

Replication::Replication(const Model& model, bool check_invariants)
    : state_(std::make_unique<State>(model, check_invariants)) {}
Replication::~Replication() = default;

ReplicationResult Replication::run(std::uint64_t seed, std::uint32_t replication,
                                   const std::atomic<bool>* cancel) {
  state_->reset(seed, replication);
  const std::uint64_t events = state_->play(cancel);
  return state_->tally.collect(events);
}

}  // namespace ccsim::model
