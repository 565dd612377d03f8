#include "cli/report_sweep.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/report_text.hpp"
#include "cli/text_format.hpp"
#include "scenario/sweep.hpp"

namespace ccsim::cli {
namespace {

// A file of many points would make a page no one reads: the first pairs, and a note saying so.
constexpr std::size_t kMaxPairs = 300;

std::string difference(ReportMeasure m, const analysis::Estimate& d) {
  const bool share = m != kAsa;
  const double scale = share ? 100.0 : 1.0;
  auto number = [&](double v, bool sign) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, sign ? "%+.1f" : "%.1f", v * scale);
    return std::string(buffer);
  };
  if (!std::isfinite(d.mean)) return "—";
  const std::string unit = share ? " points" : " s";
  if (d.contains(0.0)) return "no measurable difference (" + number(d.low(), true) + " to " + number(d.high(), true) + ")";
  return "<b>" + number(d.mean, true) + unit + "</b> (" + number(d.low(), true) + " to " + number(d.high(), true) + ")";
}

// The values of `point` but `path`'s ("at agents = 20"), or all of them when `path` is past the last.
std::string others(const output::SweepPoints& points, std::size_t point, std::size_t path) {
  std::string out;
  for (std::size_t a = 0; a < points.paths.size(); ++a)
    if (a != path) out += (out.empty() ? "" : ", ") + points.paths[a] + " = " + points.values[point][a];
  return out.empty() ? "" : " at " + out;
}

}  // namespace

std::string sweep_section(const std::string& results, const output::ComparisonData& days) {
  if (days.points <= 1) return {};
  const output::SweepPoints points = output::read_points(results);
  if (points.paths.empty() || points.values.empty()) return {};
  std::ostringstream o;
  std::string first;
  for (std::size_t a = 0; a < points.paths.size(); ++a)
    first += (a ? ", " : "") + points.paths[a] + " = " + points.values[0][a];
  o << "<h2>Along each swept setting</h2>\n<p class='note'>This file is a sweep of " << days.points
    << " points; the figures above are those of point 0 (" << html_escape(first)
    << "). Below, each setting moves to its next value with every other setting kept: each policy's change, "
       "paired (both points met the same callers), with its 95% interval.</p>\n";
  const auto pairs = scenario::neighbours(points.values, points.paths.size());
  const std::size_t policies = days.policies.size();
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const std::size_t all = points.paths.size();  // a zipped sweep's pairs move every path
  std::size_t shown = 0, path = kNone;
  for (const auto& n : pairs) {
    if (shown == kMaxPairs) break;
    if (n.path != path) {
      if (path != kNone) o << "</table>\n";
      path = n.path;
      o << "<h3>" << html_escape(path == all ? "every swept setting together (zipped)" : points.paths[path])
        << "</h3>\n<table><tr><th>from → to</th>"
        << (policies > 1 ? "<th>policy</th>" : "")
        << "<th>answered within the target time</th><th>average wait (answered)</th><th>hung up before an "
           "answer</th></tr>\n";
    }
    output::ComparisonData pair = output::read_comparison(results, report_measures(), false,
                                                          {static_cast<int>(n.from), static_cast<int>(n.to)});
    for (std::size_t j = 0; j < policies; ++j) {
      pair.baseline = static_cast<int>(j);  // the same policy at the first point
      o << "<tr><td>"
        << html_escape(path == all ? "point " + std::to_string(n.from) + " → " + std::to_string(n.to) + " (" +
                                         others(points, n.to, all).substr(4) + ")"
                                   : points.values[n.from][path] + " → " + points.values[n.to][path] +
                                         others(points, n.from, path))
        << "</td>" << (policies > 1 ? "<td>" + html_escape(days.policies[j]) + "</td>" : "");
      for (ReportMeasure m : {kSl, kAsa, kAbandon}) o << "<td>" << difference(m, paired(pair, m, policies + j)) << "</td>";
      o << "</tr>\n";
    }
    ++shown;
  }
  if (path != kNone) o << "</table>\n";
  if (shown < pairs.size())
    o << "<p class='note'>The first " << shown << " of " << pairs.size()
      << " neighbouring pairs; `ccsim compare RESULTS.h5 --points I,J` pairs any two points.</p>\n";
  return o.str();
}

}  // namespace ccsim::cli
