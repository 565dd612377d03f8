#include "model/windows.hpp"

#include <cctype>
#include <cmath>
#include <regex>

#include "common/error.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {
namespace {

// "09:00" or "9:00:30" -> seconds after midnight; -1 when the text is not a clock time.
double clock_seconds(const std::string& text) {
  static const std::regex clock(R"(^(\d{1,2}):(\d{2})(?::(\d{2}))?$)");
  std::smatch m;
  if (!std::regex_match(text, m, clock)) return -1.0;
  const int h = std::stoi(m[1]), min = std::stoi(m[2]), s = m[3].matched ? std::stoi(m[3]) : 0;
  if (min > 59 || s > 59 || h > 48) return -1.0;
  return h * 3600.0 + min * 60.0 + s;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

struct Point {
  std::string day;  // as written, "" when left out
  double clock_s = -1.0;
};

// "Mon 09:00" or "09:00": the clock is the last word, the day (which may hold spaces: "day 2") the rest.
Point point_of(const std::string& text) {
  const std::string t = trim(text);
  const auto space = t.find_last_of(" \t");
  return {space == std::string::npos ? std::string() : trim(t.substr(0, space)),
          clock_seconds(space == std::string::npos ? t : t.substr(space + 1))};
}

bool same_time(double a, double b) {
  return std::abs(a - b) < 0.5;  // clock times given to the second
}

}  // namespace

std::string day_label_of(const std::string& interval_label, bool several_days) {
  if (!several_days) return "";
  const auto space = interval_label.rfind(' ');
  return space == std::string::npos ? interval_label : interval_label.substr(0, space);
}

Window parse_window(const std::string& text, const std::vector<RunInterval>& intervals, const std::string& origin) {
  auto fail = [&](const std::string& why) { throw InputError(origin + ": " + why); };
  if (intervals.empty()) fail("the results file has no intervals");
  const bool several_days = intervals.back().day > 0;
  // The dash between start and end is the first one with a clock time before it (a day label may hold one).
  std::size_t dash = std::string::npos;
  for (auto at = text.find('-'); at != std::string::npos; at = text.find('-', at + 1))
    if (point_of(text.substr(0, at)).clock_s >= 0.0) {
      dash = at;
      break;
    }
  if (dash == std::string::npos)
    fail("expected [DAY ]HH:MM-[DAY ]HH:MM, e.g. " + std::string(several_days ? "\"Mon 09:00-12:00\"" : "09:00-12:00"));
  Point from = point_of(text.substr(0, dash)), to = point_of(text.substr(dash + 1));
  if (to.clock_s < 0.0) fail("'" + trim(text.substr(dash + 1)) + "' is not a clock time (HH:MM)");
  if (to.day.empty()) to.day = from.day;
  std::vector<std::string> labels;  // the run's days in order
  for (const auto& k : intervals)
    if (static_cast<std::size_t>(k.day) >= labels.size()) labels.push_back(k.day_label);
  auto day_index = [&](const std::string& day) {
    if (day.empty()) {
      if (several_days)
        fail("the run has " + std::to_string(labels.size()) + " days: name one, as in \"" + labels.front() + " " +
             scenario::format_clock(intervals.front().start_s) + "-...\"");
      return 0;
    }
    if (!several_days) fail("the run is one day: leave the day out ('" + day + "' is not one of its days)");
    for (std::size_t d = 0; d < labels.size(); ++d)
      if (labels[d] == day) return static_cast<int>(d);
    std::string known;
    for (const auto& l : labels) known += (known.empty() ? "" : ", ") + l;
    fail("no day '" + day + "' in the run (its days: " + known + ")");
    return -1;
  };
  const int d1 = day_index(from.day), d2 = day_index(to.day);
  // The day's interval grid, for messages: "08:00 to 18:00 in 30 min intervals".
  auto grid = [&](int d) {
    const RunInterval* first = nullptr;
    const RunInterval* last = nullptr;
    for (const auto& k : intervals)
      if (k.day == d) {
        if (!first) first = &k;
        last = &k;
      }
    return scenario::format_clock(first->start_s) + " to " + scenario::format_clock(last->start_s + last->length_s) +
           " in intervals of " + scenario::format_clock(first->length_s) + " (h:min)";
  };
  int a = -1, b = -1;
  for (std::size_t k = 0; k < intervals.size(); ++k) {
    const RunInterval& r = intervals[k];
    if (r.day == d1 && same_time(r.start_s, from.clock_s)) a = static_cast<int>(k);
    if (r.day == d2 && same_time(r.start_s + r.length_s, to.clock_s)) b = static_cast<int>(k);
  }
  const std::string where1 = several_days ? " on " + labels[static_cast<std::size_t>(d1)] : "";
  const std::string where2 = several_days ? " on " + labels[static_cast<std::size_t>(d2)] : "";
  if (a < 0)
    fail(scenario::format_clock(from.clock_s) + where1 + " is not the start of an interval: the run has " + grid(d1));
  if (b < 0)
    fail(scenario::format_clock(to.clock_s) + where2 + " is not the end of an interval: the run has " + grid(d2));
  if (b < a) fail("the window ends before it starts");
  Window w{trim(text), {}};
  for (int k = a; k <= b; ++k)
    if (!intervals[static_cast<std::size_t>(k)].warmup) w.intervals.push_back(k);
  if (w.intervals.empty()) fail("the window holds only warm-up intervals, which no total counts");
  return w;
}

std::vector<Window> day_windows(const std::vector<RunInterval>& intervals) {
  std::vector<Window> out;
  for (std::size_t k = 0; k < intervals.size(); ++k) {
    const RunInterval& r = intervals[k];
    if (out.size() <= static_cast<std::size_t>(r.day))
      out.resize(static_cast<std::size_t>(r.day) + 1);
    Window& w = out[static_cast<std::size_t>(r.day)];
    if (w.name.empty()) w.name = r.day_label.empty() ? "day " + std::to_string(r.day + 1) : r.day_label;
    if (!r.warmup) w.intervals.push_back(static_cast<int>(k));
  }
  std::erase_if(out, [](const Window& w) { return w.intervals.empty(); });
  return out;
}

std::vector<double> window_total(const std::vector<std::vector<double>>& by_interval, const Window& w) {
  std::vector<double> out;
  for (int k : w.intervals) {
    const auto& values = by_interval.at(static_cast<std::size_t>(k));
    if (out.empty()) out.assign(values.size(), 0.0);
    for (std::size_t r = 0; r < values.size(); ++r) out[r] += values[r];
  }
  return out;
}

WindowTotals window_totals(const std::vector<std::vector<double>>& numerators,
                           const std::vector<std::vector<double>>& denominators, const Window& w, Pooling pooling) {
  switch (pooling) {
    case Pooling::ratio:
      return {window_total(numerators, w), window_total(denominators, w)};
    case Pooling::total:
      return {window_total(numerators, w), denominators.at(static_cast<std::size_t>(w.intervals.back()))};
    case Pooling::level:
    case Pooling::percentile:  // not pooled over intervals: the last interval's own (compare refuses them)
      break;
  }
  const auto last = static_cast<std::size_t>(w.intervals.back());
  return {numerators.at(last), denominators.at(last)};
}

}  // namespace ccsim::model
