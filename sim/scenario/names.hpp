// Names of things in a scenario (contact types, agent groups, locations, policies, shifts, meetings, day
// labels): the rule they follow, checked where they are read so each error names its place in the file.
#pragma once

#include <set>
#include <string>

#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {

// A name is stored whole in every output; this is its longest, in bytes of UTF-8.
inline constexpr std::size_t kMaxNameBytes = 255;

// Characters an override path (`contact_types.general.volume`, `shifts[0]`) and a target
// (`--target general:sl=0.8,asa=20`) use as separators, refused in names that such paths reach.
inline constexpr const char* kNameSeparators = ".[]:=,";

enum class NameKind {
  contact_type,  // in paths and targets; "all" reserved (the pooled series)
  agent_group,   // in paths; "all" reserved (all groups together)
  location,      // a key in paths
  path_element,  // a shift's agent or a meeting's name: list elements a path can pick by name
  policy,        // shown, never part of a path: separators allowed
  day_label,     // shown, never part of a path: separators allowed
};

// Reads `f` as a name of this kind and returns it, or fails at f's place: empty, longer than
// kMaxNameBytes, not valid UTF-8, with a control character or leading/trailing space, with a separator
// (path kinds), reserved, or (when `seen` is given) already used by another of its kind.
std::string read_name(const Field& f, NameKind kind, std::set<std::string>* seen = nullptr);

}  // namespace ccsim::scenario
