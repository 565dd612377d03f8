// The run summary on screen, as tables or JSON: per contact type the day measures with their confidence
// intervals beside Erlang A, and per interval when the day is short enough to read.
#pragma once

#include <ostream>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

void print_summary(std::ostream& os, const scenario::Scenario& s, const model::Results& r, bool by_interval);
void print_summary_json(std::ostream& os, const scenario::Scenario& s, const model::Results& r);

}  // namespace ccsim::cli
