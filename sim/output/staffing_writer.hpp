// sim/output: the staffing file `ccsim staff -o` writes (format_version 8): /staffing/by_interval and
// /staffing/achieved beside the attributes a results file carries, so the file explains itself.
#pragma once

#include <string>

#include "planning/roster.hpp"
#include "planning/staffing.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// Written under a temporary name, then renamed, like a results file. Throws OutputError.
void write_staffing(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                    const std::string& command_line);

// The file `ccsim roster -o` writes: /staffing/by_interval with the roster's available agents against the
// requirement it was built on (per rostered group), and /roster/tours.
void write_roster(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                  const planning::PatternSet& set, const planning::RosterResult& r,
                  const std::string& command_line);

}  // namespace ccsim::output
