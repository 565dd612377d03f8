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
// waiter's patience runs out, and a caller who hangs up leaves before a newcomer looks for an agent.
enum class EventKind : std::uint8_t { service_end = 0, abandonment = 1, arrival = 2 };

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr double kNever = std::numeric_limits<double>::infinity();

enum class ContactState : std::uint8_t { free, waiting, in_service };

struct Contact {
  double arrival_s;
  double handle_s;
  std::uint32_t serial;  // unique within the replication: stale queue entries and events compare it
  std::uint32_t type;
  std::uint32_t cell;  // interval * types + type, for the counts
  ContactState state;
};

struct QueueEntry {
  std::uint32_t slot;
  std::uint32_t serial;
};

struct Agent {
  double busy_since_s = 0.0;
  std::uint32_t contact = kNone;
};

}  // namespace

struct Replication::State {
  const Model& m;
  engine::Calendar calendar;
  std::vector<engine::Stream> arrivals, handle, patience;  // per type
  std::vector<Contact> contacts;
  std::vector<std::uint32_t> free_slots;
  std::vector<engine::Fifo<QueueEntry>> queues;  // per type, FIFO, may hold stale entries
  std::vector<Agent> agents;
  engine::Fifo<std::uint32_t> idle;   // longest idle first
  std::vector<ContactCounts> counts;  // [interval * types + type]
  std::vector<WaitHistogram> waits;   // same index
  std::vector<double> busy_s;         // per interval
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

  void add_busy(double from, double to) {
    to = std::min(to, m.day_end_s);  // time after closing is overtime, not part of any interval
    while (from < to) {
      std::uint32_t k = interval_of(from);
      double end = std::min(to, (k + 1) * m.interval_s);
      busy_s[k] += end - from;
      from = end;
    }
  }

  void start_service(std::uint32_t agent, std::uint32_t slot, double now) {
    Contact& c = contacts[slot];
    c.state = ContactState::in_service;
    const double wait = now - c.arrival_s;
    ContactCounts& n = counts[c.cell];
    ++n.answered;
    n.wait_answered_s += wait;
    n.handle_s += c.handle_s;
    n.answered_within_tau += wait <= m.tau_s;
    waits[c.cell].add(wait);
    agents[agent] = {now, slot};
    calendar.schedule(now + c.handle_s, static_cast<std::uint8_t>(EventKind::service_end), agent);
  }

  void release(std::uint32_t slot) {
    contacts[slot].state = ContactState::free;
    free_slots.push_back(slot);
  }

  void on_arrival(std::uint32_t type, double now) {
    std::uint32_t slot;
    if (free_slots.empty()) {
      slot = static_cast<std::uint32_t>(contacts.size());
      contacts.emplace_back();
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
    }
    // Every attribute is drawn now, from its own stream, whether or not it will be used: the k-th caller
    // of a type is the same person under every policy.
    const double handle_s = m.handle_time[type].sample(handle[type]);
    const double patience_s = m.patience[type].sample(patience[type]);
    const std::uint32_t cell = interval_of(now) * static_cast<std::uint32_t>(m.types) + type;
    contacts[slot] = {now, handle_s, next_serial++, type, cell, ContactState::waiting};
    ++counts[cell].offered;
    schedule_arrival(type, now);

    if (!idle.empty()) {
      std::uint32_t agent = idle.front();
      idle.pop();
      start_service(agent, slot, now);
      return;
    }
    queues[type].push({slot, contacts[slot].serial});
    if (patience_s < kNever)
      calendar.schedule(now + patience_s, static_cast<std::uint8_t>(EventKind::abandonment), slot,
                        contacts[slot].serial);
  }

  void on_abandonment(std::uint32_t slot, std::uint32_t serial, double now) {
    Contact& c = contacts[slot];
    if (c.serial != serial || c.state != ContactState::waiting) return;  // answered meanwhile: stale
    const double wait = now - c.arrival_s;
    ContactCounts& n = counts[c.cell];
    ++n.abandoned;
    n.wait_abandoned_s += wait;
    n.short_abandoned += wait <= m.short_abandon_s;
    n.abandoned_within_tau += wait <= m.tau_s;
    release(slot);  // its queue entry goes stale and is skipped when it reaches the head
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

  void on_service_end(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    add_busy(a.busy_since_s, now);
    release(a.contact);
    a.contact = kNone;
    // The agent takes the longest-waiting contact across the types it serves (FCFS across queues).
    std::uint32_t best = kNone, best_type = 0;
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
      std::uint32_t slot = head_of(t);
      if (slot != kNone && (best == kNone || contacts[slot].arrival_s < contacts[best].arrival_s)) {
        best = slot;
        best_type = t;
      }
    }
    if (best == kNone) {
      idle.push(agent);
      return;
    }
    queues[best_type].pop();
    start_service(agent, best, now);
  }

  void reset(std::uint64_t seed, std::uint32_t replication) {
    calendar.clear();
    const auto types = static_cast<std::size_t>(m.types);
    arrivals.resize(types);
    handle.resize(types);
    patience.resize(types);
    for (std::uint32_t t = 0; t < types; ++t) {
      arrivals[t] = engine::Stream(seed, replication, stream_id(StreamPurpose::arrivals, t));
      handle[t] = engine::Stream(seed, replication, stream_id(StreamPurpose::handle_time, t));
      patience[t] = engine::Stream(seed, replication, stream_id(StreamPurpose::patience, t));
    }
    contacts.clear();
    free_slots.clear();
    queues.resize(types);
    for (auto& q : queues) q.clear();
    agents.assign(static_cast<std::size_t>(m.agents), Agent{});
    idle.clear();
    for (std::uint32_t a = 0; a < static_cast<std::uint32_t>(m.agents); ++a) idle.push(a);
    const auto cells = static_cast<std::size_t>(m.intervals) * types;
    counts.assign(cells, ContactCounts{});
    waits.resize(cells);
    for (auto& w : waits) w.clear();
    busy_s.assign(static_cast<std::size_t>(m.intervals), 0.0);
    next_serial = 0;
  }

  std::uint64_t play() {
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) schedule_arrival(t, 0.0);
    std::uint64_t events = 0;
    while (!calendar.empty()) {
      const engine::Event e = calendar.pop();
      ++events;
      switch (static_cast<EventKind>(e.kind())) {
        case EventKind::service_end:
          on_service_end(e.subject, e.time);
          break;
        case EventKind::abandonment:
          on_abandonment(e.subject, e.token, e.time);
          break;
        case EventKind::arrival:
          on_arrival(e.subject, e.time);
          break;
      }
    }
    if (idle.size() != agents.size())
      throw SimulationError("replication ended at t=" + std::to_string(calendar.now()) + " s with " +
                            std::to_string(agents.size() - idle.size()) + " agents still busy");
    return events;
  }

  ReplicationResult collect(std::uint64_t events) const {
    ReplicationResult r;
    const int types = m.types;
    r.series = types > 1 ? types + 1 : 1;
    const auto series = static_cast<std::size_t>(r.series);
    r.contacts_by_interval.resize(static_cast<std::size_t>(m.intervals) * series);
    r.contacts_by_day.resize(series);
    std::vector<WaitHistogram> day(series);
    for (int k = 0; k < m.intervals; ++k) {
      WaitHistogram all;
      ContactCounts all_counts;
      const bool measured = k >= m.warmup_intervals;
      for (int t = 0; t < types; ++t) {
        const auto src = static_cast<std::size_t>(k * types + t);
        ContactCell& cell =
            r.contacts_by_interval[static_cast<std::size_t>(k) * series + static_cast<std::size_t>(t)];
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
        ContactCell& cell = r.contacts_by_interval[static_cast<std::size_t>(k) * series + series - 1];
        cell.counts = all_counts;
        cell.wait = percentiles(all);
        if (measured) {
          r.contacts_by_day[series - 1].counts.add(all_counts);
          day[series - 1].add(all);
        }
      }
      AgentTime at{m.agents * m.interval_s, busy_s[static_cast<std::size_t>(k)]};
      r.agents_by_interval.push_back(at);
      if (measured) {
        r.agents_by_day.staffed_s += at.staffed_s;
        r.agents_by_day.busy_s += at.busy_s;
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
