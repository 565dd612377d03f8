#include "model/replication.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "common/error.hpp"
#include "engine/calendar.hpp"
#include "engine/fifo.hpp"
#include "engine/random.hpp"

namespace ccsim::model {
namespace {

// Same-instant events run in this order (DESIGN.md, engine rules). Rosters change first: a shift starts
// before a break or meeting due at that instant (so neither is lost at the shift's first instant), and a
// shift end, break or meeting falling due is marked on a busy agent before that agent's contact ends, so an
// agent who becomes free at that instant takes it before any contact. Then agents finishing work, so that
// one who finishes takes the longest waiter before that waiter's patience runs out; a caller who hangs up
// leaves before an overflow offers him elsewhere; newcomers look for an agent last.
enum class EventKind : std::uint8_t {
  shift_start,
  shift_end,
  break_due,
  shrinkage_start,
  shift_ready,  // a new shift's agent looks for work once breaks and meetings due now have taken it
  service_end,
  wrap_end,
  interruption_end,
  break_end,
  shrinkage_end,
  interruption,
  interval_end,
  abandonment,
  overflow,
  appointment_ready,
  appointment_arrival,
  arrival,
};

const char* kind_name(EventKind k) {
  static constexpr const char* names[] = {
      "shift_start",         "shift_end",    "break_due",        "shrinkage_start", "shift_ready",
      "service_end",         "wrap_end",     "interruption_end", "break_end",       "shrinkage_end",
      "interruption",        "interval_end", "abandonment",      "overflow",        "appointment_ready",
      "appointment_arrival", "arrival"};
  return names[static_cast<int>(k)];
}

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A ghost is a caller who hung up but, while predictions are measured, keeps its place in the queue (using
// no agent) until its place would have reached an agent: its virtual wait.
enum class ContactState : std::uint8_t { free, waiting, in_service, ghost };

struct Contact {
  double queued_s;       // when it joined its current queue (arrival, or transfer): FIFO order, overflow
  double wait_from_s;    // its wait counts from here: queued_s, or for an appointment the later of slot and
                         // arrival
  double slot_s;         // an appointment's slot time; NaN for walk-ins
  double handle_s;       // talk time before the serving agent's location factor
  double wrap_s;         // after-contact work
  double transfer_u;     // uniform deciding the transfer after service
  std::uint32_t serial;  // unique within the replication: stale queue entries and events compare it
  std::uint32_t type;
  std::uint32_t cell;  // interval * types + type, for the counts
  ContactState state;
};

struct QueueEntry {
  std::uint32_t slot;
  std::uint32_t serial;
};

// An agent's state; "off" covers not yet on shift, gone home and absent. Staffed time is any state but
// off; available time is idle or busy (handling, wrap-up included).
enum class AgentState : std::uint8_t { off, idle, busy, wrap, on_break, shrinkage, interrupted };

struct Agent {
  std::uint32_t group = 0;
  std::uint32_t location = 0;
  std::uint32_t contact = kNone;
  std::uint32_t edge = 0;            // skill edge of the contact in hand
  std::uint32_t chats = 0;           // chats in hand (an agent holding chats takes only more chats)
  std::uint32_t chat_limit = kNone;  // the least concurrency of the chats in hand
  AgentState state = AgentState::off;
  bool shift_over = false;           // the shift ended mid-contact: leave when free
  std::uint32_t pending_breaks = 0;  // breaks that fell due while busy, by bit (taken lowest first)
  double pending_shrinkage_end = -1.0;
  std::uint32_t epoch = 0;  // bumped on every return to idle: stale idle entries and interruptions
  std::uint32_t shrinkage_token = 0;
  double since_s = 0.0;  // when the current state began
  double idle_since_s = 0.0;
  double shift_end_s = 0.0;   // today's shift end: read at every contact's end
  double day_offset_s = 0.0;  // opening of the agent's current day
  bool until_queue_empty = false;
};

// A day's sums of seconds per contact type, booked as contacts are (not summed from the intervals): day
// totals then agree to the last bit whatever the interval length.
struct DaySums {
  double wait_answered_s = 0.0, wait_abandoned_s = 0.0, wait_unserved_s = 0.0, handle_s = 0.0;
};

struct IdleEntry {
  std::uint32_t agent;
  std::uint32_t epoch;
};

}  // namespace

struct Replication::State {
  const Model& m;
  engine::Calendar calendar;
  // Per type: arrivals, handle time, patience, wrap-up, transfer choice; and for contacts arriving by
  // transfer.
  std::vector<engine::Stream> arrivals, handle, patience, wrap_up, transfer_choice, transferred_handle,
      transferred_patience;
  std::vector<engine::Stream> absence, interruptions;  // per group
  std::vector<engine::Stream> no_show, punctuality;    // per type, for appointments
  std::vector<Contact> contacts;
  std::vector<double> pending_patience;    // per slot: when a booked customer gives up (absolute time)
  std::vector<double> predicted;           // per slot * kPredictors, while predictions are measured; <0: none
  std::vector<double> last_answered_wait;  // per type: the last-to-enter-service predictor
  std::vector<std::uint32_t> on_duty;      // per group: agents idle, busy or in wrap-up
  std::vector<std::uint32_t> staffed_now;  // per group: agents in any state but off
  std::vector<std::uint32_t> incoming;     // per type: contacts in the system that may yet transfer to it
  std::vector<std::uint32_t> lingering;    // all-day agents idle after closing, waiting to be released
  std::vector<double> busyness;            // per day: the factor on every arrival rate
  std::vector<PredictionStats> prediction_stats;  // [(interval * types + type) * kPredictors + p]
  std::vector<engine::Stream> reaction;           // per type: balking and hang-up draws after an announcement
  std::vector<std::uint32_t> free_slots;
  std::vector<engine::Fifo<QueueEntry>> queues;    // per type, FIFO, may hold stale entries
  std::vector<std::uint32_t> waiting;              // per type: live contacts in the queue
  std::vector<Agent> agents;                       // one per roster entry, same index
  std::vector<engine::Fifo<IdleEntry>> idle;       // per group, longest idle first, may hold stale entries
  std::vector<engine::Fifo<IdleEntry>> chat_open;  // per group: agents holding chats with room for more
  std::vector<ContactCounts> counts;               // [interval * types + type]
  std::vector<WaitHistogram> waits;                // same index
  std::vector<AgentTime> agent_time;               // [interval * groups + group]
  std::vector<AgentTime> day_agent_time;           // [day * groups + group], after each day's warm-up
  std::vector<DaySums> day_sums;                   // [day * types + type], after each day's warm-up
  std::vector<double> day_served_handle;           // [day * skills + edge]
  std::vector<PredictionStats> day_predictions;    // [(day * types + type) * kPredictors + p]
  std::vector<BreakStats> breaks;                  // per group
  std::vector<ServedCount> served;                 // [interval * skills + edge]
  std::vector<std::uint64_t> transfers;            // [interval * transfer edges + edge]
  std::uint32_t next_serial = 0, next_shrinkage_token = 0;

  const double inverse_interval;  // multiplying beats dividing on the per-event path

  const bool checking;  // check invariants after every event

  State(const Model& model, bool check)
      : m(model), inverse_interval(1.0 / model.interval_s), checking(check) {}

  // Whether t lies after its day's closing (and before the next day's opening).
  bool past_closing(double t) const {
    if (m.days == 1) return t >= m.day_length_s;
    return t - std::floor(t / Model::kDayPeriod) * Model::kDayPeriod >= m.day_length_s;
  }

  // The run's interval containing t; time after a day's closing belongs to its last interval.
  std::uint32_t interval_of(double t) const {
    if (m.days == 1) {
      auto k = static_cast<int>(t * inverse_interval);
      return static_cast<std::uint32_t>(k < m.intervals ? (k < 0 ? 0 : k) : m.intervals - 1);
    }
    int d = static_cast<int>(t / Model::kDayPeriod);
    d = std::clamp(d, 0, m.days - 1);
    auto k = static_cast<int>((t - d * Model::kDayPeriod) * inverse_interval);
    k = std::clamp(k, 0, m.intervals_per_day - 1);
    return static_cast<std::uint32_t>(d * m.intervals_per_day + k);
  }

  void schedule(double t, EventKind kind, std::uint32_t subject, std::uint32_t token = 0) {
    calendar.schedule(t, static_cast<std::uint8_t>(kind), subject, token);
  }

  // Next arrival of a type after t in a Poisson process whose rate is constant within each interval:
  // one unit-exponential draw is spent against the integrated rate, crossing interval boundaries.
  double next_arrival(std::uint32_t type, double t) {
    double budget = arrivals[type].exponential(1.0);
    const auto base = static_cast<std::size_t>(type) * static_cast<std::size_t>(m.intervals);
    for (int k = static_cast<int>(interval_of(t)); k < m.intervals;) {
      const int run_end = m.rate_run_end[base + static_cast<std::size_t>(k)];
      const double start = m.interval_start(k), end = m.interval_start(run_end - 1) + m.interval_s;
      if (t < end) {             // else: after the day's closing
        t = std::max(t, start);  // nights have no arrivals
        const double rate = m.rate[base + static_cast<std::size_t>(k)] *
                            busyness[static_cast<std::size_t>(k / m.intervals_per_day)];
        const double capacity = rate * (end - t);
        if (budget < capacity) return t + budget / rate;
        budget -= capacity;
        t = end;
      }
      k = run_end;
    }
    return kNever;
  }

  void schedule_arrival(std::uint32_t type, double after) {
    double t = next_arrival(type, after);
    if (t < m.day_end_s) schedule(t, EventKind::arrival, type);
  }

  // Books the agent's time in its current state from since_s to `to`, split over the intervals (time
  // before opening and after closing belongs to no interval).
  void account(Agent& a, double to) {
    if (a.state == AgentState::off) return;
    double from = std::max(a.since_s, 0.0);
    to = std::min(to, m.day_end_s);
    while (from < to) {
      const std::uint32_t k = interval_of(from);
      const double start = m.interval_start(static_cast<int>(k)), close = start + m.interval_s;
      if (from >= close) {  // after closing: skip to the next day's opening
        from = (std::floor(from / Model::kDayPeriod) + 1) * Model::kDayPeriod;
        continue;
      }
      const double end = std::min(to, close);
      add_time(agent_time[k * static_cast<std::uint32_t>(m.groups) + a.group], a.state, end - from);
      from = end;
    }
    // Day totals are booked per stint, not summed from the intervals, so that they come out the same to the
    // last bit whatever the interval length.
    from = std::max(a.since_s, 0.0);
    for (int d = m.days == 1 ? 0 : std::max(0, static_cast<int>(from / Model::kDayPeriod)); d < m.days; ++d) {
      const double open = d * Model::kDayPeriod + m.warmup_intervals * m.interval_s;
      if (open >= to) break;
      const double portion = std::min(to, d * Model::kDayPeriod + m.day_length_s) - std::max(from, open);
      if (portion > 0.0)
        add_time(day_agent_time[static_cast<std::size_t>(d) * static_cast<std::size_t>(m.groups) + a.group],
                 a.state, portion);
    }
  }

  static void add_time(AgentTime& t, AgentState state, double d) {
    t.staffed_s += d;
    switch (state) {
      case AgentState::busy:
        t.busy_s += d;
        break;
      case AgentState::wrap:
        t.busy_s += d, t.wrap_s += d;
        break;
      case AgentState::on_break:
        t.break_s += d;
        break;
      case AgentState::shrinkage:
        t.shrinkage_s += d;
        break;
      case AgentState::interrupted:
        t.interrupted_s += d;
        break;
      case AgentState::idle:
      case AgentState::off:
        break;
    }
  }

  // The day cell of a contact cell when its interval is measured (after the day's warm-up), else null.
  DaySums* day_sums_of(std::uint32_t cell) {
    const std::uint32_t k = cell / static_cast<std::uint32_t>(m.types);
    const auto ipd = static_cast<std::uint32_t>(m.intervals_per_day);
    if (k % ipd < static_cast<std::uint32_t>(m.warmup_intervals)) return nullptr;
    return &day_sums[(k / ipd) * static_cast<std::uint32_t>(m.types) +
                     cell % static_cast<std::uint32_t>(m.types)];
  }

  static bool working(AgentState s) {
    return s == AgentState::idle || s == AgentState::busy || s == AgentState::wrap;
  }

  void set_state(Agent& a, AgentState s, double now) {
    account(a, now);
    if (checking && a.state != AgentState::off)
      clocked[static_cast<std::size_t>(&a - agents.data())][static_cast<std::size_t>(a.state)] +=
          inside_intervals(a.since_s, now);
    on_duty[a.group] += static_cast<std::uint32_t>(working(s)) - static_cast<std::uint32_t>(working(a.state));
    staffed_now[a.group] += static_cast<std::uint32_t>(s != AgentState::off) -
                            static_cast<std::uint32_t>(a.state != AgentState::off);
    a.state = s;
    a.since_s = now;
  }

  void start_service(std::uint32_t agent, std::uint32_t slot, std::uint32_t edge, double now) {
    Contact& c = contacts[slot];
    Agent& a = agents[agent];
    c.state = ContactState::in_service;
    const double wait = std::max(0.0, now - c.wait_from_s);
    const Model::TypeTraits& traits = m.traits[c.type];
    const bool chat = traits.chat;
    // A chat runs slower the more chats its agent holds; its wrap-up is part of the session.
    double talk = c.handle_s * m.locations[a.location].handle_time_factor;
    if (chat) talk = talk * m.slowdown[c.type][a.chats] + c.wrap_s;
    const double busy_time = chat ? talk : talk + c.wrap_s;  // a chat's wrap-up is already in its talk
    ContactCounts& n = counts[c.cell];
    ++n.answered;
    n.wait_answered_s += wait;
    n.handle_s += busy_time;
    if (DaySums* ds = day_sums_of(c.cell)) {
      ds->wait_answered_s += wait;
      ds->handle_s += busy_time;
      day_served_handle[(c.cell / static_cast<std::uint32_t>(m.types) /
                         static_cast<std::uint32_t>(m.intervals_per_day)) *
                            m.skills.size() +
                        edge] += busy_time;
    }
    n.answered_within_tau += wait <= m.tau_s;
    n.due_met += traits.email && now - c.queued_s <= traits.due_s;
    n.booked_answered += !std::isnan(c.slot_s);
    n.served_on_time += now - c.slot_s <= traits.on_time_s;  // false for NaN: walk-ins
    waits[c.cell].add(wait);
    if (m.announcement.measure) {
      record_prediction(slot, wait);
      last_answered_wait[c.type] = wait;
    }
    const std::uint32_t k = c.cell / static_cast<std::uint32_t>(m.types);
    ServedCount& s = served[k * static_cast<std::uint32_t>(m.skills.size()) + edge];
    ++s.answered;
    s.handle_s += busy_time;
    if (checking) check_may_serve(agent, slot, now);
    if (a.state != AgentState::busy) set_state(a, AgentState::busy, now);
    if (chat) {
      ++a.chats;
      a.chat_limit = std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[c.type]));
    }
    a.contact = slot;
    a.edge = edge;
    schedule(now + talk, EventKind::service_end, agent, slot);
  }

  // An agent holding chats takes more waiting chats while it has room, then offers what room is left.
  void fill_chats(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    if (a.chats == 0 || !may_take_more(a, now)) return;
    for (;;) {
      std::uint32_t edge = 0;
      const std::uint32_t slot = select_contact(a.group, now, edge, true, a.chats, a.chat_limit);
      if (slot == kNone) break;
      start_service(agent, slot, edge, now);
    }
    ++a.epoch;
    chat_open[a.group].push({agent, a.epoch});
  }

  // Whether an agent holding chats may open another: not once its shift has ended (unless it stays to empty
  // the queue) or a break or meeting has fallen due — it finishes the chats in hand and goes.
  bool may_take_more(const Agent& a, double now) const {
    return !a.shift_over && a.pending_breaks == 0 && !(a.pending_shrinkage_end > now) &&
           (now < a.shift_end_s || a.until_queue_empty);
  }

  // The group's agent holding chats with room for one more of `type`, or kNone. Entries of agents who may
  // take no more are dropped; they return to the list when they next fill their chats.
  std::uint32_t front_chat_open(std::uint32_t group, std::uint32_t type, double now) {
    auto& q = chat_open[group];
    while (!q.empty()) {
      const IdleEntry e = q.front();
      const Agent& a = agents[e.agent];
      if (a.state == AgentState::busy && a.epoch == e.epoch && a.chats > 0 && may_take_more(a, now) &&
          a.chats < std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[type])))
        return e.agent;
      q.pop();  // full: it is listed again when one of its chats ends
    }
    return kNone;
  }

  void release(std::uint32_t slot) {
    contacts[slot].state = ContactState::free;
    if (m.announcement.measure)
      predicted[static_cast<std::size_t>(slot) * kPredictors] = -1.0;  // no stale prediction
    free_slots.push_back(slot);
  }

  // The group's longest idle agent, dropping entries of agents who left idle since; kNone if none.
  std::uint32_t front_idle(std::uint32_t group) {
    auto& q = idle[group];
    while (!q.empty()) {
      const IdleEntry e = q.front();
      const Agent& a = agents[e.agent];
      if (a.state == AgentState::idle && a.epoch == e.epoch) return e.agent;
      q.pop();
    }
    return kNone;
  }

  // select_agent: an idle agent for a contact of `type` queued since `queued_s`, per the
  // agent-selection policy; kNone if no group it may go to now has one. Sets the skill edge used.
  std::uint32_t select_agent(std::uint32_t type, double queued_s, double now, std::uint32_t& edge) {
    // A chat goes first to an agent already chatting with room to spare, keeping idle agents free.
    if (m.traits[type].chat)
      for (const Route& r : m.groups_for_type[type]) {
        if (queued_s + r.overflow_s > now) continue;
        const std::uint32_t candidate = front_chat_open(r.group, type, now);
        if (candidate == kNone) continue;
        chat_open[r.group].pop();
        edge = r.edge;
        return candidate;
      }
    std::uint32_t best = kNone;
    int best_priority = 0;
    for (const Route& r : m.groups_for_type[type]) {
      if (queued_s + r.overflow_s > now) continue;
      const std::uint32_t candidate = front_idle(r.group);
      if (candidate == kNone) continue;
      if (best != kNone && m.agent_selection == scenario::AgentSelection::preferred_group &&
          r.priority > best_priority)
        break;  // routes are sorted by priority: a worse group is never preferred
      if (best == kNone || agents[candidate].idle_since_s < agents[best].idle_since_s) {
        best = candidate;
        best_priority = r.priority;
        edge = r.edge;
      }
    }
    if (best != kNone) idle[agents[best].group].pop();  // it is the front of its group
    return best;
  }

  // select_contact: the waiting contact a freed agent of `group` takes, per the contact-selection policy;
  // kNone if none it may take now. Each queue is FIFO, so only heads compete, and a head not yet past its
  // overflow delay means nobody behind it is.
  // Deferrable work (e-mail) is a lower tier: taken only when no real-time contact waits for this agent;
  // with appointments_first, booked contacts go before walk-ins. `real_time_only` leaves e-mail alone.
  // With `held_chats` > 0 the agent holds chats and may take only chats it has room for (below `chat_limit`,
  // the least concurrency of the chats it holds, and the new chat's own).
  std::uint32_t select_contact(std::uint32_t group, double now, std::uint32_t& edge,
                               bool real_time_only = false, std::uint32_t held_chats = 0,
                               std::uint32_t chat_limit = kNone) {
    using scenario::ContactSelection;
    std::uint32_t best = kNone;
    const Route* best_route = nullptr;
    int best_rank = 0;
    double best_score = 0.0;
    for (const Route& r : m.types_for_group[group]) {
      const bool deferrable = m.channel[r.type] == scenario::Channel::email;
      if (deferrable && real_time_only) continue;
      if (held_chats > 0 &&
          (m.channel[r.type] != scenario::Channel::chat ||
           held_chats >= std::min(chat_limit, static_cast<std::uint32_t>(m.concurrency[r.type]))))
        continue;
      std::uint32_t slot = head_of(r.type);
      if (slot == kNone) continue;
      // Eligible from queued_s + overflow_s, computed as the overflow event's time is: no rounding gap.
      if (contacts[slot].queued_s + r.overflow_s > now) continue;
      const double waited = now - contacts[slot].queued_s;
      // Compared as (rank, score), lower first.
      const bool walk_in = m.appointments_first && m.appointments[r.type].slots_s.empty();
      const int rank =
          (deferrable ? 1 << 20 : 0) + (walk_in ? 1 << 19 : 0) +
          (m.contact_selection == ContactSelection::priority_then_longest_waiting ? r.priority : 0);
      const double score =
          m.contact_selection == ContactSelection::weighted_waiting ? -waited * r.weight : -waited;
      if (best == kNone || rank < best_rank || (rank == best_rank && score < best_score)) {
        best = slot;
        best_route = &r;
        best_rank = rank;
        best_score = score;
      }
    }
    if (best != kNone) {
      take(best_route->type, now);
      --waiting[best_route->type];
      edge = best_route->edge;
    } else if (m.announcement.measure) {
      // A free agent and nobody live to take: ghosts at the heads would have been answered now.
      for (const Route& r : m.types_for_group[group])
        if (!(held_chats > 0 || (real_time_only && m.traits[r.type].email))) consume_ghosts(r.type, now);
    }
    return best;
  }

  // A contact joins `type`: an idle agent takes it, or it queues (with its patience and overflows armed).
  void offer(std::uint32_t slot, double patience_s, double now) {
    Contact& c = contacts[slot];
    std::uint32_t edge = 0;
    std::uint32_t agent = select_agent(c.type, now, now, edge);
    if (agent != kNone) {
      start_service(agent, slot, edge, now);
      if (agents[agent].chats > 0) fill_chats(agent, now);
      return;
    }
    if (m.announcement.measure) {
      predict(slot, now);
      if (!announce(slot, patience_s, now)) return;  // balked at the announcement
    }
    queues[c.type].push({slot, c.serial});
    ++waiting[c.type];
    if (patience_s < kNever) schedule(now + patience_s, EventKind::abandonment, slot, c.serial);
    for (const Route& r : m.groups_for_type[c.type])
      if (r.overflow_s > 0.0 && r.overflow_s < patience_s)
        schedule(now + r.overflow_s, EventKind::overflow, slot, c.serial);
  }

  std::uint32_t new_slot() {
    if (free_slots.empty()) {
      contacts.emplace_back();
      pending_patience.emplace_back();
      if (m.announcement.measure) predicted.resize(predicted.size() + kPredictors, -1.0);
      return static_cast<std::uint32_t>(contacts.size() - 1);
    }
    std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }

  // A new contact of `type` whose wait starts at `wait_from` (queued from `queued`): every attribute is
  // drawn now, from its own stream, whether or not it will be used — the k-th caller of a type is the
  // same person under every policy. Counts it as offered; returns its slot and its patience.
  std::uint32_t new_contact(std::uint32_t type, double queued, double wait_from, double slot_time,
                            double& patience_s) {
    const std::uint32_t slot = new_slot();
    const std::uint32_t cell = interval_of(wait_from) * static_cast<std::uint32_t>(m.types) + type;
    const double handle_s =
        m.handle_time[type].sample(handle[type]) * m.handle_scale[type * m.intervals + cell / m.types];
    patience_s = m.patience[type].sample(patience[type]);
    const double wrap_s = m.wrap_up[type].sample(wrap_up[type]);
    // The transfer stream serves only this type's transfers: no draw where there are none.
    const double transfer_u = m.transfers_from[type].empty() ? 1.0 : transfer_choice[type].uniform();
    contacts[slot] = {queued,     wait_from,     slot_time, handle_s, wrap_s,
                      transfer_u, next_serial++, type,      cell,     ContactState::waiting};
    ContactCounts& n = counts[cell];
    ++n.offered;
    n.deferred_offered += m.traits[type].email;
    entered(slot);
    return slot;
  }

  void on_arrival(std::uint32_t type, double now) {
    double patience_s = 0.0;
    const std::uint32_t slot = new_contact(type, now, now, kNaN, patience_s);
    ContactCounts& n = counts[contacts[slot].cell];
    schedule_arrival(type, now);
    // At a counter the queue is in sight: a walk-in who sees too many waiting leaves at once.
    if (m.balk_at_queue[type] > 0 && waiting[type] >= static_cast<std::uint32_t>(m.balk_at_queue[type])) {
      ++n.balked;
      ++n.abandoned;
      ++n.short_abandoned;
      ++n.abandoned_within_tau;
      left_unanswered(slot);
      release(slot);
      return;
    }
    offer(slot, patience_s, now);
  }

  // A booked customer walks in: the wait counts from the later of slot and arrival; with the policy
  // early_appointments: wait_for_slot an early one joins the queue only at the slot.
  void on_appointment_arrival(std::uint32_t type, std::uint32_t index, double now) {
    const auto per_day = static_cast<std::uint32_t>(m.appointments[type].slots_s.size());
    const double slot_time =
        (index / per_day) * Model::kDayPeriod + m.appointments[type].slots_s[index % per_day];
    const double wait_from = std::max(now, slot_time);
    const double ready = m.early_wait_for_slot ? wait_from : now;
    double patience_s = 0.0;
    const std::uint32_t slot = new_contact(type, ready, wait_from, slot_time, patience_s);
    // Patience runs from when the wait starts counting.
    pending_patience[slot] = patience_s < kNever ? wait_from + patience_s : kNever;
    if (ready > now)
      schedule(ready, EventKind::appointment_ready, slot, contacts[slot].serial);
    else
      offer(slot, pending_patience[slot] - now, now);
  }

  void on_appointment_ready(std::uint32_t slot, std::uint32_t serial, double now) {
    if (contacts[slot].serial != serial || contacts[slot].state != ContactState::waiting) return;
    offer(slot, pending_patience[slot] - now, now);
  }

  // E-mail backlog at the end of interval k.
  void on_interval_end(std::uint32_t k) {
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t)
      if (m.channel[t] == scenario::Channel::email)
        counts[k * static_cast<std::uint32_t>(m.types) + t].backlog = waiting[t];
  }

  void on_abandonment(std::uint32_t slot, std::uint32_t serial, double now) {
    Contact& c = contacts[slot];
    if (c.serial != serial || c.state != ContactState::waiting) return;  // answered meanwhile: stale
    const double wait = now - c.wait_from_s;
    ContactCounts& n = counts[c.cell];
    --waiting[c.type];
    ++n.abandoned;
    n.wait_abandoned_s += wait;
    if (DaySums* ds = day_sums_of(c.cell)) ds->wait_abandoned_s += wait;
    n.short_abandoned += wait <= m.short_abandon_s;
    n.abandoned_within_tau += wait <= m.tau_s;
    left_unanswered(slot);
    if (m.announcement.measure && predicted[static_cast<std::size_t>(slot) * kPredictors] >= 0.0) {
      c.state = ContactState::ghost;  // keeps its place to measure its virtual wait
      return;
    }
    release(slot);  // its queue entry goes stale and is skipped when it reaches the head
  }

  // The contact has waited long enough to be offered to a further group: if one has an idle agent, that
  // agent takes whichever contact its own selection policy prefers (this one, or one waiting longer).
  void on_overflow(std::uint32_t slot, std::uint32_t serial, double now) {
    const Contact& c = contacts[slot];
    if (c.serial != serial || c.state != ContactState::waiting) return;
    std::uint32_t edge = 0;
    std::uint32_t agent = select_agent(c.type, c.queued_s, now, edge);
    if (agent == kNone) return;
    if (agents[agent].chats > 0)
      fill_chats(agent, now);  // it holds chats: it may take only chats it has room for
    else
      dispatch(agent, now);
  }

  // The head of a type's queue after dropping stale entries, or kNone.
  std::uint32_t head_of(std::uint32_t type) {
    auto& q = queues[type];
    while (!q.empty()) {  // drop stale entries at the front
      const QueueEntry e = q.front();
      const Contact& c = contacts[e.slot];
      if (c.serial == e.serial && (c.state == ContactState::waiting || c.state == ContactState::ghost)) break;
      q.pop();
    }
    for (std::size_t i = 0; i < q.size(); ++i) {  // ghosts stay in place; the head is the first live contact
      const QueueEntry e = q.at(i);
      const Contact& c = contacts[e.slot];
      if (c.serial == e.serial && c.state == ContactState::waiting) return e.slot;
    }
    return kNone;
  }

  bool is_ghost(const QueueEntry& e) const {
    const Contact& c = contacts[e.slot];
    return c.serial == e.serial && c.state == ContactState::ghost;
  }

  // A ghost's place reaches an agent now: its virtual wait ends.
  void end_ghost(std::uint32_t slot, double now) {
    record_prediction(slot, now - contacts[slot].wait_from_s);
    release(slot);
  }

  // Removes the head of a type's queue (the contact an agent takes), ending the ghosts ahead of it.
  void take(std::uint32_t type, double now) {
    auto& q = queues[type];
    while (!q.empty()) {
      const QueueEntry e = q.front();
      q.pop();
      const Contact& c = contacts[e.slot];
      if (c.serial != e.serial) continue;
      if (c.state == ContactState::ghost) {
        end_ghost(e.slot, now);
        continue;
      }
      if (c.state == ContactState::waiting) return;
    }
  }

  void consume_ghosts(std::uint32_t type, double now) {
    auto& q = queues[type];
    while (!q.empty() && (is_ghost(q.front()) || contacts[q.front().slot].serial != q.front().serial ||
                          contacts[q.front().slot].state == ContactState::free)) {
      const QueueEntry e = q.front();
      q.pop();
      if (is_ghost(e)) end_ghost(e.slot, now);
    }
  }

  // Empties a type's queue: live contacts count as unserved (their wait runs until now), ghosts are dropped
  // unmeasured.
  void drop_queue(std::uint32_t t, double now) {
    auto& q = queues[t];
    while (!q.empty()) {
      const QueueEntry e = q.front();
      q.pop();
      Contact& c = contacts[e.slot];
      if (c.serial != e.serial) continue;
      if (c.state == ContactState::waiting) {
        ++counts[c.cell].unserved;
        counts[c.cell].wait_unserved_s += std::max(0.0, now - c.wait_from_s);
        if (DaySums* ds = day_sums_of(c.cell)) ds->wait_unserved_s += std::max(0.0, now - c.wait_from_s);
        --waiting[t];
        left_unanswered(e.slot);
        release(e.slot);
      } else if (c.state == ContactState::ghost) {
        release(e.slot);
      }
    }
  }

  // The four predictors for a contact about to queue, kept for comparison with its real wait.
  void predict(std::uint32_t slot, double now) {
    const Contact& c = contacts[slot];
    const std::uint32_t type = c.type, g = c.cell / static_cast<std::uint32_t>(m.types);
    double* p = &predicted[static_cast<std::size_t>(slot) * kPredictors];
    // Queue length: a caller at position k waits for k departures from the queue ahead, which leaves at
    // s mu + j theta with j callers ahead (each may hang up): the Erlang-A expectation given the position.
    // Servers and handle time as the Erlang column counts them: a chat-only agent as its concurrency, talk
    // time with the serving groups' location factor and chat slowdown.
    double serving = 0.0;
    for (const Route& r : m.groups_for_type[type])
      if (r.overflow_s == 0.0) serving += on_duty[r.group] * m.chat_servers[r.group];
    const double mu = 1.0 / m.effective_handle_s[g * static_cast<std::uint32_t>(m.types) + type];
    const double theta =
        m.patience[type].is_finite() && m.patience[type].mean() > 0.0 ? 1.0 / m.patience[type].mean() : 0.0;
    double ql = 0.0;
    const std::uint32_t ahead = waiting[type];
    if (serving * mu <= 0.0 && theta <= 0.0) {
      ql = m.planned_wait_s[g];
    } else {
      for (std::uint32_t j = 0; j <= ahead; ++j) ql += 1.0 / (serving * mu + j * theta);
    }
    std::uint32_t head = head_of(type);
    p[static_cast<int>(scenario::Predictor::queue_length)] = ql;
    p[static_cast<int>(scenario::Predictor::head_of_line)] =
        head == kNone ? 0.0 : now - contacts[head].wait_from_s;
    p[static_cast<int>(scenario::Predictor::last_to_enter_service)] = last_answered_wait[type];
    p[static_cast<int>(scenario::Predictor::planned)] = m.planned_wait_s[g];
  }

  void record_prediction(std::uint32_t slot, double actual) {
    const double* p = &predicted[static_cast<std::size_t>(slot) * kPredictors];
    if (p[0] < 0.0) return;  // answered at once: nothing was predicted
    PredictionStats* st = &prediction_stats[static_cast<std::size_t>(contacts[slot].cell) * kPredictors];
    for (int i = 0; i < kPredictors; ++i) st[i].add(p[i], actual);
    const std::uint32_t cell = contacts[slot].cell;
    if (day_sums_of(cell)) {
      const std::uint32_t day =
          cell / static_cast<std::uint32_t>(m.types) / static_cast<std::uint32_t>(m.intervals_per_day);
      PredictionStats* dst =
          &day_predictions[(static_cast<std::size_t>(day) * static_cast<std::size_t>(m.types) +
                            contacts[slot].type) *
                           kPredictors];
      for (int i = 0; i < kPredictors; ++i) dst[i].add(p[i], actual);
    }
    predicted[static_cast<std::size_t>(slot) * kPredictors] = -1.0;
  }

  // What the caller hears, and how it reacts: false if it balks. Reaction draws come from their own
  // stream, so with no reaction configured an announcement changes nothing.
  bool announce(std::uint32_t slot, double& patience_s, double now) {
    const scenario::Announcement& a = m.announcement;
    if (a.message == scenario::Message::none) return true;
    Contact& c = contacts[slot];
    const double prediction =
        predicted[static_cast<std::size_t>(slot) * kPredictors + static_cast<int>(a.predictor)];
    double heard = -1.0;  // the wait the caller reacts to
    if (a.message == scenario::Message::predicted_wait)
      heard = std::min(a.cap_s, std::ceil(prediction / 60.0 - 1e-9) * 60.0);  // whole minutes, rounded up
    else if (prediction > a.threshold_s)
      heard = a.threshold_s;  // "longer than usual"
    if (heard < 0.0) return true;
    ContactCounts& n = counts[c.cell];
    ++n.announced;
    if (!a.reacts()) {
      n.longest_announced_stayed_s = std::max(n.longest_announced_stayed_s, heard);
      return true;
    }
    const double u_balk = reaction[c.type].uniform(), u_hang_up = reaction[c.type].uniform();
    if (u_balk < balk_probability(heard)) {
      ++n.balked;
      ++n.balked_announced;
      ++n.abandoned;
      n.short_abandoned += 0.0 <= m.short_abandon_s;
      ++n.abandoned_within_tau;
      predicted[static_cast<std::size_t>(slot) * kPredictors] = -1.0;
      left_unanswered(slot);
      release(slot);
      return false;
    }
    n.longest_announced_stayed_s = std::max(n.longest_announced_stayed_s, heard);
    patience_s *= a.patience_factor;
    if (a.message == scenario::Message::predicted_wait && u_hang_up < a.abandon_when_passed) {
      const double waited = now - c.wait_from_s;
      patience_s = std::min(patience_s, std::max(0.0, heard - waited) + 1e-6);
    }
    return true;
  }

  double balk_probability(double heard) const {
    const scenario::Announcement& a = m.announcement;
    if (a.balk_scale_s > 0.0) return 1.0 / (1.0 + std::exp(-(heard - a.balk_midpoint_s) / a.balk_scale_s));
    const auto& t = a.balk_table;
    if (t.empty()) return 0.0;
    if (heard <= t.front().first) return t.front().second;
    for (std::size_t i = 1; i < t.size(); ++i)
      if (heard <= t[i].first)
        return t[i - 1].second +
               (t[i].second - t[i - 1].second) * (heard - t[i - 1].first) / (t[i].first - t[i - 1].first);
    return t.back().second;
  }

  void become_idle(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    set_state(a, AgentState::idle, now);
    a.idle_since_s = now;
    ++a.epoch;
    idle[a.group].push({agent, a.epoch});
    const LocationModel& loc = m.locations[a.location];
    if (loc.interruption_gap_s > 0.0 &&
        now < a.shift_end_s)  // memoryless: a fresh draw each time the agent becomes idle
      schedule(now + interruptions[a.group].exponential(loc.interruption_gap_s), EventKind::interruption,
               agent, a.epoch);
  }

  // A free agent takes the next contact its group may take, or goes idle.
  // After its shift an agent (one staying to empty the queue) does no e-mail.
  void dispatch(std::uint32_t agent, double now) {
    std::uint32_t edge = 0;
    const Agent& a = agents[agent];
    std::uint32_t slot = select_contact(a.group, now, edge, /*real_time_only=*/now >= a.shift_end_s);
    if (slot == kNone) {
      become_idle(agent, now);
      return;
    }
    start_service(agent, slot, edge, now);
    if (agents[agent].chats > 0) fill_chats(agent, now);
  }

  void start_break(std::uint32_t agent, int index, double now) {
    Agent& a = agents[agent];
    const PlannedBreak& b = m.roster[agent].breaks[static_cast<std::size_t>(index)];
    BreakStats& st = breaks[a.group];
    ++st.taken;
    const double planned = a.day_offset_s + b.start_s;
    if (now > planned + 1e-9) {
      ++st.late;
      st.delay_s += now - planned;
    }
    set_state(a, AgentState::on_break, now);
    schedule(now + b.duration_s, EventKind::break_end, agent);
  }

  void start_shrinkage(std::uint32_t agent, double end, double now) {
    Agent& a = agents[agent];
    set_state(a, AgentState::shrinkage, now);
    a.shrinkage_token = ++next_shrinkage_token;
    schedule(end, EventKind::shrinkage_end, agent, a.shrinkage_token);
  }

  // The agent has finished what it was doing: leave if the shift is over, take a break or meeting that
  // fell due meanwhile, else look for work.
  void become_free(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    if (a.shift_over || now >= a.shift_end_s) {
      a.shift_over = false;  // breaks and meetings still pending are forfeit
      a.pending_breaks = 0;
      a.pending_shrinkage_end = -1.0;
      if (a.until_queue_empty &&
          still_needed(a)) {  // all-day agents serve what is still waiting after closing
        dispatch(agent, now);
        if (a.state == AgentState::idle) lingering.push_back(agent);
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

  // After service the contact may continue as another type (second line): same slot, new serial.
  bool transfer(std::uint32_t slot, double now) {
    Contact& c = contacts[slot];
    for (const TransferRoute& x : m.transfers_from[c.type]) {
      if (c.transfer_u >= x.cumulative) continue;
      const std::uint32_t to = x.to;
      const std::uint32_t k = interval_of(now);
      ++transfers[k * static_cast<std::uint32_t>(m.transfer_edges) + x.edge];
      const double patience_s = m.patience[to].sample(transferred_patience[to]);
      const double handle_s =
          m.handle_time[to].sample(transferred_handle[to]) * m.handle_scale[to * m.intervals + k];
      c = {now,
           now,
           kNaN,
           handle_s,
           m.wrap_up[to].sample(wrap_up[to]),
           transfer_choice[to].uniform(),
           next_serial++,
           to,
           k * static_cast<std::uint32_t>(m.types) + to,
           ContactState::waiting};
      ++counts[c.cell].offered;
      entered(slot);
      offer(slot, patience_s, now);
      return true;
    }
    return false;
  }

  void on_service_end(std::uint32_t agent, std::uint32_t slot, double now) {
    Agent& a = agents[agent];
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
      set_state(a, AgentState::wrap, now);
      schedule(now + wrap, EventKind::wrap_end, agent);
    } else {
      become_free(agent, now);
    }
  }

  void on_shift_end(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
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
          if (a.state == AgentState::idle) lingering.push_back(agent);
          break;
        }
        leave(agent, now);  // idle entries and pending events go stale
        break;
    }
  }

  void leave(std::uint32_t agent, double now) {
    Agent& a = agents[agent];
    set_state(a, AgentState::off, now);
    a.shift_over = false;
    a.pending_breaks = 0;
    a.pending_shrinkage_end = -1.0;
  }

  // Whether an all-day agent past closing is still needed: a voice, chat or counter contact it may serve is
  // waiting (inside an overflow delay or not) or is on its way by transfer from a contact in service.
  bool still_needed(const Agent& a) const {
    for (const Route& r : m.types_for_group[a.group])
      if (!m.traits[r.type].email && (waiting[r.type] > 0 || incoming[r.type] > 0)) return true;
    return false;
  }

  // A contact enters the system: all-day agents of the type it will continue as wait for it after closing.
  void entered(std::uint32_t slot) {
    if (const std::uint32_t target = transfer_target(contacts[slot]); target != kNone)
      for (std::uint32_t t : m.transfer_reach[target]) ++incoming[t];
  }

  // A contact leaves without service: it will not continue as another type.
  void left_unanswered(std::uint32_t slot) {
    if (const std::uint32_t target = transfer_target(contacts[slot]); target != kNone)
      for (std::uint32_t t : m.transfer_reach[target]) --incoming[t];
  }

  // The type a contact will continue as after service, or kNone.
  std::uint32_t transfer_target(const Contact& c) const {
    for (const TransferRoute& x : m.transfers_from[c.type])
      if (c.transfer_u < x.cumulative) return x.to;
    return kNone;
  }

  // At the end of an instant after a day's closing: all-day agents idle since go home once nothing they
  // may serve waits or comes, and callers, chats and walk-ins nobody left on duty may serve are unserved —
  // this is the night (e-mail waits for the morning).
  void after_closing(double now) {
    std::size_t kept = 0;
    for (std::uint32_t agent : lingering) {
      Agent& a = agents[agent];
      if (a.state != AgentState::idle || now < a.shift_end_s) continue;  // busy again: back via become_free
      if (still_needed(a))
        lingering[kept++] = agent;
      else
        leave(agent, now);
    }
    lingering.resize(kept);
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
      if (waiting[t] == 0 || m.traits[t].email) continue;
      bool staffed = false;
      for (const Route& r : m.groups_for_type[t]) staffed |= staffed_now[r.group] > 0;
      if (!staffed) drop_queue(t, now);
    }
  }

  void on_break_due(std::uint32_t agent, std::uint32_t index, double now) {
    Agent& a = agents[agent];
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
  void on_shrinkage_start(std::uint32_t block, std::uint32_t day, double now) {
    const ShrinkageBlock& k = m.shrinkage[block];
    const double end_s = day * Model::kDayPeriod + k.end_s;
    int needed = k.agents;
    for (int pass = 0; pass < 2 && needed > 0; ++pass)
      for (std::uint32_t i = 0; i < agents.size() && needed > 0; ++i) {
        Agent& a = agents[i];
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

  // ---- Invariants (checking mode): each names the time, the event, the entity and the rule it broke. ----
  std::vector<std::uint32_t> server_of;        // per slot: the agent serving it (checking mode)
  std::vector<std::array<double, 7>> clocked;  // per agent: seconds per state inside the day's intervals
  const engine::Event* current = nullptr;      // the event being handled, for messages
  std::size_t instants_since_check = 0, check_stride = 1;
  std::uint32_t replication_index = 0;

  [[noreturn]] void violation(const engine::Event& e, const std::string& rule) const {
    throw SimulationError("invariant broken at t=" + std::to_string(e.time) + " s after event " +
                          kind_name(static_cast<EventKind>(e.kind())) + " (subject " +
                          std::to_string(e.subject) + "): " + rule);
  }
  [[noreturn]] void violation(const std::string& rule) const {
    if (current) violation(*current, rule);
    throw SimulationError("invariant broken: " + rule);
  }
  static std::string agent_name(std::uint32_t agent, const Agent& a) {
    return "agent " + std::to_string(agent) + " of group " + std::to_string(a.group);
  }

  // Seconds of [from, to) inside the run's intervals (each day from opening to closing), computed apart from
  // account() so the two check each other.
  double inside_intervals(double from, double to) const {
    double total = 0.0;
    for (int d = 0; d < m.days; ++d) {
      const double open = d * Model::kDayPeriod, close = open + m.day_length_s;
      total += std::max(0.0, std::min(to, close) - std::max(from, open));
    }
    return total;
  }

  // No service starts for an agent off shift, on break, in a meeting, interrupted, wrapping up, whose break,
  // meeting or shift end has fallen due; an agent holding chats takes only chats within its concurrency;
  // a voice or counter agent holds one contact; the agent's group has the skill.
  void check_may_serve(std::uint32_t agent, std::uint32_t slot, double now) {
    const Agent& a = agents[agent];
    const Contact& c = contacts[slot];
    const std::string who = agent_name(agent, a) + " starting contact " + std::to_string(c.serial) +
                            " of type " + std::to_string(c.type);
    // (An agent whose break, meeting or interruption ends now is still in that state while it looks for
    // work.)
    if (a.state == AgentState::off) violation(who + ": the agent is off shift");
    if (a.chats > 0 ? !m.traits[c.type].chat : a.contact != kNone)
      violation(who + ": an agent with a contact in hand takes no other (chats aside)");
    if (a.chats > 0 && a.chats >= std::min(a.chat_limit, static_cast<std::uint32_t>(m.concurrency[c.type])))
      violation(who + ": holds " + std::to_string(a.chats) + " chats, its concurrency is reached");
    if (a.shift_over || (now >= a.shift_end_s && !a.until_queue_empty))
      violation(who + ": the agent's shift has ended");
    if (a.pending_breaks != 0) violation(who + ": the agent's break has fallen due");
    if (a.pending_shrinkage_end > now) violation(who + ": the agent's meeting has begun");
    if (now >= a.shift_end_s && m.traits[c.type].email) violation(who + ": no e-mail after the shift");
    bool skilled = false;
    for (const Route& r : m.types_for_group[a.group]) skilled |= r.type == c.type;
    if (!skilled) violation(who + ": the group has no skill for the type");
    if (server_of.size() < contacts.size()) server_of.resize(contacts.size(), kNone);
    server_of[slot] = agent;
  }

  // Between instants: who holds what, who is idle while work waits, and conservation of contacts.
  void check_instant(double now) {
    if (server_of.size() < contacts.size()) server_of.resize(contacts.size(), kNone);
    std::vector<std::uint32_t> held(agents.size(), 0);
    std::vector<std::uint64_t> live(static_cast<std::size_t>(m.types), 0);
    for (std::uint32_t slot = 0; slot < contacts.size(); ++slot) {
      const Contact& c = contacts[slot];
      if (c.state == ContactState::in_service) {
        const std::uint32_t agent = server_of[slot];
        if (agent == kNone || agents[agent].state != AgentState::busy)
          violation("contact " + std::to_string(c.serial) + " is in service with no busy agent");
        ++held[agent];
      } else if (c.state == ContactState::waiting) {
        ++live[c.type];
      }
    }
    for (std::uint32_t i = 0; i < agents.size(); ++i) {
      const Agent& a = agents[i];
      const std::string who = agent_name(i, a);
      const std::uint32_t expected = a.state != AgentState::busy ? 0 : a.chats > 0 ? a.chats : 1;
      if (held[i] != expected)
        violation(who + " holds " + std::to_string(held[i]) + " contacts in state " +
                  std::to_string(static_cast<int>(a.state)) + ", expected " + std::to_string(expected));
      if (a.chats > 0 && a.chats > a.chat_limit) violation(who + " holds more chats than its concurrency");
      if (a.since_s > now) violation(who + " entered its state in the future");
      if (a.state != AgentState::idle) continue;
      if (a.pending_breaks != 0 || a.pending_shrinkage_end > now || a.shift_over)
        violation(who + " is idle while a break, meeting or shift end is due");
      if (now >= a.shift_end_s && !a.until_queue_empty) violation(who + " is idle after its shift");
      for (const Route& r : m.types_for_group[a.group]) {
        if (now >= a.shift_end_s && m.traits[r.type].email) continue;
        const std::uint32_t head = head_of(r.type);
        if (head != kNone && contacts[head].queued_s + r.overflow_s <= now)
          violation(who + " is idle (since " + std::to_string(a.since_s) + " s) while contact " +
                    std::to_string(contacts[head].serial) + " of type " + std::to_string(r.type) +
                    " that it may serve has waited since " + std::to_string(contacts[head].queued_s) +
                    " s (overflow delay " + std::to_string(r.overflow_s) + " s)");
      }
    }
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) {
      std::uint64_t queued = 0;
      const auto& q = queues[t];
      for (std::size_t i = 0; i < q.size(); ++i) {
        const QueueEntry e = q.at(i);
        queued += contacts[e.slot].serial == e.serial && contacts[e.slot].state == ContactState::waiting;
      }
      if (queued != waiting[t])
        violation("type " + std::to_string(t) + ": " + std::to_string(waiting[t]) + " counted waiting, " +
                  std::to_string(queued) + " in the queue");
      ContactCounts sum;
      for (int k = 0; k < m.intervals; ++k) sum.add(counts[static_cast<std::size_t>(k * m.types) + t]);
      if (sum.offered != sum.answered + sum.abandoned + sum.unserved + live[t])
        violation("type " + std::to_string(t) + ": offered " + std::to_string(sum.offered) + " != answered " +
                  std::to_string(sum.answered) + " + abandoned " + std::to_string(sum.abandoned) +
                  " + unserved " + std::to_string(sum.unserved) + " + still waiting " +
                  std::to_string(live[t]));
    }
  }

  // After the run: each group's time as booked per interval equals its agents' time per state, clocked
  // apart; staffed = idle + busy + break + shrinkage + interrupted; nothing negative or beyond the roster.
  void check_time_accounting() const {
    const auto groups = static_cast<std::size_t>(m.groups);
    std::vector<std::array<double, 7>> expected(groups, std::array<double, 7>{});
    for (std::size_t i = 0; i < agents.size(); ++i)
      for (int s = 0; s < 7; ++s)
        expected[agents[i].group][static_cast<std::size_t>(s)] += clocked[i][static_cast<std::size_t>(s)];
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
                             at(AgentState::on_break) + at(AgentState::shrinkage) +
                             at(AgentState::interrupted);
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

  void on_interruption(std::uint32_t agent, std::uint32_t epoch, double now) {
    Agent& a = agents[agent];
    if (a.state != AgentState::idle || a.epoch != epoch) return;  // took a contact meanwhile: stale
    set_state(a, AgentState::interrupted, now);
    schedule(now + m.locations[a.location].interruption_duration.sample(interruptions[a.group]),
             EventKind::interruption_end, agent);
  }

  void reset(std::uint64_t seed, std::uint32_t replication) {
    calendar.clear();
    const auto types = static_cast<std::size_t>(m.types), groups = static_cast<std::size_t>(m.groups);
    auto streams = [&](std::vector<engine::Stream>& v, std::size_t n, StreamPurpose p) {
      v.resize(n);
      for (std::uint32_t t = 0; t < n; ++t) v[t] = engine::Stream(seed, replication, stream_id(p, t));
    };
    streams(arrivals, types, StreamPurpose::arrivals);
    streams(handle, types, StreamPurpose::handle_time);
    streams(patience, types, StreamPurpose::patience);
    streams(wrap_up, types, StreamPurpose::wrap_up);
    streams(transfer_choice, types, StreamPurpose::transfer_choice);
    streams(transferred_handle, types, StreamPurpose::transferred_handle_time);
    streams(transferred_patience, types, StreamPurpose::transferred_patience);
    streams(absence, groups, StreamPurpose::absence);
    streams(interruptions, groups, StreamPurpose::interruptions);
    streams(no_show, types, StreamPurpose::appointment_no_show);
    streams(punctuality, types, StreamPurpose::appointment_punctuality);
    waiting.assign(types, 0);
    incoming.assign(types, 0);
    lingering.clear();
    // One busyness factor per day: days of a week differ as much as separate days do.
    busyness.assign(static_cast<std::size_t>(m.days), 1.0);
    if (m.busyness_cv > 0.0) {
      engine::Stream day(seed, replication, stream_id(StreamPurpose::busyness, 0));
      const engine::Distribution factor = engine::Distribution::gamma(1.0, m.busyness_cv);
      for (double& b : busyness) b = factor.sample(day);
    }
    contacts.clear();
    pending_patience.clear();
    predicted.clear();
    last_answered_wait.assign(types, 0.0);
    on_duty.assign(groups, 0);
    staffed_now.assign(groups, 0);
    prediction_stats.assign(
        m.announcement.measure ? static_cast<std::size_t>(m.intervals) * types * kPredictors : 0,
        PredictionStats{});
    streams(reaction, types, StreamPurpose::announcement_reaction);
    free_slots.clear();
    queues.resize(types);
    for (auto& q : queues) q.clear();
    idle.resize(groups);
    for (auto& q : idle) q.clear();
    chat_open.resize(groups);
    for (auto& q : chat_open) q.clear();
    const auto k = static_cast<std::size_t>(m.intervals);
    counts.assign(k * types, ContactCounts{});
    waits.resize(k * types);
    for (auto& w : waits) w.clear();
    agent_time.assign(k * groups, AgentTime{});
    const auto days = static_cast<std::size_t>(m.days);
    day_agent_time.assign(days * groups, AgentTime{});
    day_sums.assign(days * types, DaySums{});
    day_served_handle.assign(days * m.skills.size(), 0.0);
    day_predictions.assign(m.announcement.measure ? days * types * kPredictors : 0, PredictionStats{});
    breaks.assign(groups, BreakStats{});
    served.assign(k * m.skills.size(), ServedCount{});
    transfers.assign(k * static_cast<std::size_t>(m.transfer_edges), 0);
    next_serial = next_shrinkage_token = 0;

    agents.assign(m.roster.size(), Agent{});
    server_of.clear();
    instants_since_check = 0;
    check_stride = 1;
    replication_index = replication;
    clocked.assign(checking ? m.roster.size() : 0, std::array<double, 7>{});
    for (std::uint32_t i = 0; i < m.roster.size(); ++i) {
      agents[i].group = m.roster[i].group;
      agents[i].location = m.roster[i].location;
      agents[i].until_queue_empty = m.roster[i].until_queue_empty;
    }
    // Every day the roster repeats: one absence draw per rostered agent and day, used or not, keeps the
    // absence stream aligned across policies.
    for (std::uint32_t d = 0; d < static_cast<std::uint32_t>(m.days); ++d) {
      const double offset = d * Model::kDayPeriod, close = offset + m.day_length_s;
      for (std::uint32_t i = 0; i < m.roster.size(); ++i) {
        const RosterAgent& r = m.roster[i];
        const bool absent = absence[r.group].uniform() < m.absence[r.group];
        if (absent || r.end_s <= 0.0 || r.start_s >= m.day_length_s) continue;
        schedule(offset + std::max(r.start_s, 0.0), EventKind::shift_start, i, d);
        schedule(offset + r.end_s, EventKind::shift_end, i);
        // A break lies within its shift (validated), after midnight too on a shift that crosses it.
        for (std::uint32_t b = 0; b < r.breaks.size(); ++b)
          if (r.breaks[b].start_s >= 0.0) {
            ++breaks[r.group].planned;
            schedule(offset + r.breaks[b].start_s, EventKind::break_due, i, b);
          }
      }
      for (std::uint32_t b = 0; b < m.shrinkage.size(); ++b)
        if (m.shrinkage[b].end_s > 0.0)
          schedule(offset + std::max(m.shrinkage[b].start_s, 0.0), EventKind::shrinkage_start, b, d);
      // Appointments: each slot's customer shows up or not, early or late, drawn now (one draw of each per
      // slot, so the same customers come under every policy). Nobody gets in before opening.
      for (std::uint32_t t = 0; t < types; ++t) {
        const AppointmentModel& am = m.appointments[t];
        for (std::uint32_t i = 0; i < am.slots_s.size(); ++i) {
          const bool gone = no_show[t].uniform() < am.no_show;
          const double arrival =
              offset + std::max(0.0, am.slots_s[i] + am.punctuality.sample(punctuality[t]));
          ContactCounts& n =
              counts[interval_of(offset + am.slots_s[i]) * static_cast<std::uint32_t>(m.types) + t];
          ++n.appointments;
          if (gone || arrival >= close) {
            ++n.no_shows;
            continue;
          }
          schedule(arrival, EventKind::appointment_arrival, t,
                   d * static_cast<std::uint32_t>(am.slots_s.size()) + i);
        }
      }
    }
    if (m.deferrable_work)
      for (std::uint32_t iv = 0; iv < static_cast<std::uint32_t>(m.intervals); ++iv)
        schedule(m.interval_start(static_cast<int>(iv)) + m.interval_s, EventKind::interval_end, iv);
  }

  std::uint64_t play() {
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) schedule_arrival(t, 0.0);
    std::uint64_t events = 0;
    double last_time = 0.0;
    while (!calendar.empty()) {
      const engine::Event e = calendar.pop();
      ++events;
      if (checking) {
        if (e.time < last_time) violation(e, "the clock went back from " + std::to_string(last_time) + " s");
        current = &e;
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
          if (agents[e.subject].state == AgentState::interrupted) become_free(e.subject, e.time);
          break;
        case EventKind::break_end:
          if (agents[e.subject].state == AgentState::on_break) become_free(e.subject, e.time);
          break;
        case EventKind::shrinkage_end:
          if (agents[e.subject].state == AgentState::shrinkage &&
              agents[e.subject].shrinkage_token == e.token)
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
        case EventKind::shift_start: {
          Agent& a = agents[e.subject];
          a.day_offset_s = e.token * Model::kDayPeriod;
          a.shift_end_s = a.day_offset_s + m.roster[e.subject].end_s;
          if (a.state !=
              AgentState::off) {  // still at work from yesterday (an all-day agent emptying the queue)
            a.shift_over = false;
            break;
          }
          set_state(a, AgentState::idle, e.time);  // on shift, but not yet in the idle list
          schedule(e.time, EventKind::shift_ready, e.subject, ++a.epoch);
          break;
        }
        case EventKind::shift_ready:
          if (agents[e.subject].state == AgentState::idle && agents[e.subject].epoch == e.token)
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
        if (past_closing(e.time)) after_closing(e.time);
        // The first two replications are checked at every instant; later ones, which the theory tests run by
        // the hundred, at every k-th instant so that checking costs a few times what simulating does.
        if (checking && ++instants_since_check >= check_stride) {
          instants_since_check = 0;
          check_instant(e.time);
          if (replication_index >= 2)
            check_stride =
                1 + (agents.size() + contacts.size() + static_cast<std::size_t>(m.intervals * m.types)) / 16;
        }
      }
    }
    current = nullptr;
    // Contacts still queued found nobody left who could serve them (everyone's shift ended).
    for (std::uint32_t t = 0; t < static_cast<std::uint32_t>(m.types); ++t) drop_queue(t, calendar.now());
    for (auto& a : agents) {
      if (a.state == AgentState::busy || a.state == AgentState::wrap)
        throw SimulationError("replication ended at t=" + std::to_string(calendar.now()) +
                              " s with an agent of group " + std::to_string(a.group) + " still busy");
      if (checking && a.state != AgentState::off)
        clocked[static_cast<std::size_t>(&a - agents.data())][static_cast<std::size_t>(a.state)] +=
            inside_intervals(a.since_s, m.day_end_s);
      account(a, m.day_end_s);
    }
    if (checking) check_time_accounting();
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
    const auto days = static_cast<std::size_t>(m.days);
    const auto ipd = static_cast<std::size_t>(m.intervals_per_day);
    r.contacts_by_interval.resize(static_cast<std::size_t>(m.intervals) * series);
    r.contacts_by_day.resize(series);
    r.agents_by_day.resize(groups);
    r.served_by_day.resize(edges);
    r.transfers_by_day.resize(tedges);
    r.contacts_per_day.resize(days * series);
    r.agents_per_day.resize(days * groups);
    r.breaks_by_day = breaks;
    std::vector<WaitHistogram> day(series);
    const std::vector<double> scheduled = scheduled_seconds(m);
    // Warm-up intervals open every day and are left out of the per-day tables and the run's totals alike.
    for (std::size_t k = 0; k < static_cast<std::size_t>(m.intervals); ++k) {
      const std::size_t d = k / ipd;
      const bool measured = k % ipd >= static_cast<std::size_t>(m.warmup_intervals);
      WaitHistogram all;
      ContactCounts all_counts;
      for (std::size_t t = 0; t < static_cast<std::size_t>(types); ++t) {
        const std::size_t src = k * static_cast<std::size_t>(types) + t;
        ContactCell& cell = r.contacts_by_interval[k * series + t];
        cell.counts = counts[src];
        cell.wait = percentiles(waits[src]);
        cell.waits = waits[src];  // pooled across replications by the runner
        if (types > 1) {
          all.add(waits[src]);
          all_counts.add(counts[src]);
        }
        if (measured) {
          r.contacts_per_day[d * series + t].counts.add(counts[src]);
          day[t].add(waits[src]);
        }
      }
      if (types > 1) {
        ContactCell& cell = r.contacts_by_interval[k * series + series - 1];
        cell.counts = all_counts;
        cell.wait = percentiles(all);
        cell.waits = all;
        if (measured) day[series - 1].add(all);
      }
      for (std::size_t g = 0; g < groups; ++g) {
        AgentTime at = agent_time[k * groups + g];
        at.scheduled_s = scheduled[k * groups + g];
        r.agents_by_interval.push_back(at);
        if (measured) r.agents_per_day[d * groups + g].scheduled_s += at.scheduled_s;
      }
      for (std::size_t e = 0; e < edges; ++e) {
        const ServedCount& sc = served[k * edges + e];
        r.served_by_interval.push_back(sc);
        if (measured) r.served_by_day[e].answered += sc.answered;
      }
      for (std::size_t e = 0; e < tedges; ++e) {
        r.transfers_by_interval.push_back(transfers[k * tedges + e]);
        if (measured) r.transfers_by_day[e] += transfers[k * tedges + e];
      }
    }
    // Seconds come from the day sums booked as the day went (the same whatever the interval length), counts
    // from the intervals (exact); the run's totals add the days in order.
    for (std::size_t d = 0; d < days; ++d) {
      ContactCounts all_counts;
      for (std::size_t t = 0; t < static_cast<std::size_t>(types); ++t) {
        ContactCounts& c = r.contacts_per_day[d * series + t].counts;
        const DaySums& ds = day_sums[d * static_cast<std::size_t>(types) + t];
        c.wait_answered_s = ds.wait_answered_s;
        c.wait_abandoned_s = ds.wait_abandoned_s;
        c.wait_unserved_s = ds.wait_unserved_s;
        c.handle_s = ds.handle_s;
        // A backlog is a level, not a flow: a day's is the one left at its closing.
        c.backlog = counts[((d + 1) * ipd - 1) * static_cast<std::size_t>(types) + t].backlog;
        all_counts.add(c);
      }
      if (types > 1) r.contacts_per_day[d * series + series - 1].counts = all_counts;
      for (std::size_t s = 0; s < series; ++s)
        r.contacts_by_day[s].counts.add(r.contacts_per_day[d * series + s].counts);
      for (std::size_t g = 0; g < groups; ++g) {
        AgentTime& at = r.agents_per_day[d * groups + g];
        const double scheduled_s = at.scheduled_s;
        at = day_agent_time[d * groups + g];
        at.scheduled_s = scheduled_s;
        r.agents_by_day[g].add(at);
      }
      for (std::size_t e = 0; e < edges; ++e) r.served_by_day[e].handle_s += day_served_handle[d * edges + e];
    }
    for (std::size_t s = 0; s < series; ++s) {
      r.contacts_by_day[s].counts.backlog = r.contacts_per_day[(days - 1) * series + s].counts.backlog;
      r.contacts_by_day[s].wait = percentiles(day[s]);
      r.contacts_by_day[s].waits = std::move(day[s]);
    }
    if (m.announcement.measure) {
      r.predictions_by_interval = prediction_stats;
      const std::size_t per_day = static_cast<std::size_t>(types) * kPredictors;
      r.predictions_by_day.assign(per_day, PredictionStats{});
      for (std::size_t d = 0; d < days; ++d)
        for (std::size_t i = 0; i < per_day; ++i)
          r.predictions_by_day[i].add(day_predictions[d * per_day + i]);
    }
    r.events = events;
    return r;
  }

  static WaitPercentiles percentiles(const WaitHistogram& h) {
    return {h.percentile(0.50), h.percentile(0.80), h.percentile(0.90), h.percentile(0.95)};
  }
};

Replication::Replication(const Model& model, bool check_invariants)
    : state_(std::make_unique<State>(model, check_invariants)) {}
Replication::~Replication() = default;

ReplicationResult Replication::run(std::uint64_t seed, std::uint32_t replication) {
  state_->reset(seed, replication);
  std::uint64_t events = state_->play();
  return state_->collect(events);
}

}  // namespace ccsim::model
