// sim/planning: a roster that covers a requirement — how many agents start on each allowed shift pattern, at
// least cost, by mixed-integer programming (COIN-OR CBC), then simulated and re-solved where it falls short.
#pragma once

#include <string>
#include <vector>

#include "planning/staffing.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::planning {

// A daily shift pattern: it repeats every day of the run (weekly tours with days off are not modelled).
struct ShiftPattern {
  std::string name;
  double start_s = 0.0, end_s = 0.0;  // seconds after midnight
  std::vector<scenario::Break> breaks;
  double cost = 0.0;           // per agent and day
  double cost_per_hour = 0.0;  // per agent and paid hour (the shift's length, breaks included)
  int max_agents = -1;         // -1: no limit
};

// Reads SHIFTS.yaml: {patterns: [{name, start, end, breaks, cost, cost_per_hour, max_agents}]}; without any
// cost, every pattern costs its hours (the programme then minimises agent-hours). Throws InputError.
std::vector<ShiftPattern> load_patterns(const std::string& path, const scenario::Scenario& s);

struct RosterResult {
  int group = 0;
  std::vector<int> agents;               // per pattern
  std::vector<double> requirement;       // per interval of a day: what the last programme covered
  std::vector<double> covered;           // per interval of a day: available agents the roster plans
  double cost = 0.0, agent_hours = 0.0;  // per day
  int rounds = 0;                        // programmes solved
  bool met = false;                      // the last simulation met the targets in every interval
};

// Coverage of each interval of a day by one agent of a pattern: time on shift less breaks (a staggered
// break spread evenly over its window), times the show-up rate, per interval length.
std::vector<double> coverage(const scenario::Scenario& s, const ShiftPattern& p, double absence);

// The cheapest integer numbers of agents per pattern with sum(coverage x agents) >= requirement in every
// interval; throws InputError naming the intervals no pattern set can cover.
std::vector<int> solve_cover(const scenario::Scenario& s, const std::vector<ShiftPattern>& patterns,
                             const std::vector<double>& requirement, double absence);

// Covers the group's simulated requirement (the busiest day's, since patterns repeat daily, plus planned
// meetings), simulates the roster, raises the requirement by one agent where an interval misses, solves
// again — up to `max_rounds` programmes.
RosterResult build_roster(const scenario::Scenario& s, const StaffPlan& plan, int group,
                          const std::vector<ShiftPattern>& patterns, const StaffOptions& options,
                          int max_rounds = 10);

// The scenario with the group's roster replaced by the patterns' agents.
scenario::Scenario with_roster(const scenario::Scenario& s, int group,
                               const std::vector<ShiftPattern>& patterns, const std::vector<int>& agents);
// The roster as scenario YAML, ready to paste under the group.
std::string roster_yaml(const std::vector<ShiftPattern>& patterns, const std::vector<int>& agents);

}  // namespace ccsim::planning
