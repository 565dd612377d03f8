// Random small scenarios for the random-scenario checker (test_random_scenarios.cpp): from a seed, the YAML
// text of a scenario that mixes the features of the format, so that relations which must hold whatever the
// input can be checked where features interact — the cases that tests written one feature at a time miss.
#pragma once

#include <cstdint>
#include <string>

namespace ccsim::testing {

struct RandomScenario {
  std::uint64_t seed = 0;
  std::string yaml;
  // Every time that shapes the day (rates, AHT, rosters, breaks, meetings, warm-up) sits on whole hours:
  // yaml then has 60-minute intervals and yaml_quarter is the same scenario in 15-minute intervals, so
  // the two must give the same day totals.
  bool aligned = false;
  std::string yaml_quarter;
  // Policies 0 and 1 differ only by overrides that change nothing (or none): their results must match.
  bool identical_policies = false;
};

// Deterministic: the same seed gives the same text on every machine (no standard-library distributions).
RandomScenario random_scenario(std::uint64_t seed);

}  // namespace ccsim::testing
