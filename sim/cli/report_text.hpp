// The report's sentences: every "rises", "falls" or "no measurable difference" is decided by the paired 95%
// interval of the ratio of totals (never by rounded means), and the lead paragraph states each factor's
// paired main effect (scenario `factors:`), or each policy against the baseline without factors.
#pragma once

#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

// The measures the report reads paired, in this order (indices into ComparisonData's measures).
const std::vector<std::string>& report_measures();
enum ReportMeasure : std::size_t { kSl, kAsa, kAbandon, kMeanWait, kAnnounced, kHungUp };

// "the average wait rises by 3.5 s (between 2.9 and 4.1 s)", "no measurable difference in abandonment
// (between -0.1 and +0.2 percentage points)": `subject` names the measure ("the average wait").
std::string change_words(ReportMeasure m, const analysis::Estimate& difference, const std::string& subject);

// A factor's level against the baseline's level, averaged over the pairs of policies that differ in this
// factor alone (paired by replication: every policy faces the same callers).
struct FactorEffect {
  std::string factor, level, reference;
  std::vector<int> at_level, at_reference;  // the policies of each pair, pair by pair
  analysis::Estimate sl, asa, abandon;      // level - reference
  analysis::Estimate announced, hung_up;    // at the level (share of callers; callers per run)
  // Who hears a message at the reference: 0 when the level is what brings a message (then the first
  // paragraph says how many heard it and hung up on hearing it).
  double announced_at_reference = 0.0;
};
std::vector<FactorEffect> factor_effects(const output::ReportData& d, const output::ComparisonData& days);

// The paired difference of policy `p` against the baseline for measure `m` (ComparisonData's interval k).
analysis::Estimate paired(const output::ComparisonData& data, ReportMeasure m, std::size_t p, std::size_t k = 0);

// The page's first paragraph (HTML): the scenario's question answered from the factors, or each policy
// against the baseline. `days` is the number of days a replication covers.
std::string lead_paragraph(const output::ReportData& d, const output::ComparisonData& totals, int days);

}  // namespace ccsim::cli
