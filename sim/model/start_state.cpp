// Live states in the model: compiling a state against the roster (which agent each listed one is), applying
// it when a replication starts, and capturing one at a time of the run (--save-state).
#include "model/start_state.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "model/conductor.hpp"

namespace ccsim::model {

using scenario::AgentActivity;
using scenario::StartState;

ShiftSpan shift_span(const Model& m, const RosterAgent& r, int day) {
  if (r.day >= 0 && r.day != day) return {};
  if (r.end_s <= 0.0 || r.start_s >= m.day_length_s) return {};
  const double offset = day * Model::kDayPeriod;
  return {offset + std::max(r.start_s, 0.0), offset + r.end_s, true};
}

namespace {

// The day instance of a roster agent's shift covering t, or -1.
int on_shift_day(const Model& m, const RosterAgent& r, double t) {
  for (int d = 0; d < m.days; ++d) {
    const ShiftSpan s = shift_span(m, r, d);
    if (s.valid && s.from <= t && t < s.to) return d;
  }
  return -1;
}

// The law a held contact's talk time follows with this agent (forecast AHT of the state's interval, the
// location's factor, a chat's slowdown when holding n chats).
engine::Distribution talk_law(const Model& m, std::uint32_t type, std::uint32_t agent, std::size_t chats,
                              double t) {
  const DayClock clock(m);
  double factor = m.handle_scale[type * static_cast<std::size_t>(m.intervals) + clock.interval_of(t)] *
                  m.locations[m.roster[agent].location].handle_time_factor;
  if (m.traits[type].chat) factor *= m.slowdown[type][std::min(chats, m.slowdown[type].size()) - 1];
  return m.handle_time[type].scaled(factor);
}

}  // namespace

std::vector<StartPlan> compile_start_states(const std::vector<StartState>& states, const Model& m,
                                            const std::string& where) {
  std::vector<StartPlan> plans;
  std::string errors;
  auto error = [&](const std::string& place, const std::string& message) {
    errors += (errors.empty() ? "" : "\n") + place + ": " + where + message;
  };
  for (const StartState& st : states) {
    StartPlan p;
    p.state = &st;
    p.time_s = st.time_s;
    p.day = static_cast<int>(std::floor(st.time_s / Model::kDayPeriod));
    p.at_opening = st.time_s == p.day * Model::kDayPeriod;
    if (st.time_s != states.front().time_s)
      error(st.where, "time: every state of a list starts at one time (the first says " +
                          states.front().time_text + ", this one " + st.time_text + ")");
    if (p.day >= m.days || st.time_s - p.day * Model::kDayPeriod >= m.day_length_s)
      error(st.where, "time: " + st.time_text + " is outside the run");
    p.entry_of.assign(m.roster.size(), -1);
    // Listed agents of a group are its agents on shift at the state's time, in roster order.
    std::vector<std::vector<std::uint32_t>> on_shift(static_cast<std::size_t>(m.groups));
    for (std::uint32_t i = 0; i < m.roster.size(); ++i)
      if (on_shift_day(m, m.roster[i], st.time_s) >= 0) on_shift[m.roster[i].group].push_back(i);
    std::vector<std::size_t> used(static_cast<std::size_t>(m.groups), 0);
    std::vector<std::size_t> listed(static_cast<std::size_t>(m.groups), 0);
    for (const auto& e : st.agents) ++listed[static_cast<std::size_t>(e.group)];
    for (std::size_t k = 0; k < st.agents.size(); ++k) {
      const auto& e = st.agents[k];
      const auto g = static_cast<std::size_t>(e.group);
      if (used[g] >= on_shift[g].size()) {
        if (used[g] == on_shift[g].size())
          error(e.where, "group: " + std::to_string(listed[g]) + " agents of this group are listed, but it has " +
                             std::to_string(on_shift[g].size()) + " on shift at " + st.time_text);
        ++used[g];
        continue;
      }
      const std::uint32_t agent = on_shift[g][used[g]++];
      p.entry_of[agent] = static_cast<int>(k);
      for (const auto& h : e.held) {
        if (!std::isnan(h.remaining_s) || h.callback) continue;  // a call-out's law: start_state_carried.cpp
        const auto type = static_cast<std::uint32_t>(h.type);
        const engine::Distribution law = e.activity == AgentActivity::wrap
                                             ? m.wrap_up[type]
                                             : talk_law(m, type, agent, e.held.size(), st.time_s);
        if (!(law.survival(h.elapsed_s) > 0.0))
          p.warnings.push_back(h.where + ": " + where + "elapsed: past every value of " + law.describe() +
                               ": it ends at once");
      }
    }
    check_carried(st, m, error);
    // Callers in the system hold lines (their type's trunk group's unless the state says otherwise): a state
    // cannot hold more than there are.
    std::vector<long long> holding(m.lines.size(), 0);
    auto line = [&](int type, int l) {
      return l == scenario::kOwnLine ? m.line_group[static_cast<std::size_t>(type)] : l;
    };
    for (const auto& w : st.waiting)
      if (const int g = line(w.type, w.line); g >= 0) holding[static_cast<std::size_t>(g)] += w.count;
    for (const auto& e : st.agents)
      if (e.activity == AgentActivity::busy)
        for (const auto& h : e.held)
          if (const int g = line(h.type, h.line); g >= 0 && !h.callback)
            ++holding[static_cast<std::size_t>(g)];  // a call-out holds no line
    for (std::size_t g = 0; g < m.lines.size(); ++g)
      if (holding[g] > m.lines[g])
        error(st.where, "waiting, agents: " + std::to_string(holding[g]) + " callers waiting or in service hold lines of trunk group " +
                            std::to_string(g + 1) + ", which has " + std::to_string(m.lines[g]) + " lines");
    for (const auto& w : st.waiting)
      if (!(m.patience[static_cast<std::size_t>(w.type)].survival(w.waited_s) > 0.0))
        p.warnings.push_back(w.where + ": " + where + "waited: past every value of the patience law " +
                             m.patience[static_cast<std::size_t>(w.type)].describe() + ": they hang up at once");
    plans.push_back(std::move(p));
  }
  if (!errors.empty()) throw InputError(errors);
  return plans;
}

using State = Replication::State;

// Callers waiting at the state's time join their queues, longest waiting first, and the callbacks waiting
// there keep their places among them (start_state_carried.cpp); callers count as offered in the state's
// interval. Their patience, talk and wrap-up are drawn from the type's start-state stream, the patience
// given how long they have waited. Then the pending redials and callback tries are put in the calendar.
void State::apply_start_waiting() {
  const StartState& st = *plan->state;
  const double now = plan->time_s;
  carried_callbacks.assign(static_cast<std::size_t>(m.types), 0);
  struct Place {
    double waited;  // since joining the queue
    std::uint32_t type;
    int callback;  // index in st.callbacks, or -1: a caller
    int attempt;   // a caller's
    int line;      // a caller's trunk group, -1: none
  };
  std::vector<Place> order;
  for (const auto& w : st.waiting) {
    const int line = w.line == scenario::kOwnLine ? m.line_group[static_cast<std::size_t>(w.type)] : w.line;
    for (int n = 0; n < w.count; ++n)
      order.push_back({w.waited_s, static_cast<std::uint32_t>(w.type), -1, w.attempt, line});
  }
  for (std::size_t i = 0; i < st.callbacks.size(); ++i)
    if (const auto& c = st.callbacks[i]; std::isnan(c.next_try_s))
      order.push_back({std::isnan(c.queued_s) ? c.requested_s : c.queued_s, static_cast<std::uint32_t>(c.type),
                       static_cast<int>(i), 1, -1});
  std::stable_sort(order.begin(), order.end(), [](const Place& a, const Place& b) { return a.waited > b.waited; });
  const std::uint32_t k = clock.interval_of(now);
  for (const auto& [waited, type, callback, attempt, w_line] : order) {
    if (callback >= 0) {
      queue_carried_callback(st.callbacks[static_cast<std::size_t>(callback)], now);
      continue;
    }
    engine::Stream& s = starting[type];
    const std::uint32_t slot = new_slot();
    const std::uint32_t cell = k * static_cast<std::uint32_t>(m.types) + type;
    const double handle_s = m.handle_time[type].sample(s) * m.handle_scale[type * m.intervals + k];
    const double patience_s = m.patience[type].residual(waited, s);
    const double wrap_s = m.wrap_up[type].sample(s);
    const double transfer_u = m.transfers_from[type].empty() ? 1.0 : s.uniform();
    const double since = now - waited;
    contacts[slot] = {since, since, kNaN, handle_s, wrap_s, transfer_u, next_serial++, type, cell,
                      ContactState::waiting};
    tally.arrived(slot, contacts[slot].serial, -1, since);
    tally.offered(cell, m.traits[type].email);
    if (attempt == 1) {
      tally.customer(cell);  // a first call, as far as this day knows
    } else {  // a redial: its customer one of before, with an id of its own, counted here as still trying
      contacts[slot].attempt = static_cast<std::uint8_t>(attempt);
      redials.note(slot, next_serial, cell);
      tally.redial(contacts[slot], slot, next_serial++);
      tally.carried_customer(cell);
    }
    if (m.limited) lines.take_of(slot, w_line);
    entered(slot);
    queues.push(type, slot);
    if (patience_s < kNever) deadlines.arm(slot, contacts[slot].serial, now + patience_s);
    rearm_overflow(type, now);
  }
  apply_start_pending();
}

// Day d's shift of an agent under a start plan: false if it is over before the run starts. Who is there is
// known for a day already begun (no absence drawn); a listed agent is there unless listed absent.
bool State::start_shift(std::uint32_t agent, std::uint32_t day, bool& absent) {
  const RosterAgent& r = m.roster[agent];
  if (day * Model::kDayPeriod + r.end_s <= plan->time_s) return false;
  const int d = static_cast<int>(day);
  if (d < plan->day || (d == plan->day && !plan->at_opening)) absent = false;
  const int entry = plan->entry_of[agent];
  if (entry >= 0 && on_shift_day(m, r, plan->time_s) == d)
    absent = plan->state->agents[static_cast<std::size_t>(entry)].activity == AgentActivity::absent;
  return true;
}

// An agent on shift at the state's time who is listed doing something: it starts doing it (true); an idle
// or unlisted one starts as a shift does (false).
bool State::listed_at_start(std::uint32_t agent, double shift_end) {
  const int entry = plan->entry_of[agent];
  if (entry < 0) return false;
  const auto& e = plan->state->agents[static_cast<std::size_t>(entry)];
  if (e.activity == AgentActivity::idle || e.activity == AgentActivity::absent) return false;
  apply_start_agent(agent, e, shift_end);
  return true;
}

// A listed agent on shift at the state's time starts there doing what the state says (idle ones start as
// a shift would, through the day plan).
void State::apply_start_agent(std::uint32_t agent, const StartState::AgentEntry& e, double shift_end) {
  const double now = plan->time_s;
  Agent& a = pool[agent];
  a.day_offset_s = plan->day * Model::kDayPeriod;
  a.shift_end_s = shift_end;
  switch (e.activity) {
    case AgentActivity::busy: {
      pool.set_state(agent, AgentState::busy, now);
      const bool chat = m.traits[static_cast<std::size_t>(e.held.front().type)].chat;
      for (const auto& h : e.held) {
        const auto type = static_cast<std::uint32_t>(h.type);
        if (h.callback) {  // a call-out: one contact, no chat
          start_carried_call_out(agent, h, now);
          return;
        }
        engine::Stream& s = starting[type];
        const double rest =
            std::isnan(h.remaining_s)
                ? talk_law(m, type, agent, e.held.size(), now).residual(h.elapsed_s, s)
                : h.remaining_s;
        const double wrap_s = m.wrap_up[type].sample(s);
        const double transfer_u = m.transfers_from[type].empty() ? 1.0 : s.uniform();
        const std::uint32_t slot = new_slot();
        const std::uint32_t cell = clock.interval_of(now) * static_cast<std::uint32_t>(m.types) + type;
        contacts[slot] = {now,        now,           kNaN, rest, wrap_s,
                          transfer_u, next_serial++, type, cell, ContactState::in_service};
        // Answered before the state's time: its customer was counted (and served) then, not in this run.
        contacts[slot].transferred = true;
        if (m.limited) lines.take_of(slot, h.line == scenario::kOwnLine ? m.line_group[type] : h.line);
        entered(slot);
        hand_to(agent, slot, type);
        if (chat) {
          ++a.chats;
          a.chat_limit = std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[type]));
        }
        // A chat's wrap-up is part of its session.
        schedule(now + rest + (chat ? wrap_s : 0.0), EventKind::service_end, agent, slot);
      }
      if (chat) pool.list_chat_open(agent);
      return;
    }
    case AgentActivity::wrap: {
      const auto& h = e.held.front();
      const double rest = std::isnan(h.remaining_s)
                              ? m.wrap_up[static_cast<std::size_t>(h.type)].residual(
                                    h.elapsed_s, starting[static_cast<std::size_t>(h.type)])
                              : h.remaining_s;
      pool.set_state(agent, AgentState::wrap, now);
      schedule(now + rest, EventKind::wrap_end, agent);
      return;
    }
    case AgentActivity::on_break:
      pool.set_state(agent, AgentState::on_break, now);
      schedule(e.until_s, EventKind::break_end, agent);
      return;
    case AgentActivity::meeting:
      start_shrinkage(agent, e.until_s, now);
      return;
    case AgentActivity::interrupted:
      pool.set_state(agent, AgentState::interrupted, now);
      schedule(e.until_s, EventKind::interruption_end, agent);
      return;
    case AgentActivity::idle:
    case AgentActivity::absent:
      return;  // the day plan starts or skips them
  }
}

// The trunk group whose line a contact holds (-1: none), as a state records it.
int State::line_held(std::uint32_t slot) const {
  if (!m.limited) return scenario::kOwnLine;  // no lines: nothing to record
  const std::uint32_t g = lines.held(slot);
  return g == kNone ? -1 : static_cast<int>(g);
}

// The state at `now` (before any event at `now`): who waits, and what each agent on shift then does, in
// the order compile_start_states reads them back (a group's agents on shift, in roster order). Times still
// to run are taken from the calendar, so a state read back continues each contact and break exactly.
StartState State::capture(double now, const std::string& text) const {
  StartState st;
  st.time_s = now;
  st.time_text = text;
  std::vector<std::pair<double, std::uint32_t>> waiting;  // (wait from, slot)
  for (std::uint32_t slot = 0; slot < contacts.size(); ++slot)
    if (contacts[slot].state == ContactState::waiting && !contacts[slot].callback)  // callers, not callbacks
      waiting.emplace_back(contacts[slot].wait_from_s, slot);
  std::sort(waiting.begin(), waiting.end());
  for (const auto& [from, slot] : waiting)
    st.waiting.push_back({static_cast<int>(contacts[slot].type), std::max(0.0, now - from), 1, "",
                          contacts[slot].transferred ? 1 : contacts[slot].attempt, line_held(slot)});
  // What the calendar says will end each agent's present doing.
  struct Ending {
    double time;
    EventKind kind;
    std::uint32_t token;
  };
  std::vector<std::vector<Ending>> endings(pool.agents().size());
  calendar.for_each([&](double t, std::uint8_t kind, std::uint32_t subject, std::uint32_t token) {
    const auto k = static_cast<EventKind>(kind);
    if (k == EventKind::service_end || k == EventKind::wrap_end || k == EventKind::break_end ||
        k == EventKind::shrinkage_end || k == EventKind::interruption_end)
      endings[subject].push_back({t, k, token});
  });
  auto ending = [&](std::uint32_t agent, EventKind kind, std::uint32_t token, bool any_token) {
    for (const Ending& e : endings[agent])
      if (e.kind == kind && (any_token || e.token == token)) return e.time;
    return now;
  };
  for (std::uint32_t g = 0; g < static_cast<std::uint32_t>(m.groups); ++g)
    for (std::uint32_t i = 0; i < m.roster.size(); ++i) {
      if (m.roster[i].group != g) continue;
      const int day = on_shift_day(m, m.roster[i], now);
      if (day < 0) continue;
      const Agent& a = pool.agents()[i];
      StartState::AgentEntry e;
      e.group = static_cast<int>(g);
      switch (a.state) {
        case AgentState::off:  // not there though on shift: absent (one due to start now starts)
          e.activity = shift_span(m, m.roster[i], day).from < now ? AgentActivity::absent : AgentActivity::idle;
          break;
        case AgentState::idle:
          e.activity = AgentActivity::idle;
          break;
        case AgentState::busy:
          e.activity = AgentActivity::busy;
          for (const Ending& x : endings[i])
            if (x.kind == EventKind::service_end) {
              StartState::Held h;
              h.type = static_cast<int>(contacts[x.token].type);
              h.remaining_s = x.time - now;
              if (contacts[x.token].callback)
                h.callback = capture_call_out(x.token, now);
              else
                h.line = line_held(x.token);
              e.held.push_back(std::move(h));
            }
          break;
        case AgentState::wrap:
          e.activity = AgentActivity::wrap;
          // The type is that of the contact just finished; only its wrap-up law would need it.
          e.held.push_back({static_cast<int>(m.types_for_group[g].front().type), kNaN,
                            ending(i, EventKind::wrap_end, 0, true) - now, "", std::nullopt});
          break;
        case AgentState::on_break:
          e.activity = AgentActivity::on_break;
          e.until_s = ending(i, EventKind::break_end, 0, true);
          break;
        case AgentState::shrinkage:
          e.activity = AgentActivity::meeting;
          e.until_s = ending(i, EventKind::shrinkage_end, a.shrinkage_token, false);
          break;
        case AgentState::interrupted:
          e.activity = AgentActivity::interrupted;
          e.until_s = ending(i, EventKind::interruption_end, 0, true);
          break;
      }
      st.agents.push_back(std::move(e));
    }
  capture_pending(st, now);
  return st;
}

}  // namespace ccsim::model
