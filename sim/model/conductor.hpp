// The conductor of a replication: it owns the clock, the random streams and the contacts, and holds the
// rooms (tally, queues, agent pool, router, announcer). Rooms decide or record; only the conductor schedules
// events and calls the next room. Its handlers live in replication.cpp, the day plan (what a replication
// schedules before it starts) in day_plan.cpp, the invariant checks in invariants.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/random.hpp"
#include "model/agent_pool.hpp"
#include "model/announcer.hpp"
#include "model/callbacks.hpp"
#include "model/contact_queues.hpp"
#include "model/deadlines.hpp"
#include "model/entities.hpp"
#include "model/redials.hpp"
#include "model/replication.hpp"
#include "model/router.hpp"
#include "model/start_state.hpp"
#include "model/tally.hpp"

namespace ccsim::model {

struct Replication::State {
  State(const Model& model, bool check)
      : m(model),
        clock(model),
        tally(model, clock),
        queues(contacts),
        pool(model, tally),
        router(model, pool, queues, contacts),
        announcer(model),
        checking(check) {}

  const Model& m;
  const DayClock clock;
  engine::Calendar calendar;
  // Per type: arrivals, handle time, patience, wrap-up, transfer choice; and for contacts arriving by
  // transfer. Per group: absence and interruptions. Per type, for appointments: no-shows, punctuality.
  std::vector<engine::Stream> arrivals, handle, patience, wrap_up, transfer_choice, transferred_handle,
      transferred_patience;
  std::vector<engine::Stream> absence, interruptions;
  std::vector<engine::Stream> no_show, punctuality;
  // Per type, with redials: whether and when a failed caller calls again; a redial's own draws.
  std::vector<engine::Stream> redial_choice, redialled;
  // Per type, with callbacks: whether a caller takes the offer and whether a try reaches them; talk times.
  std::vector<engine::Stream> callback_choice, callback_talk;
  std::vector<double> busyness;  // per day: the factor on every arrival rate
  std::vector<Contact> contacts;
  std::vector<std::uint32_t> free_slots;
  std::vector<double> pending_patience;  // per slot: when a booked customer gives up (absolute time)
  std::vector<std::uint32_t> incoming;   // per type: contacts in the system that may yet transfer to it
  std::vector<double> next_arrival_at;   // per type: its next arrival (kNever: none left)
  std::uint32_t first_arrival = kNone;   // the type whose next arrival comes first
  __extension__ using ArrivalKey = unsigned __int128;
  std::vector<ArrivalKey> arrival_tree;  // arrivals.cpp: the tournament finding first_arrival
  std::uint32_t next_serial = 0, next_shrinkage_token = 0;
  Tally tally;
  ContactLog log;       // per-slot notes for the records, attached to the tally only when records are kept
  Deadlines deadlines;  // patience deadlines of waiting contacts
  // Overflow timers, keyed per (queue, overflow route): [overflow_first[queue], overflow_first[queue + 1]).
  // Each key's due time is kept here; the heap beside the calendar holds one entry per queue, at its keys'
  // earliest due time, so a new head re-arms one heap entry rather than one per route.
  struct OverflowTimer {
    std::uint32_t queue;
    std::uint32_t group;  // the route's group
    double overflow_s;
  };
  Deadlines overflow_timers;                  // per queue: the earliest of its keys' due times
  std::vector<OverflowTimer> overflow_timer;  // per key
  std::vector<double> overflow_due;           // per key: when it fires (kNever: not armed)
  std::vector<std::uint32_t> overflow_first;  // per queue, and one past the last
  std::vector<std::uint32_t> overflow_head;   // per queue: serial of the head the timers are armed for
  ContactQueues queues;
  AgentPool pool;
  Router router;
  Announcer announcer;
  Redials redials;
  Lines lines;
  Callbacks callbacks;
  const bool checking;  // check invariants at every instant

  // day_plan.cpp; with a start plan the replication starts at its time, from its state.
  void reset(std::uint64_t seed, std::uint32_t replication, const StartPlan* from = nullptr);
  // Queues: one per contact type, then (with callbacks) one per type for callbacks that do not keep their
  // caller's place (keep_place: false), at types + type.
  [[nodiscard]] std::uint32_t queue_count() const {
    return static_cast<std::uint32_t>(m.types) * (m.callbacks ? 2 : 1);
  }
  [[nodiscard]] std::uint32_t type_of_queue(std::uint32_t q) const {
    return q < static_cast<std::uint32_t>(m.types) ? q : q - static_cast<std::uint32_t>(m.types);
  }
  // Contacts of a type waiting for an agent: callers and callbacks, in either queue.
  [[nodiscard]] std::uint32_t waiting_work(std::uint32_t type) const {
    return queues.waiting(type) +
           (m.callbacks ? queues.waiting(static_cast<std::uint32_t>(m.types) + type) : 0);
  }
  [[nodiscard]] std::uint32_t queue_of(const Contact& c) const {
    return c.callback && !m.callback[c.type].keep_place ? static_cast<std::uint32_t>(m.types) + c.type
                                                        : c.type;
  }

  // start_state.cpp
  const StartPlan* plan = nullptr;       // the live state this replication starts from, if any
  std::vector<engine::Stream> starting;  // per type: residual times of a live state's contacts
  double save_at = kNever;               // capture the state before the first event at or after this time
  std::string save_text;
  scenario::StartState* saved = nullptr;
  void apply_start_waiting();
  bool start_shift(std::uint32_t agent, std::uint32_t day, bool& absent);
  bool listed_at_start(std::uint32_t agent, double shift_end);
  void apply_start_agent(std::uint32_t agent, const scenario::StartState::AgentEntry& e, double shift_end);
  [[nodiscard]] scenario::StartState capture(double now, const std::string& text) const;
  // start_state_carried.cpp: the state's pending redials and callbacks, carried in and captured.
  std::vector<std::uint64_t> carried_callbacks;  // per type: callbacks the state brought (not accepted here)
  std::uint32_t carry_callback(std::uint32_t type, double requested_ago, int tries, double now);
  void queue_carried_callback(const scenario::StartState::Callback& c, double now);
  void start_carried_call_out(std::uint32_t agent, const scenario::StartState::Held& h, double now);
  void hand_to(std::uint32_t agent, std::uint32_t slot, std::uint32_t type);
  void apply_start_pending();
  [[nodiscard]] scenario::StartState::CallOut capture_call_out(std::uint32_t slot, double now) const;
  void capture_pending(scenario::StartState& st, double now) const;
  [[nodiscard]] int line_held(std::uint32_t slot) const;

  // event_loop.cpp
  std::uint64_t play(const std::atomic<bool>* cancel = nullptr);  // throws Interrupted once *cancel is set
  bool end_instant(double now, bool night);
  // replication.cpp and arrivals.cpp: the handlers.
  void schedule(double t, EventKind kind, std::uint32_t subject, std::uint32_t token = 0) {
    calendar.schedule(t, static_cast<std::uint8_t>(kind), subject, token);
  }
  double next_arrival(std::uint32_t type, double t);
  void schedule_arrival(std::uint32_t type, double after);
  std::uint32_t new_slot();
  void release(std::uint32_t slot);
  std::uint32_t new_contact(std::uint32_t type, double arrival, double queued, double wait_from,
                            double slot_time, double& patience_s);
  void start_service(std::uint32_t agent, std::uint32_t slot, std::uint32_t edge, double now);
  void fill_chats(std::uint32_t agent, double now);
  void take(const ContactPick& pick, double now);
  // `call`: a caller's attempt (an arrival or a redial), which may find no line or waiting place free.
  void offer(std::uint32_t slot, double patience_s, double now, bool call = false);
  void on_arrival(std::uint32_t type, double now);
  void walk_in(std::uint32_t slot, double patience_s, double now);
  // redials.cpp: blocked callers, the end of a caller's attempt (calls again, or the customer is done).
  void block(std::uint32_t slot, double now);
  void failed(std::uint32_t slot, scenario::RedialCause cause, double now);
  void customer_served(std::uint32_t slot);
  void customer_lost(std::uint32_t slot);
  void on_redial(std::uint32_t index, double now);
  // callbacks.cpp: the offer to a caller about to queue, the call-out, a try that failed, closing.
  bool offer_callback(std::uint32_t slot, double now);
  void start_callback(std::uint32_t agent, std::uint32_t slot, double now);
  void end_callback(std::uint32_t agent, std::uint32_t slot, double now);
  void on_callback_retry(std::uint32_t slot, std::uint32_t serial, double now);
  void on_appointment_arrival(std::uint32_t type, std::uint32_t index, double now);
  void on_appointment_ready(std::uint32_t slot, std::uint32_t serial, double now);
  void on_interval_end(std::uint32_t interval);
  void on_abandonment(std::uint32_t slot, std::uint32_t serial, double now);
  void on_overflow_due(std::uint32_t queue, double now);
  void on_overflow(std::uint32_t key, double now);
  void rearm_overflow(std::uint32_t queue, double now);
  void arm_overflow_queue(std::uint32_t queue);
  void record_prediction(std::uint32_t slot, double actual);
  void end_ghosts(const std::vector<std::uint32_t>& slots, double now);
  void drop_queue(std::uint32_t type, double now);
  void drop_queue_at(std::uint32_t queue, double now);
  void become_idle(std::uint32_t agent, double now);
  void dispatch(std::uint32_t agent, double now);
  void start_break(std::uint32_t agent, int index, double now);
  void start_shrinkage(std::uint32_t agent, double end, double now);
  void become_free(std::uint32_t agent, double now);
  bool transfer(std::uint32_t slot, double now);
  void on_service_end(std::uint32_t agent, std::uint32_t slot, double now);
  void after_talk(std::uint32_t agent, double wrap, double now);
  void on_shift_start(std::uint32_t agent, std::uint32_t day, double now);
  void on_shift_end(std::uint32_t agent, double now);
  void leave(std::uint32_t agent, double now);
  bool still_needed(const Agent& a) const;
  void entered(std::uint32_t slot);
  void left_unanswered(std::uint32_t slot);
  bool send_home(double now);
  void forfeit_breaks(std::uint32_t agent);
  void after_closing(double now);
  void on_break_due(std::uint32_t agent, std::uint32_t index, double now);
  void on_shrinkage_start(std::uint32_t block, std::uint32_t day, double now);
  void on_interruption(std::uint32_t agent, std::uint32_t epoch, double now);

  // invariants.cpp: each names the time, the event, the entity and the rule it broke.
  std::vector<std::uint32_t> server_of;  // per slot: the agent serving it (checking mode)
  const engine::Event* current = nullptr;
  std::size_t instants_since_check = 0, check_stride = 1;
  std::uint32_t replication_index = 0;
  [[noreturn]] void violation(const std::string& rule) const;
  void check_may_serve(std::uint32_t agent, std::uint32_t slot, double now);
  void check_instant(double now);
  void check_time_accounting() const;
  void check_attempts() const;
};

}  // namespace ccsim::model
