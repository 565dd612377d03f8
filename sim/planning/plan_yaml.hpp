// sim/planning: plans written as scenario files that name the original as their `base` and override only the
// staffing they plan.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

#include "planning/staffing.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::planning {

// The override path of a group: "agent_groups.NAME", or "agent_groups[i]" for a name a path cannot hold.
std::string group_path(const scenario::Scenario& s, int group);

// Throws InputError when the scenario cannot be named as a base (it came from standard input).
void check_can_be_base(const scenario::Scenario& s);

// A scenario file for `out_path`: `base:` the scenario's file (relative to out_path's folder), a new name,
// no policies, then the command line's `sets` (the plan was made with them, so the file keeps them), then
// `overrides` (field path, value; a null value leaves the field out). Throws InputError for a scenario read
// from standard input.
std::string based_scenario_yaml(const scenario::Scenario& s, const std::string& out_path,
                                const std::string& comment, const std::string& name,
                                const std::vector<std::pair<std::string, YAML::Node>>& overrides,
                                const std::vector<scenario::Override>& sets = {});

// The staff plan as such a file: each group's `agents` the required available agents per interval (its
// shifts, absence and shrinkage left out), ready for `ccsim run`.
std::string plan_scenario_yaml(const scenario::Scenario& s, const StaffPlan& plan, const std::string& out_path,
                               const std::vector<scenario::Override>& sets = {});

}  // namespace ccsim::planning
