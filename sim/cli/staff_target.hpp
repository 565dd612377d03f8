// The --target option of `staff` and `roster`: "[TYPE:]KIND=VALUE" read against the scenario.
#pragma once

#include <string>

#include "planning/staffing.hpp"

namespace ccsim::cli {

planning::Target parse_target(const std::string& text, const scenario::Scenario& s);

}  // namespace ccsim::cli
