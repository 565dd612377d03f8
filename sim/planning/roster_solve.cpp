// The set-covering programme over the whole run, solved by CBC, and the simulate-and-raise loop around it.
#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "common/error.hpp"
#include "model/results.hpp"
#include "model/runner.hpp"
#include "planning/roster.hpp"

namespace ccsim::planning {

namespace {

// Per tour, its coverage of every interval of the run.
std::vector<std::vector<double>> tour_coverage(const scenario::Scenario& s, const PatternSet& set,
                                               const std::vector<Tour>& tours) {
  std::vector<std::vector<double>> out;
  for (const Tour& t : tours) {
    const auto day = coverage(s, set.patterns[static_cast<std::size_t>(t.pattern)],
                              s.agent_groups[static_cast<std::size_t>(t.group)].absence);
    std::vector<double> run(static_cast<std::size_t>(s.run_intervals()), 0.0);
    for (int d = 0; d < s.days; ++d) {
      if (!t.days.empty() && !std::binary_search(t.days.begin(), t.days.end(), d)) continue;
      for (int k = 0; k < s.intervals; ++k)
        run[static_cast<std::size_t>(d * s.intervals + k)] = day[static_cast<std::size_t>(k)];
    }
    out.push_back(std::move(run));
  }
  return out;
}

// Says which intervals no tour can cover (or not within the patterns' head counts), before CBC is asked.
void check_coverable(const scenario::Scenario& s, const PatternSet& set, const std::vector<Tour>& tours,
                     const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& requirement) {
  std::string said;
  int more = 0;
  for (std::size_t g = 0; g < requirement.size(); ++g) {
    std::string intervals;
    int n = 0;
    for (std::size_t k = 0; k < requirement[g].size(); ++k) {
      if (requirement[g][k] <= 0.0) continue;
      double most = 0.0;
      bool unlimited = false;
      for (std::size_t t = 0; t < tours.size(); ++t) {
        if (tours[t].group != static_cast<int>(g) || a[t][k] <= 0.0) continue;
        const int cap = set.patterns[static_cast<std::size_t>(tours[t].pattern)].max_agents;
        if (cap < 0) unlimited = true;
        most += a[t][k] * std::max(0, cap);
      }
      if (set.max_agents >= 0) {
        double best = 0.0;
        for (std::size_t t = 0; t < tours.size(); ++t)
          if (tours[t].group == static_cast<int>(g)) best = std::max(best, a[t][k]);
        most = unlimited ? best * set.max_agents : std::min(most, best * set.max_agents);
        unlimited = false;
      }
      if (unlimited || most + 1e-9 >= requirement[g][k]) continue;
      if (++n <= 8)
        intervals += (intervals.empty() ? "" : ", ") + scenario::interval_label(s, static_cast<int>(k));
    }
    if (n == 0) continue;
    said += "\n  group '" + s.agent_groups[g].name + "': " + intervals +
            (n > 8 ? " and " + std::to_string(n - 8) + " more" : "");
    more += n;
  }
  if (!said.empty())
    throw InputError(set.path + ": the shift patterns cannot cover the requirement in " + std::to_string(more) +
                     " interval(s) (no pattern works then, or the max_agents limits are too few); add or "
                     "widen a pattern:" +
                     said);
}

}  // namespace

int days_worked(const scenario::Scenario& s, const Tour& t) {
  return t.days.empty() ? s.days : static_cast<int>(t.days.size());
}

double paid_hours(const ShiftPattern& p) {
  return (p.end_s - p.start_s) / 3600.0;
}

double tour_cost(const scenario::Scenario& s, const PatternSet& set, const Tour& t) {
  const ShiftPattern& p = set.patterns[static_cast<std::size_t>(t.pattern)];
  return days_worked(s, t) * (p.cost + p.cost_per_hour * paid_hours(p));
}

std::vector<int> solve_cover(const scenario::Scenario& s, const PatternSet& set, const std::vector<Tour>& tours,
                             const std::vector<std::vector<double>>& requirement) {
  const auto a = tour_coverage(s, set, tours);
  check_coverable(s, set, tours, a, requirement);
  std::unique_ptr<Cbc_Model, void (*)(Cbc_Model*)> m(Cbc_newModel(), Cbc_deleteModel);
  Cbc_setLogLevel(m.get(), 0);
  for (std::size_t t = 0; t < tours.size(); ++t) {
    const int cap = set.patterns[static_cast<std::size_t>(tours[t].pattern)].max_agents;
    Cbc_addCol(m.get(), tours[t].name.c_str(), 0.0, cap < 0 ? 1e6 : cap, tour_cost(s, set, tours[t]), 1, 0,
               nullptr, nullptr);
  }
  std::vector<int> cols;
  std::vector<double> coefs;
  auto add_row = [&](char sense, double rhs) {
    if (!cols.empty()) Cbc_addRow(m.get(), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), sense, rhs);
    cols.clear();
    coefs.clear();
  };
  // Cover: every rostered group's every interval of the run.
  for (std::size_t g = 0; g < requirement.size(); ++g)
    for (std::size_t k = 0; k < requirement[g].size(); ++k) {
      if (requirement[g][k] <= 0.0) continue;
      for (std::size_t t = 0; t < tours.size(); ++t)
        if (tours[t].group == static_cast<int>(g) && a[t][k] > 0.0)
          cols.push_back(static_cast<int>(t)), coefs.push_back(a[t][k]);
      add_row('G', requirement[g][k]);
    }
  // Head counts: a pattern's tours together in each group, and everyone.
  for (std::size_t p = 0; p < set.patterns.size(); ++p) {
    if (set.patterns[p].max_agents < 0) continue;
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
      for (std::size_t t = 0; t < tours.size(); ++t)
        if (tours[t].pattern == static_cast<int>(p) && tours[t].group == static_cast<int>(g))
          cols.push_back(static_cast<int>(t)), coefs.push_back(1.0);
      if (cols.size() > 1) add_row('L', set.patterns[p].max_agents);
      cols.clear(), coefs.clear();
    }
  }
  if (set.max_agents >= 0) {
    for (std::size_t t = 0; t < tours.size(); ++t) cols.push_back(static_cast<int>(t)), coefs.push_back(1.0);
    add_row('L', set.max_agents);
  }
  Cbc_solve(m.get());
  if (!Cbc_isProvenOptimal(m.get()))
    throw InputError(set.path +
                     ": no roster within the head-count limits (max_agents" +
                     (set.max_agents >= 0 ? ", " + std::to_string(set.max_agents) + " in all" : std::string()) +
                     ") covers the requirement, though each interval alone could be; raise the limits or add "
                     "patterns");
  const double* x = Cbc_getColSolution(m.get());
  std::vector<int> out;
  for (std::size_t t = 0; t < tours.size(); ++t) out.push_back(static_cast<int>(std::lround(x[t])));
  return out;
}

RosterResult build_roster(const scenario::Scenario& s, const StaffPlan& plan, const std::vector<int>& groups,
                          const PatternSet& set, const StaffOptions& o, int max_rounds) {
  RosterResult r;
  r.groups = groups;
  r.tours = make_tours(s, set, groups);
  const auto n = static_cast<std::size_t>(s.run_intervals());
  r.requirement.assign(s.agent_groups.size(), {});
  std::vector<std::vector<double>> meetings(s.agent_groups.size());
  for (int g : groups) {
    auto& req = r.requirement[static_cast<std::size_t>(g)];
    auto& met = meetings[static_cast<std::size_t>(g)];
    req.assign(n, 0.0);
    met.assign(n, 0.0);
    for (int k = 0; k < s.run_intervals(); ++k) req[static_cast<std::size_t>(k)] = plan.at(k, g).required;
    // Meetings take agents on top of the requirement, every day.
    for (const auto& m : s.agent_groups[static_cast<std::size_t>(g)].shrinkage)
      for (int k = 0; k < s.run_intervals(); ++k) {
        const double from = s.open_s + (k % s.intervals) * s.interval_s;
        const double on = std::max(0.0, std::min(m.end_s, from + s.interval_s) - std::max(m.start_s, from));
        met[static_cast<std::size_t>(k)] += m.agents * on / s.interval_s;
      }
  }
  auto with_meetings = [&] {
    auto out = r.requirement;
    for (int g : groups)
      for (std::size_t k = 0; k < n; ++k)
        out[static_cast<std::size_t>(g)][k] += meetings[static_cast<std::size_t>(g)][k];
    return out;
  };
  while (r.rounds < max_rounds) {
    r.agents = solve_cover(s, set, r.tours, with_meetings());
    ++r.rounds;
    model::RunOptions ro;
    ro.seed = o.seed;
    ro.replications = o.replications;
    ro.threads = o.threads;
    ro.keep_replications = true;
    const model::Results results = model::run(with_roster(s, set, r), ro);
    const auto covered_now = r.requirement;
    bool any = false;
    for (int g : groups) {
      const auto missed = missed_intervals(s, results, plan.targets, g);
      for (std::size_t k = 0; k < n; ++k)
        if (missed[k]) r.requirement[static_cast<std::size_t>(g)][k] += 1.0, any = true;
    }
    if (!any) {
      r.met = true;
      break;
    }
    if (r.rounds == max_rounds) r.requirement = covered_now;  // what the reported roster was built on
  }
  const auto a = tour_coverage(s, set, r.tours);
  r.available.assign(s.agent_groups.size(), {});
  for (int g : groups) {
    r.available[static_cast<std::size_t>(g)] = meetings[static_cast<std::size_t>(g)];
    for (double& x : r.available[static_cast<std::size_t>(g)]) x = -x;
  }
  for (std::size_t t = 0; t < r.tours.size(); ++t) {
    const Tour& tour = r.tours[t];
    auto& c = r.available[static_cast<std::size_t>(tour.group)];
    for (std::size_t k = 0; k < n; ++k) c[k] += a[t][k] * r.agents[t];
    const ShiftPattern& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    r.agent_hours += paid_hours(p) * days_worked(s, tour) * r.agents[t];
    r.cost += tour_cost(s, set, tour) * r.agents[t];
    r.head_count += r.agents[t];
  }
  return r;
}

}  // namespace ccsim::planning
