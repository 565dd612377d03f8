// The readers of a scenario's sections, one file each named after its section (day.cpp reads `day` and
// `days`, agent_groups.cpp reads `agent_groups`, ...). scenario.cpp reads the top level and calls them in
// the order their checks need: contact types before the groups whose skills name them, locations before
// the shifts placed at them. Internal to sim/scenario.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario::sections {

// day.cpp
void read_day(const Field& day, Scenario& s);
void read_days(const Field& f, Scenario& s);
void read_service_level(const Field& f, Scenario& s);

// contact_types.cpp. Transfers are read once every type is known, since they name other types.
ContactType read_contact_type(const Field& t, const Scenario& s);
void read_transfers(const Field& t, ContactType& c, const Scenario& s);
// The index of the contact type `f` names, or an error suggesting the nearest name.
int type_index(const Field& f, const Scenario& s);

// agent_groups.cpp. `only_group`: a lone group may leave out its skills and serves every type.
AgentGroup read_group(const Field& g, const Scenario& s, bool only_group);

// costs.cpp: read before the contact types, whose prices per lost contact default to it.
void read_costs(const Field& f, Scenario& s);

// locations.cpp, routing.cpp, announcement.cpp
void read_locations(const Field& f, Scenario& s);
void read_routing(const Field& r, Scenario& s);
void read_announcement(const Field& f, Scenario& s);

// scenario.cpp: the whole tree of one scenario (policies.cpp reads each policy's variant with it).
YAML::Node load_yaml(const std::string& text, const std::string& path);
Scenario parse_tree(const YAML::Node& root, const std::string& text, const std::string& path);
// policies.cpp: the base with `sets` applied (the policies not read).
Scenario parse_base_with(const std::string& text, const std::string& path, const std::vector<Override>& sets);

}  // namespace ccsim::scenario::sections
