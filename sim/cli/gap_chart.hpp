#pragma once

#include <string>

#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

// The gap section of a report: a table of each group's short intervals per day and, per group and day, an
// inline SVG chart with the available agents as bars and the requirement as a line. Empty without a
// /staffing/by_interval table.
std::string gap_section(const output::StaffingData& data);

// A whole page for a staffing file (`ccsim staff -o`, `ccsim roster -o`): the gap section alone.
std::string render_staffing_report(const output::StaffingData& data);

}  // namespace ccsim::cli
