// The agent pool: every rostered agent's state, the lists of idle agents (longest idle first) and of agents
// holding chats with room for more, and head counts per group. A change of state books the time spent in
// the old one in the tally. The pool answers "who is free"; what an agent does next is the conductor's call.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/fifo.hpp"
#include "model/entities.hpp"
#include "model/tally.hpp"

namespace ccsim::model {

class AgentPool {
 public:
  AgentPool(const Model& m, Tally& tally) : m_(m), tally_(tally) {}

  void reset(bool clock_states) {
    const auto groups = static_cast<std::size_t>(m_.groups);
    agents_.assign(m_.roster.size(), Agent{});
    for (std::uint32_t i = 0; i < m_.roster.size(); ++i) {
      agents_[i].group = m_.roster[i].group;
      agents_[i].location = m_.roster[i].location;
      agents_[i].until_queue_empty = m_.roster[i].until_queue_empty;
    }
    idle_.resize(groups);
    for (auto& q : idle_) q.clear();
    chat_open_.resize(groups);
    for (auto& q : chat_open_) q.clear();
    on_duty_.assign(groups, 0);
    staffed_.assign(groups, 0);
    lingering.clear();
    clocked_.assign(clock_states ? agents_.size() : 0, std::array<double, kAgentStates>{});
  }

  [[nodiscard]] Agent& operator[](std::uint32_t agent) { return agents_[agent]; }
  [[nodiscard]] const std::vector<Agent>& agents() const { return agents_; }

  void set_state(std::uint32_t agent, AgentState s, double now) {
    Agent& a = agents_[agent];
    tally_.book(a.group, a.state, a.since_s, now);
    tally_.state_changed(agent, a.group, a.state, s, now);
    if (!clocked_.empty() && a.state != AgentState::off)
      clocked_[agent][static_cast<std::size_t>(a.state)] += inside_intervals(a.since_s, now);
    on_duty_[a.group] +=
        static_cast<std::uint32_t>(working(s)) - static_cast<std::uint32_t>(working(a.state));
    staffed_[a.group] += static_cast<std::uint32_t>(s != AgentState::off) -
                         static_cast<std::uint32_t>(a.state != AgentState::off);
    a.state = s;
    a.since_s = now;
  }

  // The agent goes idle and joins the back of its group's idle list.
  void make_idle(std::uint32_t agent, double now) {
    Agent& a = agents_[agent];
    set_state(agent, AgentState::idle, now);
    a.idle_since_s = now;
    ++a.epoch;
    idle_[a.group].push({agent, a.epoch});
  }

  // The group's longest idle agent, dropping entries of agents who left idle since; kNone if none.
  std::uint32_t front_idle(std::uint32_t group) {
    auto& q = idle_[group];
    while (!q.empty()) {
      const Entry e = q.front();
      const Agent& a = agents_[e.agent];
      if (a.state == AgentState::idle && a.epoch == e.epoch) return e.agent;
      q.pop();
    }
    return kNone;
  }
  // For an e-mail: the group's longest idle agent still on shift — one staying past its shift (an all-day
  // agent held by calls to come) takes no e-mail — or kNone. Such agents ahead of it keep their places.
  std::uint32_t front_idle_on_shift(std::uint32_t group, double now) {
    const std::uint32_t front = front_idle(group);
    if (front == kNone || now < agents_[front].shift_end_s) return front;
    const auto& q = idle_[group];
    for (std::size_t i = 1; i < q.size(); ++i) {
      const Entry e = q.at(i);
      const Agent& a = agents_[e.agent];
      if (a.state == AgentState::idle && a.epoch == e.epoch && now < a.shift_end_s) return e.agent;
    }
    return kNone;
  }
  // An idle agent found by front_idle or front_idle_on_shift leaves its list: the front is popped, an entry
  // further back goes stale once the agent is no longer idle (the next make_idle lists it anew).
  void take_idle(std::uint32_t group, std::uint32_t agent) {
    if (idle_[group].front().agent == agent) idle_[group].pop();
  }

  // Whether an agent holding chats may open another: not once its shift has ended (unless it stays to empty
  // the queue) or a break or meeting has fallen due — it finishes the chats in hand and goes.
  [[nodiscard]] static bool may_take_more(const Agent& a, double now) {
    return !a.shift_over && a.pending_breaks == 0 && !(a.pending_shrinkage_end > now) &&
           (now < a.shift_end_s || a.until_queue_empty);
  }

  // The group's agent holding chats longest with room for one more of `type`, or kNone. Entries of agents
  // who may take no more are dropped; they are listed again when they next fill their chats.
  std::uint32_t front_chat_open(std::uint32_t group, std::uint32_t type, double now) {
    auto& q = chat_open_[group];
    while (!q.empty()) {
      const Entry e = q.front();
      const Agent& a = agents_[e.agent];
      if (a.state == AgentState::busy && a.epoch == e.epoch && a.chats > 0 && may_take_more(a, now) &&
          a.chats < std::min(a.chat_limit, static_cast<std::uint32_t>(m_.concurrency[type])))
        return e.agent;
      q.pop();  // full: it is listed again when one of its chats ends
    }
    return kNone;
  }
  void pop_chat_open(std::uint32_t group) { chat_open_[group].pop(); }
  void list_chat_open(std::uint32_t agent) {
    Agent& a = agents_[agent];
    ++a.epoch;
    chat_open_[a.group].push({agent, a.epoch});
  }

  // Agents of a group idle, busy or in wrap-up; and in any state but off.
  [[nodiscard]] std::uint32_t on_duty(std::uint32_t group) const { return on_duty_[group]; }
  [[nodiscard]] std::uint32_t staffed(std::uint32_t group) const { return staffed_[group]; }

  // Seconds per state of each agent inside the day's intervals, clocked apart from the tally (invariant
  // checks); empty unless asked for at reset.
  [[nodiscard]] const std::vector<std::array<double, kAgentStates>>& clocked() const { return clocked_; }
  void clock_until(double end) {
    if (clocked_.empty()) return;
    for (std::size_t i = 0; i < agents_.size(); ++i)
      if (agents_[i].state != AgentState::off)
        clocked_[i][static_cast<std::size_t>(agents_[i].state)] += inside_intervals(agents_[i].since_s, end);
  }

  std::vector<std::uint32_t> lingering;  // all-day agents idle past their shift end, held by work to come

 private:
  struct Entry {
    std::uint32_t agent;
    std::uint32_t epoch;
  };
  static bool working(AgentState s) {
    return s == AgentState::idle || s == AgentState::busy || s == AgentState::wrap;
  }
  // Seconds of [from, to) inside the run's days (opening to closing), computed apart from the tally's
  // interval walk so the two check each other.
  [[nodiscard]] double inside_intervals(double from, double to) const {
    double total = 0.0;
    for (int d = 0; d < m_.days; ++d) {
      const double open = d * Model::kDayPeriod, close = open + m_.day_length_s;
      total += std::max(0.0, std::min(to, close) - std::max(from, open));
    }
    return total;
  }

  const Model& m_;
  Tally& tally_;
  std::vector<Agent> agents_;                   // one per roster entry, same index
  std::vector<engine::Fifo<Entry>> idle_;       // per group, longest idle first, may hold stale entries
  std::vector<engine::Fifo<Entry>> chat_open_;  // per group: agents holding chats with room for more
  std::vector<std::uint32_t> on_duty_, staffed_;
  std::vector<std::array<double, kAgentStates>> clocked_;
};

}  // namespace ccsim::model
