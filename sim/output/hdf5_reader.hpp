#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "model/windows.hpp"

namespace ccsim::output {

// The results-file versions `compare` and `report` read: 5 (names cut at 31 bytes, summaries holding the
// mean of daily ratios) to 12 (a point column in every results table since 11; tables of older files read as
// point 0). Anything else is refused with a message naming the file's version and these. Tables are found by
// path and their columns by name (results_file.hpp), never by position; a column newer than the file's
// format is not required of it.
inline constexpr int kOldestReadableVersion = 5;
inline constexpr int kNewestReadableVersion = 18;

// Per-replication numerators and denominators of the comparison measures, read back from a results file:
// what `ccsim compare` needs to pool by the ratio of totals, for the day (all intervals after warm-up) or
// per interval, for the pooled contact series and, for occupancy, all agent groups together.
struct ComparisonData {
  std::vector<std::string> policies;  // or, comparing points, each policy at each point ("point 3")
  int points = 1;                     // the sweep's points (1 outside a sweep)
  int baseline = 0;
  int format_version = 0;
  bool has_costs = false;                     // some policy puts money on something (format 9)
  std::vector<std::string> interval_labels;   // empty when read by day
  std::vector<model::RunInterval> intervals;  // what /intervals says of each (read by interval only)
  // numerators[measure][policy][interval or 0][replication], and denominators alike (1 for counts)
  std::vector<std::vector<std::vector<std::vector<double>>>> numerators, denominators;
};

// `measures` by name or alias (sl, asa, abandon, mean_wait, occupancy, offered...). Throws OutputError
// (unreadable file or version) or InputError (unknown measure, a point the file does not have). Without
// `points` the policies at point 0; with them every policy at each of those points, point-major (the
// baseline is the baseline policy at the first point), paired by replication like policies.
ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval, const std::vector<int>& points = {});
// A sweep's points as the file names them: each swept path and each point's value of it (numbers in their
// shortest form); no paths outside a sweep.
struct SweepPoints {
  std::vector<std::string> paths;
  std::vector<std::vector<std::string>> values;  // [point][path]
};
SweepPoints read_points(const std::string& path);

// Whether some policy of the results file puts money on something (so that compare shows the cost).
bool results_have_costs(const std::string& path);

// What a report needs beside the comparison: names, summary rows and predictor accuracy.
struct SummaryEntry {
  int policy = 0, interval = -1;
  std::string subject, measure;  // contact type (or "all") / group; measure name
  double mean = 0.0, half_width = 0.0;
};
struct PredictionEntry {
  int policy = 0;
  std::string contact_type, predictor;
  double bias_s = 0.0, rmse_s = 0.0, relative_error = 0.0, share_longer = 0.0;
};
struct ReportData {
  std::string scenario_name, ccsim_version;
  int replications = 0, baseline = 0, format_version = 0;
  double tau_s = 20.0;
  double sl_target = NAN;  // service_level.target (format 13), NaN when none
  // Per policy its factors (`/factors`, format 13) in the order written; empty when the scenario has none.
  std::vector<std::vector<std::pair<std::string, std::string>>> factors;
  std::vector<std::string> policies, interval_labels;
  std::vector<model::RunInterval> intervals;
  std::vector<SummaryEntry> by_interval, by_day;  // contacts
  std::vector<PredictionEntry> predictions;       // day, empty when not measured
};
ReportData read_report(const std::string& path);

// The requirement and the roster's available agents per interval and group (`/staffing/by_interval`), as
// `ccsim staff -o` and `ccsim roster -o` write it; `present` is false when the file has no such table.
struct GapEntry {
  int interval = 0, day = 0;
  std::string label, group;
  int required = 0;
  double available = 0.0;
};
struct StaffingData {
  std::string format, scenario_name, ccsim_version;  // format: "ccsim-staffing" or "ccsim-results"
  bool present = false, roster = false;              // roster: written by `ccsim roster`
  std::vector<GapEntry> rows;
};
StaffingData read_staffing(const std::string& path);

}  // namespace ccsim::output
