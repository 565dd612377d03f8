// A live state (scenario/start_state.hpp) compiled against one policy's model: the roster agent each listed
// agent is, the laws its residual times are drawn from, and the checks that need the roster (more agents
// listed than a group has on shift then). The conductor applies a plan when a replication starts
// (start_state.cpp: State::apply_start) and captures one for --save-state (State::capture).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "scenario/start_state.hpp"

namespace ccsim::model {

// A roster agent's shift on day d in run seconds: [from, to), as the day plan schedules it; valid is false
// when the agent does not work that day.
struct ShiftSpan {
  double from = 0.0, to = 0.0;
  bool valid = false;
};
ShiftSpan shift_span(const Model& m, const RosterAgent& r, int day);

struct StartPlan {
  const scenario::StartState* state = nullptr;
  double time_s = 0.0;
  int day = 0;             // the day the state's time falls in
  bool at_opening = true;  // the state is at its day's opening: absence is drawn as usual that day
  // Per roster agent: the index of its entry in state->agents, or -1 (not listed, or not on shift then).
  std::vector<int> entry_of;
  // Per entry of state->waiting and per held contact of each agent: whether the elapsed time is past the
  // law's support (the residual ends at once).
  std::vector<std::string> warnings;
};

// What a state's redials and callbacks need of the model (start_state_carried.cpp): their types redial or
// offer callbacks, attempts and tries within the type's. Each mistake is told to `error(place, message)`.
void check_carried(const scenario::StartState& st, const Model& m,
                   const std::function<void(const std::string&, const std::string&)>& error);

// Compiles every state against the model; throws one InputError with every mistake (located where the
// state file put it, prefixed by `where` — e.g. "policy 'x': ") before anything is simulated.
std::vector<StartPlan> compile_start_states(const std::vector<scenario::StartState>& states, const Model& m,
                                            const std::string& where);

}  // namespace ccsim::model
