#include "cli/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/report_chart.hpp"
#include "cli/report_text.hpp"
#include "cli/text_format.hpp"
#include "model/measures.hpp"

namespace ccsim::cli {
namespace {

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

// A figure with its interval and, for a policy other than the baseline, its paired difference in words.
std::string cell(ReportMeasure m, const analysis::Estimate& value, const analysis::Estimate* difference) {
  const bool share = m == kSl || m == kAbandon || m == kAnnounced;
  std::string out = share ? fixed(100 * value.mean, 1) + "% ± " + fixed(100 * value.half_width, 1)
                          : minutes(value.mean) + " ± " + fixed(value.half_width, 0) + " s";
  if (difference) {
    const bool none = std::isnan(difference->half_width) || (difference->low() <= 0.0 && difference->high() >= 0.0);
    out += "<br><span class='d'>" +
           (none ? std::string("no measurable difference")
                 : (difference->mean > 0 ? "+" : "−") +
                       fixed(std::abs(difference->mean) * (share ? 100 : 1), 1) + (share ? " points" : " s")) +
           "</span>";
  }
  return out;
}

// One table of day (or window) totals: per policy service level, average wait and hang-ups with paired
// differences against the baseline.
std::string totals_table(const output::ComparisonData& data, std::size_t k, double tau_s) {
  std::ostringstream o;
  o << "<table><tr><th>policy</th><th>answered within " << fixed(tau_s, 0)
    << " s</th><th>average wait (answered, min:s)</th><th>hung up before an answer</th></tr>\n";
  for (std::size_t p = 0; p < data.policies.size(); ++p) {
    const bool base = static_cast<int>(p) == data.baseline;
    o << "<tr><td>" << escape(data.policies[p]) << (base ? " (baseline)" : "") << "</td>";
    for (ReportMeasure m : {kSl, kAsa, kAbandon}) {
      const auto value = analysis::ratio_of_totals(data.numerators[m][p][k], data.denominators[m][p][k]);
      const auto diff = paired(data, m, p, k);
      o << "<td>" << cell(m, value, base ? nullptr : &diff) << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</table>\n";
  return o.str();
}

}  // namespace

const char* report_css() {
  return "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2em "
         "auto;color:#222;padding:0 1em}"
         "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid "
         "#ccc}table{border-collapse:collapse;margin:.5em 0}"
         "td,th{border:1px solid #ccc;padding:.3em "
         ".6em;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
         "li{margin:.4em 0}.note{color:#555;font-size:.9em}figure{margin:1em 0}.lead{font-size:1.08em}"
         ".d{color:#555;font-size:.85em}.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1em}"
         ".t{font-size:15px;font-weight:600}.g{stroke:#e5e5e5}.a{stroke:#444}.yl{font-size:11px;text-anchor:end}"
         ".xl{font-size:11px;text-anchor:end}.al{font-size:12px;text-anchor:middle}.lg{font-size:12px}"
         ".band{opacity:.13;stroke:none}.day{stroke:#888;stroke-dasharray:4 3}.dl{font-size:12px;"
         "text-anchor:middle;font-weight:600}.target{stroke:#000;stroke-width:1.5;stroke-dasharray:7 3 1 3}"
         ".tl{font-size:11px;text-anchor:end}"
         // Printed (chromium --print-to-pdf, a browser's print): no chart or table split over two pages.
         "figure,table,.lead{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid;"
         "page-break-after:avoid}@media print{body{max-width:none;margin:0}a{color:inherit}}";
}

std::string render_report(const output::ReportData& d, const output::ComparisonData& days,
                          const output::ComparisonData& windows, std::size_t day_windows) {
  // The pooled series: "all" when there are several contact types.
  std::vector<std::string> types;
  std::string pooled;
  for (const auto& e : d.by_day) {
    if (e.subject == "all") pooled = "all";
    if (e.subject != "all" && std::find(types.begin(), types.end(), e.subject) == types.end())
      types.push_back(e.subject);
  }
  if (pooled.empty() && !types.empty()) pooled = types.front();
  auto day_value = [&](std::size_t policy, const char* measure) {
    for (const auto& e : d.by_day)
      if (e.policy == static_cast<int>(policy) && e.subject == pooled && e.measure == measure) return e;
    return output::SummaryEntry{};
  };
  const bool several_days = !d.intervals.empty() && d.intervals.back().day > 0;
  const int run_days = d.intervals.empty() ? 1 : d.intervals.back().day + 1;
  std::vector<std::string> x_labels;
  for (std::size_t k = 0; k < d.interval_labels.size(); ++k) {
    const std::string& l = d.interval_labels[k];
    x_labels.push_back(several_days && l.rfind(' ') != std::string::npos ? l.substr(l.rfind(' ') + 1) : l);
  }
  auto chart_lines = [&](const std::string& subject, const char* measure, double scale, bool bands) {
    std::vector<ChartLine> lines;
    for (const auto& name : d.policies)
      lines.push_back({name, std::vector<double>(x_labels.size(), NAN),
                       std::vector<double>(bands ? x_labels.size() : 0, NAN)});
    for (const auto& e : d.by_interval)
      if (e.subject == subject && e.measure == measure && e.interval >= 0 &&
          static_cast<std::size_t>(e.interval) < x_labels.size()) {
        auto& l = lines[static_cast<std::size_t>(e.policy)];
        l.mean[static_cast<std::size_t>(e.interval)] = e.mean * scale;
        if (bands) l.half_width[static_cast<std::size_t>(e.interval)] = e.half_width * scale;
      }
    return lines;
  };
  auto chart = [&](const std::string& title, const std::string& y_label, bool small) {
    Chart c{title, y_label, d.intervals, x_labels, -1.0, "", small, y_label == "% of callers" ? 100.0 : -1.0};
    if (c.intervals.size() != x_labels.size()) c.intervals.assign(x_labels.size(), {});
    return c;
  };
  const auto base = static_cast<std::size_t>(d.baseline);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" << escape(d.scenario_name)
    << " — ccsim report</title><style>" << report_css() << "</style></head><body>\n";
  o << "<h1>" << escape(d.scenario_name) << "</h1>\n";
  o << lead_paragraph(d, days, run_days);
  o << "<p class='note'>" << d.policies.size() << " policies compared with <b>" << escape(d.policies[base])
    << "</b> over " << d.replications << " simulated " << (several_days ? "runs of " + std::to_string(run_days) + " days" : "days")
    << " each, every policy meeting the same callers. Ranges are 95% intervals; how to read them is at the end.</p>\n";

  o << "<h2>The whole " << (several_days ? "run" : "day") << "</h2><table><tr><th>policy</th><th>answered within "
    << fixed(d.tau_s, 0) << " s</th><th>average wait (answered, min:s)</th><th>average wait (all)</th><th>90% waited at "
       "most</th><th>hung up before an answer</th><th>heard a message</th></tr>\n";
  for (std::size_t p = 0; p < d.policies.size(); ++p) {
    const bool is_base = p == base;
    auto v = [&](const char* m) { return day_value(p, m); };
    auto with_diff = [&](ReportMeasure m, const char* name) {
      const auto e = v(name);
      const auto diff = paired(days, m, p);
      return cell(m, {e.mean, e.half_width, 0}, is_base ? nullptr : &diff);
    };
    o << "<tr><td>" << escape(d.policies[p]) << (is_base ? " (baseline)" : "") << "</td><td>"
      << with_diff(kSl, "service_level") << "</td><td>" << with_diff(kAsa, "asa") << "</td><td>"
      << minutes(v("mean_wait").mean) << "</td><td>" << minutes(v("wait_p90").mean) << "</td><td>"
      << with_diff(kAbandon, "abandon_rate") << "</td><td>" << fixed(100 * v("announced_share").mean, 1)
      << "%</td></tr>\n";
  }
  o << "</table>\n";
  if (!std::isnan(d.sl_target))
    o << "<p class='note'>The service-level target: " << fixed(100 * d.sl_target, 0) << "% answered within "
      << fixed(d.tau_s, 0) << " s.</p>\n";
  // Each day, then each window asked for (report --window), as their own totals.
  for (std::size_t k = 0; k < windows.interval_labels.size(); ++k) {
    if (k == 0 && day_windows > 1) o << "<h2>Day by day</h2>\n";
    if (k < day_windows && day_windows <= 1) continue;  // one day: the table above
    if (k == day_windows) o << "<h2>Time windows</h2>\n";
    o << "<h3>" << escape(windows.interval_labels[k]) << "</h3>\n" << totals_table(windows, k, d.tau_s);
  }

  o << "<h2>Through the " << (several_days ? "days" : "day") << "</h2>\n";
  Chart sl = chart("Answered within " + fixed(d.tau_s, 0) + " s, by interval", "% of callers", false);
  if (!std::isnan(d.sl_target)) {
    sl.target = 100 * d.sl_target;
    sl.target_label = "target " + fixed(100 * d.sl_target, 0) + "%";
  }
  o << line_chart(sl, chart_lines(pooled, "service_level", 100.0, true));
  o << line_chart(chart("Average wait of answered callers, by interval", "seconds", false),
                  chart_lines(pooled, "asa", 1.0, true));
  o << line_chart(chart("9 in 10 answered callers waited at most this long, by interval", "seconds", false),
                  chart_lines(pooled, "wait_p90", 1.0, false));
  o << line_chart(chart("Callers who hang up before they are answered, by interval", "% of callers", false),
                  chart_lines(pooled, "abandon_rate", 100.0, true));
  if (types.size() > 1) {
    o << "<h2>Per contact type</h2>\n";
    for (const auto& t : types) {
      o << "<div class='grid'>"
        << line_chart(chart(t + ": average wait (answered)", "seconds", true), chart_lines(t, "asa", 1.0, true))
        << line_chart(chart(t + ": hung up", "% of callers", true), chart_lines(t, "abandon_rate", 100.0, true))
        << "</div>\n";
    }
  }

  if (!d.predictions.empty()) {
    o << "<h2>How honest are the announced waits?</h2><p class='note'>For each way of predicting a caller's wait, "
         "against the wait they really had (for callers who hung up: the wait a patient caller in their place "
         "would have had).</p><table><tr><th>policy</th><th>prediction</th><th>waited no longer than told</th>"
         "<th>told on average</th><th>typical error</th>"
      << (d.format_version >= 13 ? "<th>typical error relative to the real wait (under 30 s: as 30 s)</th>" : "")
      << "</tr>\n";
    for (const auto& e : d.predictions)
      if (e.contact_type == pooled) {
        const double within = 1.0 - e.share_longer;
        o << "<tr><td>" << escape(d.policies[static_cast<std::size_t>(e.policy)]) << "</td><td>"
          << escape(e.predictor) << "</td><td>"
          << (std::isfinite(within) ? fixed(10 * within, 0) + " in 10 callers" : "–") << "</td><td>"
          << (std::isfinite(e.bias_s) ? fixed(std::abs(e.bias_s), 0) + " s too " + (e.bias_s >= 0 ? "long" : "short") : "–")
          << "</td><td>" << fixed(e.rmse_s, 0) << " s</td>"
          << (d.format_version >= 13 ? "<td>" + fixed(100 * e.relative_error, 0) + "%</td>" : "") << "</tr>\n";
      }
    o << "</table>\n";
  }
  o << "<h2>How to read this</h2><p class='note'>Every policy meets the same callers (the same arrivals, "
       "call lengths and patience: common random numbers), so differences between policies come from the "
       "policies, not from luck. Figures pool all simulated days: a share is all callers answered in time over all "
       "callers (the ratio of totals), with a 95% interval (± and the bands around the lines). A difference is "
       "measured replication by replication against the baseline; \"no measurable difference\" means its 95% "
       "interval includes zero, whatever the rounded figures show. Waits count from arrival to answer; "
       "times are minutes:seconds unless marked. Made by ccsim "
    << escape(d.ccsim_version) << (d.format_version < 6 ? " from a results file of format 5 (means of daily ratios)" : "")
    << ".</p>\n</body></html>\n";
  return o.str();
}

}  // namespace ccsim::cli
