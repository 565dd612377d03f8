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
  if (c.callback) {
    a.edge = edge;
    start_callback(agent, slot, now);
    return;
  }
  c.state = ContactState::in_service;
  const double wait = std::max(0.0, now - c.wait_from_s);
  const bool chat = m.traits[c.type].chat;
  // A chat runs slower the more chats its agent holds; its wrap-up is part of the session.
  double played = c.handle_s * m.locations[a.location].handle_time_factor;
  if (chat) played = played * m.slowdown[c.type][a.chats];
  const double talk = chat ? played + c.wrap_s : played;
  tally.answered(c, slot, agent, edge, wait, played, chat ? talk : talk + c.wrap_s, now);
  customer_served(slot);
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
  deadlines.disarm(pick.slot);
  if (contacts[pick.slot].callback) callbacks.queued(pick.queue, -1);
  const auto& ghosts = queues.take(pick.queue);
  if (!ghosts.empty()) end_ghosts(ghosts, now);
  rearm_overflow(pick.queue, now);
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
void State::offer(std::uint32_t slot, double patience_s, double now, bool call) {
  Contact& c = contacts[slot];
  const bool limited = call && m.limited;
  if (limited && lines.full(m, c.type)) {  // every line taken: the caller hears busy before any agent
    block(slot, now);
    return;
  }
  const AgentPick pick = router.select_agent(c.type, now, now);
  if (limited) {
    // No agent free and every waiting place taken: busy too. (A transfer keeps the line it came in on.)
    // Callbacks in the queue are work, not callers: they hold no waiting place.
    if (pick.agent == kNone && m.queue_limit[c.type] >= 0 &&
        queues.waiting(c.type) - callbacks.queued(c.type) >=
            static_cast<std::uint32_t>(m.queue_limit[c.type])) {
      block(slot, now);
      return;
    }
    lines.take(m, slot, c.type);
  }
  if (pick.agent != kNone) {
    start_service(pick.agent, slot, pick.edge, now);
    if (pool[pick.agent].chats > 0) fill_chats(pick.agent, now);
    return;
  }
  if (call && m.callbacks && offer_callback(slot, now)) return;
  if (m.announcement.measure && !c.callback) {
    announcer.predict(slot, c, queues, pool, contacts, now);
    tally.predicted(slot, announcer.prediction(slot));
    const Reaction heard = announcer.announce(slot, c, patience_s, now);
    if (heard.announced) {
      tally.announced(c.cell, heard.heard_s, !heard.balked);
      tally.heard(slot, heard.heard_s);
    }
    if (heard.balked) {
      tally.balked(c, slot, true);
      left_unanswered(slot);
      failed(slot, scenario::RedialCause::balked, now);
      release(slot);
      return;
    }
    patience_s = heard.patience_s;
  }
  const std::uint32_t q = queue_of(c);
  queues.push(q, slot);
  if (c.callback) callbacks.queued(q, +1);
  if (patience_s < kNever) deadlines.arm(slot, c.serial, now + patience_s);
  rearm_overflow(q, now);
}

void State::on_abandonment(std::uint32_t slot, std::uint32_t serial, double now) {
  Contact& c = contacts[slot];
  if (c.serial != serial || c.state != ContactState::waiting) return;  // answered meanwhile: stale
  queues.left(c.type);
  // A booked customer who leaves before the slot waited nothing: the wait counts from the slot.
  tally.abandoned(c, slot, std::max(0.0, now - c.wait_from_s));
  left_unanswered(slot);
  failed(slot, scenario::RedialCause::abandoned, now);
  if (m.announcement.measure && announcer.predicted(slot)) {
    c.state = ContactState::ghost;       // keeps its place to measure its virtual wait
    if (m.limited) lines.release(slot);  // but no line
  } else
    release(slot);  // its queue entry goes stale and is skipped when it reaches the head
  rearm_overflow(c.type, now);
}

// The head of a type's queue has waited long enough to be offered to a further group: if one has a free
// agent, that agent takes whichever contact its own selection policy prefers (this one, or another).
void State::on_overflow(std::uint32_t key, double now) {
  const OverflowTimer& timer = overflow_timer[key];
  const std::uint32_t head = queues.head(timer.queue);
  if (head == kNone || contacts[head].queued_s + timer.overflow_s > now) return;
  const AgentPick pick = router.select_agent(type_of_queue(timer.queue), contacts[head].queued_s, now);
  if (pick.agent == kNone) return;
  if (pool[pick.agent].chats > 0)
    fill_chats(pick.agent, now);  // it holds chats: it may take only chats it has room for
  else
    dispatch(pick.agent, now);
}

// A queue's overflow entry is due: each of its keys due by now fires once, in key order, for the head they
// were armed for (a head taken meanwhile re-armed them all); the entry then moves to the earliest key left.
void State::on_overflow_due(std::uint32_t queue, double now) {
  const std::uint32_t head = overflow_head[queue];
  for (std::uint32_t key = overflow_first[queue]; key < overflow_first[queue + 1]; ++key) {
    if (overflow_due[key] > now) continue;
    overflow_due[key] = kNever;
    on_overflow(key, now);
    if (overflow_head[queue] != head) return;  // a new head: rearm_overflow set every key and the entry
  }
  arm_overflow_queue(queue);
}

// One overflow timer per (queue, overflow route), for the head of the queue only: FIFO order means nobody
// behind the head is eligible before it. Re-armed when the head changes. A head already past a delay needs
// no timer (an agent of that group freeing up finds it) unless an agent of that group is free now: the new
// head can have queued as early as the old one (callbacks tried again at one instant, callers of a live
// state who waited alike), and nobody else would send that agent to it.
void State::rearm_overflow(std::uint32_t queue, double now) {
  if (overflow_first[queue] == overflow_first[queue + 1]) return;
  const std::uint32_t head = queues.head(queue);
  const std::uint32_t serial = head == kNone ? kNone : contacts[head].serial;
  if (serial == overflow_head[queue]) return;
  overflow_head[queue] = serial;
  const std::uint32_t type = type_of_queue(queue);
  for (std::uint32_t key = overflow_first[queue]; key < overflow_first[queue + 1]; ++key) {
    const OverflowTimer& timer = overflow_timer[key];
    const double due = head == kNone ? now : contacts[head].queued_s + timer.overflow_s;
    if (due > now)
      overflow_due[key] = due;
    else if (head != kNone &&
             (pool.front_idle(timer.group) != kNone ||
              (m.traits[type].chat && pool.front_chat_open(timer.group, type, now) != kNone)))
      overflow_due[key] = now;
    else
      overflow_due[key] = kNever;
  }
  arm_overflow_queue(queue);
}

// The queue's heap entry at its earliest armed key (re-armed as disarm() then arm(): a fresh place among
// timers due at the same time), or none.
void State::arm_overflow_queue(std::uint32_t queue) {
  double first = kNever;
  for (std::uint32_t key = overflow_first[queue]; key < overflow_first[queue + 1]; ++key)
    first = std::min(first, overflow_due[key]);
  if (first < kNever)
    overflow_timers.rearm(queue, 0, first);
  else
    overflow_timers.disarm(queue);
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

// Empties a type's queues (its callers' and its own callbacks'): live contacts count as unserved (their wait
// runs until now), ghosts are dropped unmeasured.
void State::drop_queue(std::uint32_t type, double now) {
  drop_queue_at(type, now);
  if (m.callbacks) drop_queue_at(static_cast<std::uint32_t>(m.types) + type, now);
}

void State::drop_queue_at(std::uint32_t queue, double now) {
  std::vector<std::uint32_t> ghosts;
  for (std::uint32_t slot : queues.drop(queue, ghosts)) {
    deadlines.disarm(slot);
    if (contacts[slot].callback) {  // a callback nobody left may make: unserved, its customer lost
      callbacks.queued(queue, -1);
      tally.callback_unserved(contacts[slot].cell);
      if (tally.recording_contacts())
        tally.record_callback_unserved(contacts[slot], slot, next_serial++, callbacks[slot].requested_s,
                                       true);
      callbacks.done();
      customer_lost(slot);
      release(slot);
      continue;
    }
    tally.unserved(contacts[slot], slot, std::max(0.0, now - contacts[slot].wait_from_s));
    left_unanswered(slot);
    customer_lost(slot);
    release(slot);
  }
  for (std::uint32_t slot : ghosts) release(slot);
  rearm_overflow(queue, now);
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
    forfeit_breaks(agent);
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
  if (contacts[slot].callback) {
    end_callback(agent, slot, now);
    return;
  }
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
  after_talk(agent, wrap, now);
}

// A voice agent done talking: wrap-up, or free at once.
void State::after_talk(std::uint32_t agent, double wrap, double now) {
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
  forfeit_breaks(agent);
  a.pending_shrinkage_end = -1.0;
}

// Whether an all-day agent past its shift end is still needed: a voice, chat or counter contact it may serve
// is waiting (inside an overflow delay or not) or may yet reach it by transfer.
bool State::still_needed(const Agent& a) const {
  for (const Route& r : m.types_for_group[a.group])
    if (!m.traits[r.type].email && (waiting_work(r.type) > 0 || incoming[r.type] > 0)) return true;
  return false;
}

// At the end of an instant: all-day agents idle past their shift end go home once nothing they may serve
// waits or comes — whenever that is, in the night or (one still there when the next day opens, before its
// shift renews) in opening hours. Returns whether anyone went.
bool State::send_home(double now) {
  std::size_t kept = 0;
  bool went = false;
  for (std::uint32_t agent : pool.lingering) {
    const Agent& a = pool[agent];
    if (a.state != AgentState::idle || now < a.shift_end_s) continue;  // busy again: back via become_free
    if (still_needed(a)) {
      pool.lingering[kept++] = agent;
    } else {
      leave(agent, now);
      went = true;
    }
  }
  pool.lingering.resize(kept);
  return went;
}

// At the end of an instant after a day's closing — the night (e-mail waits for the morning): callers, chats
// and walk-ins nobody left on duty may serve are unserved, and all-day agents held only by them (they would
// have transferred) go home; those leaving may leave further types with nobody, and so on.
void State::after_closing(double now) {
  do {
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
      if (waiting_work(t) == 0 || m.traits[t].email) continue;
      bool staffed = false;
      for (const Route& r : m.groups_for_type[t]) staffed |= pool.staffed(r.group) > 0;
      if (!staffed) drop_queue(t, now);
    }
  } while (send_home(now));
}

void State::on_interruption(std::uint32_t agent, std::uint32_t epoch, double now) {
  const Agent& a = pool[agent];
  if (a.state != AgentState::idle || a.epoch != epoch) return;  // took a contact meanwhile: stale
  pool.set_state(agent, AgentState::interrupted, now);
  schedule(now + m.locations[a.location].interruption_duration.sample(interruptions[a.group]),
           EventKind::interruption_end, agent);
}

Replication::Replication(const Model& model, bool check_invariants)
    : state_(std::make_unique<State>(model, check_invariants)) {}
Replication::~Replication() = default;

ReplicationResult Replication::run(std::uint64_t seed, std::uint32_t replication,
                                   const std::atomic<bool>* cancel, RecordStore* records,
                                   const LiveState& live) {
  state_->log.reset(records);
  state_->tally.attach(records ? &state_->log : nullptr);
  state_->save_at = live.saved ? live.save_at : kNever;
  state_->save_text = live.save_text;
  state_->saved = live.saved;
  state_->reset(seed, replication, live.start);
  const std::uint64_t events = state_->play(cancel);
  return state_->tally.collect(events);
}

}  // namespace ccsim::model
