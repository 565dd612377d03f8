// Relations between a run's per-contact and agent-state records (`--records`) and its tables, for the
// random-scenario checker: counts by outcome and sums of waits and handle times per interval and contact
// type, transfer legs and their parents, and agents' time per state rebuilt from their state changes.
#pragma once

#include <string>
#include <vector>

#include "model/results.hpp"

namespace ccsim::testing {

struct RecordBreak {
  std::string relation, detail;
};

// Every relation `results` (kept replications, records of all of them) breaks for policy `policy`.
std::vector<RecordBreak> record_relations(const model::Model& m, const model::Results& results,
                                          std::size_t policy);

}  // namespace ccsim::testing
