// Shift patterns and their tours: reading SHIFTS.yaml, the tours a pattern stands for, each tour's coverage,
// and a roster turned back into a scenario's shifts.
#include "planning/roster.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "scenario/input_file.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::planning {

namespace {

ShiftPattern read_pattern(const scenario::Field& f, const scenario::Scenario& s, bool& costed) {
  f.expect_map({"name", "group", "start", "end", "breaks", "days", "days_off", "cost", "cost_per_hour",
                "max_agents"});
  ShiftPattern p;
  p.where = f.where();
  p.name = scenario::read_name(f["name"], scenario::NameKind::path_element);
  if (f.has("group")) {
    const std::string g = f["group"].text();
    std::vector<std::string> names;
    for (std::size_t i = 0; i < s.agent_groups.size(); ++i) {
      names.push_back(s.agent_groups[i].name);
      if (names.back() == g) p.group = static_cast<int>(i);
    }
    if (p.group < 0) {
      const std::string hint = scenario::nearest(g, names);
      f["group"].fail("no agent group '" + g + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
  }
  scenario::Shift sh;
  sh.start_s = p.start_s = f["start"].clock();
  sh.end_s = p.end_s = f["end"].clock();
  if (p.end_s <= p.start_s)
    f["end"].fail("end " + scenario::format_clock(p.end_s) + " is before start " +
                  scenario::format_clock(p.start_s));
  if (f.has("breaks"))
    for (const scenario::Field& b : f["breaks"].items()) {
      p.breaks.push_back(scenario::sections::read_break(b, sh));
      scenario::sections::check_apart(b, p.breaks);
    }
  if (f.has("days") && f.has("days_off"))
    f.fail("give 'days' (the days it is worked) or 'days_off' (a tour family), not both");
  if (f.has("days")) p.days = scenario::sections::read_day_list(f["days"], s);
  if (f.has("days_off")) {
    p.days_off = static_cast<int>(f["days_off"].integer(1, 365));
    if (p.days_off >= s.days)
      f["days_off"].fail(std::to_string(p.days_off) + " days off leave no working day in a run of " +
                         std::to_string(s.days) + " day(s) (days.count)");
  }
  if (f.has("cost")) p.cost = f["cost"].number(), costed = true;
  if (f.has("cost_per_hour")) p.cost_per_hour = f["cost_per_hour"].number(), costed = true;
  if (p.cost < 0.0) f["cost"].fail("a cost is >= 0");
  if (p.cost_per_hour < 0.0) f["cost_per_hour"].fail("a cost is >= 0");
  if (f.has("max_agents")) p.max_agents = static_cast<int>(f["max_agents"].integer(0, 1'000'000));
  return p;
}

std::string day_name(const scenario::Scenario& s, int d) {
  return s.day_labels.empty() ? std::to_string(d + 1) : s.day_labels[static_cast<std::size_t>(d)];
}

}  // namespace

PatternSet load_patterns(const std::string& path, const scenario::Scenario& s) {
  PatternSet set;
  set.path = scenario::input_name(path);
  const std::string text = scenario::read_input(path, scenario::kMaxScenarioBytes, "shift patterns file");
  const YAML::Node root = scenario::sections::load_yaml(text, set.path);
  const scenario::Field top(root, "", &set.path);
  top.expect_map({"patterns", "max_agents"});
  if (top.has("max_agents")) set.max_agents = static_cast<int>(top["max_agents"].integer(0, 1'000'000));
  // Every pattern's first error, all at once.
  scenario::ErrorList errors;
  bool costed = false;
  std::vector<scenario::Field> items;
  if (errors.attempt(top, [&] { items = top["patterns"].items(); })) {
    if (items.empty()) errors.attempt(top, [&] { top["patterns"].fail("give at least one shift pattern"); });
    for (const auto& f : items) errors.attempt(f, [&] { set.patterns.push_back(read_pattern(f, s, costed)); });
  }
  errors.throw_if_any();
  if (!costed)
    for (auto& p : set.patterns) p.cost_per_hour = 1.0;
  return set;
}

std::vector<Tour> make_tours(const scenario::Scenario& s, const PatternSet& set, const std::vector<int>& groups) {
  std::vector<Tour> out;
  for (std::size_t pi = 0; pi < set.patterns.size(); ++pi) {
    const ShiftPattern& p = set.patterns[pi];
    for (int g : groups) {
      if (p.group >= 0 && p.group != g) continue;
      if (p.days_off == 0) {
        out.push_back({static_cast<int>(pi), g, p.days, p.name});
        continue;
      }
      // One tour per placement of the consecutive days off, the run read as a repeating cycle.
      for (int first = 0; first < s.days; ++first) {
        Tour t{static_cast<int>(pi), g, {}, p.name + " off " + day_name(s, first)};
        if (p.days_off > 1) t.name += "-" + day_name(s, (first + p.days_off - 1) % s.days);
        for (int d = 0; d < s.days; ++d)
          if ((d - first + s.days) % s.days >= p.days_off) t.days.push_back(d);
        out.push_back(t);
      }
    }
  }
  return out;
}

std::vector<double> coverage(const scenario::Scenario& s, const ShiftPattern& p, double absence) {
  std::vector<double> out(static_cast<std::size_t>(s.intervals), 0.0);
  auto overlap = [](double a0, double a1, double b0, double b1) {
    return std::max(0.0, std::min(a1, b1) - std::max(a0, b0));
  };
  for (int k = 0; k < s.intervals; ++k) {
    const double from = s.open_s + k * s.interval_s, to = from + s.interval_s;
    double t = overlap(p.start_s, p.end_s, from, to);
    for (const auto& b : p.breaks) {
      // A staggered break: the pattern's agents start it evenly over the window; 33 points average it.
      constexpr int kPoints = 33;
      double lost = 0.0;
      for (int i = 0; i < kPoints; ++i) {
        const double start = b.earliest_s + (b.latest_s - b.earliest_s) * i / (kPoints - 1);
        lost += overlap(start, start + b.duration_s, from, to);
      }
      t -= lost / kPoints;
    }
    out[static_cast<std::size_t>(k)] = std::max(0.0, t) / s.interval_s * (1.0 - absence);
  }
  return out;
}

scenario::Scenario with_roster(const scenario::Scenario& s, const PatternSet& set, const RosterResult& r) {
  scenario::Scenario out = s;
  for (int g : r.groups) {
    auto& group = out.agent_groups[static_cast<std::size_t>(g)];
    group.agents_by_interval.clear();
    group.shifts.clear();
    group.agents = 0;
  }
  for (std::size_t t = 0; t < r.tours.size(); ++t) {
    if (r.agents[t] == 0) continue;
    const Tour& tour = r.tours[t];
    const ShiftPattern& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    scenario::Shift sh;
    sh.name = tour.name;
    sh.start_s = p.start_s;
    sh.end_s = p.end_s;
    sh.agents = r.agents[t];
    sh.breaks = p.breaks;
    sh.days = tour.days;
    out.agent_groups[static_cast<std::size_t>(tour.group)].shifts.push_back(sh);
  }
  return out;
}

YAML::Node shifts_node(const scenario::Scenario& s, const PatternSet& set, const RosterResult& r, int group) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (std::size_t t = 0; t < r.tours.size(); ++t) {
    const Tour& tour = r.tours[t];
    if (r.agents[t] == 0 || tour.group != group) continue;
    const ShiftPattern& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    YAML::Node e;
    e["name"] = tour.name;
    e["start"] = scenario::format_clock(p.start_s);
    e["end"] = scenario::format_clock(p.end_s);
    e["agents"] = r.agents[t];
    if (!tour.days.empty()) {
      // By label when each day has its own (a label names every day so labelled), else by number.
      std::vector<std::string> labels = s.day_labels;
      std::sort(labels.begin(), labels.end());
      const bool by_number = labels.empty() || std::adjacent_find(labels.begin(), labels.end()) != labels.end();
      YAML::Node days(YAML::NodeType::Sequence);
      days.SetStyle(YAML::EmitterStyle::Flow);
      for (int d : tour.days)
        if (by_number)
          days.push_back(d + 1);
        else
          days.push_back(s.day_labels[static_cast<std::size_t>(d)]);
      e["days"] = days;
    }
    for (const auto& b : p.breaks) {
      YAML::Node br;
      if (b.latest_s == b.earliest_s) {
        br["start"] = scenario::format_clock(b.earliest_s);
      } else {
        br["window"].push_back(scenario::format_clock(b.earliest_s));
        br["window"].push_back(scenario::format_clock(b.latest_s + b.duration_s));
      }
      br["duration"] = std::to_string(static_cast<long long>(std::lround(b.duration_s))) + "s";
      e["breaks"].push_back(br);
    }
    e.SetStyle(YAML::EmitterStyle::Flow);
    list.push_back(e);
  }
  return list;
}

}  // namespace ccsim::planning
