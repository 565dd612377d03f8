// sim/scenario: reads and validates scenario files into plain data. It holds no simulation logic; every
// error names file:line:column and the field, and is raised before anything runs. scenario.cpp reads the top
// level; each section has its own file named after it (day.cpp, contact_types.cpp, agent_groups.cpp, ...).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/distribution.hpp"

namespace ccsim::scenario {

// voice: callers queue unseen; counter: walk-ins see the queue (and may balk at its length); email:
// deferrable back-office work, never abandoned, worked only when no real-time contact waits.
// chat: an agent holds up to `concurrency` chats of a type at once, each slower as concurrency grows.
enum class Channel { voice, counter, email, chat };

// Booked contacts: one per slot time; each arrives at slot + punctuality offset, or not at all.
struct Appointments {
  std::vector<double> slots_s;  // clock times, seconds after midnight (a time twice: two desks)
  engine::Distribution punctuality = engine::Distribution::offset(0.0);  // arrival - slot; < 0 early
  double no_show = 0.0;
  double on_time_within_s = 300.0;  // reported: share served within this of the slot
};

// Which contacts the service level counts (numerator is always "answered within tau").
enum class ServiceLevelDefinition {
  offered,                       // / offered (default; abandoned calls count against)
  offered_minus_short_abandons,  // / (offered - abandoned within short_abandon)
  answered,                      // / answered (abandoned calls ignored)
  answered_plus_late_abandons,   // / (answered + abandoned after tau)
};

// After service, the contact continues as another type with this probability (first line -> second line).
struct Transfer {
  int to = 0;  // contact type index
  double probability = 0.0;
  std::string where;  // "file:line:col: field" of the entry, for messages raised after parsing
};

// Why an attempt failed, for a redial's probability: the line was busy (no place), the caller left at once
// (queue in sight, announcement), or hung up while waiting.
enum class RedialCause { blocked, balked, abandoned };
inline constexpr int kRedialCauses = 3;
const char* to_string(RedialCause c);

// Callers who call again (`redial`): after a failed attempt k, the caller calls again with probability
// probability[cause][k - 1] (past the list's end, its last value), `delay` later, as `as` (-1: the same
// type), while attempts (the first call included) stay below max_attempts.
struct Redial {
  std::array<std::vector<double>, kRedialCauses> probability;
  engine::Distribution delay = engine::Distribution::deterministic(0.0);
  int max_attempts = 1;  // 1: nobody redials
  int as = -1;
  std::string where;
  [[nodiscard]] bool any() const { return max_attempts > 1; }
};

// Callbacks (virtual hold, `callback`): a caller whose predicted wait at arrival (the announcement's
// predictor) is over offer_over_s is offered a callback and takes it with probability `accept` (or the
// table's step for the predicted wait); the agent who takes the callback calls out: ring_s, then with
// probability `success` the talk (handle_time), else a failed try, tried again retry_after_s later while
// tries stay below `attempts`. With keep_place the callback waits in the caller's place in the type's
// queue; without, in a queue of its own per type, routed as the type with every route's rank raised by
// `priority` (lower first; 1: after the type's callers, -1: before them).
struct Callback {
  double offer_over_s = -1.0;  // < 0: no callbacks offered
  double accept = 0.0;
  // Acceptance by predicted wait: (over_s, probability) with over_s increasing; a prediction over over_s
  // takes that step's probability (the last step it passes), none under the first. Empty: `accept`.
  std::vector<std::pair<double, double>> accept_by_wait;
  bool keep_place = true;
  int priority = 1;
  double success = 1.0;
  int attempts = 1;
  double retry_after_s = 0.0;
  engine::Distribution handle_time;  // the talk of a callback that reaches the customer
  double ring_s = 20.0;
  std::string where;
  [[nodiscard]] bool any() const { return offer_over_s >= 0.0; }
  [[nodiscard]] double accept_at(double predicted_s) const {
    if (accept_by_wait.empty()) return accept;
    double p = 0.0;
    for (const auto& [over, q] : accept_by_wait)
      if (predicted_s > over) p = q;
    return p;
  }
};

// A trunk group (`lines`): at most `lines` callers of the listed types in the system at once (waiting or in
// service); an arrival finding every line taken is blocked.
struct LineGroup {
  std::string name;
  int lines = 0;
  std::vector<int> types;
  std::string where;
};

struct ContactType {
  std::string name;
  Channel channel = Channel::voice;
  std::vector<double> volume;         // expected contacts per interval (Poisson mean), one per interval
  engine::Distribution handle_time;   // talk time
  std::vector<double> aht;            // optional mean talk time per interval: rescales handle_time there
  std::vector<double> volume_by_day;  // from a forecast with a day column: days * intervals; else empty
  engine::Distribution patience;      // never(): callers do not abandon
  engine::Distribution wrap_up = engine::Distribution::deterministic(0.0);  // after-contact work
  std::vector<Transfer> transfers;
  bool has_appointments = false;
  Appointments appointments;
  int balk_at_queue = 0;         // counter: a walk-in who sees this many waiting leaves at once (0: never)
  int concurrency = 1;           // chat: chats an agent holds at once
  std::vector<double> slowdown;  // chat: handle-time factor when holding n chats (index n-1); empty: 1
  double due_s = std::numeric_limits<double>::infinity();  // email: reported share done within this
  // Money lost per contact that abandons (balks included) or is left unserved at closing: the type's own
  // value, else the scenario's `costs` default.
  double cost_per_abandoned = 0.0, cost_per_unserved = 0.0;
  int queue_limit = -1;  // waiting places: an arrival finding them taken is blocked; -1: no limit
  Redial redial;
  Callback callback;
  std::string where;
};

// An edge of the routing graph: this group serves the contact type.
struct Skill {
  int type = 0;             // contact type index
  int priority = 1;         // 1 = preferred; lower numbers are taken first
  double overflow_s = 0.0;  // offered to this group only after the contact has waited this long
  double weight = 1.0;      // for weighted_waiting contact selection
  std::string where;
};

// Where an agent works, and what that does to capacity: a handle-time factor, and interruptions that
// arrive at a rate while the agent is idle and last a random time (family duties at home, say).
struct Location {
  std::string name;
  double handle_time_factor = 1.0;
  double interruptions_per_hour = 0.0;
  engine::Distribution interruption_duration = engine::Distribution::deterministic(0.0);
  double cost_per_hour = 0.0;  // per paid agent-hour here, on top of the group's rate (desk, allowance)
};

// A break at a fixed time, or staggered: the agents of a shift pattern spread evenly over a window.
struct Break {
  double earliest_s = 0.0;  // seconds after midnight
  double latest_s = 0.0;    // latest start; equal to earliest for a fixed break
  double duration_s = 0.0;
};

// `agents` agents working start..end with these breaks (one named agent when name is set).
struct Shift {
  std::string name;
  double start_s = 0.0, end_s = 0.0;  // seconds after midnight
  int agents = 0;
  std::vector<Break> breaks;
  int location = -1;  // index into Scenario::locations; -1: by the group's home_share
  std::vector<int> days;  // the days of the run it is worked (0-based, ascending); empty: every day
  std::string where;
};

// Timed unavailability of some on-shift agents of a group (team meeting, coaching).
struct Shrinkage {
  std::string name;
  double start_s = 0.0, end_s = 0.0;
  int agents = 0;
};

struct AgentGroup {
  std::string name;
  // Without shifts: `agents` work the whole day and stay after closing until the queue is empty.
  int agents = 0;
  // `agents` as a list: exact available agents per interval of a day (repeated daily) or of the whole run.
  // Absence and shrinkage do not apply to it; `agents` then holds the largest count (the head count).
  std::vector<int> agents_by_interval;
  std::vector<Shift> shifts;
  double home_share = 0.0;  // share of each shift pattern's agents working from the "home" location
  double absence = 0.0;     // probability that a rostered agent does not show up (each independently)
  std::vector<Shrinkage> shrinkage;
  std::vector<Skill> skills;
  double cost_per_hour = 0.0;  // per paid agent-hour (rostered time; see Costs::absence_paid)
  std::string where;
};

// How paid hours and lost contacts are priced (the `costs` section). An agent-hour costs its group's
// cost_per_hour plus its location's; paid hours are rostered time, absent agents' included unless
// absence_paid is false. per_abandoned/per_unserved are the defaults of contact types without their own.
struct Costs {
  bool absence_paid = true;
  double per_abandoned = 0.0, per_unserved = 0.0;
};

// Which idle agent takes an arriving contact.
enum class AgentSelection {
  longest_idle,     // the agent idle longest among every group that may take it now
  preferred_group,  // the best-priority group with an idle agent, then its longest idle agent
};
// Which waiting contact a freed agent takes, among the types its group may take now.
enum class ContactSelection {
  priority_then_longest_waiting,  // best skill priority, then longest waiting
  longest_waiting,                // longest waiting across all its skills
  weighted_waiting,               // largest wait x skill weight
};

// Wait-time announcements: what a caller hears on arrival and how callers react.
enum class Predictor { queue_length, head_of_line, last_to_enter_service, planned };
enum class Message { none, predicted_wait, longer_than_usual };

struct Announcement {
  bool measure = false;  // track every predictor's accuracy (set whenever `announcement` is given)
  Predictor predictor = Predictor::queue_length;
  Message message = Message::none;
  double threshold_s = 180.0;  // longer_than_usual: said when the prediction exceeds this
  double cap_s = 900.0;        // predicted_wait: announced minutes are capped here
  // Reactions; with none configured, an announcement changes nothing.
  std::vector<std::pair<double, double>>
      balk_table;  // (announced wait s, balking probability), linear in between
  double balk_midpoint_s = 0.0, balk_scale_s = 0.0;  // logistic instead: 1 / (1 + exp(-(w - mid) / scale))
  double patience_factor = 1.0;                      // callers who stay
  double abandon_when_passed = 0.0;  // probability of hanging up once the real wait passes the announced one
  [[nodiscard]] bool reacts() const {
    return !balk_table.empty() || balk_scale_s > 0.0 || patience_factor != 1.0 || abandon_when_passed > 0.0;
  }
};

struct Routing {
  AgentSelection agent_selection = AgentSelection::longest_idle;
  ContactSelection contact_selection = ContactSelection::priority_then_longest_waiting;
  bool appointments_first = false;   // booked contacts go ahead of walk-ins, whatever the skill priority
  bool early_wait_for_slot = false;  // an early appointment is served only from its slot time
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_path;  // as given on the command line
  std::string source_text;  // the file's text, stored in results so they explain themselves

  double open_s = 0.0;       // clock time of the first interval, seconds after midnight (display only)
  double interval_s = 1800;  // interval length
  int intervals = 0;         // per day
  // Several days per replication, one every 24 hours: e-mail backlog carries over the night.
  int days = 1;
  std::vector<double> day_profile;      // factor on every volume, per day (a weekday profile); empty: 1
  std::vector<std::string> day_labels;  // per day, for output; empty: "day 1", "day 2", ...
  int warmup_intervals = 0;             // excluded from day totals (for steady-state studies)
  double busyness_cv = 0.0;  // day-level factor on all arrival rates: gamma, mean 1, this cv (0: none)
  std::string forecast_path;

  double tau_s = 20.0;
  double sl_target = std::numeric_limits<double>::quiet_NaN();  // service_level.target: the share the centre
                                                                // aims at (drawn in the report), or none
  ServiceLevelDefinition sl_definition = ServiceLevelDefinition::offered;
  double short_abandon_s = 5.0;

  std::vector<ContactType> contact_types;
  std::vector<AgentGroup> agent_groups;
  std::vector<Location> locations{Location{"office"}};  // [0] is the office (factor 1 unless described)
  Routing routing;
  Announcement announcement;
  Costs costs;
  std::vector<LineGroup> lines;       // trunk groups; a contact type belongs to one at most
  std::vector<std::string> warnings;  // found while validating; printed, not fatal

  std::uint64_t seed = 1;
  int replications = 10;
  std::string replications_where;  // "file:line:col: replications" when the file gives it

  [[nodiscard]] double day_length_s() const { return interval_s * intervals; }
  [[nodiscard]] int run_intervals() const { return days * intervals; }
};

// A scenario and the staffing policies to compare: each policy is the base with its overrides applied
// (policies: [{name, baseline, overrides: {field.path: value}}]); without policies, one named "base".
struct Study {
  std::vector<Scenario> policies;
  std::vector<std::string> names;
  // Per policy, what it is made of as the question asks it (`factors: {home_share: 0.5, message: none}`): the
  // factor names in the order written, the same names for every policy, values as written; empty without.
  std::vector<std::vector<std::pair<std::string, std::string>>> factors;
  int baseline = 0;  // the reference for paired differences: the first policy, or the one marked
  std::string
      sweep_where;  // "file:line:col: sweep" when the file has a `sweep` section (ccsim sweep reads it)
};

// A field path set to a value from outside the policies: `--set PATH=VALUE` or a sweep point's value. The
// same paths as a policy's overrides; applied to the base before the policies, so a policy that overrides
// the same path wins.
struct Override {
  std::string path;    // "agent_groups.desk.agents", "contact_types.calls.patience.mean", "shifts[0]"...
  std::string value;   // YAML text: 12, 3min, [1, 2], {distribution: exponential, mean: 60s}
  std::string origin;  // where it was given, for errors: "command line: --set agent_groups.desk.agents=12"
};
// Reads `--set` arguments ("PATH=VALUE") into overrides; InputError located on the command line.
std::vector<Override> command_line_overrides(const std::vector<std::string>& sets);
// Routing tables and the transfer equations grow with types x groups and types^2: beyond these a file is
// not a contact centre but a way to exhaust memory.
inline constexpr std::size_t kMaxContactTypes = 500;
inline constexpr std::size_t kMaxAgentGroups = 500;

Study load_study(const std::string& path, const std::vector<Override>& sets = {});
Study parse_study(const std::string& text, const std::string& path, const std::vector<Override>& sets = {});

// Reads and validates a scenario file (its base, without policies); throws InputError naming
// file:line:column and field.
Scenario load_scenario(const std::string& path, const std::vector<Override>& sets = {});
// The same from text already in memory; `path` is used in messages only.
Scenario parse_scenario(const std::string& text, const std::string& path,
                        const std::vector<Override>& sets = {});
// The text of a scenario file (or stdin for "-"), checked for size.
std::string read_scenario_text(const std::string& path);

// Index of the location named "home" (where home_share sends agents), or -1.
int home_location(const Scenario& s);
// Whether the scenario puts money on anything (a rate or a cost per lost contact above zero).
bool has_costs(const Scenario& s);

const char* to_string(ServiceLevelDefinition d);
const char* to_string(AgentSelection a);
const char* to_string(Predictor p);
const char* to_string(ContactSelection c);
std::string format_clock(double seconds_after_midnight);  // "08:30" (or "08:30:15" off the minute)
// A duration as the scenario's fields read it — "180" (seconds), "180s", "3min", "1.5h" — for the command
// line; throws InputError without a place (the caller names the option).
double parse_duration(const std::string& text);
// An interval of the run (day * intervals + k) as a user reads it: "08:30", or "Tue 08:30" over days.
std::string interval_label(const Scenario& s, int interval);

}  // namespace ccsim::scenario
