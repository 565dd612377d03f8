// Observed values read from a CSV file, one column by its header name: the data of an empirical
// distribution and of `ccsim fit`. Read with the forecast's limits (a regular file, at most
// kMaxForecastBytes); every bad cell is told at once, located at file:line:column.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ccsim::scenario {

struct DataColumn {
  std::vector<double> values;  // seconds, each finite, >= 0 and at most kMaxDuration
  // With a censoring column, per value: true when the value is only a lower bound (the row's column says
  // answered, 1, true or yes: the caller was answered before their patience ran out); else empty.
  std::vector<bool> censored;
  // Per value, the 1-based line and column of its cell, for messages about the data as a whole.
  std::vector<std::pair<int, int>> places;
};

struct DataColumnRequest {
  std::string column;       // the header name of the values
  std::string censored_by;  // the header name of the censoring flags; empty: none
  // Appended to every error, saying what read the file (" (for contact_types[0].handle_time at
  // s.yaml:9:18)").
  std::string context;
};

// Reads `path` ("-": standard input); throws one InputError with every error, one per line.
DataColumn read_data_column(const std::string& path, const DataColumnRequest& request);
// The same from text in memory (`name` names it in messages).
DataColumn parse_data_column(const std::string& text, const std::string& name,
                             const DataColumnRequest& request);

}  // namespace ccsim::scenario
