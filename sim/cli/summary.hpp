// sim/cli: the ccsim command (run, validate, erlang). It parses arguments, calls the model and the
// writers, and prints; it holds no simulation logic.
#pragma once

#include <ostream>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

void print_summary(std::ostream& os, const scenario::Scenario& s, const model::Results& r, bool by_interval);
void print_summary_json(std::ostream& os, const scenario::Scenario& s, const model::Results& r);

}  // namespace ccsim::cli
