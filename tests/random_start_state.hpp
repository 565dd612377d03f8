// Live states in the random-scenario checker: each generated scenario is also split at a random moment of its
// run (--save-state) and continued from the saved states (--start-state) with the invariants checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::testing {

struct StartStateFailure {
  std::string relation, detail;
};

// The relations a split run must keep: the states read back, the continued run keeps the invariants and
// conservation, and an empty state at the first opening is the normal run to the last bit.
std::vector<StartStateFailure> check_start_states(const scenario::Study& study, std::uint64_t seed);

}  // namespace ccsim::testing
