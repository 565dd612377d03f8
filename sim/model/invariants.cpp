// Invariant checks (checking mode, switched on by the model tests): each violation names the time, the
// event, the agent or contact and the rule it broke.
#include <string>

#include "common/error.hpp"
#include "model/conductor.hpp"

namespace ccsim::model {
namespace {

std::string agent_name(std::uint32_t agent, const Agent& a) {
  return "agent " + std::to_string(agent) + " of group " + std::to_string(a.group);
}

}  // namespace

using State = Replication::State;

void State::violation(const std::string& rule) const {
  if (current)
    throw SimulationError("invariant broken at t=" + std::to_string(current->time) + " s after event " +
                          kind_name(static_cast<EventKind>(current->kind())) + " (subject " +
                          std::to_string(current->subject) + "): " + rule);
  throw SimulationError("invariant broken: " + rule);
}

// No service starts for an agent off shift, or whose break, meeting or shift end has fallen due; an agent
// holding chats takes only chats within its concurrency; a voice or counter agent holds one contact; the
// agent's group has the skill; no e-mail after the shift.
void State::check_may_serve(std::uint32_t agent, std::uint32_t slot, double now) {
  const Agent& a = pool[agent];
  const Contact& c = contacts[slot];
  const auto who = [&] {
    return agent_name(agent, a) + " starting contact " + std::to_string(c.serial) + " of type " +
           std::to_string(c.type);
  };
  // (An agent whose break, meeting or interruption ends now is still in that state while it looks for work.)
  if (a.state == AgentState::off) violation(who() + ": the agent is off shift");
  if (a.chats > 0 ? !m.traits[c.type].chat : a.contact != kNone)
    violation(who() + ": an agent with a contact in hand takes no other (chats aside)");
  if (a.chats > 0 && a.chats >= std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[c.type])))
    violation(who() + ": holds " + std::to_string(a.chats) + " chats, its concurrency is reached");
  if (a.shift_over || (now >= a.shift_end_s && !a.until_queue_empty))
    violation(who() + ": the agent's shift has ended");
  if (a.pending_breaks != 0) violation(who() + ": the agent's break has fallen due");
  if (a.pending_shrinkage_end > now) violation(who() + ": the agent's meeting has begun");
  if (now >= a.shift_end_s && m.traits[c.type].email) violation(who() + ": no e-mail after the shift");
  bool skilled = false;
  for (const Route& r : m.types_for_group[a.group]) skilled |= r.type == c.type;
  if (!skilled) violation(who() + ": the group has no skill for the type");
  if (server_of.size() < contacts.size()) server_of.resize(contacts.size(), kNone);
  server_of[slot] = agent;
}

// Between instants: who holds what, who is idle while work waits, and conservation of contacts.
void State::check_instant(double now) {
  // A replication started from a live state plays nothing before the state's time.
  if (plan && now < plan->time_s)
    violation("an instant at " + std::to_string(now) + " s, before the start state's time " +
              std::to_string(plan->time_s) + " s");
  if (server_of.size() < contacts.size()) server_of.resize(contacts.size(), kNone);
  const auto& agents = pool.agents();
  std::vector<std::uint32_t> held(agents.size(), 0);
  std::vector<std::uint64_t> live(static_cast<std::size_t>(m.types), 0);
  std::vector<std::uint64_t> callbacks_open(static_cast<std::size_t>(m.types), 0);  // accepted, not ended
  for (std::uint32_t slot = 0; slot < contacts.size(); ++slot) {
    const Contact& c = contacts[slot];
    if (c.callback) {
      if (c.state == ContactState::free || c.state == ContactState::ghost)
        violation("callback " + std::to_string(c.serial) + " in a free or ghost slot");
      ++callbacks_open[c.type];
    } else if (c.state == ContactState::retry_due) {
      violation("contact " + std::to_string(c.serial) + " waits for a callback try but is no callback");
    }
    if (c.state == ContactState::in_service) {
      const std::uint32_t agent = server_of[slot];
      if (agent == kNone || agents[agent].state != AgentState::busy)
        violation("contact " + std::to_string(c.serial) + " is in service with no busy agent");
      ++held[agent];
    } else if (c.state == ContactState::waiting && !c.callback) {
      ++live[c.type];
    }
  }
  for (std::uint32_t i = 0; i < agents.size(); ++i) {
    const Agent& a = agents[i];
    // Named only when a rule breaks: a string per agent and instant cost a tenth of the random checker's
    // time.
    const auto who = [&] { return agent_name(i, a); };
    const std::uint32_t expected = a.state != AgentState::busy ? 0 : a.chats > 0 ? a.chats : 1;
    if (held[i] != expected)
      violation(who() + " holds " + std::to_string(held[i]) + " contacts in state " +
                std::to_string(static_cast<int>(a.state)) + ", expected " + std::to_string(expected));
    if (a.chats > 0 && a.chats > a.chat_limit) violation(who() + " holds more chats than its concurrency");
    if (a.since_s > now) violation(who() + " entered its state in the future");
    if (a.state != AgentState::idle) continue;
    if (a.pending_breaks != 0 || a.pending_shrinkage_end > now || a.shift_over)
      violation(who() + " is idle while a break, meeting or shift end is due");
    if (now >= a.shift_end_s && !a.until_queue_empty) violation(who() + " is idle after its shift");
    if (now >= a.shift_end_s && !still_needed(a))
      violation(who() + " is idle after its shift while nothing it may serve waits or comes");
    for (const Route& r : m.types_for_group[a.group]) {
      if (now >= a.shift_end_s && m.traits[r.type].email) continue;
      for (std::uint32_t q = r.type; q < queue_count(); q += static_cast<std::uint32_t>(m.types)) {
        const std::uint32_t head = queues.head(q);
        if (head != kNone && contacts[head].queued_s + r.overflow_s <= now)
          violation(who() + " is idle (since " + std::to_string(a.since_s) + " s) while contact " +
                    std::to_string(contacts[head].serial) + " of type " + std::to_string(r.type) +
                    " that it may serve has waited since " + std::to_string(contacts[head].queued_s) +
                    " s (overflow delay " + std::to_string(r.overflow_s) + " s)");
      }
    }
  }
  for (std::uint32_t q = 0; q < queue_count(); ++q)
    if (queues.count_live(q) != queues.waiting(q))
      violation("queue " + std::to_string(q) + ": " + std::to_string(queues.waiting(q)) +
                " counted waiting, " + std::to_string(queues.count_live(q)) + " in the queue");
  const auto& counts = tally.counts();
  for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
    ContactCounts sum;
    for (int k = 0; k < m.intervals; ++k) sum.add(counts[static_cast<std::size_t>(k * m.types) + t]);
    if (sum.offered != sum.answered + sum.abandoned + sum.unserved + live[t])
      violation("type " + std::to_string(t) + ": offered " + std::to_string(sum.offered) + " != answered " +
                std::to_string(sum.answered) + " + abandoned " + std::to_string(sum.abandoned) +
                " + unserved " + std::to_string(sum.unserved) + " + still waiting " +
                std::to_string(live[t]));
    // A caller who took a callback left `offered`; the callback is completed, failed, unserved or open. A
    // callback a start state carried in was accepted before the run: it ends here all the same.
    const std::uint64_t carried = t < carried_callbacks.size() ? carried_callbacks[t] : 0;
    if (sum.callbacks_accepted + carried !=
        sum.callbacks_completed + sum.callbacks_failed + sum.callbacks_unserved + callbacks_open[t])
      violation("type " + std::to_string(t) + ": callbacks accepted " +
                std::to_string(sum.callbacks_accepted) + " + carried in " + std::to_string(carried) +
                " != completed " + std::to_string(sum.callbacks_completed) + " + failed " +
                std::to_string(sum.callbacks_failed) + " + unserved " +
                std::to_string(sum.callbacks_unserved) + " + open " + std::to_string(callbacks_open[t]));
    if (sum.callbacks_accepted > sum.callbacks_offered)
      violation("type " + std::to_string(t) + ": more callbacks accepted than offered");
  }
  std::uint64_t open = 0;
  for (std::uint64_t n : callbacks_open) open += n;
  if (open != callbacks.outstanding())
    violation(std::to_string(open) + " callbacks open in the slots, " +
              std::to_string(callbacks.outstanding()) + " counted outstanding");
  check_attempts();
}

// Across attempts: every customer is served, lost, or still trying (waiting, or due to call again), counted
// by the type and interval of the first call; callers on a trunk group's lines are those it counts, never
// more than it has; no type waits beyond its waiting places (a transfer may, holding its line).
void State::check_attempts() const {
  const auto types = static_cast<std::size_t>(m.types);
  std::vector<std::uint64_t> trying(types, 0), on_lines(m.lines.size(), 0);
  for (std::uint32_t slot = 0; slot < contacts.size(); ++slot) {
    const Contact& c = contacts[slot];
    // A customer whose callback is open is still trying.
    if ((c.state == ContactState::waiting || c.callback) && c.state != ContactState::free && !c.transferred)
      ++trying[redials.first_cell(c, slot) % types];
    if ((c.state == ContactState::waiting || c.state == ContactState::in_service) && m.limited &&
        lines.held(slot) != kNone)
      ++on_lines[lines.held(slot)];
  }
  for (const Redials::Pending& p : redials.pending())
    if (p.active) ++trying[p.first_cell % types];
  const auto& counts = tally.counts();
  for (std::size_t t = 0; t < types; ++t) {
    ContactCounts sum;
    for (int k = 0; k < m.intervals; ++k) sum.add(counts[static_cast<std::size_t>(k) * types + t]);
    if (sum.customers != sum.customers_served + sum.customers_lost + trying[t])
      violation("type " + std::to_string(t) + ": customers " + std::to_string(sum.customers) + " != served " +
                std::to_string(sum.customers_served) + " + lost " + std::to_string(sum.customers_lost) +
                " + still trying " + std::to_string(trying[t]));
    if (m.queue_limit.empty() || m.queue_limit[t] < 0) continue;
    bool reached_by_transfer = false;
    for (const auto& from : m.transfers_from)
      for (const TransferRoute& x : from) reached_by_transfer |= x.to == t;
    if (!reached_by_transfer &&
        queues.waiting(static_cast<std::uint32_t>(t)) - callbacks.queued(static_cast<std::uint32_t>(t)) >
            static_cast<std::uint32_t>(m.queue_limit[t]))
      violation("type " + std::to_string(t) + ": " +
                std::to_string(queues.waiting(static_cast<std::uint32_t>(t))) + " waiting, beyond its " +
                std::to_string(m.queue_limit[t]) + " waiting places");
  }
  for (std::size_t g = 0; g < m.lines.size(); ++g)
    if (on_lines[g] != lines.in_use(g) || lines.in_use(g) > static_cast<std::uint32_t>(m.lines[g]))
      violation("line group " + std::to_string(g) + ": " + std::to_string(lines.in_use(g)) +
                " lines in use of " + std::to_string(m.lines[g]) + ", " + std::to_string(on_lines[g]) +
                " callers holding one");
}

// After the run: each group's time as booked per interval equals its agents' time per state, clocked apart;
// staffed = idle + busy + break + shrinkage + interrupted; nothing negative or beyond the roster; every
// planned break was taken or forfeited at its shift's end.
void State::check_time_accounting() const {
  const auto groups = static_cast<std::size_t>(m.groups);
  for (std::size_t g = 0; g < groups; ++g) {
    const BreakStats& b = tally.breaks()[g];
    if (b.planned != b.taken + b.forfeited)
      violation("group " + std::to_string(g) + ": " + std::to_string(b.planned) + " breaks planned, " +
                std::to_string(b.taken) + " taken and " + std::to_string(b.forfeited) + " forfeited");
  }
  const auto& agents = pool.agents();
  std::vector<std::array<double, kAgentStates>> expected(groups, std::array<double, kAgentStates>{});
  for (std::size_t i = 0; i < agents.size(); ++i)
    for (std::size_t s = 0; s < kAgentStates; ++s) expected[agents[i].group][s] += pool.clocked()[i][s];
  const auto& agent_time = tally.agent_time();
  for (std::size_t g = 0; g < groups; ++g) {
    AgentTime total;
    for (int k = 0; k < m.intervals; ++k) {
      const AgentTime& t = agent_time[static_cast<std::size_t>(k) * groups + g];
      if (t.busy_s < -1e-6 || t.break_s < -1e-6 || t.available_s() < -1e-6 * (1.0 + t.staffed_s) ||
          t.busy_s > t.available_s() + 1e-6 * (1.0 + t.staffed_s) || t.wrap_s > t.busy_s + 1e-6)
        violation("group " + std::to_string(g) + ", interval " + std::to_string(k) +
                  ": agent time does not add up (staffed " + std::to_string(t.staffed_s) + ", busy " +
                  std::to_string(t.busy_s) + ", available " + std::to_string(t.available_s()) + ")");
      total.add(t);
    }
    const auto& e = expected[g];
    auto at = [&](AgentState s) { return e[static_cast<std::size_t>(s)]; };
    const double staffed = at(AgentState::idle) + at(AgentState::busy) + at(AgentState::wrap) +
                           at(AgentState::on_break) + at(AgentState::shrinkage) + at(AgentState::interrupted);
    auto close = [](double a, double b) {
      return std::abs(a - b) <= 1e-6 * (1.0 + std::abs(a) + std::abs(b));
    };
    if (!close(total.staffed_s, staffed) ||
        !close(total.busy_s, at(AgentState::busy) + at(AgentState::wrap)) ||
        !close(total.wrap_s, at(AgentState::wrap)) || !close(total.break_s, at(AgentState::on_break)) ||
        !close(total.shrinkage_s, at(AgentState::shrinkage)) ||
        !close(total.interrupted_s, at(AgentState::interrupted)))
      violation("group " + std::to_string(g) + ": staffed time booked " + std::to_string(total.staffed_s) +
                " s but its agents' states add up to " + std::to_string(staffed) + " s");
  }
}

}  // namespace ccsim::model
