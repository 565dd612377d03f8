#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/results.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

enum class TableFormat { text, csv, json };

// "sl,asa,abandon" -> the names, each checked against the measure table (InputError naming the valid ones).
std::vector<std::string> parse_measures(const std::string& text);

// Per policy: each measure by the ratio of totals over replications with its delta-method 95% interval,
// and the paired difference against the baseline (common random numbers, delta method on the pair),
// marking differences whose interval excludes zero. Rows are per interval label of `data` (the day when it
// has none); `column` names that column ("interval", or "window" for window totals).
void print_comparison(std::ostream& os, const output::ComparisonData& data,
                      const std::vector<std::string>& measures, TableFormat format,
                      const std::string& column = "interval");

// Data read by interval turned into each window's totals (model/windows.hpp): one "interval" per window,
// labelled with its name, holding per replication the sums of the window's intervals.
output::ComparisonData comparison_over_windows(const output::ComparisonData& by_interval,
                                               const std::vector<std::string>& measures,
                                               const std::vector<model::Window>& windows);

// The same data straight from a run's results (day values, pooled series, all groups' occupancy).
output::ComparisonData comparison_of(const scenario::Study& study, const std::vector<model::Results>& results,
                                     const std::vector<std::string>& measures);

}  // namespace ccsim::cli
