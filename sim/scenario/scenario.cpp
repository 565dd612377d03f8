#include "scenario/scenario.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/forecast_csv.hpp"
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

Scenario parse_tree(const YAML::Node& root, const std::string& text, const std::string& path) {
  const Field top(root, "", &path);
  top.expect_map({"name", "description", "seed", "replications", "day", "service_level", "contact_types",
                  "agent_groups", "routing", "locations", "forecast", "policies", "days",
                  "announcement"});  // policies: parse_study
  Scenario s;
  s.source_path = path;
  s.source_text = text;
  s.name = top["name"].text();
  if (top.has("description")) s.description = top["description"].text();
  if (top.has("seed"))
    s.seed = static_cast<std::uint64_t>(top["seed"].integer(0, 9'000'000'000'000'000'000LL));
  if (top.has("replications")) s.replications = static_cast<int>(top["replications"].integer(1, 1'000'000));
  read_day(top["day"], s);
  if (top.has("days")) read_days(top["days"], s);
  if (top.has("service_level")) read_service_level(top["service_level"], s);

  std::set<std::string> names;
  const Field types = top["contact_types"];
  const std::vector<Field> type_fields = types.items();
  for (const Field& t : type_fields) {
    read_name(t["name"], NameKind::contact_type, &names);  // before the rest: a duplicate is said as such
    s.contact_types.push_back(read_contact_type(t, s));
  }
  if (s.contact_types.empty()) types.fail("needs at least one contact type");
  if (top.has("forecast")) {
    // A path relative to the scenario file, as a user writes it beside the scenario.
    const Field f = top["forecast"];
    std::filesystem::path p = f.text();
    if (p.is_relative()) p = std::filesystem::path(path).parent_path() / p;
    s.forecast_path = p.string();
    const std::vector<bool> in_file = read_forecast_csv(s.forecast_path, s);
    for (std::size_t i = 0; i < type_fields.size(); ++i)
      for (const char* key : {"volume", "calls_per_hour", "aht"})
        if (in_file[i] && type_fields[i].has(key))
          type_fields[i][key].fail("'" + s.contact_types[i].name + "' also has rows in " + s.forecast_path +
                                   ": give its forecast in one place");
  }
  for (std::size_t i = 0; i < type_fields.size(); ++i) read_transfers(type_fields[i], s.contact_types[i], s);

  if (top.has("locations")) read_locations(top["locations"], s);
  const Field groups = top["agent_groups"];
  const std::vector<Field> group_fields = groups.items();
  if (group_fields.empty()) groups.fail("needs at least one agent group");
  names.clear();
  for (const Field& g : group_fields) {
    read_name(g["name"], NameKind::agent_group, &names);  // before its skills are asked for
    s.agent_groups.push_back(read_group(g, s, group_fields.size() == 1));
  }
  if (top.has("routing")) read_routing(top["routing"], s);
  if (top.has("announcement")) read_announcement(top["announcement"], s);
  validate_routing(s);
  return s;
}

}  // namespace sections

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open scenario file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Study load_study(const std::string& path) {
  return parse_study(read_text(path), path);
}

Scenario parse_scenario(const std::string& text, const std::string& path) {
  return sections::parse_tree(sections::load_yaml(text, path), text, path);
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(read_text(path), path);
}

}  // namespace ccsim::scenario
