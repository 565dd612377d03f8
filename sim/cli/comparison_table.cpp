#include "cli/comparison_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/statistics.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"

namespace ccsim::cli {
namespace {

std::string signed_value(model::Measure m, double x) {
  std::string s = model::format_value(m, x);
  return !std::isnan(x) && x >= 0.0 ? "+" + s : s;
}

}  // namespace

std::vector<std::string> parse_measures(const std::string& text) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream is(text);
  while (std::getline(is, part, ',')) {
    try {
      model::comparable_measure(part);
    } catch (const InputError& e) {
      throw InputError(std::string("command line: --measures: ") + e.what());
    }
    out.push_back(part);
  }
  if (out.empty()) throw InputError("command line: --measures needs at least one measure");
  return out;
}

void print_comparison(std::ostream& os, const output::ComparisonData& data,
                      const std::vector<std::string>& measures, TableFormat format, const std::string& column) {
  const auto base = static_cast<std::size_t>(data.baseline);
  const std::size_t intervals = data.interval_labels.empty() ? 1 : data.interval_labels.size();
  std::size_t replications = 0;
  if (!data.numerators.empty() && !data.numerators[0].empty()) replications = data.numerators[0][0][0].size();
  if (format == TableFormat::text)
    os << "Policies against the baseline '" << data.policies[base]
       << "': ratio of totals over replications ± 95% half-width (delta method); difference paired over "
       << replications << " replications (same customers); * the difference's interval excludes 0\n";
  if (format == TableFormat::csv)
    os << "measure,unit," << column << ",policy,baseline,estimator,mean,half_width,difference,difference_half_width,"
          "significant\n";
  Json rows = Json::array();
  // Window totals keep their column even when there is one window.
  const bool windows = column != "interval" && !data.interval_labels.empty();
  std::size_t label_width = 10;
  for (const auto& l : data.interval_labels) label_width = std::max(label_width, l.size() + 2);
  std::size_t policy_width = 12;
  for (const auto& name : data.policies) policy_width = std::max(policy_width, name.size() + 13);
  for (std::size_t mi = 0; mi < measures.size(); ++mi) {
    const model::MeasureInfo& info = model::info(model::comparable_measure(measures[mi]));
    const model::Measure m = info.measure;
    if (format == TableFormat::text)
      os << "\n"
         << pad("measure", 18) << (intervals > 1 || windows ? pad(column, label_width) : "") << pad("policy", policy_width)
         << pad("mean", 20) << "difference\n";
    for (std::size_t k = 0; k < intervals; ++k)
      for (std::size_t p = 0; p < data.policies.size(); ++p) {
        const auto& y = data.numerators[mi][p][k];
        const auto& x = data.denominators[mi][p][k];
        const analysis::Estimate e = analysis::ratio_of_totals(y, x);
        const analysis::Estimate diff = analysis::paired_ratio_difference(
            data.numerators[mi][base][k], data.denominators[mi][base][k], y, x);
        const bool is_base = p == base;
        const bool significant =
            !is_base && !std::isnan(diff.half_width) && (diff.low() > 0.0 || diff.high() < 0.0);
        const std::string label = intervals > 1 || windows ? data.interval_labels[k] : "day";
        switch (format) {
          case TableFormat::text:
            os << pad(p == 0 && k == 0 ? model::heading_with_unit(m) : "", 18)
               << (intervals > 1 || windows ? pad(p == 0 ? label : "", label_width) : "")
               << pad(data.policies[p] + (is_base ? " (baseline)" : ""), policy_width)
               << pad(model::format_value(m, e.mean) + " ± " + model::format_value(m, e.half_width), 20)
               << (is_base ? ""
                           : signed_value(m, diff.mean) + " ± " + model::format_value(m, diff.half_width) +
                                 (significant ? " *" : ""))
               << "\n";
            break;
          case TableFormat::csv:
            os << csv_field(info.name) << "," << csv_field(info.unit) << "," << csv_field(label) << ","
               << csv_field(data.policies[p]) << "," << (is_base ? 1 : 0) << "," << model::estimator_name(m)
               << "," << csv_number(e.mean) << "," << csv_number(e.half_width) << ","
               << (is_base ? "" : csv_number(diff.mean)) << ","
               << (is_base ? "" : csv_number(diff.half_width)) << "," << (significant ? 1 : 0) << "\n";
            break;
          case TableFormat::json:
            rows.push_back(
                Json{{"measure", info.name},
                     {"unit", info.unit},
                     {column, label},
                     {"policy", data.policies[p]},
                     {"baseline", is_base},
                     {"estimator", model::estimator_name(m)},
                     {"mean", json_number(e.mean)},
                     {"half_width", json_number(e.half_width)},
                     {"difference", is_base ? Json(nullptr) : json_number(diff.mean)},
                     {"difference_half_width", is_base ? Json(nullptr) : json_number(diff.half_width)},
                     {"significant", significant}});
            break;
        }
      }
  }
  if (format == TableFormat::json) print_json(os, rows);
}

output::ComparisonData comparison_over_windows(const output::ComparisonData& by_interval,
                                               const std::vector<std::string>& measures,
                                               const std::vector<model::Window>& windows) {
  output::ComparisonData out = by_interval;
  out.interval_labels.clear();
  out.intervals.clear();
  for (const auto& w : windows) out.interval_labels.push_back(w.name);
  for (std::size_t m = 0; m < measures.size(); ++m) {
    const model::Pooling pooling = model::info(model::comparable_measure(measures[m])).pooling;
    for (std::size_t p = 0; p < out.numerators[m].size(); ++p) {
      std::vector<std::vector<double>> num, den;
      for (const auto& w : windows) {
        auto totals = model::window_totals(by_interval.numerators[m][p], by_interval.denominators[m][p], w, pooling);
        num.push_back(std::move(totals.numerator));
        den.push_back(std::move(totals.denominator));
      }
      out.numerators[m][p] = std::move(num);
      out.denominators[m][p] = std::move(den);
    }
  }
  return out;
}

output::ComparisonData comparison_of(const scenario::Study& study, const std::vector<model::Results>& results,
                                     const std::vector<std::string>& measures) {
  output::ComparisonData data;
  data.policies = study.names;
  data.baseline = study.baseline;
  for (const auto& name : measures) {
    auto& num = data.numerators.emplace_back();
    auto& den = data.denominators.emplace_back();
    for (std::size_t p = 0; p < results.size(); ++p) {
      std::vector<double> y, x;
      for (const auto& rep : results[p].by_replication) {
        const model::Fraction f = model::day_fraction(rep, name, study.policies[p].sl_definition);
        y.push_back(f.numerator);
        x.push_back(f.denominator);
      }
      num.push_back({y});
      den.push_back({x});
    }
  }
  return data;
}

}  // namespace ccsim::cli
