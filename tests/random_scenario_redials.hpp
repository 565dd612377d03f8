// Internal to random_scenario.cpp: callers who call again, finite lines and callbacks — a caller type's
// `queue_limit` and `redial`, and the top-level `lines` over some caller types.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "random_scenario_text.hpp"

namespace ccsim::testing::random_text {

// YAML lines for a caller type (voice, chat or walk-in): sometimes waiting places, sometimes redials (as
// itself or as another of `callers`), by attempt or by cause.
inline std::string redial_fields(Rng& rng, const std::vector<std::string>& callers) {
  std::string out;
  if (rng.chance(0.25)) out += "    queue_limit: " + std::to_string(rng.between(0, 4)) + "\n";
  if (!rng.chance(0.35)) return out;
  out += "    redial:\n      probability: ";
  switch (rng.between(0, 2)) {
    case 0:
      out += num(rng.between(0, 10) / 10.0) + "\n      max_attempts: " + std::to_string(rng.between(1, 4)) +
             "\n";
      break;
    case 1:
      out += "[" + num(rng.between(3, 9) / 10.0) + ", " + num(rng.between(0, 5) / 10.0) + "]\n";
      break;
    default:
      out += "{blocked: " + num(rng.between(5, 10) / 10.0) + ", abandoned: [0.5, 0.2]";
      if (rng.chance(0.5)) out += ", balked: 0.4";
      out += "}\n";
      break;
  }
  out += "      delay: " +
         rng.pick(std::vector<std::string>{"{distribution: exponential, mean: 5min}",
                                           "{distribution: deterministic, value: 2min}",
                                           "{distribution: lognormal, mean: 10min, sd: 4min}"}) +
         "\n";
  if (rng.chance(0.3)) out += "      as: " + rng.pick(callers) + "\n";
  return out;
}

// Callers and walk-ins (not e-mail, not booked) may find no place and call again: returns their names.
inline std::vector<std::string> add_redials(Rng& rng, std::vector<TypeSpec>& types) {
  std::vector<std::string> callers;
  for (const TypeSpec& t : types)
    if (t.name != "letters" && t.name != "booked") callers.push_back(t.name);
  for (TypeSpec& t : types)
    if (std::find(callers.begin(), callers.end(), t.name) != callers.end())
      t.tail += redial_fields(rng, callers);
  return callers;
}

// Voice types (first and second line, complaints) sometimes offer callbacks: a low threshold so offers
// happen, acceptance from none to all, sometimes customers who do not always answer, tried again.
inline void add_callbacks(Rng& rng, std::vector<TypeSpec>& types) {
  for (TypeSpec& t : types) {
    if (t.name != "general" && t.name != "second_line" && t.name != "complaint") continue;
    if (!rng.chance(0.3)) continue;
    t.tail += "    callback:\n      offer_when_predicted_over: " + std::to_string(rng.between(0, 3)) + "min\n";
    if (rng.chance(0.3))  // acceptance by predicted wait
      t.tail += "      accept: [{over: 0s, probability: " + num(rng.between(0, 5) / 10.0) +
                "}, {over: " + std::to_string(rng.between(1, 6)) + "min, probability: " +
                num(rng.between(5, 10) / 10.0) + "}]\n";
    else
      t.tail += "      accept: " + num(rng.between(0, 10) / 10.0) + "\n";
    if (rng.chance(0.4))  // a queue of their own, before, with or after the line's callers
      t.tail += "      keep_place: false\n      priority: " + std::to_string(rng.between(-1, 1)) + "\n";
    if (rng.chance(0.5)) {
      t.tail += "      success: " + num(rng.between(3, 10) / 10.0) +
                "\n      attempts: " + std::to_string(rng.between(1, 3)) +
                "\n      retry_after: " + std::to_string(rng.between(5, 30)) + "min\n";
    }
    if (rng.chance(0.5)) t.tail += "      ring_time: " + std::to_string(rng.between(10, 40)) + "s\n";
    if (rng.chance(0.5)) t.tail += "      handle_time: {distribution: exponential, mean: 4min}\n";
  }
}

// Sometimes a trunk group over one or two caller types.
inline void lines_section(Rng& rng, const std::vector<std::string>& callers, std::ostream& o) {
  if (callers.empty() || !rng.chance(0.25)) return;
  o << "lines:\n  - {name: trunk, lines: " << rng.between(2, 8) << ", types: [" << callers[0];
  if (callers.size() > 1 && rng.chance(0.5)) o << ", " << callers[1 + rng.next() % (callers.size() - 1)];
  o << "]}\n";
}

}  // namespace ccsim::testing::random_text
