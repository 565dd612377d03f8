// What `staff` and `roster` share: the --target option ("[TYPE:]KIND=VALUE" read against the scenario) and
// --write-scenario (a file, or `-` for standard output: the scenario is YAML text).
#pragma once

#include <string>

#include "planning/staffing.hpp"

namespace ccsim::cli {

planning::Target parse_target(const std::string& text, const scenario::Scenario& s);

// Checks --write-scenario before anything runs: a file that can be written, or `-` (standard output, which
// then carries nothing else: --json is refused beside it). Returns whether the scenario goes to standard
// output, where the tables then go to standard error.
bool check_scenario_target(const std::string& path, bool json);
// Writes the scenario text to `path` (whole or not at all) or, for `-`, to standard output.
void write_scenario(const std::string& path, const std::string& text);

}  // namespace ccsim::cli
