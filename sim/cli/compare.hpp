#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/results.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

enum class TableFormat { text, csv, json };

// Per policy: mean ± 95% half-width of each measure, and the paired difference against the baseline
// (common random numbers), marking differences whose interval excludes zero.
void print_comparison(std::ostream& os, const output::ComparisonData& data,
                      const std::vector<std::string>& measures, TableFormat format);

// The same data straight from a run's results (day values, pooled series, all groups' occupancy).
output::ComparisonData comparison_of(const scenario::Study& study, const std::vector<model::Results>& results,
                                     const std::vector<std::string>& measures);

}  // namespace ccsim::cli
