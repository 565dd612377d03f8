// The run summary on screen, as tables or JSON: per contact type the day measures with their confidence
// intervals beside Erlang A, and per interval when the day is short enough to read.
#pragma once

#include <ostream>

#include "cli/text_format.hpp"
#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

void print_summary(std::ostream& os, const scenario::Scenario& s, const model::Results& r, bool by_interval);
Json summary_json(const scenario::Scenario& s, const model::Results& r);

}  // namespace ccsim::cli
