// Internal to random_scenario.cpp: laws written from data, for the random-scenario checker.
#pragma once

#include <string>

#include "random_scenario_text.hpp"

namespace ccsim::testing::random_text {

// An empirical law given inline: 1 to 8 values around `mean_min` minutes (a single value is a
// deterministic law; repeated values are ties in the order statistics).
inline std::string empirical_inline(Rng& rng, double mean_min) {
  const int n = rng.between(1, 8);
  std::string values;
  for (int i = 0; i < n; ++i) {
    const double v = mean_min * (rng.chance(0.2) ? 1.0 : 0.2 + 1.6 * rng.uniform());
    values += (i ? ", " : "") + (rng.chance(0.5) ? minutes(v) : num(v * 60.0));
  }
  return "{distribution: empirical, values: [" + values + "]}";
}

}  // namespace ccsim::testing::random_text
