#include "cli/report_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/text_format.hpp"

namespace ccsim::cli {
namespace {

constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
// Solid first; the later (narrower) lines dashed, so that one lying on an earlier one leaves it showing.
constexpr const char* kDashes[] = {"", "10 5", "3 4", "12 4 3 4", "6 6", "2 6", "16 6", "8 3 2 3 2 3"};
enum class Marker { circle, square, triangle, diamond, cross, plus };
constexpr Marker kMarkers[] = {Marker::circle, Marker::square, Marker::triangle,
                               Marker::diamond, Marker::cross, Marker::plus};

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string marker(Marker m, double x, double y, const char* colour) {
  const std::string c = std::string("' fill='") + colour + "' stroke='" + colour + "'/>";
  switch (m) {
    case Marker::circle:
      return "<circle cx='" + num(x) + "' cy='" + num(y) + "' r='4" + c;
    case Marker::square:
      return "<rect x='" + num(x - 3.5) + "' y='" + num(y - 3.5) + "' width='7' height='7" + c;
    case Marker::triangle:
      return "<polygon points='" + num(x) + "," + num(y - 5) + " " + num(x - 4.5) + "," + num(y + 3.5) + " " +
             num(x + 4.5) + "," + num(y + 3.5) + c;
    case Marker::diamond:
      return "<polygon points='" + num(x) + "," + num(y - 5) + " " + num(x + 5) + "," + num(y) + " " + num(x) +
             "," + num(y + 5) + " " + num(x - 5) + "," + num(y) + c;
    case Marker::cross:
      return "<path d='M" + num(x - 4) + " " + num(y - 4) + "L" + num(x + 4) + " " + num(y + 4) + "M" +
             num(x - 4) + " " + num(y + 4) + "L" + num(x + 4) + " " + num(y - 4) + "' stroke-width='2.5" + c;
    case Marker::plus:
      return "<path d='M" + num(x - 5) + " " + num(y) + "L" + num(x + 5) + " " + num(y) + "M" + num(x) + " " +
             num(y - 5) + "L" + num(x) + " " + num(y + 5) + "' stroke-width='2.5" + c;
  }
  return "";
}

// A round top for the y axis: 1, 2 or 5 times a power of ten, five steps or fewer.
std::pair<double, double> axis_top(double y_max) {
  double step = std::pow(10.0, std::floor(std::log10(std::max(y_max, 1e-9) / 5.0)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (y_max / (f * step) <= 5.0) {
      step *= f;
      break;
    }
  return {step, std::max(step, std::ceil(y_max / step - 1e-9) * step)};
}

}  // namespace

const char* policy_colour(std::size_t index) {
  return kColours[index % std::size(kColours)];
}

std::string line_chart(const Chart& c, const std::vector<ChartLine>& lines) {
  const double width = c.small ? 430 : 860, height = c.small ? 260 : 330, left = 62, right = 16,
               top = c.intervals.empty() || c.intervals.back().day == 0 ? 34 : 50, bottom = 62;
  double y_max = c.target >= 0.0 ? c.target : 0.0;
  for (const auto& l : lines)
    for (std::size_t i = 0; i < l.mean.size(); ++i) {
      const double hw = i < l.half_width.size() && std::isfinite(l.half_width[i]) ? l.half_width[i] : 0.0;
      if (std::isfinite(l.mean[i])) y_max = std::max(y_max, l.mean[i] + hw);
    }
  if (c.y_limit >= 0.0) y_max = std::min(y_max, c.y_limit);
  const auto axis = axis_top(y_max);
  const double step = axis.first, top_value = axis.second;
  const std::size_t n = c.x_labels.size();
  auto x = [&](double i) {
    return left + (n > 1 ? (width - left - right) * i / static_cast<double>(n - 1) : (width - left - right) / 2);
  };
  auto y = [&](double v) { return top + (height - top - bottom) * (1.0 - std::clamp(v, 0.0, top_value) / top_value); };
  const std::size_t legend_rows = (lines.size() + (c.small ? 1 : 2)) / (c.small ? 2 : 3);
  std::ostringstream o;
  o << "<figure class='chart'><svg role='img' viewBox='0 0 " << width << " " << height + 22.0 * static_cast<double>(legend_rows)
    << "' width='100%'><title>" << html_escape(c.title) << "</title>";
  o << "<text x='" << left << "' y='20' class='t'>" << html_escape(c.title) << "</text>";
  // The plot area, framed in its own colour over everything drawn in it (crisp, so that a screenshot finds
  // it pixel for pixel even where a line runs along an edge).
  const std::string frame = "<rect x='" + num(left) + "' y='" + num(top) + "' width='" + num(width - left - right) +
                            "' height='" + num(height - top - bottom) + "' fill='none' stroke='" + kPlotFrameColour +
                            "' stroke-width='1' shape-rendering='crispEdges'/>";
  for (double v = step; v < top_value - 1e-9; v += step)
    o << "<line x1='" << left << "' x2='" << width - right << "' y1='" << num(y(v)) << "' y2='" << num(y(v)) << "' class='g'/>";
  for (double v = 0.0; v <= top_value + 1e-9; v += step)
    o << "<text x='" << left - 6 << "' y='" << num(y(v) + 4) << "' class='yl'>" << (step < 1 ? num(v) : std::to_string(std::lround(v)))
      << "</text>";
  // Days: a separator between them and the day's label above its intervals.
  for (std::size_t i = 0; i < c.intervals.size(); ++i) {
    const bool first_of_day = i == 0 || c.intervals[i].day != c.intervals[i - 1].day;
    if (!first_of_day || c.intervals.back().day == 0) continue;
    std::size_t last = i;
    while (last + 1 < c.intervals.size() && c.intervals[last + 1].day == c.intervals[i].day) ++last;
    if (i > 0)
      o << "<line x1='" << num(x(static_cast<double>(i) - 0.5)) << "' x2='" << num(x(static_cast<double>(i) - 0.5))
        << "' y1='" << top - 16 << "' y2='" << height - bottom << "' class='day'/>";
    o << "<text x='" << num((x(static_cast<double>(i)) + x(static_cast<double>(last))) / 2) << "' y='" << top - 5
      << "' class='dl'>" << html_escape(c.intervals[i].day_label) << "</text>";
  }
  const std::size_t every = std::max<std::size_t>(1, n / (c.small ? 6 : 12));
  for (std::size_t i = 0; i < n; i += every)
    o << "<text x='" << num(x(static_cast<double>(i))) << "' y='" << height - bottom + 16 << "' class='xl' transform='rotate(-40 "
      << num(x(static_cast<double>(i))) << " " << height - bottom + 16 << ")'>" << html_escape(c.x_labels[i]) << "</text>";
  o << "<text x='14' y='" << (top + height - bottom) / 2 << "' class='al' transform='rotate(-90 14 "
    << (top + height - bottom) / 2 << ")'>" << html_escape(c.y_label) << "</text>";
  // Bands under every line, then the lines from the widest (first) to the narrowest.
  for (std::size_t p = 0; p < lines.size(); ++p) {
    const auto& l = lines[p];
    std::string upper, lower;
    for (std::size_t i = 0; i < l.mean.size(); ++i)
      if (i < l.half_width.size() && std::isfinite(l.half_width[i]) && std::isfinite(l.mean[i])) {
        upper += num(x(static_cast<double>(i))) + "," + num(y(l.mean[i] + l.half_width[i])) + " ";
        lower = num(x(static_cast<double>(i))) + "," + num(y(l.mean[i] - l.half_width[i])) + " " + lower;
      }
    if (!upper.empty())
      o << "<polygon class='band' points='" << upper << lower << "' fill='" << policy_colour(p) << "'/>";
  }
  if (c.target >= 0.0)
    o << "<line x1='" << left << "' x2='" << width - right << "' y1='" << num(y(c.target)) << "' y2='" << num(y(c.target))
      << "' class='target'/><text x='" << width - right - 4 << "' y='" << num(y(c.target) - 5) << "' class='tl'>"
      << html_escape(c.target_label) << "</text>";
  // Each line's markers at its own offset (every `lines` intervals at least), so no two lines' markers fall on
  // the same interval and lines lying on each other show every marker.
  const std::size_t marker_every = std::max<std::size_t>(1, std::min(n, std::max(n / 8, lines.size())));
  for (std::size_t p = 0; p < lines.size(); ++p) {
    const auto& l = lines[p];
    const char* colour = policy_colour(p);
    const char* dash = kDashes[p % std::size(kDashes)];
    const double stroke = std::max(1.5, 4.5 - 0.6 * static_cast<double>(p));
    std::string points, marks;
    for (std::size_t i = 0; i < l.mean.size(); ++i) {
      if (!std::isfinite(l.mean[i])) continue;
      points += num(x(static_cast<double>(i))) + "," + num(y(l.mean[i])) + " ";
      // Markers at staggered intervals, so that two lines on each other show both.
      if (i % marker_every == p % marker_every)
        marks += marker(kMarkers[p % std::size(kMarkers)], x(static_cast<double>(i)), y(l.mean[i]), colour);
    }
    o << "<polyline fill='none' stroke='" << colour << "' stroke-width='" << stroke << "'"
      << (*dash ? std::string(" stroke-dasharray='") + dash + "'" : std::string()) << " points='" << points << "'/>"
      << marks;
    const double lx = left + static_cast<double>(p % (c.small ? 2 : 3)) * (c.small ? 190 : 270),
                 ly = height + 4 + 22 * static_cast<double>(p / (c.small ? 2 : 3));
    o << "<line x1='" << lx << "' x2='" << lx + 34 << "' y1='" << ly << "' y2='" << ly << "' stroke='" << colour
      << "' stroke-width='" << stroke << "'" << (*dash ? std::string(" stroke-dasharray='") + dash + "'" : std::string())
      << "/>" << marker(kMarkers[p % std::size(kMarkers)], lx + 17, ly, colour);
    o << "<text x='" << lx + 42 << "' y='" << ly + 4 << "' class='lg'>" << html_escape(l.name) << "</text>";
  }
  o << frame << "</svg></figure>\n";
  return o.str();
}

}  // namespace ccsim::cli
