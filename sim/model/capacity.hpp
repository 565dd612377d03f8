#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace ccsim::model {

// Whether any routing could serve an interval's offered load: a max-flow from contact types (offered
// agent-hours, transfers included) over the skill edges to agent groups (available agent-hours).
struct IntervalCapacity {
  int interval = 0;
  double offered_agent_hours = 0.0;
  double available_agent_hours = 0.0;
  double servable_agent_hours = 0.0;  // the max flow
  bool overloaded = false;            // servable < offered: no routing can keep up
};

std::vector<IntervalCapacity> capacity_check(const Model& m);

// Warnings for contact types that no staffed agent can serve in some intervals, naming the intervals.
std::vector<std::string> unstaffed_skills(const Model& m, const scenario::Scenario& s);

// The work of build_model, unstaffed_skills and capacity_check for a scenario, known from the scenario
// alone: per interval of the run, the rostered agents (each one's planned time is summed per interval),
// the types, groups and skill edges (the max-flow graph), the transfer system's dense solve, and the
// Erlang-A chain (servers plus load) when announcements or callback offers need the planned wait. A unit is
// about a nanosecond or ten; `ccsim validate` skips these checks beyond a budget so that it answers at once.
double analysis_work(const scenario::Scenario& s);
// The analysis_work validate (and the scenario fuzzer) spends at most: a unit takes about 45 ns of CPU
// (Release; measured on a million agents over a day), so this is about 0.2 s and validate answers within a
// second whatever the file.
inline constexpr double kAnalysisBudget = 5e6;

}  // namespace ccsim::model
