#pragma once

#include <string>
#include <vector>

namespace ccsim::output {

// Per-replication values of the comparison measures, read back from a results file: what `ccsim
// compare` needs, for the day (all intervals after warm-up) or per interval, for the pooled contact
// series and, for occupancy, all agent groups together.
struct ComparisonData {
  std::vector<std::string> policies;
  int baseline = 0;
  std::vector<std::string> interval_labels;  // empty when read by day
  // values[measure][policy][interval or 0][replication]
  std::vector<std::vector<std::vector<std::vector<double>>>> values;
};

// `measures` as on the command line: sl, asa, abandon, mean_wait, occupancy. Throws OutputError.
ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval);

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
  int replications = 0, baseline = 0;
  double tau_s = 20.0;
  std::vector<std::string> policies, interval_labels;
  std::vector<SummaryEntry> by_interval, by_day;  // contacts
  std::vector<PredictionEntry> predictions;       // day, empty when not measured
};
ReportData read_report(const std::string& path);

}  // namespace ccsim::output
