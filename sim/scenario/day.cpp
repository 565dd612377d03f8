// The `day`, `days` and `service_level` sections: the clock a scenario runs on and what it measures by.
#include <cmath>
#include <string>

#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

void read_day(const Field& day, Scenario& s) {
  day.expect_map({"open", "interval", "intervals", "close", "warmup", "busyness_cv"});
  if (day.has("busyness_cv")) {
    s.busyness_cv = day["busyness_cv"].number();
    if (s.busyness_cv < 0.0) day["busyness_cv"].fail("must be >= 0");
  }
  s.open_s = day.has("open") ? day["open"].clock() : 0.0;
  const Field interval = day["interval"];
  s.interval_s = interval.duration();
  if (s.interval_s != 900.0 && s.interval_s != 1800.0 && s.interval_s != 3600.0)
    interval.fail("interval must be 15min, 30min or 60min");
  if (day.has("intervals") == day.has("close"))
    day.fail("give exactly one of 'intervals' (how many) or 'close' (clock time the last interval ends)");
  if (day.has("intervals")) {
    s.intervals = static_cast<int>(day["intervals"].integer(1, 100000));
  } else {
    const Field close = day["close"];
    double length = close.clock() - s.open_s;
    if (length <= 0.0)
      close.fail(
          "close " + format_clock(close.clock()) + " is not after open " + format_clock(s.open_s) +
          " (a day that passes midnight closes at 24:00 or later, e.g. 26:00 for 02:00 the next morning)");
    double n = length / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9) close.fail("open to close must be a whole number of intervals");
    s.intervals = static_cast<int>(std::round(n));
  }
  if (day.has("warmup")) {
    // A plain number counts intervals (as the README has always said); with a unit it is a duration that
    // must cover whole intervals.
    const Field w = day["warmup"];
    const bool count = w.is_number();
    const double n = count ? static_cast<double>(w.integer(0, 100000)) : w.duration() / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9)
      w.fail("warmup must be a whole number of intervals (a count such as 2, or a duration such as 1h)");
    s.warmup_intervals = static_cast<int>(std::round(n));
    if (s.warmup_intervals >= s.intervals) w.fail("warmup must leave at least one interval to measure");
  }
}

void read_days(const Field& f, Scenario& s) {
  f.expect_map({"count", "profile", "labels"});
  s.days = static_cast<int>(f["count"].integer(1, 366));
  if (s.day_length_s() > 86400.0 && s.days > 1)
    f.fail("days follow each other every 24 hours: a day of several must be at most 24 hours long");
  if (f.has("profile")) {
    const Field p = f["profile"];
    s.day_profile = p.numbers();
    if (s.day_profile.size() != static_cast<std::size_t>(s.days))
      p.fail("has " + std::to_string(s.day_profile.size()) + " factors for " + std::to_string(s.days) +
             " days");
    for (std::size_t i = 0; i < s.day_profile.size(); ++i)
      if (s.day_profile[i] < 0.0) p.items()[i].fail("a day factor must be >= 0");
  }
  if (f.has("labels")) {
    const Field l = f["labels"];
    for (const Field& x : l.items()) s.day_labels.push_back(read_name(x, NameKind::day_label));
    if (s.day_labels.size() != static_cast<std::size_t>(s.days))
      l.fail("has " + std::to_string(s.day_labels.size()) + " labels for " + std::to_string(s.days) +
             " days");
  }
}

std::vector<int> read_day_list(const Field& f, const Scenario& s) {
  std::vector<bool> on(static_cast<std::size_t>(s.days), false);
  const std::vector<Field> items = f.items();
  if (items.empty()) f.fail("give at least one day, or leave 'days' out (every day)");
  for (const Field& d : items) {
    if (d.is_number()) {
      on[static_cast<std::size_t>(d.integer(1, s.days) - 1)] = true;
      continue;
    }
    const std::string label = d.text();
    bool found = false;
    for (std::size_t i = 0; i < s.day_labels.size(); ++i)
      if (s.day_labels[i] == label) on[i] = found = true;
    if (!found) {
      std::string all;
      for (const auto& l : s.day_labels) all += (all.empty() ? "" : ", ") + l;
      const std::string hint = nearest(label, s.day_labels);
      d.fail("no day labelled '" + label + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
             (all.empty() ? "; the days have no labels (days.labels): give day numbers from 1"
                          : "; the days are " + all + ", or numbers from 1"));
    }
  }
  std::vector<int> out;
  for (std::size_t i = 0; i < on.size(); ++i)
    if (on[i]) out.push_back(static_cast<int>(i));
  if (out.size() == on.size()) out.clear();
  return out;
}

void read_service_level(const Field& f, Scenario& s) {
  f.expect_map({"tau", "definition", "short_abandon", "target"});
  if (f.has("tau")) s.tau_s = f["tau"].duration();
  if (f.has("target")) s.sl_target = f["target"].probability();
  if (f.has("short_abandon")) s.short_abandon_s = f["short_abandon"].duration();
  if (f.has("definition")) {
    std::string d = f["definition"].choice(
        {"offered", "offered_minus_short_abandons", "answered", "answered_plus_late_abandons"});
    if (d == "offered") s.sl_definition = ServiceLevelDefinition::offered;
    if (d == "offered_minus_short_abandons")
      s.sl_definition = ServiceLevelDefinition::offered_minus_short_abandons;
    if (d == "answered") s.sl_definition = ServiceLevelDefinition::answered;
    if (d == "answered_plus_late_abandons")
      s.sl_definition = ServiceLevelDefinition::answered_plus_late_abandons;
  }
}

}  // namespace ccsim::scenario::sections
