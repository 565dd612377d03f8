#include "cli/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/statistics.hpp"
#include "cli/text_format.hpp"
#include "model/measures.hpp"

namespace ccsim::cli {
namespace {

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                          "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string escape(const std::string& s) {
  return html_escape(s);
}

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// 95 s -> "1:35"
std::string minutes(double seconds) {
  return std::isfinite(seconds) ? model::format_value(model::Display::clock, 0, seconds) : "–";
}

// A line chart: one line per policy over the intervals, y from 0, labelled axes with units, a legend.
std::string line_chart(const std::string& title, const std::string& y_label,
                       const std::vector<std::string>& x_labels, const std::vector<std::string>& names,
                       const std::vector<std::vector<double>>& series) {
  const double width = 860, height = 330, left = 70, right = 20, top = 40, bottom = 70;
  double y_max = 0.0;
  for (const auto& s : series)
    for (double v : s)
      if (std::isfinite(v)) y_max = std::max(y_max, v);
  // A round top: 1, 2 or 5 times a power of ten above the largest value.
  double step = std::pow(10.0, std::floor(std::log10(std::max(y_max, 1e-9) / 5.0)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (y_max / (f * step) <= 5.0) {
      step *= f;
      break;
    }
  const double top_value = std::max(step, std::ceil(y_max / step) * step);
  const std::size_t n = x_labels.size();
  auto x = [&](std::size_t i) {
    return left +
           (n > 1 ? (width - left - right) * static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
  };
  auto y = [&](double v) { return top + (height - top - bottom) * (1.0 - v / top_value); };
  std::ostringstream o;
  o << "<figure><svg role='img' viewBox='0 0 " << width << " "
    << height + 24.0 * static_cast<double>((names.size() + 2) / 3) << "' width='100%'><title>"
    << escape(title) << "</title>";
  o << "<text x='" << left << "' y='22' class='t'>" << escape(title) << "</text>";
  for (double v = 0.0; v <= top_value + 1e-9; v += step) {
    o << "<line x1='" << left << "' x2='" << width - right << "' y1='" << y(v) << "' y2='" << y(v)
      << "' class='g'/>";
    o << "<text x='" << left - 8 << "' y='" << y(v) + 4 << "' class='yl'>" << fixed(v, step < 1 ? 1 : 0)
      << "</text>";
  }
  const std::size_t every = std::max<std::size_t>(1, n / 12);
  for (std::size_t i = 0; i < n; i += every)
    o << "<text x='" << x(i) << "' y='" << height - bottom + 18 << "' class='xl' transform='rotate(-40 "
      << x(i) << " " << height - bottom + 18 << ")'>" << escape(x_labels[i]) << "</text>";
  o << "<line x1='" << left << "' x2='" << left << "' y1='" << top << "' y2='" << height - bottom
    << "' class='a'/>";
  o << "<line x1='" << left << "' x2='" << width - right << "' y1='" << height - bottom << "' y2='"
    << height - bottom << "' class='a'/>";
  o << "<text x='16' y='" << (top + height - bottom) / 2 << "' class='al' transform='rotate(-90 16 "
    << (top + height - bottom) / 2 << ")'>" << escape(y_label) << "</text>";
  o << "<text x='" << (left + width - right) / 2 << "' y='" << height - 6
    << "' class='al'>interval start</text>";
  for (std::size_t p = 0; p < series.size(); ++p) {
    std::string points;
    for (std::size_t i = 0; i < series[p].size(); ++i)
      if (std::isfinite(series[p][i])) points += fixed(x(i), 1) + "," + fixed(y(series[p][i]), 1) + " ";
    const char* colour = kColours[p % std::size(kColours)];
    o << "<polyline fill='none' stroke='" << colour << "' stroke-width='2' points='" << points << "'/>";
    const double lx = left + static_cast<double>(p % 3) * 270,
                 ly = height + 10 + 24 * static_cast<double>(p / 3);
    o << "<rect x='" << lx << "' y='" << ly - 10 << "' width='14' height='4' fill='" << colour << "'/>";
    o << "<text x='" << lx + 20 << "' y='" << ly - 4 << "' class='lg'>" << escape(names[p]) << "</text>";
  }
  o << "</svg></figure>\n";
  return o.str();
}

}  // namespace

const char* report_css() {
  return
       "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2em "
       "auto;color:#222;padding:0 1em}"
       "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid "
       "#ccc}table{border-collapse:collapse;margin:.5em 0}"
       "td,th{border:1px solid #ccc;padding:.3em "
       ".6em;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
       "li{margin:.4em 0}.note{color:#555;font-size:.9em}figure{margin:1em 0}"
       ".t{font-size:15px;font-weight:600}.g{stroke:#e5e5e5}.a{stroke:#444}.yl{font-size:11px;text-anchor:"
       "end}"
       ".xl{font-size:11px;text-anchor:end}.al{font-size:12px;text-anchor:middle}.lg{font-size:12px}"
;
}

std::string render_report(const output::ReportData& d, const output::ComparisonData& days) {
  // The pooled series: "all" when there are several contact types.
  std::string pooled;
  for (const auto& e : d.by_day) {
    if (e.subject == "all") pooled = "all";
    if (pooled.empty()) pooled = e.subject;
  }
  auto day_value = [&](int policy, const char* measure) {
    for (const auto& e : d.by_day)
      if (e.policy == policy && e.subject == pooled && e.measure == measure) return e;
    return output::SummaryEntry{};
  };
  auto per_interval = [&](const char* measure, double scale) {
    std::vector<std::vector<double>> out(d.policies.size(),
                                         std::vector<double>(d.interval_labels.size(), NAN));
    for (const auto& e : d.by_interval)
      if (e.subject == pooled && e.measure == measure && e.interval >= 0 &&
          static_cast<std::size_t>(e.interval) < d.interval_labels.size())
        out[static_cast<std::size_t>(e.policy)][static_cast<std::size_t>(e.interval)] = e.mean * scale;
    return out;
  };
  const auto base = static_cast<std::size_t>(d.baseline);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" << escape(d.scenario_name)
    << " — ccsim report</title><style>" << report_css() << "</style></head><body>\n";
  o << "<h1>" << escape(d.scenario_name) << "</h1>\n<p class='note'>" << d.policies.size() << " policies, "
    << d.replications
    << " simulated days each, every policy facing the same callers (common random numbers). "
    << (d.format_version >= 6
            ? "Figures pool all simulated days: each ratio is the ratio of totals (e.g. all answered within "
              "the target over all offered) with a 95% confidence interval; differences are paired against "
              "the baseline '"
            : "Figures are means of the daily ratios with 95% confidence intervals (a results file of "
              "format 5); differences are paired against the baseline '")
    << escape(d.policies[base]) << "'. Made by ccsim " << escape(d.ccsim_version) << ".</p>\n";

  // Plain language, per policy against the baseline.
  o << "<h2>In short</h2><ul>\n";
  // `days` holds sl, asa, abandon, mean_wait in that order: asa is measure 1, abandon measure 2.
  for (std::size_t p = 0; p < d.policies.size(); ++p) {
    const auto asa = day_value(static_cast<int>(p), "asa"),
               ab = day_value(static_cast<int>(p), "abandon_rate");
    const auto asa_b = day_value(static_cast<int>(base), "asa"),
               ab_b = day_value(static_cast<int>(base), "abandon_rate");
    const auto ann = day_value(static_cast<int>(p), "announced_share"),
               balked = day_value(static_cast<int>(p), "balked_announced");
    o << "<li><b>" << escape(d.policies[p]) << "</b>: ";
    if (p == base) {
      o << "the average wait of answered callers is " << minutes(asa.mean) << " (min:s) and "
        << fixed(100 * ab.mean, 1) << "% of callers hang up before they are answered.";
    } else {
      auto verdict = [&](std::size_t measure) {
        if (days.numerators.size() <= measure) return std::string();
        const auto& y = days.numerators[measure];
        const auto& x = days.denominators[measure];
        const auto diff = analysis::paired_ratio_difference(y[base][0], x[base][0], y[p][0], x[p][0]);
        return std::isnan(diff.half_width) || (diff.low() <= 0.0 && diff.high() >= 0.0)
                   ? std::string(" (a difference within chance)")
                   : std::string();
      };
      o << "the average wait " << (asa.mean >= asa_b.mean ? "rises" : "falls") << " from "
        << minutes(asa_b.mean) << " to " << minutes(asa.mean) << verdict(1) << "; abandonment is "
        << fixed(100 * ab.mean, 1) << "% instead of " << fixed(100 * ab_b.mean, 1) << "%" << verdict(2)
        << ".";
    }
    if (ann.mean > 0.0)
      o << " " << fixed(100 * ann.mean, 1) << "% of callers hear an announcement; " << fixed(balked.mean, 1)
        << " a day hang up on hearing it.";
    o << "</li>\n";
  }
  o << "</ul>\n";

  o << "<h2>Day figures</h2><table><tr><th>policy</th><th>service level (" << fixed(d.tau_s, 0)
    << " s)</th><th>average wait (answered)</th><th>average wait (all)</th><th>90% waited at "
       "most</th><th>abandoned</th><th>heard an announcement</th></tr>\n";
  for (std::size_t p = 0; p < d.policies.size(); ++p) {
    auto v = [&](const char* m) { return day_value(static_cast<int>(p), m); };
    o << "<tr><td>" << escape(d.policies[p]) << (p == base ? " (baseline)" : "") << "</td><td>"
      << fixed(100 * v("service_level").mean, 1) << "% ± " << fixed(100 * v("service_level").half_width, 1)
      << "</td><td>" << minutes(v("asa").mean) << " ± " << fixed(v("asa").half_width, 0) << " s</td><td>"
      << minutes(v("mean_wait").mean) << "</td><td>" << minutes(v("wait_p90").mean) << "</td><td>"
      << fixed(100 * v("abandon_rate").mean, 1) << "% ± " << fixed(100 * v("abandon_rate").half_width, 1)
      << "</td><td>" << fixed(100 * v("announced_share").mean, 1) << "%</td></tr>\n";
  }
  o << "</table>\n";

  o << "<h2>Through the day</h2>\n";
  o << line_chart("Average wait of answered callers (ASA) by interval", "seconds", d.interval_labels,
                  d.policies, per_interval("asa", 1.0));
  o << line_chart("90th percentile of answered callers' waits by interval", "seconds", d.interval_labels,
                  d.policies, per_interval("wait_p90", 1.0));
  o << line_chart("Callers who hang up before they are answered, by interval", "% of callers",
                  d.interval_labels, d.policies, per_interval("abandon_rate", 100.0));

  if (!d.predictions.empty()) {
    o << "<h2>How honest are the announced waits?</h2><p class='note'>Each predictor's error against the "
         "wait callers really had "
         "(callers who hung up: the wait a patient caller in their place would have had). Bias above zero: "
         "announced waits were "
         "too long; \"waited longer\": callers who waited longer than "
         "predicted.</p><table><tr><th>policy</th><th>predictor</th>"
         "<th>bias</th><th>RMSE</th><th>mean relative error</th><th>waited longer than predicted</th></tr>\n";
    for (const auto& e : d.predictions)
      if (e.contact_type == pooled)
        o << "<tr><td>" << escape(d.policies[static_cast<std::size_t>(e.policy)]) << "</td><td>"
          << escape(e.predictor) << "</td><td>" << fixed(e.bias_s, 1) << " s</td><td>" << fixed(e.rmse_s, 1)
          << " s</td><td>" << fixed(100 * e.relative_error, 0) << "%</td><td>"
          << fixed(100 * e.share_longer, 1) << "%</td></tr>\n";
    o << "</table>\n";
  }
  o << "<p class='note'>Service level: share of offered callers answered within " << fixed(d.tau_s, 0)
    << " s. Waits count from arrival to answer. All times in minutes:seconds unless "
       "marked.</p>\n</body></html>\n";
  return o.str();
}

}  // namespace ccsim::cli
