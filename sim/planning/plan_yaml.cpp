// The staffing plan written back as a scenario: the original's tree with each group's staffing replaced by
// its required available agents per interval, so `ccsim run FILE` checks the plan as it stands.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "planning/staffing.hpp"

namespace ccsim::planning {

std::string plan_scenario_yaml(const scenario::Scenario& s, const StaffPlan& plan) {
  YAML::Node root = YAML::Load(s.source_text);
  root["name"] = s.name + " (staffed by ccsim staff)";
  // Policies override the roster this file replaces; the plan is one staffing, not a comparison.
  root.remove("policies");
  if (root["forecast"] && !s.forecast_path.empty())
    root["forecast"] = std::filesystem::absolute(s.forecast_path).lexically_normal().string();
  YAML::Node groups = root["agent_groups"];
  for (std::size_t i = 0; i < groups.size(); ++i) {
    YAML::Node g = groups[i];
    int index = -1;
    for (std::size_t j = 0; j < s.agent_groups.size(); ++j)
      if (s.agent_groups[j].name == g["name"].as<std::string>()) index = static_cast<int>(j);
    if (index < 0) continue;
    // Days alike: one list for a day; otherwise one for the run.
    const int per_day = plan.intervals / s.days;
    bool alike = true;
    for (int k = per_day; k < plan.intervals; ++k)
      alike = alike && plan.at(k, index).required == plan.at(k % per_day, index).required;
    YAML::Node list(YAML::NodeType::Sequence);
    for (int k = 0; k < (alike ? per_day : plan.intervals); ++k) list.push_back(plan.at(k, index).required);
    list.SetStyle(YAML::EmitterStyle::Flow);
    // The counts are available agents: shifts, breaks, absence and meetings are already accounted for.
    for (const char* key : {"shifts", "absence", "shrinkage"}) g.remove(key);
    g["agents"] = list;
  }
  YAML::Emitter out;
  out << YAML::Comment("Written by `ccsim staff` from " + s.source_path +
                       ": each group's agents are the required available agents per interval.");
  out << YAML::Newline << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace ccsim::planning
