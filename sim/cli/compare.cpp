#include "cli/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/statistics.hpp"

namespace ccsim::cli {
namespace {

// How each measure is shown: its full name, a scale (shares as %) and decimals.
struct Display {
  const char* name;
  double scale;
  int decimals;
};

Display display(const std::string& m) {
  if (m == "sl") return {"service_level %", 100, 1};
  if (m == "asa") return {"asa s", 1, 1};
  if (m == "abandon") return {"abandoned %", 100, 2};
  if (m == "mean_wait") return {"mean_wait s", 1, 1};
  return {"occupancy %", 100, 1};
}

std::string num(double x, int decimals, bool sign = false) {
  if (std::isnan(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, x);
  return buf;
}

std::string json_num(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string padded(const std::string& s, std::size_t width) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s + " " : s + std::string(width - chars, ' ');
}

}  // namespace

void print_comparison(std::ostream& os, const output::ComparisonData& data,
                      const std::vector<std::string>& measures, TableFormat format) {
  const auto base = static_cast<std::size_t>(data.baseline);
  const std::size_t intervals = data.interval_labels.empty() ? 1 : data.interval_labels.size();
  std::size_t replications = 0;
  if (!data.values.empty() && !data.values[0].empty()) replications = data.values[0][0][0].size();
  if (format == TableFormat::text)
    os << "Policies against the baseline '" << data.policies[base]
       << "': mean ± 95% half-width; difference paired over " << replications
       << " replications (same customers); * the difference's interval excludes 0\n";
  if (format == TableFormat::csv)
    os << "measure,interval,policy,baseline,mean,half_width,difference,difference_half_width,significant\n";
  if (format == TableFormat::json) os << "[";
  bool first_json = true;
  std::size_t policy_width = 12;
  for (const auto& name : data.policies) policy_width = std::max(policy_width, name.size() + 13);
  for (std::size_t mi = 0; mi < measures.size(); ++mi) {
    const Display d = display(measures[mi]);
    if (format == TableFormat::text)
      os << "\n"
         << padded("measure", 18) << (intervals > 1 ? padded("interval", 10) : "")
         << padded("policy", policy_width) << padded("mean", 20) << "difference\n";
    for (std::size_t k = 0; k < intervals; ++k)
      for (std::size_t p = 0; p < data.policies.size(); ++p) {
        const auto& v = data.values[mi][p][k];
        const auto& b = data.values[mi][base][k];
        const analysis::Estimate e = analysis::estimate(v);
        const analysis::Estimate diff = analysis::paired_difference(b, v);
        const bool is_base = p == base;
        const bool significant =
            !is_base && !std::isnan(diff.half_width) && (diff.low() > 0.0 || diff.high() < 0.0);
        const std::string label = intervals > 1 ? data.interval_labels[k] : "day";
        switch (format) {
          case TableFormat::text:
            os << padded(p == 0 && k == 0 ? d.name : "", 18)
               << (intervals > 1 ? padded(p == 0 ? label : "", 10) : "")
               << padded(data.policies[p] + (is_base ? " (baseline)" : ""), policy_width)
               << padded(num(e.mean * d.scale, d.decimals) + " ± " + num(e.half_width * d.scale, d.decimals),
                         20)
               << (is_base ? ""
                           : num(diff.mean * d.scale, d.decimals, true) + " ± " +
                                 num(diff.half_width * d.scale, d.decimals) + (significant ? " *" : ""))
               << "\n";
            break;
          case TableFormat::csv:
            os << measures[mi] << "," << label << "," << data.policies[p] << "," << (is_base ? 1 : 0) << ","
               << json_num(e.mean) << "," << json_num(e.half_width) << ","
               << (is_base ? "" : json_num(diff.mean)) << "," << (is_base ? "" : json_num(diff.half_width))
               << "," << (significant ? 1 : 0) << "\n";
            break;
          case TableFormat::json:
            os << (first_json ? "\n  " : ",\n  ") << "{\"measure\": \"" << measures[mi]
               << "\", \"interval\": \"" << label << "\", \"policy\": \"" << data.policies[p]
               << "\", \"baseline\": " << (is_base ? "true" : "false") << ", \"mean\": " << json_num(e.mean)
               << ", \"half_width\": " << json_num(e.half_width)
               << ", \"difference\": " << (is_base ? "null" : json_num(diff.mean))
               << ", \"difference_half_width\": " << (is_base ? "null" : json_num(diff.half_width))
               << ", \"significant\": " << (significant ? "true" : "false") << "}";
            first_json = false;
            break;
        }
      }
  }
  if (format == TableFormat::json) os << "\n]\n";
}

output::ComparisonData comparison_of(const scenario::Study& study, const std::vector<model::Results>& results,
                                     const std::vector<std::string>& measures) {
  output::ComparisonData data;
  data.policies = study.names;
  data.baseline = study.baseline;
  for (const auto& m : measures) {
    auto& per_policy = data.values.emplace_back();
    for (std::size_t p = 0; p < results.size(); ++p) {
      std::vector<double> v;
      for (const auto& rep : results[p].by_replication)
        v.push_back(model::day_value(rep, m, study.policies[p].sl_definition));
      per_policy.push_back({v});
    }
  }
  return data;
}

}  // namespace ccsim::cli
