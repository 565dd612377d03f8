// The report of a sweep: what moving one swept setting to its next value does, point by neighbouring point.
#pragma once

#include <string>

#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

// An HTML section (empty outside a sweep): which point the rest of the page shows, then per swept path a
// table of neighbouring points (the same values elsewhere, this path's next value) with each policy's
// paired differences in service level, average wait and hang-ups. Reads the pairs from `results`.
std::string sweep_section(const std::string& results, const output::ComparisonData& days);

}  // namespace ccsim::cli
