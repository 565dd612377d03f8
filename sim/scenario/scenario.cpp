#include "scenario/scenario.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/forecast_csv.hpp"
#include "scenario/input_file.hpp"
#include "scenario/names.hpp"
#include "scenario/routing_graph.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario {

namespace sections {

YAML::Node load_yaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::ostringstream os;
    os << path << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": not valid YAML: " << e.msg;
    throw InputError(os.str());
  }
}

Scenario parse_tree(const Tree& tree, const std::string& path) {
  const Field top = tree.top();
  top.expect_map({"name", "description", "seed", "replications", "day", "service_level", "contact_types",
                  "agent_groups", "routing", "locations", "forecast", "policies", "days", "announcement",
                  "costs", "sweep", "lines"});  // policies: parse_study; sweep: read_sweep
  Scenario s;
  s.source_path = path;
  s.source_text = tree.text;
  // Each section and list item reports its first error and reading goes on, so that one run shows every
  // mistake; what later sections need of a failed one (a type's name) is kept so they do not fail too.
  ErrorList errors;
  errors.attempt(top, [&] { s.name = top["name"].text(); });
  errors.attempt(top, [&] {
    if (top.has("description")) s.description = top["description"].text();
  });
  errors.attempt(top, [&] {
    if (top.has("seed"))
      s.seed = static_cast<std::uint64_t>(top["seed"].integer(0, 9'000'000'000'000'000'000LL));
  });
  errors.attempt(top, [&] {
    if (!top.has("replications")) return;
    s.replications = static_cast<int>(top["replications"].integer(1, 1'000'000));
    s.replications_where = top["replications"].where();
  });
  // Every later section is measured in the day's intervals: without a day they could only fail with it.
  if (!errors.attempt(top, [&] { read_day(top["day"], s); })) errors.throw_if_any();
  errors.attempt(top, [&] {
    if (top.has("days")) read_days(top["days"], s);
  });
  errors.attempt(top, [&] {
    if (top.has("service_level")) read_service_level(top["service_level"], s);
  });

  errors.attempt(top, [&] {
    if (top.has("costs")) read_costs(top["costs"], s);
  });

  std::set<std::string> names;
  std::vector<Field> type_fields;
  if (!errors.attempt(top, [&] {
        type_fields = top["contact_types"].items();
        if (type_fields.empty()) top["contact_types"].fail("needs at least one contact type");
        if (type_fields.size() > kMaxContactTypes)
          top["contact_types"].fail("has " + std::to_string(type_fields.size()) + " contact types; at most " +
                                    std::to_string(kMaxContactTypes) + " are allowed");
      }))
    errors.throw_if_any();
  std::vector<bool> type_ok(type_fields.size(), false);
  bool names_ok = true;
  for (std::size_t i = 0; i < type_fields.size(); ++i) {
    const Field& t = type_fields[i];
    std::string name;
    // The name first: a duplicate is said as such (the rest of a copied entry would only repeat the
    // copy's mistakes), and later sections can still refer to a type whose other fields fail.
    if (errors.attempt(t, [&] { name = read_name(t["name"], NameKind::contact_type, &names); }))
      type_ok[i] = errors.attempt(t, [&] { s.contact_types.push_back(read_contact_type(t, s)); });
    else
      names_ok = false;
    if (!type_ok[i]) {
      s.contact_types.emplace_back();
      s.contact_types.back().name = name;
    }
  }
  // Without every type's name, each later mention of a type could only add a misleading error.
  if (!names_ok) errors.throw_if_any();
  if (top.has("forecast")) {
    errors.attempt(top["forecast"], [&] {
      // A path relative to the scenario file that names it (the base's, if it comes from the base), as a
      // user writes it beside the scenario.
      const Field f = top["forecast"];
      std::filesystem::path p = f.text();
      if (p.is_relative()) p = std::filesystem::path(*f.file()).parent_path() / p;
      s.forecast_path = p.string();
      const std::vector<bool> in_file = read_forecast_csv(s.forecast_path, s);
      for (std::size_t i = 0; i < type_fields.size(); ++i)
        for (const char* key : {"volume", "calls_per_hour", "aht"})
          if (in_file[i] && type_fields[i].has(key))
            errors.attempt(type_fields[i], [&] {
              type_fields[i][key].fail("'" + s.contact_types[i].name + "' also has rows in " +
                                       s.forecast_path + ": give its forecast in one place");
            });
    });
  }
  for (std::size_t i = 0; i < type_fields.size(); ++i)
    if (type_ok[i])
      errors.attempt(type_fields[i], [&] { read_transfers(type_fields[i], s.contact_types[i], s); });
  for (std::size_t i = 0; i < type_fields.size(); ++i)
    if (type_ok[i])
      errors.attempt(type_fields[i], [&] { read_redial(type_fields[i], s.contact_types[i], s); });
  errors.attempt(top, [&] {
    if (top.has("lines")) read_lines(top["lines"], s);
  });

  errors.attempt(top, [&] {
    if (top.has("locations")) read_locations(top["locations"], s);
  });
  std::vector<Field> group_fields;
  if (errors.attempt(top, [&] {
        group_fields = top["agent_groups"].items();
        if (group_fields.empty()) top["agent_groups"].fail("needs at least one agent group");
        if (group_fields.size() > kMaxAgentGroups)
          top["agent_groups"].fail("has " + std::to_string(group_fields.size()) + " agent groups; at most " +
                                   std::to_string(kMaxAgentGroups) + " are allowed");
      })) {
    names.clear();
    for (const Field& g : group_fields) {
      std::string name;
      if (!errors.attempt(g, [&] { name = read_name(g["name"], NameKind::agent_group, &names); }) ||
          !errors.attempt(g, [&] { s.agent_groups.push_back(read_group(g, s, group_fields.size() == 1)); })) {
        s.agent_groups.emplace_back();
        s.agent_groups.back().name = name;
      }
    }
  }
  errors.attempt(top, [&] {
    if (top.has("routing")) read_routing(top["routing"], s);
  });
  errors.attempt(top, [&] {
    if (top.has("announcement")) read_announcement(top["announcement"], s);
  });
  // The checks across sections mean something only once every section read cleanly.
  errors.throw_if_any();
  validate_routing(s);
  return s;
}

}  // namespace sections

std::string read_scenario_text(const std::string& path) {
  return read_input(path, kMaxScenarioBytes, "scenario file");
}

Study load_study(const std::string& path, const std::vector<Override>& sets) {
  return parse_study(read_scenario_text(path), input_name(path), sets);
}

Scenario parse_scenario(const std::string& text, const std::string& path, const std::vector<Override>& sets) {
  if (sets.empty()) return sections::parse_tree(sections::load_tree(text, path), path);
  return sections::parse_base_with(text, path, sets);
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& sets) {
  return parse_scenario(read_scenario_text(path), input_name(path), sets);
}

}  // namespace ccsim::scenario
