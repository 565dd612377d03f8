// A plan written back as a scenario: a short file naming the original as its `base` and overriding only
// each planned group's staffing, so `ccsim run FILE` checks the plan and the original (with its comments)
// is left as it is.
#include "planning/plan_yaml.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "scenario/input_file.hpp"

namespace ccsim::planning {

std::string group_path(const scenario::Scenario& s, int group) {
  const std::string& name = s.agent_groups[static_cast<std::size_t>(group)].name;
  // A path names a group by its name unless the name holds a path's own punctuation.
  if (name.find_first_of(".[]") == std::string::npos && name.find(": ") == std::string::npos)
    return "agent_groups." + name;
  return "agent_groups[" + std::to_string(group) + "]";
}

void check_can_be_base(const scenario::Scenario& s) {
  if (s.source_path == scenario::kStdinName)
    throw InputError("command line: --write-scenario: the scenario came from standard input; give it as a "
                     "file, since the written scenario names it as its base");
}

std::string based_scenario_yaml(const scenario::Scenario& s, const std::string& out_path,
                                const std::string& comment, const std::string& name,
                                const std::vector<std::pair<std::string, YAML::Node>>& overrides,
                                const std::vector<scenario::Override>& sets) {
  namespace fs = std::filesystem;
  check_can_be_base(s);
  const fs::path dir = fs::absolute(out_path).parent_path();
  const fs::path base = fs::absolute(s.source_path).lexically_normal();
  fs::path relative = base.lexically_relative(dir);
  if (relative.empty()) relative = base;
  YAML::Emitter out;
  out << YAML::Comment(comment) << YAML::Newline;
  out << YAML::BeginMap;
  out << YAML::Key << "base" << YAML::Value << relative.string();
  out << YAML::Key << "name" << YAML::Value << name;
  // The plan is one staffing, not a comparison: the original's policies would override what it sets.
  out << YAML::Key << "policies" << YAML::Value << YAML::Null;
  // Keys apply in file order, so the plan's own overrides come after (and win over) the --set values.
  for (const auto& o : sets) out << YAML::Key << o.path << YAML::Value << YAML::Load(o.value);
  for (const auto& [key, value] : overrides) {
    out << YAML::Key << key << YAML::Value;
    // An empty node emits as nothing at all: say ~ so that the field is left out.
    if (value.IsNull())
      out << YAML::Null;
    else
      out << value;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string plan_scenario_yaml(const scenario::Scenario& s, const StaffPlan& plan, const std::string& out_path,
                               const std::vector<scenario::Override>& sets) {
  std::vector<std::pair<std::string, YAML::Node>> overrides;
  const int per_day = plan.intervals / s.days;
  for (int g = 0; g < plan.groups; ++g) {
    // Days alike: one list for a day; otherwise one for the run.
    bool alike = true;
    for (int k = per_day; k < plan.intervals; ++k)
      alike = alike && plan.at(k, g).required == plan.at(k % per_day, g).required;
    YAML::Node list(YAML::NodeType::Sequence);
    for (int k = 0; k < (alike ? per_day : plan.intervals); ++k) list.push_back(plan.at(k, g).required);
    list.SetStyle(YAML::EmitterStyle::Flow);
    const std::string at = group_path(s, g);
    overrides.emplace_back(at + ".agents", list);
    // The counts are available agents: shifts, breaks, absence and meetings are already accounted for.
    for (const char* key : {"shifts", "absence", "shrinkage"}) overrides.emplace_back(at + "." + key, YAML::Node());
  }
  return based_scenario_yaml(s, out_path,
                             "Written by `ccsim staff`: " + s.source_path +
                                 " with each group's agents the required available agents per interval.",
                             s.name + " (staffed by ccsim staff)", overrides, sets);
}

}  // namespace ccsim::planning
