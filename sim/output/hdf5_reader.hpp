#pragma once

#include <string>
#include <vector>

namespace ccsim::output {

// The results-file versions `compare` and `report` read: 5 (names cut at 31 bytes, summaries holding the
// mean of daily ratios) to 7. Anything else is refused with a message naming the file's and these. Tables
// are found by path and their columns by name (hdf5_file.hpp), never by position.
inline constexpr int kOldestReadableVersion = 5;
inline constexpr int kNewestReadableVersion = 7;

// Per-replication numerators and denominators of the comparison measures, read back from a results file:
// what `ccsim compare` needs to pool by the ratio of totals, for the day (all intervals after warm-up) or
// per interval, for the pooled contact series and, for occupancy, all agent groups together.
struct ComparisonData {
  std::vector<std::string> policies;
  int baseline = 0;
  int format_version = 0;
  std::vector<std::string> interval_labels;  // empty when read by day
  // numerators[measure][policy][interval or 0][replication], and denominators alike (1 for counts)
  std::vector<std::vector<std::vector<std::vector<double>>>> numerators, denominators;
};

// `measures` by name or alias (sl, asa, abandon, mean_wait, occupancy, offered...). Throws OutputError
// (unreadable file or version) or InputError (unknown measure).
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
  int replications = 0, baseline = 0, format_version = 0;
  double tau_s = 20.0;
  std::vector<std::string> policies, interval_labels;
  std::vector<SummaryEntry> by_interval, by_day;  // contacts
  std::vector<PredictionEntry> predictions;       // day, empty when not measured
};
ReportData read_report(const std::string& path);

}  // namespace ccsim::output
