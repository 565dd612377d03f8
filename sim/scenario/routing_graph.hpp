#pragma once

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

// Checks the routing graph (contact types -> agent groups by skill, types -> types by transfer) before any
// run: every type is served by some group and reached by arrivals or a transfer, and no set of types
// passes contacts around forever. Throws InputError naming the place in the file.
void validate_routing(const Scenario& s);

}  // namespace ccsim::scenario
