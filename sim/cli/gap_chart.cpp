// The gap chart of `ccsim report`: per agent group and day, the roster's available agents as bars with the
// requirement as a line over them, from /staffing/by_interval.
#include "cli/gap_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "cli/html_report.hpp"
#include "cli/text_format.hpp"

namespace ccsim::cli {
namespace {

std::string num(double x, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// "Tue 08:30" -> "Tue"; a single day's labels carry no day.
std::string day_name(const output::GapEntry& e, bool several) {
  const auto space = e.label.rfind(' ');
  if (space != std::string::npos) return e.label.substr(0, space);
  return several ? "day " + std::to_string(e.day + 1) : "the day";
}

std::string time_of(const std::string& label) {
  const auto space = label.rfind(' ');
  return space == std::string::npos ? label : label.substr(space + 1);
}

std::string chart(const std::string& title, const std::vector<const output::GapEntry*>& rows) {
  const double width = 860, height = 300, left = 60, right = 20, top = 40, bottom = 64;
  double y_max = 1.0;
  for (const auto* r : rows) y_max = std::max({y_max, r->available, static_cast<double>(r->required)});
  double step = 1.0;
  // A round step: 1, 2, 5, 10, 20, ... agents, at most eight of them up the axis.
  while (y_max / step > 8.0) {
    const double leading = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    step *= leading > 1.5 && leading < 3.0 ? 2.5 : 2.0;
  }
  const double top_value = std::ceil(y_max / step) * step;
  const std::size_t n = rows.size();
  const double slot = (width - left - right) / static_cast<double>(std::max<std::size_t>(n, 1));
  auto y = [&](double v) { return top + (height - top - bottom) * (1.0 - v / top_value); };
  std::ostringstream o;
  o << "<figure class='gap'><svg role='img' viewBox='0 0 " << width << " " << height + 28
    << "' width='100%'><title>" << html_escape(title) << "</title>";
  o << "<text x='" << left << "' y='22' class='t'>" << html_escape(title) << "</text>";
  for (double v = 0.0; v <= top_value + 1e-9; v += step)
    o << "<line x1='" << left << "' x2='" << width - right << "' y1='" << num(y(v)) << "' y2='" << num(y(v))
      << "' class='g'/><text x='" << left - 8 << "' y='" << num(y(v) + 4) << "' class='yl'>" << num(v, 0)
      << "</text>";
  // Bars: the roster's available agents; red where they fall short of the requirement.
  std::string line;
  const std::size_t every = std::max<std::size_t>(1, n / 12);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = *rows[i];
    const double x0 = left + slot * static_cast<double>(i);
    const bool short_of = r.available + 1e-9 < r.required;
    o << "<rect class='bar" << (short_of ? " under" : "") << "' x='" << num(x0 + slot * 0.1) << "' y='"
      << num(y(std::max(0.0, r.available))) << "' width='" << num(slot * 0.8) << "' height='"
      << num(y(0.0) - y(std::max(0.0, r.available))) << "' fill='" << (short_of ? "#d62728" : "#9ecae1")
      << "'><title>" << html_escape(r.label) << ": available " << num(r.available) << ", required "
      << r.required << "</title></rect>";
    line += num(x0) + "," + num(y(r.required)) + " " + num(x0 + slot) + "," + num(y(r.required)) + " ";
    if (i % every == 0)
      o << "<text x='" << num(x0 + slot / 2) << "' y='" << height - bottom + 16
        << "' class='xl' transform='rotate(-40 " << num(x0 + slot / 2) << " " << height - bottom + 16 << ")'>"
        << html_escape(time_of(r.label)) << "</text>";
  }
  o << "<polyline class='req' fill='none' stroke='#222' stroke-width='2' points='" << line << "'/>";
  o << "<line x1='" << left << "' x2='" << left << "' y1='" << top << "' y2='" << height - bottom
    << "' class='a'/><line x1='" << left << "' x2='" << width - right << "' y1='" << height - bottom
    << "' y2='" << height - bottom << "' class='a'/>";
  o << "<text x='16' y='" << (top + height - bottom) / 2 << "' class='al' transform='rotate(-90 16 "
    << (top + height - bottom) / 2 << ")'>agents</text>";
  const double ly = height + 14;
  o << "<rect x='" << left << "' y='" << ly - 10 << "' width='14' height='10' fill='#9ecae1'/><text x='"
    << left + 20 << "' y='" << ly << "' class='lg'>available agents (roster, after breaks, absence and "
    << "meetings)</text><rect x='" << left + 400 << "' y='" << ly - 10
    << "' width='14' height='10' fill='#d62728'/><text x='" << left + 420 << "' y='" << ly
    << "' class='lg'>short</text><line x1='" << left + 480 << "' x2='" << left + 500 << "' y1='" << ly - 5
    << "' y2='" << ly - 5 << "' stroke='#222' stroke-width='2'/><text x='" << left + 506 << "' y='" << ly
    << "' class='lg'>required</text>";
  o << "</svg></figure>\n";
  return o.str();
}

}  // namespace

std::string gap_section(const output::StaffingData& d) {
  if (!d.present || d.rows.empty()) return {};
  // Groups in the file's order; days in order.
  std::vector<std::string> groups;
  std::map<std::pair<std::size_t, int>, std::vector<const output::GapEntry*>> cells;
  int last_day = 0;
  for (const auto& r : d.rows) {
    auto at = std::find(groups.begin(), groups.end(), r.group);
    if (at == groups.end()) at = groups.insert(groups.end(), r.group);
    cells[{static_cast<std::size_t>(at - groups.begin()), r.day}].push_back(&r);
    last_day = std::max(last_day, r.day);
  }
  std::ostringstream o;
  o << "<h2>The gap to the roster</h2><p class='note'>Per interval, the " << (d.roster ? "roster's" : "scenario's")
    << " available agents (bars; red where short) against the agents required for the targets (line). "
    << (d.roster ? "The requirement is the one the roster was built on." : "The requirement is found by simulation.")
    << "</p>\n<table><tr><th>group</th><th>day</th><th>intervals short</th><th>largest shortfall</th><th>"
       "agent-intervals over</th></tr>\n";
  for (const auto& [key, rows] : cells) {
    int short_count = 0;
    double worst = 0.0, over = 0.0;
    for (const auto* r : rows) {
      const double gap = r->available - r->required;
      if (gap < -1e-9) ++short_count, worst = std::max(worst, -gap);
      if (gap > 0.0) over += gap;
    }
    o << "<tr><td>" << html_escape(groups[key.first]) << "</td><td>" << html_escape(day_name(*rows[0], last_day > 0))
      << "</td><td>" << short_count << "</td><td>" << num(worst) << "</td><td>" << num(over) << "</td></tr>\n";
  }
  o << "</table>\n";
  for (const auto& [key, rows] : cells)
    o << chart(groups[key.first] + " — " + day_name(*rows[0], last_day > 0), rows);
  return o.str();
}

std::string render_staffing_report(const output::StaffingData& d) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" << html_escape(d.scenario_name)
    << " — ccsim staffing report</title><style>" << report_css() << "</style></head><body>\n<h1>"
    << html_escape(d.scenario_name) << "</h1>\n<p class='note'>A "
    << (d.roster ? "<code>ccsim roster</code>" : "<code>ccsim staff</code>") << " file. Made by ccsim " << html_escape(d.ccsim_version)
    << ".</p>\n"
    << gap_section(d) << "</body></html>\n";
  return o.str();
}

}  // namespace ccsim::cli
