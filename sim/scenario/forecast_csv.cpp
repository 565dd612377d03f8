#include "scenario/forecast_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "common/error.hpp"
#include "scenario/csv_cells.hpp"
#include "scenario/input_file.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
using Cell = CsvCell;

std::vector<bool> read_forecast_csv(const std::string& path, Scenario& s) {
  return parse_forecast_csv(read_input(path, kMaxForecastBytes, "forecast file"), input_name(path), s);
}

std::vector<bool> parse_forecast_csv(const std::string& text, const std::string& path, Scenario& s) {
  std::istringstream in(without_bom(text));
  auto fail = [&](int line, int column, const std::string& field, const std::string& message) {
    throw InputError(path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + field + ": " +
                     message);
  };
  std::string line;
  int line_no = 0;
  std::map<std::string, std::size_t> col;
  while (std::getline(in, line)) {
    ++line_no;
    if (csv_skipped(line)) continue;
    const std::vector<std::string> known = {"day", "interval_start", "contact_type", "volume", "aht"};
    for (std::size_t i = 0; const auto& c : csv_cells(line)) {
      if (std::find(known.begin(), known.end(), c.text) == known.end()) {
        std::string hint = nearest(c.text, known);
        fail(line_no, c.column, "header",
             "unknown column '" + c.text + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                 "; expected interval_start, contact_type, volume and optionally aht");
      }
      // A repeated column would leave rows one cell longer than the columns counted (found by fuzzing).
      if (col.count(c.text)) fail(line_no, c.column, "header", "column '" + c.text + "' given twice");
      col[c.text] = i++;
    }
    break;
  }
  for (const char* needed : {"interval_start", "contact_type", "volume"})
    if (!col.count(needed))
      fail(std::max(line_no, 1), 1, "header", std::string("missing column '") + needed + "'");
  const bool has_aht = col.count("aht") > 0;
  // With a day column the file gives every day of the run; without, one day that every day repeats.
  const bool has_day = col.count("day") > 0;
  const std::size_t days = has_day ? static_cast<std::size_t>(s.days) : 1;

  const auto types = s.contact_types.size();
  const auto intervals = static_cast<std::size_t>(s.intervals);
  const std::size_t run_intervals = days * intervals;
  std::vector<std::vector<int>> seen_at(types,
                                        std::vector<int>(run_intervals, 0));  // line of the row, 0: missing
  std::vector<bool> mentioned(types, false);
  std::vector<std::vector<double>> volume(types, std::vector<double>(run_intervals, 0.0)),
      aht(types, std::vector<double>(run_intervals, 0.0));
  std::vector<std::string> names;
  for (const auto& t : s.contact_types) names.push_back(t.name);

  while (std::getline(in, line)) {
    ++line_no;
    if (csv_skipped(line)) continue;
    const std::vector<Cell> cells = csv_cells(line);
    if (cells.size() != col.size())
      fail(line_no, 1, "row",
           "has " + std::to_string(cells.size()) + " columns, the header has " + std::to_string(col.size()));
    const Cell& when = cells[col["interval_start"]];
    const Cell& type = cells[col["contact_type"]];
    const Cell& vol = cells[col["volume"]];
    // Interval start "HH:MM" (or "YYYY-MM-DD HH:MM", the date ignored for a one-day run).
    std::string clock = when.text.size() > 5 ? when.text.substr(when.text.size() - 5) : when.text;
    int h = 0, m = 0;
    char colon = 0;
    std::istringstream is(clock);
    if (!(is >> h >> colon >> m) || colon != ':' || m < 0 || m > 59 || h < 0 || h > 47)
      fail(line_no, when.column, "interval_start", "expected a clock time HH:MM, got '" + when.text + "'");
    const double offset = h * 3600.0 + m * 60.0 - s.open_s;
    const double k_exact = offset / s.interval_s;
    if (offset < 0 || k_exact >= static_cast<double>(intervals) ||
        std::abs(k_exact - std::round(k_exact)) > 1e-9)
      fail(line_no, when.column, "interval_start",
           "'" + when.text + "' is not the start of one of the day's intervals (" + format_clock(s.open_s) +
               " to " + format_clock(s.open_s + s.day_length_s() - s.interval_s) + ", every " +
               std::to_string(static_cast<int>(s.interval_s / 60)) + " min)");
    std::size_t day = 0;
    if (has_day) {
      const Cell& d = cells[col["day"]];
      auto label = std::find(s.day_labels.begin(), s.day_labels.end(), d.text);
      if (label != s.day_labels.end()) {
        day = static_cast<std::size_t>(label - s.day_labels.begin());
      } else {
        int n = 0;
        auto [p, ec] = std::from_chars(d.text.data(), d.text.data() + d.text.size(), n);
        if (ec != std::errc() || p != d.text.data() + d.text.size() || n < 1 || n > s.days)
          fail(line_no, d.column, "day",
               "expected a day number 1 to " + std::to_string(s.days) +
                   (s.day_labels.empty() ? "" : " or a day label") + ", got '" + d.text + "'");
        day = static_cast<std::size_t>(n - 1);
      }
    }
    const auto k = day * intervals + static_cast<std::size_t>(std::llround(k_exact));
    auto it = std::find(names.begin(), names.end(), type.text);
    if (it == names.end()) {
      std::string hint = nearest(type.text, names);
      fail(line_no, type.column, "contact_type",
           "unknown contact type '" + type.text + "'" +
               (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    const auto t = static_cast<std::size_t>(it - names.begin());
    if (seen_at[t][k])
      fail(line_no, when.column, "interval_start",
           "interval " + interval_label(s, static_cast<int>(k)) + " of '" + type.text +
               "' is given twice (first on line " + std::to_string(seen_at[t][k]) + ")");
    seen_at[t][k] = line_no;
    mentioned[t] = true;
    auto number = [&](const Cell& c, const char* field, bool positive) {
      double v = 0.0;
      auto [p, ec] = std::from_chars(c.text.data(), c.text.data() + c.text.size(), v);
      if (ec != std::errc() || p != c.text.data() + c.text.size() || !std::isfinite(v))
        fail(line_no, c.column, field, "expected a number, got '" + c.text + "'");
      if (positive ? !(v > 0.0) : v < 0.0)
        fail(line_no, c.column, field,
             std::string("must be ") + (positive ? "> 0" : ">= 0") + ", got " + c.text);
      return v;
    };
    volume[t][k] = number(vol, "volume", false);
    if (has_aht) {
      aht[t][k] = number(cells[col["aht"]], "aht", true);
      if (aht[t][k] > kMaxDuration)
        fail(line_no, cells[col["aht"]].column, "aht",
             "an AHT is at most " + std::to_string(static_cast<long long>(kMaxDuration)) + " s");
    }
  }
  for (std::size_t t = 0; t < types; ++t) {
    if (!mentioned[t]) continue;
    for (std::size_t k = 0; k < run_intervals; ++k)
      if (!seen_at[t][k])
        fail(line_no, 1, "contact_type",
             "'" + names[t] + "' has no row for interval " +
                 (has_day ? interval_label(s, static_cast<int>(k))
                          : format_clock(s.open_s + static_cast<double>(k) * s.interval_s)));
    if (has_day) {
      s.contact_types[t].volume_by_day = volume[t];
      s.contact_types[t].volume.assign(volume[t].begin(), volume[t].begin() + static_cast<long>(intervals));
    } else {
      s.contact_types[t].volume = volume[t];
    }
    if (has_aht) s.contact_types[t].aht = aht[t];
  }
  return mentioned;
}

}  // namespace ccsim::scenario
