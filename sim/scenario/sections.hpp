// The readers of a scenario's sections, one file each named after its section (day.cpp reads `day` and
// `days`, agent_groups.cpp reads `agent_groups`, ...). scenario.cpp reads the top level and calls them in
// the order their checks need: contact types before the groups whose skills name them, locations before
// the shifts placed at them. Internal to sim/scenario.
#pragma once

#include <functional>

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario::sections {

// day.cpp
void read_day(const Field& day, Scenario& s);
void read_days(const Field& f, Scenario& s);
void read_service_level(const Field& f, Scenario& s);
// The days a shift (or a shift pattern) is worked: day labels (every day of the run so labelled) or numbers
// from 1; 0-based, ascending, each once. A list naming every day of the run gives an empty list (every day).
std::vector<int> read_day_list(const Field& f, const Scenario& s);

// contact_types.cpp. Transfers are read once every type is known, since they name other types.
ContactType read_contact_type(const Field& t, const Scenario& s);
void read_transfers(const Field& t, ContactType& c, const Scenario& s);
// The index of the contact type `f` names, or an error suggesting the nearest name.
int type_index(const Field& f, const Scenario& s);

// redial.cpp: a type's queue_limit (read with the type), its redial (once every type is known: `as` names
// one) and the top-level `lines` (trunk groups over the types).
void read_queue_limit(const Field& t, ContactType& c);
void read_redial(const Field& t, ContactType& c, const Scenario& s);
// callback.cpp: a voice type's `callback` (after its handle_time, its default talk time).
void read_callback(const Field& t, ContactType& c);
void read_lines(const Field& f, Scenario& s);

// agent_groups.cpp. `only_group`: a lone group may leave out its skills and serves every type.
AgentGroup read_group(const Field& g, const Scenario& s, bool only_group);
// A break of `shift` ({start} or {window, duration}; inside the shift), and the check that the last of
// `breaks` meets none before it (shift patterns of `ccsim roster` read theirs alike).
Break read_break(const Field& b, const Shift& shift);
void check_apart(const Field& b, const std::vector<Break>& breaks);

// costs.cpp: read before the contact types, whose prices per lost contact default to it.
void read_costs(const Field& f, Scenario& s);

// locations.cpp, routing.cpp, announcement.cpp
void read_locations(const Field& f, Scenario& s);
void read_routing(const Field& r, Scenario& s);
void read_announcement(const Field& f, Scenario& s);

// base.cpp: a scenario file's tree with its `base` files merged in: the deepest base's tree with each
// file's keys applied over it as overrides by field path, every node knowing the file it came from.
struct Tree {
  YAML::Node root;
  std::shared_ptr<Sources> sources;
  const std::string* root_file = nullptr;  // the file the root came from (the deepest base)
  std::string text;  // the file's text, each base's appended as YAML comments (stored in results)
  [[nodiscard]] Field top() const { return {root, "", root_file, sources.get()}; }
};
// Throws InputError naming the `base:` field for a missing base or a cycle of bases.
Tree load_tree(const std::string& text, const std::string& path);

// policies.cpp: sets the field at `key`, a path such as "agent_groups.desk.agents" or "shifts[0].breaks"
// (list elements by name or [index]), of `root` to `value`; errors name `at`. With `sources`, the value
// and any key it adds are recorded as coming from `at`'s file.
// `make_key` makes the node of a key the override adds (default: a plain node), so that an error about it
// can say where it was written.
using KeyNode = std::function<YAML::Node(const std::string&)>;
void apply_override(YAML::Node root, const std::string& key, const YAML::Node& value, const Field& at,
                    Sources* sources, const KeyNode& make_key = {});

// scenario.cpp: the whole tree of one scenario (policies.cpp reads each policy's variant with it).
YAML::Node load_yaml(const std::string& text, const std::string& path);
Scenario parse_tree(const Tree& tree, const std::string& path);
// policies.cpp: the base with `sets` applied (the policies not read).
Scenario parse_base_with(const std::string& text, const std::string& path, const std::vector<Override>& sets);

}  // namespace ccsim::scenario::sections
