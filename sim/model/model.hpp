#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/distribution.hpp"
#include "model/measures.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {

// One skill edge as the routing tables hold it.
struct Route {
  std::uint32_t type;
  std::uint32_t group;
  std::uint32_t edge;  // index into Model::skills (for per-edge counts)
  int priority;
  double overflow_s;
  double weight;
  // For a free agent's choice, fixed when the model is built: the rank of the type's queue (deferrable work,
  // then walk-ins after booked contacts, then the skill's priority when the policy ranks by it; lower first)
  // and whether its callbacks wait in a queue of their own.
  int rank;
  bool callback_queue;
};

struct TransferRoute {
  std::uint32_t to;
  std::uint32_t edge;  // index into Model::transfers
  double cumulative;   // cumulative probability, for one uniform draw per contact
};

struct PlannedBreak {
  double start_s;
  double duration_s;
};

// One rostered agent for one day. Times are seconds from opening. An all-day agent works from opening to
// closing and then, instead of leaving, serves the queue until it is empty.
struct RosterAgent {
  std::uint32_t group;
  std::uint32_t location;
  double start_s;
  double end_s;
  std::vector<PlannedBreak> breaks;
  bool until_queue_empty = false;
  int day = -1;  // only on this day of the run (from a per-run list of agents); -1: every day
};

struct ShrinkageBlock {
  std::uint32_t group;
  double start_s, end_s;
  int agents;
};

struct AppointmentModel {
  std::vector<double> slots_s;  // seconds from opening
  engine::Distribution punctuality = engine::Distribution::offset(0.0);
  double no_show = 0.0;
  double on_time_s = 300.0;
};

struct LocationModel {
  double handle_time_factor = 1.0;
  double interruption_gap_s = 0.0;  // mean idle time between interruptions; 0: none
  engine::Distribution interruption_duration;
};

// Callers who call again (a type's `redial`), compiled: the chance that a caller whose attempt `attempt`
// failed for `cause` calls again (0 once attempts reach max_attempts), the delay, and the type it calls as.
struct RedialModel {
  std::array<std::vector<double>, scenario::kRedialCauses> probability;
  engine::Distribution delay = engine::Distribution::deterministic(0.0);
  int max_attempts = 1;
  std::uint32_t as = 0;
  [[nodiscard]] double chance(scenario::RedialCause cause, int attempt) const {
    const auto& p = probability[static_cast<std::size_t>(cause)];
    if (attempt >= max_attempts || p.empty()) return 0.0;
    return p[std::min(static_cast<std::size_t>(attempt), p.size()) - 1];
  }
};

// A scenario compiled for running: flat arrays indexed by contact type, agent group and interval, times in
// seconds from the opening of the day. The routing graph becomes two tables — groups that may take each
// type, types each group may take — sorted by priority, so routing never walks a graph per event.
struct Model {
  int types = 0;
  int groups = 0;
  int intervals = 0;  // in the whole run: days * intervals_per_day; interval g is day g / K, k = g % K
  int intervals_per_day = 0;
  int days = 1;
  int warmup_intervals = 0;
  double interval_s = 0.0;
  double day_length_s = 0.0;                     // opening to closing
  static constexpr double kDayPeriod = 86400.0;  // day d opens at d * kDayPeriod
  double day_end_s = 0.0;                        // closing of the last day
  double tau_s = 20.0;
  double short_abandon_s = 5.0;
  std::vector<int> agents;  // per group: rostered agents (the head count)
  std::vector<RosterAgent> roster;
  std::vector<ShrinkageBlock> shrinkage;
  std::vector<LocationModel> locations;
  std::vector<double> absence;       // per group
  CostRates costs;                   // prices of paid agent-hours and of lost contacts
  bool absence_paid = true;          // absent agents' rostered time counts as paid
  std::vector<double> rate;          // external arrivals per second, [type * intervals + interval]
  std::vector<int> rate_run_end;     // same index: one past the last interval of its day with the same rate
  std::vector<double> handle_scale;  // talk-time factor from the forecast AHT, [type * intervals + interval]
  double busyness_cv = 0.0;          // day-level gamma factor on all arrival rates (mean 1)
  std::vector<engine::Distribution> handle_time;  // per type
  std::vector<engine::Distribution> patience;     // per type
  std::vector<engine::Distribution> wrap_up;      // per type
  std::vector<scenario::Channel> channel;         // per type
  std::vector<int> balk_at_queue;                 // per type, 0: never
  std::vector<int> concurrency;                   // per type: chats an agent holds at once (1 for others)
  std::vector<std::vector<double>> slowdown;      // per type: talk factor when holding n chats ([n-1])
  std::vector<AppointmentModel> appointments;     // per type; no slots for walk-in types
  std::vector<RedialModel> redial;                // per type (max_attempts 1: no redials)
  bool redials = false;                           // some type's callers redial
  std::vector<int> queue_limit;                   // per type: waiting places, -1: unlimited
  std::vector<int> line_group;                    // per type: its trunk group, -1: none
  std::vector<int> lines;                         // per trunk group: callers it holds at once
  bool limited = false;                           // some type has a queue limit or lines
  std::vector<scenario::Callback> callback;       // per type (offer_over_s < 0: none offered)
  bool callbacks = false;                         // some type offers callbacks
  // What the per-contact path asks of a type, in one small record (one cache line serves several types).
  struct TypeTraits {
    bool chat, email;
    double due_s, on_time_s;
  };
  std::vector<TypeTraits> traits;  // per type
  bool deferrable_work = false;    // some type is e-mail: sample backlogs at interval ends
  bool appointments_first = false;
  bool early_wait_for_slot = false;
  scenario::Announcement announcement;
  std::vector<int> chat_servers;  // per group: servers an agent counts as (a chat-only group's concurrency)
  std::vector<double> effective_handle_s;  // [interval * types + type]: effective_handle() as planned
  std::vector<double> planned_wait_s;  // per interval: the stationary Erlang-A ASA (the "planned" predictor)
  std::vector<Route> skills;           // every skill edge, in scenario order
  std::vector<std::vector<Route>> groups_for_type;
  std::vector<std::vector<Route>> types_for_group;
  std::vector<std::vector<TransferRoute>> transfers_from;  // per type
  std::vector<std::vector<std::uint32_t>>
      transfer_reach;  // per type: itself and every type transfers lead to
  int transfer_edges = 0;
  scenario::AgentSelection agent_selection = scenario::AgentSelection::longest_idle;
  scenario::ContactSelection contact_selection = scenario::ContactSelection::priority_then_longest_waiting;

  [[nodiscard]] double interval_start(int g) const {
    if (days == 1) return g * interval_s;  // the common case, on the per-event path
    return (g / intervals_per_day) * kDayPeriod + (g % intervals_per_day) * interval_s;
  }
  [[nodiscard]] double rate_at(int type, int interval) const {
    return rate[static_cast<std::size_t>(type * intervals + interval)];
  }
  [[nodiscard]] int total_agents() const {
    int n = 0;
    for (int a : agents) n += a;
    return n;
  }
};

// Agents each group has available for contacts in an interval of the run as planned: time on shift within the
// interval less planned breaks and shrinkage, times the expected show-up rate, per interval length.
std::vector<double> planned_agents(const Model& m, int interval);

// What a group offers in an interval as planned, for the Erlang column and the predictors (README, "the
// Erlang column"): its available agents, their talk-time factor averaged over where they work, the time
// interruptions take per second of idle time (rate x mean duration, averaged likewise), and the servers an
// agent counts as (a chat-only group's concurrency).
struct GroupCapacity {
  double agents = 0.0;
  double talk_factor = 1.0;
  double interrupted_per_idle = 0.0;
  int servers_per_agent = 1;
};
std::vector<GroupCapacity> planned_capacity(const Model& m, int interval);

// Mean agent time per contact of a type as planned in an interval: talk (forecast AHT) times the serving
// groups' location factor (and a chat's slowdown at full concurrency), plus wrap-up.
double effective_handle(const Model& m, const std::vector<GroupCapacity>& capacity, int type, int interval);

// Rostered seconds per [interval * groups + group], absent agents included: what the roster promised. Shifts
// crossing midnight count in the next day's intervals.
std::vector<double> scheduled_seconds(const Model& m);

Model build_model(const scenario::Scenario& s);
// Redials, queue limits and lines of `s` into `m` (redials.cpp; build_model calls it).
void build_redials(const scenario::Scenario& s, Model& m);

// Contacts of each type offered per second in an interval, transfers included: v = external + P^T v.
std::vector<double> offered_rates(const Model& m, int interval);

// Everything one replication measured. Contact cells are [interval * series + series_index], where the
// series are the contact types followed, when there are several, by "all types".
struct ReplicationResult {
  int series = 0;
  std::vector<ContactCell> contacts_by_interval;
  std::vector<ContactCell> contacts_by_day;   // per series: the whole run (all days), intervals after warm-up
  std::vector<AgentTime> agents_by_interval;  // [interval * groups + group]
  std::vector<AgentTime> agents_by_day;       // per group, intervals after warm-up
  std::vector<ContactCell> contacts_per_day;  // [day * series + series_index] (no percentiles), every day
  std::vector<AgentTime> agents_per_day;      // [day * groups + group]
  std::vector<CostCell> costs_by_interval;    // per interval of the run
  std::vector<CostCell> costs_per_day;        // per day, intervals after warm-up
  CostCell costs_by_day;                      // the whole run, intervals after warm-up
  std::vector<double> paid_by_day;  // paid seconds of the run after warm-up, [group * locations + location]
  std::vector<BreakStats> breaks_by_day;        // per group
  std::vector<ServedCount> served_by_interval;  // [interval * skills + skill edge], by the interval answered
  std::vector<ServedCount> served_by_day;       // per skill edge
  std::vector<std::uint64_t> transfers_by_interval;  // [interval * transfer edges + edge]
  std::vector<std::uint64_t> transfers_by_day;       // per transfer edge
  // With announcements: [ (interval * types + type) * kPredictors + predictor ], and per type for the run.
  std::vector<PredictionStats> predictions_by_interval;
  std::vector<PredictionStats> predictions_by_day;
  std::uint64_t events = 0;  // events processed, for the benchmark
};

// Stream ids name a purpose and a subject, so adding a contact type never shifts another's numbers.
enum class StreamPurpose : std::uint32_t {
  arrivals = 1,
  handle_time = 2,
  patience = 3,
  transfer_choice = 4,
  transferred_handle_time = 5,
  transferred_patience = 6,
  wrap_up = 7,
  absence = 8,        // per group
  interruptions = 9,  // per group
  busyness = 10,
  appointment_no_show = 11,
  appointment_punctuality = 12,
  announcement_reaction = 13,
  redial = 14,         // per type of the failed attempt: whether and when its caller calls again
  redialled = 15,      // per type a redial arrives as: its handle time, patience, wrap-up and transfer
  callback = 16,       // per type: whether a caller takes the callback offered, whether a try reaches them
  callback_talk = 17,  // per type: a callback's talk time
  start_state = 20,    // per type: what contacts waiting or in service in a live state have left
};
constexpr std::uint64_t stream_id(StreamPurpose p, std::uint32_t subject) {
  return (std::uint64_t{static_cast<std::uint32_t>(p)} << 32) | subject;
}

}  // namespace ccsim::model
