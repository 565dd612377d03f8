// Shift patterns to a roster: the set-covering programme solved by CBC, then the simulate-and-raise loop.
#include "planning/roster.hpp"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/error.hpp"
#include "model/results.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::planning {

std::vector<ShiftPattern> load_patterns(const std::string& path, const scenario::Scenario& s) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open shift patterns");
  std::ostringstream text;
  text << in.rdbuf();
  const YAML::Node root = scenario::sections::load_yaml(text.str(), path);
  const scenario::Field top(root, "", &path);
  top.expect_map({"patterns"});
  std::vector<ShiftPattern> out;
  bool costed = false;
  for (const scenario::Field& f : top["patterns"].items()) {
    f.expect_map({"name", "start", "end", "breaks", "cost", "cost_per_hour", "max_agents"});
    ShiftPattern p;
    p.name = f["name"].text();
    p.start_s = f["start"].clock();
    p.end_s = f["end"].clock();
    if (p.end_s <= p.start_s)
      f["end"].fail("end " + scenario::format_clock(p.end_s) + " is before start " +
                    scenario::format_clock(p.start_s));
    if (f.has("breaks"))
      for (const scenario::Field& b : f["breaks"].items()) {
        b.expect_map({"start", "window", "duration"});
        scenario::Break br;
        br.duration_s = b["duration"].duration();
        if (b.has("start") == b.has("window"))
          b.fail("give a fixed 'start' or a 'window' [earliest, latest end]");
        if (b.has("start")) {
          br.earliest_s = br.latest_s = b["start"].clock();
        } else {
          const auto ends = b["window"].items();
          if (ends.size() != 2) b["window"].fail("a window is two clock times: [earliest start, latest end]");
          br.earliest_s = ends[0].clock();
          br.latest_s = ends[1].clock() - br.duration_s;
          if (br.latest_s < br.earliest_s) b["window"].fail("the window is shorter than the break");
        }
        if (br.earliest_s < p.start_s || br.latest_s + br.duration_s > p.end_s)
          b.fail("the break lies outside its shift");
        p.breaks.push_back(br);
      }
    if (f.has("cost")) p.cost = f["cost"].number(), costed = true;
    if (f.has("cost_per_hour")) p.cost_per_hour = f["cost_per_hour"].number(), costed = true;
    if (p.cost < 0.0 || p.cost_per_hour < 0.0) f.fail("costs are >= 0");
    if (f.has("max_agents")) p.max_agents = static_cast<int>(f["max_agents"].integer(0, 1'000'000));
    out.push_back(p);
  }
  if (out.empty()) top["patterns"].fail("give at least one shift pattern");
  if (!costed)
    for (auto& p : out) p.cost_per_hour = 1.0;
  (void)s;
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

std::vector<int> solve_cover(const scenario::Scenario& s, const std::vector<ShiftPattern>& patterns,
                             const std::vector<double>& requirement, double absence) {
  std::vector<std::vector<double>> a;
  for (const auto& p : patterns) a.push_back(coverage(s, p, absence));
  // An interval no pattern set can cover is said before the solver is asked.
  std::string uncovered;
  for (int k = 0; k < s.intervals; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    if (requirement[kk] <= 0.0) continue;
    double most = 0.0;
    bool unlimited = false;
    for (std::size_t p = 0; p < patterns.size(); ++p) {
      if (a[p][kk] <= 0.0) continue;
      if (patterns[p].max_agents < 0) unlimited = true;
      most += a[p][kk] * std::max(0, patterns[p].max_agents);
    }
    if (!unlimited && most + 1e-9 < requirement[kk])
      uncovered += (uncovered.empty() ? "" : ", ") + scenario::interval_label(s, k);
  }
  if (!uncovered.empty())
    throw InputError("the shift patterns cannot cover the requirement in " + uncovered +
                     " (no pattern works then, or their max_agents are too few); add or widen a pattern");
  std::unique_ptr<Cbc_Model, void (*)(Cbc_Model*)> m(Cbc_newModel(), Cbc_deleteModel);
  Cbc_setLogLevel(m.get(), 0);
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    const auto& sp = patterns[p];
    const double cost = sp.cost + sp.cost_per_hour * (sp.end_s - sp.start_s) / 3600.0;
    const double ub = sp.max_agents < 0 ? 1e6 : sp.max_agents;
    Cbc_addCol(m.get(), sp.name.c_str(), 0.0, ub, cost, 1, 0, nullptr, nullptr);
  }
  for (int k = 0; k < s.intervals; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    if (requirement[kk] <= 0.0) continue;
    std::vector<int> cols;
    std::vector<double> coefs;
    for (std::size_t p = 0; p < patterns.size(); ++p)
      if (a[p][kk] > 0.0) cols.push_back(static_cast<int>(p)), coefs.push_back(a[p][kk]);
    Cbc_addRow(m.get(), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), 'G', requirement[kk]);
  }
  Cbc_solve(m.get());
  if (!Cbc_isProvenOptimal(m.get()))
    throw InputError("the shift patterns cannot cover the requirement (the integer programme is infeasible)");
  const double* x = Cbc_getColSolution(m.get());
  std::vector<int> out;
  for (std::size_t p = 0; p < patterns.size(); ++p) out.push_back(static_cast<int>(std::lround(x[p])));
  return out;
}

scenario::Scenario with_roster(const scenario::Scenario& s, int group,
                               const std::vector<ShiftPattern>& patterns, const std::vector<int>& agents) {
  scenario::Scenario out = s;
  auto& g = out.agent_groups[static_cast<std::size_t>(group)];
  g.agents_by_interval.clear();
  g.shifts.clear();
  g.agents = 0;
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    if (agents[p] == 0) continue;
    scenario::Shift sh;
    sh.name = patterns[p].name;
    sh.start_s = patterns[p].start_s;
    sh.end_s = patterns[p].end_s;
    sh.agents = agents[p];
    sh.breaks = patterns[p].breaks;
    g.shifts.push_back(sh);
  }
  return out;
}

std::string roster_yaml(const std::vector<ShiftPattern>& patterns, const std::vector<int>& agents) {
  std::ostringstream o;
  o << "    shifts:\n";
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    if (agents[p] == 0) continue;
    const auto& sp = patterns[p];
    o << "      - {name: " << sp.name << ", start: \"" << scenario::format_clock(sp.start_s) << "\", end: \""
      << scenario::format_clock(sp.end_s) << "\", agents: " << agents[p];
    if (!sp.breaks.empty()) {
      o << ", breaks: [";
      for (std::size_t b = 0; b < sp.breaks.size(); ++b) {
        const auto& br = sp.breaks[b];
        o << (b ? ", " : "") << "{";
        if (br.latest_s == br.earliest_s)
          o << "start: \"" << scenario::format_clock(br.earliest_s) << "\"";
        else
          o << "window: [\"" << scenario::format_clock(br.earliest_s) << "\", \""
            << scenario::format_clock(br.latest_s + br.duration_s) << "\"]";
        o << ", duration: " << br.duration_s / 60.0 << "min}";
      }
      o << "]";
    }
    o << "}\n";
  }
  return o.str();
}

RosterResult build_roster(const scenario::Scenario& s, const StaffPlan& plan, int group,
                          const std::vector<ShiftPattern>& patterns, const StaffOptions& o, int max_rounds) {
  RosterResult r;
  r.group = group;
  const auto& g = s.agent_groups[static_cast<std::size_t>(group)];
  // Patterns repeat daily: cover the busiest day of each interval; meetings take agents on top.
  r.requirement.assign(static_cast<std::size_t>(s.intervals), 0.0);
  for (int k = 0; k < plan.intervals; ++k) {
    double& req = r.requirement[static_cast<std::size_t>(k % s.intervals)];
    req = std::max(req, static_cast<double>(plan.at(k, group).required));
  }
  for (const auto& m : g.shrinkage)
    for (int k = 0; k < s.intervals; ++k) {
      const double from = s.open_s + k * s.interval_s;
      const double o_s = std::max(0.0, std::min(m.end_s, from + s.interval_s) - std::max(m.start_s, from));
      r.requirement[static_cast<std::size_t>(k)] += m.agents * o_s / s.interval_s;
    }
  while (r.rounds < max_rounds) {
    r.agents = solve_cover(s, patterns, r.requirement, g.absence);
    ++r.rounds;
    model::RunOptions ro;
    ro.seed = o.seed;
    ro.replications = o.replications;
    ro.threads = o.threads;
    ro.keep_replications = true;
    const auto missed =
        missed_intervals(s, model::run(with_roster(s, group, patterns, r.agents), ro), plan.targets, group);
    bool any = false;
    for (std::size_t k = 0; k < missed.size(); ++k)
      if (missed[k]) r.requirement[k % static_cast<std::size_t>(s.intervals)] += 1.0, any = true;
    if (!any) {
      r.met = true;
      break;
    }
  }
  r.covered.assign(static_cast<std::size_t>(s.intervals), 0.0);
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    const auto c = coverage(s, patterns[p], g.absence);
    for (std::size_t k = 0; k < c.size(); ++k) r.covered[k] += c[k] * r.agents[p];
    const double hours = (patterns[p].end_s - patterns[p].start_s) / 3600.0;
    r.agent_hours += hours * r.agents[p];
    r.cost += (patterns[p].cost + patterns[p].cost_per_hour * hours) * r.agents[p];
  }
  return r;
}

}  // namespace ccsim::planning
