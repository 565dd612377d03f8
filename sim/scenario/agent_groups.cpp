// The `agent_groups` section: rosters (shifts and their breaks), home share, absence, shrinkage, skills.
#include <algorithm>
#include <string>
#include <vector>

#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

Break read_break(const Field& b, const Shift& shift) {
  b.expect_map({"start", "window", "duration"});
  Break br;
  br.duration_s = b["duration"].duration();
  if (br.duration_s <= 0.0) b["duration"].fail("a break needs a duration > 0");
  if (b.has("start") == b.has("window"))
    b.fail(
        "give a fixed 'start' (\"12:30\") or a 'window' ([\"11:30\", \"13:30\"]) in which breaks are "
        "staggered");
  if (b.has("start")) {
    br.earliest_s = br.latest_s = b["start"].clock();
  } else {
    const Field w = b["window"];
    std::vector<Field> ends = w.items();
    if (ends.size() != 2) w.fail("a window is two clock times: [earliest start, latest end]");
    br.earliest_s = ends[0].clock();
    br.latest_s = ends[1].clock() - br.duration_s;
    if (br.latest_s < br.earliest_s)
      w.fail("the window " + format_clock(br.earliest_s) + "-" + format_clock(ends[1].clock()) +
             " is shorter than the break");
  }
  if (br.earliest_s < shift.start_s || br.latest_s + br.duration_s > shift.end_s)
    b.fail("break " + format_clock(br.earliest_s) + "-" + format_clock(br.latest_s + br.duration_s) +
           " lies outside its shift " + format_clock(shift.start_s) + "-" + format_clock(shift.end_s));
  return br;
}

// An agent takes one break at a time: the spans a break may take (its window) must not meet another's.
void check_apart(const Field& b, const std::vector<Break>& breaks) {
  const Break& br = breaks.back();
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    const Break& o = breaks[i];
    if (br.earliest_s < o.latest_s + o.duration_s && o.earliest_s < br.latest_s + br.duration_s)
      b.fail("break " + format_clock(br.earliest_s) + "-" + format_clock(br.latest_s + br.duration_s) +
             " overlaps break " + std::to_string(i + 1) + " of the shift (" + format_clock(o.earliest_s) +
             "-" + format_clock(o.latest_s + o.duration_s) + ")");
  }
}

namespace {

// Every agent of the group, on duty or not: a meeting cannot take more. (Fewer on duty at its time is
// allowed: the meeting takes those who are there.)
int group_size(const AgentGroup& a) {
  if (a.shifts.empty()) return a.agents;
  long long n = 0;
  for (const auto& sh : a.shifts) n += sh.agents;
  return static_cast<int>(std::min<long long>(n, 1'000'000'000));
}

Shift read_shift(const Field& f, const Scenario& s) {
  f.expect_map({"name", "agent", "start", "end", "agents", "breaks", "location", "days"});
  Shift sh;
  sh.where = f.where();
  sh.start_s = f["start"].clock();
  sh.end_s = f["end"].clock();
  if (sh.end_s <= sh.start_s)
    f["end"].fail("end " + format_clock(sh.end_s) + " is before start " + format_clock(sh.start_s));
  if (f.has("agent") == f.has("agents"))
    f.fail("give 'agents' (how many work this shift) or 'agent' (the name of one agent)");
  if (f.has("agent")) {
    sh.name = read_name(f["agent"], NameKind::path_element);
    sh.agents = 1;
  } else {
    sh.agents = static_cast<int>(f["agents"].integer(0, 1'000'000));
    if (f.has("name")) sh.name = read_name(f["name"], NameKind::path_element);
  }
  if (f.has("breaks")) {
    for (const Field& b : f["breaks"].items()) {
      sh.breaks.push_back(read_break(b, sh));
      check_apart(b, sh.breaks);
    }
    if (sh.breaks.size() > 32) f["breaks"].fail("a shift has at most 32 breaks");
  }
  if (f.has("days")) sh.days = read_day_list(f["days"], s);
  if (f.has("location")) {
    const Field loc = f["location"];
    std::vector<std::string> names;
    for (const auto& l : s.locations) names.push_back(l.name);
    const std::string name = loc.text();
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) sh.location = static_cast<int>(i);
    if (sh.location < 0) {
      std::string hint = nearest(name, names);
      loc.fail("unknown location '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
               "; define it under 'locations'");
    }
  }
  return sh;
}

// One available-agent count per interval of a day, or of the run (days x intervals).
std::vector<int> read_agents_by_interval(const Field& f, const Scenario& s) {
  std::vector<int> counts;
  for (const Field& item : f.items()) counts.push_back(static_cast<int>(item.integer(0, 1'000'000)));
  const auto day = static_cast<std::size_t>(s.intervals), run = static_cast<std::size_t>(s.run_intervals());
  if (counts.size() != day && counts.size() != run)
    f.fail("a list of agents has one count per interval: " + std::to_string(day) + " (a day, repeated)" +
           (run != day ? " or " + std::to_string(run) + " (the whole run)" : std::string()) + ", not " +
           std::to_string(counts.size()));
  return counts;
}

}  // namespace

AgentGroup read_group(const Field& g, const Scenario& s, bool only_group) {
  g.expect_map({"name", "agents", "shifts", "home_share", "absence", "shrinkage", "skills", "cost_per_hour"});
  AgentGroup a;
  a.where = g.where();
  a.name = read_name(g["name"], NameKind::agent_group);
  if (g.has("agents") == g.has("shifts"))
    g.fail("give 'agents' (on duty all day) or 'shifts' (a roster), not both and not neither");
  if (g.has("agents") && g["agents"].node().IsSequence()) {
    a.agents_by_interval = read_agents_by_interval(g["agents"], s);
    a.agents = *std::max_element(a.agents_by_interval.begin(), a.agents_by_interval.end());
    // The list already says who is available: absence and meetings would take agents twice.
    for (const char* key : {"absence", "shrinkage"})
      if (g.has(key))
        g[key].fail(std::string("'") + key +
                    "' does not apply to a list of available agents per interval: lower the counts instead, "
                    "or give 'shifts'");
  } else if (g.has("agents")) {
    a.agents = static_cast<int>(g["agents"].integer(0, 1'000'000));
  }
  if (g.has("shifts")) {
    for (const Field& f : g["shifts"].items()) {
      a.shifts.push_back(read_shift(f, s));
      const Shift& sh = a.shifts.back();
      // One named agent cannot work two shifts at once.
      for (std::size_t i = 0; i + 1 < a.shifts.size(); ++i) {
        const Shift& other = a.shifts[i];
        if (!sh.name.empty() && sh.agents == 1 && other.name == sh.name && other.agents == 1 &&
            sh.start_s < other.end_s && other.start_s < sh.end_s)
          f.fail("agent '" + sh.name + "' already works " + format_clock(other.start_s) + "-" +
                 format_clock(other.end_s) + ", which overlaps " + format_clock(sh.start_s) + "-" +
                 format_clock(sh.end_s));
      }
    }
  }
  if (g.has("home_share")) {
    a.home_share = g["home_share"].probability();
    if (a.home_share > 0.0 && home_location(s) < 0)
      g["home_share"].fail(
          "home_share needs a location named 'home' under 'locations' (its handle-time factor and "
          "interruptions)");
  }
  if (g.has("absence")) a.absence = g["absence"].probability();
  if (g.has("cost_per_hour")) a.cost_per_hour = g["cost_per_hour"].money();
  if (g.has("shrinkage"))
    for (const Field& f : g["shrinkage"].items()) {
      f.expect_map({"name", "start", "end", "agents"});
      Shrinkage k;
      if (f.has("name")) k.name = read_name(f["name"], NameKind::path_element);
      k.start_s = f["start"].clock();
      k.end_s = f["end"].clock();
      if (k.end_s <= k.start_s)
        f["end"].fail("end " + format_clock(k.end_s) + " is before start " + format_clock(k.start_s));
      k.agents = static_cast<int>(f["agents"].integer(1, 1'000'000));
      if (const int size = group_size(a); k.agents > size)
        f["agents"].fail("a meeting of " + std::to_string(k.agents) + " agents, but group '" + a.name +
                         "' has " + std::to_string(size) + " agents in all");
      a.shrinkage.push_back(k);
    }
  if (!g.has("skills")) {
    if (!only_group) g.fail("with several agent groups each needs 'skills': the contact types it serves");
    for (std::size_t t = 0; t < s.contact_types.size(); ++t)
      a.skills.push_back({static_cast<int>(t), 1, 0.0, 1.0, a.where});
    return a;
  }
  for (const Field& k : g["skills"].items()) {
    Skill skill;
    skill.where = k.where();
    if (k.node().IsScalar()) {  // shorthand: just the contact type
      skill.type = type_index(k, s);
    } else {
      k.expect_map({"contact_type", "priority", "overflow_after", "weight"});
      skill.type = type_index(k["contact_type"], s);
      if (k.has("priority")) skill.priority = static_cast<int>(k["priority"].integer(1, 1000));
      if (k.has("overflow_after")) skill.overflow_s = k["overflow_after"].duration();
      if (k.has("weight")) skill.weight = k["weight"].positive();
    }
    for (const auto& other : a.skills)
      if (other.type == skill.type)
        k.fail("group '" + a.name + "' lists contact type '" +
               s.contact_types[static_cast<std::size_t>(skill.type)].name + "' twice");
    a.skills.push_back(skill);
  }
  if (a.skills.empty())
    g["skills"].fail("group '" + a.name + "' has no skills: no contact would ever reach it");
  return a;
}

}  // namespace ccsim::scenario::sections
