#include "model/replication.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "common/error.hpp"
#include "engine/calendar.hpp"
#include "engine/fifo.hpp"
#include "engine/random.hpp"

namespace ccsim::model {
namespace {

// Same-instant events run in this order: an agent who finishes takes the longest waiter before that
// waiter's patience runs out; a caller who hangs up leaves before an overflow offers him elsewhere; and
// all of that happens before a newcomer looks for an agent.
enum class EventKind : std::uint8_t { service_end = 0, abandonment = 1, overflow = 2, arrival = 3 };

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr double kNever = std::numeric_limits<double>::infinity();

enum class ContactState : std::uint8_t { free, waiting, in_service };

struct Contact {
  double queued_s;       // when it joined its current queue (arrival, or transfer)
  double handle_s;
  double transfer_u;     // uniform deciding the transfer after service
  std::uint32_t serial;  // unique within the replication: stale queue entries and events compare it
  std::uint32_t type;
  std::uint32_t cell;    // interval * types + type, for the counts
  ContactState state;
};

struct QueueEntry {
  std::uint32_t slot;
  std::uint32_t serial;
};

struct Agent {
  std::uint32_t group = 0;
  std::uint32_t contact = kNone;
  std::uint32_t edge = 0;  // skill edge of the contact in hand
  double busy_since_s = 0.0;
  double idle_since_s = 0.0;
};

}  // namespace

struct Replication::State {
  const Model& m;
  engine::Calendar calendar;
  // Per type: arrivals, handle time, patience, transfer choice; and for contacts arriving by transfer.
  std::vector<engine::Stream> arrivals, handle, patience, transfer_choice, transferred_handle, transferred_patience;
  std::vector<Contact> contacts;
  std::vector<std::uint32_t> free_slots;
  std::vector<engine::Fifo<QueueEntry>> queues;  // per type, FIFO, may hold stale entries
  std::vector<Agent> agents;
  std::vector<engine::Fifo<std::uint32_t>> idle;  // per group, longest idle first
  std::vector<ContactCounts> counts;               // [interval * types + type]
  std::vector<WaitHistogram> waits;                // same index
  std::vector<double> busy_s;                      // [interval * groups + group]
  std::vector<ServedCount> served;                 // [interval * skills + edge]
  std::vector<std::uint64_t> transfers;            // [interval * transfer edges + edge]
  std::uint32_t next_serial = 0;

  explicit State(const Model& model) : m(model) {}

  std::uint32_t interval_of(double t) const {
    auto k = static_cast<int>(t / m.interval_s);
    return static_cast<std::uint32_t>(k < m.intervals ? k : m.intervals - 1);
  }

  // Next arrival of a type after t in a Poisson process whose rate is constant within each interval:
  // one unit-exponential draw is spent against the integrated rate, crossing interval boundaries.
  double next_arrival(std::uint32_t type, double t) {
    double budget = arrivals[type].exponential(1.0);
    for (int k = static_cast<int>(t / m.interval_s); k < m.intervals; ++k) {
      double end = (k + 1) * m.interval_s;
      double rate = m.rate_at(static_cast<int>(type), k);
      double capacity = rate * (end - t);
      if (budget < capacity) return t + budget / rate;
      budget -= capacity;
      t = end;
    }
    return kNever;
  }

  void schedule_arrival(std::uint32_t type, double after) {
    double t = next_arrival(type, after);
    if (t < m.day_end_s) calendar.schedule(t, static_cast<std::uint8_t>(EventKind::arrival), type);
  }

  void add_busy(std::uint32_t group, double from, double to) {
    to = std::min(to, m.day_end_s);  // time after closing is overtime, not part of any interval
    while (from < to) {
      std::uint32_t k = interval_of(from);
      double end = std::min(to, (k + 1) * m.interval_s);
      busy_s[k * static_cast<std::uint32_t>(m.groups) + group] += end - from;
      from = end;
    }
  }

  void start_service(std::uint32_t agent, std::uint32_t slot, std::uint32_t edge, double now) {
    Contact& c = contacts[slot];
    c.state = ContactState::in_service;
    const double wait = now - c.queued_s;
    ContactCounts& n = counts[c.cell];
    ++n.answered;
    n.wait_answered_s += wait;
    n.handle_s += c.handle_s;
    n.answered_within_tau += wait <= m.tau_s;
    waits[c.cell].add(wait);
    const std::uint32_t k = c.cell / static_cast<std::uint32_t>(m.types);
    ServedCount& s = served[k * static_cast<std::uint32_t>(m.skills.size()) + edge];
    ++s.answered;
    s.handle_s += c.handle_s;
    Agent& a = agents[agent];
    a.contact = slot;
    a.edge = edge;
    a.busy_since_s = now;
    calendar.schedule(now + c.handle_s, static_cast<std::uint8_t>(EventKind::service_end), agent);
  }

  void release(std::uint32_t slot) {
    contacts[slot].state = ContactState::free;
    free_slots.push_back(slot);
  }

  // select_agent: an idle agent for a contact of `type` that has waited `waited` seconds, per the
  // agent-selection policy; kNone if no group it may go to now has one. Returns the agent, and its edge.
  std::uint32_t select_agent(std::uint32_t type, double waited, std::uint32_t& edge) {
    std::uint32_t best = kNone;
    int best_priority = 0;
    for (const Route& r : m.groups_for_type[type]) {
      if (r.overflow_s > waited || idle[r.group].empty()) continue;
      if (best != kNone && m.agent_selection == scenario::AgentSelection::preferred_group && r.priority > best_priority)
        break;  // routes are sorted by priority: a worse group is never preferred
      std::uint32_t candidate = idle[r.group].front();
      if (best == kNone || agents[candidate].idle_since_s < agents[best].idle_since_s) {
        best = candidate;
        best_priority = r.priority;
        edge = r.edge;
      }
    }
    return best;
  }

  // select_contact: the waiting contact a freed agent of `group` takes, per the contact-selection policy;
  // kNone if none it may take now. Each queue is FIFO, so only heads compete, and a head not yet past its
  // overflow delay means nobody behind it is.
  std::uint32_t select_contact(std::uint32_t group, double now, std::uint32_t& edge) {
    using scenario::ContactSelection;
    std::uint32_t best = kNone;
    const Route* best_route = nullptr;
    int best_rank = 0;
    double best_score = 0.0;
    for (const Route& r : m.types_for_group[group]) {
      std::uint32_t slot = head_of(r.type);
      if (slot == kNone) continue;
      const double waited = now - contacts[slot].queued_s;
      if (waited < r.overflow_s) continue;
      // Compared as (rank, score), lower first.
      const int rank = m.contact_selection == ContactSelection::priority_then_longest_waiting ? r.priority : 0;
      const double score = m.contact_selection == ContactSelection::weighted_waiting ? -waited * r.weight : -waited;
      if (best == kNone || rank < best_rank || (rank == best_rank && score < best_score)) {
        best = slot;
        best_route = &r;
        best_rank = rank;
        best_score = score;
      }
    }
    if (best != kNone) {
      queues[best_route->type].pop();
      edge = best_route->edge;
    }
    return best;
  }

  // A contact joins `type`: an idle agent takes it, or it queues (with its patience and overflows armed).
  void offer(std::uint32_t slot, double patience_s, double now) {
    Contact& c = contacts[slot];
    std::uint32_t edge = 0;
    std::uint32_t agent = select_agent(c.type, 0.0, edge);
    if (agent != kNone) {
      idle[agents[agent].group].pop();
      start_service(agent, slot, edge, now);
      return;
    }
    queues[c.type].push({slot, c.serial});
    if (patience_s < kNever)
      calendar.schedule(now + patience_s, static_cast<std::uint8_t>(EventKind::abandonment), slot, c.serial);
    for (const Route& r : m.groups_for_type[c.type])
      if (r.overflow_s > 0.0 && r.overflow_s < patience_s)
        calendar.schedule(now + r.overflow_s, static_cast<std::uint8_t>(EventKind::overflow), slot, c.serial);
  }

  std::uint32_t new_slot() {
    if (free_slots.empty()) {
      contacts.emplace_back();
      return static_cast<std::uint32_t>(contacts.size() - 1);
    }
    std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }

  void on_arrival(std::uint32_t type, double now) {
    const std::uint32_t slot = new_slot();
    // Every attribute is drawn now, from its own stream, whether or not it will be used: the k-th caller
    // of a type is the same person under every policy.
    const double handle_s = m.handle_time[type].sample(handle[type]);
    const double patience_s = m.patience[type].sample(patience[type]);
    const double transfer_u = transfer_choice[type].uniform();
    const std::uint32_t cell = interval_of(now) * static_cast<std::uint32_t>(m.types) + type;
    contacts[slot] = {now, handle_s, transfer_u, next_serial++, type, cell, ContactState::waiting};
    ++counts[cell].offered;
    schedule_arrival(type, now);
    offer(slot, patience_s, now);
  }

  void on_abandonment(std::uint32_t slot, std::uint32_t serial, double now) {
    Contact& c = contacts[slot];
    if (c.serial != serial || c.state != ContactState::waiting) return;  // answered meanwhile: stale
    const double wait = now - c.queued_s;
    ContactCounts& n = counts[c.cell];
    ++n.abandoned;
    n.wait_abandoned_s += wait;
    n.short_abandoned += wait <= m.short_abandon_s;
    n.abandoned_within_tau += wait <= m.tau_s;
    release(slot);  // its queue entry goes stale and is skipped when it reaches the head
  }

  // The contact has waited long enough to be offered to a further group: if one has an idle agent, that
  // agent takes whichever contact its own selection policy prefers (this one, or one waiting longer).
  void on_overflow(std::uint32_t slot, std::uint32_t serial, double now) {
    const Contact& c = contacts[slot];
    if (c.serial != serial || c.state != ContactState::waiting) return;
    std::uint32_t edge = 0;
    std::uint32_t agent = select_agent(c.type, now - c.queued_s, edge);
    if (agent == kNone) return;
    idle[agents[agent].group].pop();
    dispatch(agent, now);
  }

  // The head of a type's queue after dropping stale entries, or kNone.
  std::uint32_t head_of(std::uint32_t type) {
    auto& q = queues[type];
    while (!q.empty()) {
      const QueueEntry e = q.front();
      const Contact& c = contacts[e.slot];
      if (c.serial == e.serial && c.state == ContactState::waiting) return e.slot;
      q.pop();
    }
    return kNone;
  }

  // A free agent takes the next contact its group may take, or goes idle.
  void dispatch(std::uint32_t agent, double now) {
    std::uint32_t edge = 0;
    std::uint32_t slot = select_contact(agents[agent].group, now, edge);
    if (slot != kNone) {
      start_service(agent, slot, edge, now);
      return;
    }
    agents[agent].idle_since_s = now;
    idle[agents[agent].group].push(agent);
  }

  // After service the contact may continue as another type (second line): same slot, new serial.
  bool transfer(std::uint32_t slot, double now) {
    Contact& c = contacts[slot];
    for (const TransferRoute& x : m.transfers_from[c.type]) {
      if (c.transfer_u >= x.cumulative) continue;
      const std::uint32_t to = x.to;
      const std::uint32_t k = interval_of(now);
      ++transfers[k * static_cast<std::uint32_t>(m.transfer_edges) + x.edge];
      const double patience_s = m.patience[to].sample(transferred_patience[to]);
      c = {now,  m.handle_time[to].sample(transferred_handle[to]), transfer_choice[to].uniform(), next_serial++, to,
           k * static_cast<std::uint32_t>(m.types) + to, ContactState::waiting};
      ++counts[c.cell].offered;
      offer(slot, patience_s, now);
      return true;
    }
    return false;
  }

  void on_service_end(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    add_busy(a.group, a.busy_since_s, now);
    const std::uint32_t slot = a.contact;
    a.contact = kNone;
    // The transferred contact is routed while its agent is still handing over, then the agent moves on.
    if (!transfer(slot, now)) release(slot);
    dispatch(agent, now);
  }

  void reset(std::uint64_t seed, std::uint32_t replication) {
    calendar.clear();
    const auto types = static_cast<std::size_t>(m.types);
    auto streams = [&](std::vector<engine::Stream>& v, StreamPurpose p) {
      v.resize(types);
      for (std::uint32_t t = 0; t < types; ++t) v[t] = engine::Stream(seed, replication, stream_id(p, t));
    };
    streams(arrivals, StreamPurpose::arrivals);
    streams(handle, StreamPurpose::handle_time);
    streams(patience, StreamPurpose::patience);
    streams(transfer_choice, StreamPurpose::transfer_choice);
    streams(transferred_handle, StreamPurpose::transferred_handle_time);
    streams(transferred_patience, StreamPurpose::transferred_patience);
    contacts.clear();
    free_slots.clear();
    queues.resize(types);
    for (auto& q : queues) q.clear();
    agents.clear();
    idle.resize(static_cast<std::size_t>(m.groups));
    for (std::uint32_t g = 0; g < static_cast<std::uint32_t>(m.groups); ++g) {
      idle[g].clear();
      for (int i = 0; i < m.agents[g]; ++i) {
        idle[g].push(static_cast<std::uint32_t>(agents.size()));
        agents.push_back({g, kNone, 0, 0.0, 0.0});
      }
    }
    const auto k = static_cast<std::size_t>(m.intervals);
    counts.assign(k * types, ContactCounts{});
    waits.resize(k * types);
    for (auto& w : waits) w.clear();
    busy_s.assign(k * static_cast<std::size_t>(m.groups), 0.0);
    served.assign(k * m.skills.size(), ServedCount{});
    transfers.assign(k * static_cast<std::size_t>(m.transfer_edges), 0);
    next_serial = 0;
  }

  std::uint64_t play() {
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) schedule_arrival(t, 0.0);
    std::uint64_t events = 0;
    while (!calendar.empty()) {
      const engine::Event e = calendar.pop();
      ++events;
      switch (static_cast<EventKind>(e.kind())) {
        case EventKind::service_end: on_service_end(e.subject, e.time); break;
        case EventKind::abandonment: on_abandonment(e.subject, e.token, e.time); break;
        case EventKind::overflow: on_overflow(e.subject, e.token, e.time); break;
        case EventKind::arrival: on_arrival(e.subject, e.time); break;
      }
    }
    std::size_t idle_agents = 0;
    for (const auto& q : idle) idle_agents += q.size();
    if (idle_agents != agents.size())
      throw SimulationError("replication ended at t=" + std::to_string(calendar.now()) + " s with " +
                            std::to_string(agents.size() - idle_agents) + " agents still busy");
    return events;
  }

  ReplicationResult collect(std::uint64_t events) const {
    ReplicationResult r;
    const int types = m.types;
    r.series = types > 1 ? types + 1 : 1;
    const auto series = static_cast<std::size_t>(r.series);
    const auto groups = static_cast<std::size_t>(m.groups);
    const auto edges = m.skills.size();
    const auto tedges = static_cast<std::size_t>(m.transfer_edges);
    r.contacts_by_interval.resize(static_cast<std::size_t>(m.intervals) * series);
    r.contacts_by_day.resize(series);
    r.agents_by_day.resize(groups);
    r.served_by_day.resize(edges);
    r.transfers_by_day.resize(tedges);
    std::vector<WaitHistogram> day(series);
    for (int k = 0; k < m.intervals; ++k) {
      const auto ku = static_cast<std::size_t>(k);
      WaitHistogram all;
      ContactCounts all_counts;
      const bool measured = k >= m.warmup_intervals;
      for (int t = 0; t < types; ++t) {
        const auto src = static_cast<std::size_t>(k * types + t);
        ContactCell& cell = r.contacts_by_interval[ku * series + static_cast<std::size_t>(t)];
        cell.counts = counts[src];
        cell.wait = percentiles(waits[src]);
        if (types > 1) {
          all.add(waits[src]);
          all_counts.add(counts[src]);
        }
        if (measured) {
          r.contacts_by_day[static_cast<std::size_t>(t)].counts.add(counts[src]);
          day[static_cast<std::size_t>(t)].add(waits[src]);
        }
      }
      if (types > 1) {
        ContactCell& cell = r.contacts_by_interval[ku * series + series - 1];
        cell.counts = all_counts;
        cell.wait = percentiles(all);
        if (measured) {
          r.contacts_by_day[series - 1].counts.add(all_counts);
          day[series - 1].add(all);
        }
      }
      for (std::size_t g = 0; g < groups; ++g) {
        AgentTime at{m.agents[g] * m.interval_s, busy_s[ku * groups + g]};
        r.agents_by_interval.push_back(at);
        if (measured) {
          r.agents_by_day[g].staffed_s += at.staffed_s;
          r.agents_by_day[g].busy_s += at.busy_s;
        }
      }
      for (std::size_t e = 0; e < edges; ++e) {
        const ServedCount& s = served[ku * edges + e];
        r.served_by_interval.push_back(s);
        if (measured) {
          r.served_by_day[e].answered += s.answered;
          r.served_by_day[e].handle_s += s.handle_s;
        }
      }
      for (std::size_t e = 0; e < tedges; ++e) {
        r.transfers_by_interval.push_back(transfers[ku * tedges + e]);
        if (measured) r.transfers_by_day[e] += transfers[ku * tedges + e];
      }
    }
    for (std::size_t s = 0; s < series; ++s) r.contacts_by_day[s].wait = percentiles(day[s]);
    r.events = events;
    return r;
  }

  static WaitPercentiles percentiles(const WaitHistogram& h) {
    return {h.percentile(0.50), h.percentile(0.80), h.percentile(0.90), h.percentile(0.95)};
  }
};

Replication::Replication(const Model& model) : state_(std::make_unique<State>(model)) {}
Replication::~Replication() = default;

ReplicationResult Replication::run(std::uint64_t seed, std::uint32_t replication) {
  state_->reset(seed, replication);
  std::uint64_t events = state_->play();
  return state_->collect(events);
}

}  // namespace ccsim::model
