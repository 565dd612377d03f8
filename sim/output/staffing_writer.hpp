// sim/output: the staffing file `ccsim staff -o` writes (format_version 7): /staffing/by_interval and
// /staffing/achieved beside the attributes a results file carries, so the file explains itself.
#pragma once

#include <string>

#include "planning/staffing.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// Written under a temporary name, then renamed, like a results file. Throws OutputError.
void write_staffing(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                    const std::string& command_line);

}  // namespace ccsim::output
