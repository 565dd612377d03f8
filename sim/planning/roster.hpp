// sim/planning: a roster that covers a requirement — how many agents work each allowed tour (a shift pattern
// on its days of the week), at least cost, by mixed-integer programming (COIN-OR CBC), then simulated and
// re-solved where it falls short.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "planning/staffing.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::planning {

// An allowed shift pattern: a start and end on each day it is worked, with breaks. Worked every day of the
// run, on the named days (`days: [Mon, Tue, Wed, Thu, Fri]`), or as a tour family (`days_off: 2`: five days
// on and two consecutive days off in a week, one tour per placement of the days off, cyclic over the run).
struct ShiftPattern {
  std::string name;
  int group = -1;  // -1: every group rostered
  double start_s = 0.0, end_s = 0.0;  // seconds after midnight
  std::vector<scenario::Break> breaks;
  std::vector<int> days;       // days of the run worked (0-based); empty: every day
  int days_off = 0;            // > 0: a tour family
  double cost = 0.0;           // per agent and day worked
  double cost_per_hour = 0.0;  // per agent and paid hour (the shift's length, breaks included)
  int max_agents = -1;         // head count on the pattern (its tours together) in each group; -1: no limit
  std::string where;           // "file:line:col: patterns[i]", for messages
};

struct PatternSet {
  std::string path;
  std::vector<ShiftPattern> patterns;
  int max_agents = -1;  // head count over every rostered group; -1: no limit
};

// One column of the programme: a pattern, for one group, on its days.
struct Tour {
  int pattern = 0, group = 0;
  std::vector<int> days;  // days of the run worked (0-based); empty: every day
  std::string name;       // the pattern's, with its days off when generated ("early off Sat-Sun")
};

// Days of the run a tour is worked; paid hours of one day of a pattern (its length, breaks included); the
// cost of one agent on a tour over the run.
int days_worked(const scenario::Scenario& s, const Tour& t);
double paid_hours(const ShiftPattern& p);
double tour_cost(const scenario::Scenario& s, const PatternSet& set, const Tour& t);

// Reads SHIFTS.yaml: {max_agents, patterns: [{name, group, start, end, breaks, days | days_off, cost,
// cost_per_hour, max_agents}]}; without any cost, every pattern costs its paid hours (the programme then
// minimises agent-hours). Throws InputError naming file:line:column and field.
PatternSet load_patterns(const std::string& path, const scenario::Scenario& s);

// The tours of the patterns for the given groups (scenario indices), in pattern order.
std::vector<Tour> make_tours(const scenario::Scenario& s, const PatternSet& set, const std::vector<int>& groups);

// Coverage of each interval of a day by one agent of a pattern: time on shift less breaks (a staggered
// break spread evenly over its window), times the show-up rate, per interval length.
std::vector<double> coverage(const scenario::Scenario& s, const ShiftPattern& p, double absence);

// The cheapest whole numbers of agents per tour with, for every rostered group g and interval k of the run,
// sum(coverage x agents) >= requirement[g][k] (an empty requirement: group not rostered), within the
// head-count limits. Throws InputError naming the group and intervals no tour can cover, or the limits.
std::vector<int> solve_cover(const scenario::Scenario& s, const PatternSet& set, const std::vector<Tour>& tours,
                             const std::vector<std::vector<double>>& requirement);

struct RosterResult {
  std::vector<int> groups;  // rostered, scenario indices
  std::vector<Tour> tours;
  std::vector<int> agents;  // per tour
  // Per scenario group (empty where not rostered), per interval of the run: the available agents required
  // (the simulated requirement, raised where a simulated roster missed) that the last programme covered
  // with the group's meetings on top, and the available agents the roster plans (after breaks, absence
  // and meetings).
  std::vector<std::vector<double>> requirement, available;
  double cost = 0.0, agent_hours = 0.0;  // over the run
  int head_count = 0;
  int rounds = 0;     // programmes solved
  bool met = false;   // the last simulation met the targets in every interval
};

// Covers each group's simulated requirement (plus its planned meetings) over the whole run in one
// programme, simulates the roster, raises the requirement by one agent where an interval misses, solves
// again — up to `max_rounds` programmes.
RosterResult build_roster(const scenario::Scenario& s, const StaffPlan& plan, const std::vector<int>& groups,
                          const PatternSet& set, const StaffOptions& options, int max_rounds = 10);

// The scenario with each rostered group's staffing replaced by its tours' agents.
scenario::Scenario with_roster(const scenario::Scenario& s, const PatternSet& set, const RosterResult& r);
// A rostered group's shifts as scenario YAML (a list of shift entries).
YAML::Node shifts_node(const scenario::Scenario& s, const PatternSet& set, const RosterResult& r, int group);

}  // namespace ccsim::planning
