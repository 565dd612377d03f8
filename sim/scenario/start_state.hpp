// A live state to start a run from (`--start-state`), and the states a run writes (`--save-state`): who is
// waiting and what every agent is doing at one moment of the run. Read from and written to YAML here; the
// model applies and captures them (model/start_state.hpp). Names are resolved against the scenario when
// read, so an unknown type or group is told with its place in the file.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

inline constexpr double kDayPeriodS = 86400.0;  // day d of a run opens at d * kDayPeriodS (model::Model)

// What an agent is doing at the state's time. idle is also what agents not listed do (if on shift).
enum class AgentActivity { idle, busy, wrap, on_break, meeting, interrupted, absent };
const char* to_string(AgentActivity a);

// A contact's trunk line in a state: that of its type's own trunk group (none if the type has none) unless
// the state says otherwise — a caller keeps the line it came in on through transfers, and a chat or walk-in
// transferred to a voice type holds none.
inline constexpr int kOwnLine = -2;

struct StartState {
  // A moment of the run: seconds from the first day's opening (the model's clock), as read or as written.
  double time_s = 0.0;
  std::string time_text;  // "11:00", "Tue 11:00"
  std::string where;      // "file:line:col" of the state, for messages

  // Callers (or e-mails, chats, walk-ins) waiting in a queue: `count` of them have each waited `waited_s`,
  // on their `attempt`-th call (above 1: a redial, its customer one of before).
  struct Waiting {
    int type = 0;
    double waited_s = 0.0;
    int count = 1;
    std::string where;
    int attempt = 1;
    int line = kOwnLine;  // the trunk group (index) whose line each holds, -1: none
  };
  // A callback an agent is making (a call-out): accepted `requested_s` before the state's time, `tries`
  // made with this one; whether this try reaches the customer (-1: drawn from the type's `success`), and
  // the time from the request to the customer answering it (NaN: not given).
  struct CallOut {
    double requested_s = 0.0;
    int tries = 1;
    int reaches = -1;
    double delay_s = NAN;
  };
  // A contact in an agent's hands: how long it has lasted, or how long it has left (exactly one is set; the
  // other is NaN). An agent holding several chats holds several.
  struct Held {
    int type = 0;
    double elapsed_s = NAN, remaining_s = NAN;
    std::string where;
    std::optional<CallOut> callback;  // set: a call-out, which holds no line
    int line = kOwnLine;               // as Waiting::line
  };
  struct AgentEntry {
    int group = 0;
    AgentActivity activity = AgentActivity::idle;
    std::vector<Held> held;  // busy: one contact, or chats
    // wrap, break, meeting, interrupted: when it ends (model seconds), or NaN for wrap-up with `elapsed`
    // (then drawn from the wrap-up law given what has passed) — wrap's elapsed/remaining use `held[0]`.
    double until_s = NAN;
    std::string where;
  };
  // A customer who will call again (as `type`) at `at_s` (model seconds), making attempt `attempt`.
  struct Redial {
    int type = 0;
    double at_s = 0.0;
    int attempt = 2;
    std::string where;
  };
  // A callback accepted `requested_s` before the state's time, `tries` made: waiting in its type's queue
  // (next_try_s NaN; it joined the queue `queued_s` before the state's time, NaN: when requested), or due
  // to be tried again at next_try_s (model seconds).
  struct Callback {
    int type = 0;
    double requested_s = 0.0, queued_s = NAN;
    int tries = 0;
    double next_try_s = NAN;
    std::string where;
  };
  std::vector<Waiting> waiting;
  std::vector<AgentEntry> agents;
  std::vector<Redial> redials;
  std::vector<Callback> callbacks;

  // Nothing listed: the state only says when the run starts.
  [[nodiscard]] bool empty() const {
    return waiting.empty() && agents.empty() && redials.empty() && callbacks.empty();
  }
};

// A moment of the run as the user writes it: "11:00", "11:00:30", or over days "Tue 11:00" (a day label or
// "day N"); throws InputError without a place (the caller names the field or option). It must lie within a
// day's opening hours (closing excluded).
// The trunk group (index into Scenario::lines) a contact type belongs to, or -1.
int own_line(const Scenario& s, int type);

double parse_state_time(const std::string& text, const Scenario& s);

// Reads a state file: one state (a map) or a list of states (one per replication). Every mistake in the
// file is told at once, each with file:line:column and field; types and groups are names of `s`.
std::vector<StartState> load_start_states(const std::string& path, const Scenario& s);
std::vector<StartState> parse_start_states(const std::string& text, const std::string& path, const Scenario& s);

// The YAML text of states as load_start_states reads them back (a list, one per replication).
std::string write_start_states(const std::vector<StartState>& states, const Scenario& s,
                               const std::string& comment);

}  // namespace ccsim::scenario
