// The conductor's event loop: the calendar and the events kept beside it (patience deadlines, overflow
// timers, next arrivals) merged in one order, each handed to its handler; the night and the invariant checks
// at the end of every instant.
#include <algorithm>

#include "common/error.hpp"
#include "model/conductor.hpp"

namespace ccsim::model {

using State = Replication::State;

namespace {
enum class Source : std::uint8_t { none, calendar, deadline, overflow, arrival };
}  // namespace

// What ends an instant: after a day's closing, the night (queues nobody may serve are dropped, all-day agents
// go home); at other times all-day agents past their shift end go home once nothing holds them; the
// invariant checks. Returns whether the night ran. The loop calls it only when there is
// something to do.
bool State::end_instant(double now, bool night) {
  if (night)
    after_closing(now);
  else if (!pool.lingering.empty())
    send_home(now);
  // The first two replications are checked at every instant; later ones, which the theory tests run by
  // the hundred, at every k-th instant so that checking costs a few times what simulating does.
  if (checking && ++instants_since_check >= check_stride) {
    instants_since_check = 0;
    check_instant(now);
    if (replication_index >= 2)
      check_stride =
          1 + (pool.agents().size() + contacts.size() + static_cast<std::size_t>(m.intervals * m.types)) / 16;
  }
  return night;
}

std::uint64_t State::play(const std::atomic<bool>* cancel) {
  next_arrival_at.assign(static_cast<std::size_t>(m.types), kNever);
  arrival_tree.clear();
  const double t0 = plan ? plan->time_s : 0.0;
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) schedule_arrival(t, t0);
  std::uint64_t events = 0;
  double last_time = 0.0;
  bool instant_open = false;  // events at last_time may follow
  engine::Event e{};          // the event in hand (named by the invariant checks)
  for (;;) {
    // Four sources, merged as one calendar would order them (by time, then kind): the calendar's head, the
    // first patience deadline (an abandonment), the first overflow timer and the next arrival (ranked last).
    Source source = Source::none;
    double t = kNever;
    std::uint8_t rank = 0;
    if (!calendar.empty()) t = calendar.next_time(), rank = calendar.next_kind(), source = Source::calendar;
    if (!deadlines.empty()) {
      const double d = deadlines.next().time;
      constexpr auto r = static_cast<std::uint8_t>(EventKind::abandonment);
      if (d < t || (d == t && r < rank)) source = Source::deadline, t = d, rank = r;
    }
    if (!overflow_timers.empty()) {
      const double d = overflow_timers.next().time;
      constexpr auto r = static_cast<std::uint8_t>(EventKind::overflow);
      if (d < t || (d == t && r < rank)) source = Source::overflow, t = d, rank = r;
    }
    if (first_arrival != kNone) {  // ranked last: it goes first only when strictly earlier
      const double d = next_arrival_at[first_arrival];
      if (d < t) source = Source::arrival, t = d, rank = static_cast<std::uint8_t>(EventKind::arrival);
    }
    // The end of an instant: nothing more at last_time. The night may change what comes next (queues
    // dropped, agents gone home): then the sources are looked at again.
    if (instant_open && t > last_time) {
      instant_open = false;
      const bool night = clock.past_closing(last_time);
      if ((night || checking || !pool.lingering.empty()) && end_instant(last_time, night)) continue;
    }
    if (saved && t >= save_at) {  // --save-state: the state before anything at its time happens
      *saved = capture(save_at, save_text);
      saved = nullptr;
    }
    if (source == Source::none || t == kNever) break;
    switch (source) {
      case Source::calendar:
        e = calendar.pop();
        break;
      case Source::deadline: {
        const Deadlines::Deadline d = deadlines.pop();
        e = {d.time, d.slot, d.serial, rank};
        calendar.advance(d.time);
        break;
      }
      case Source::overflow: {
        const Deadlines::Deadline d = overflow_timers.pop();
        e = {d.time, d.slot, 0, rank};
        calendar.advance(d.time);
        break;
      }
      case Source::arrival:
        e = {t, first_arrival, 0, rank};
        calendar.advance(t);
        break;
      case Source::none:
        break;
    }
    ++events;
    // A few thousand events take microseconds: Ctrl-C is seen at once, at the cost of one test per batch.
    if (cancel && (events & 4095U) == 0 && cancel->load(std::memory_order_relaxed))
      throw Interrupted("interrupted: no results written");
    if (checking) {
      current = &e;
      if (e.time < last_time) violation("the clock went back from " + std::to_string(last_time) + " s");
    }
    last_time = e.time;
    instant_open = true;
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
        on_overflow_due(e.subject, e.time);
        break;
      case EventKind::redial:
        on_redial(e.subject, e.time);
        break;
      case EventKind::callback_retry:
        on_callback_retry(e.subject, e.token, e.time);
        break;
      case EventKind::arrival:
        on_arrival(e.subject, e.time);
        break;
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

}  // namespace ccsim::model
