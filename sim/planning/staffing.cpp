// The staffing search: the Erlang column per group, then the iterative staffing algorithm (Feldman,
// Mandelbaum, Massey & Whitt, Management Science 54(2), 2008) on the model, then an independent verification.
#include "planning/staffing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/error.hpp"
#include "model/results.hpp"

namespace ccsim::planning {

namespace {

using analysis::TargetKind;

model::Measure measure_of(TargetKind k) {
  switch (k) {
    case TargetKind::service_level:
      return model::Measure::service_level;
    case TargetKind::asa:
      return model::Measure::asa;
    case TargetKind::p_abandon:
      break;
  }
  return model::Measure::abandon_rate;
}

// Requirements follow the routing's first choice: a type's load goes to the groups that may take it at once
// (the least overflow delay among its skills, 0 in most scenarios) at the best priority among those (1 in
// most); overflow is a reserve, not a plan. A priority-1 edge behind an overflow delay cannot answer within
// tau, so planning agents there for a service level would add agents that never help.
std::vector<std::vector<int>> primary_groups(const scenario::Scenario& s) {
  const std::size_t types = s.contact_types.size();
  std::vector<std::vector<int>> out(types);
  std::vector<double> soonest(types, 1e300);
  std::vector<int> best(types, 1 << 30);
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills) {
      double& o = soonest[static_cast<std::size_t>(k.type)];
      o = std::min(o, k.overflow_s);
    }
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills)
      if (k.overflow_s == soonest[static_cast<std::size_t>(k.type)])
        best[static_cast<std::size_t>(k.type)] = std::min(best[static_cast<std::size_t>(k.type)], k.priority);
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
    for (const auto& k : s.agent_groups[g].skills) {
      const auto t = static_cast<std::size_t>(k.type);
      if (k.overflow_s == soonest[t] && k.priority == best[t]) out[t].push_back(static_cast<int>(g));
    }
  return out;
}

bool realtime(const scenario::Scenario& s, std::size_t type) {
  return s.contact_types[type].channel != scenario::Channel::email;
}

// The types a target measures for a group: its real-time primary types pooled, or the target's own type.
std::vector<std::size_t> measured_types(const scenario::Scenario& s,
                                        const std::vector<std::vector<int>>& primary, const Target& t,
                                        int group) {
  std::vector<std::size_t> out;
  for (std::size_t type = 0; type < primary.size(); ++type) {
    if (!realtime(s, type) || (t.type >= 0 && static_cast<std::size_t>(t.type) != type)) continue;
    const auto& p = primary[type];
    if (std::find(p.begin(), p.end(), group) != p.end()) out.push_back(type);
  }
  return out;
}

// One group's pooled queue in an interval, as the Erlang column pools all groups: rates per second, handle
// time and patience rate weighted by volume (types that never abandon count with rate 0).
struct GroupQueue {
  double rate = 0.0, handle = 0.0, patience = 0.0;  // handle and patience: rate-weighted sums
  double email_load = 0.0;                          // erlangs of deferrable work, no waiting target
};

// A type shared by several primary groups is split in proportion to their planned available agents (equally
// where none are planned).
std::vector<GroupQueue> group_queues(const model::Model& m, const scenario::Scenario& s,
                                     const std::vector<std::vector<int>>& primary, int k) {
  const std::vector<double> offered = model::offered_rates(m, k);
  const std::vector<model::GroupCapacity> capacity = model::planned_capacity(m, k);
  std::vector<GroupQueue> out(static_cast<std::size_t>(m.groups));
  for (std::size_t t = 0; t < primary.size(); ++t) {
    const auto& groups = primary[t];
    double planned = 0.0;
    for (int g : groups) planned += capacity[static_cast<std::size_t>(g)].agents;
    const double handle = model::effective_handle(m, capacity, static_cast<int>(t), k);
    const auto& patience = m.patience[t];
    for (int g : groups) {
      const double share = planned > 0.0 ? capacity[static_cast<std::size_t>(g)].agents / planned
                                         : 1.0 / static_cast<double>(groups.size());
      const double r = offered[t] * share;
      GroupQueue& q = out[static_cast<std::size_t>(g)];
      if (!realtime(s, t)) {
        q.email_load += r * handle;
        continue;
      }
      q.rate += r;
      q.handle += r * handle;
      q.patience += patience.is_finite() ? r / patience.mean() : 0.0;
    }
  }
  return out;
}

// Fewest agents giving `servers` Erlang servers: a chat-only agent counts as its concurrency, and
// interruptions take their share of the idle time, as in the Erlang column.
int agents_for_servers(int servers, const model::GroupCapacity& c, double load) {
  for (int a = 0;; ++a) {
    const double n = a * c.servers_per_agent;
    const double idle = n > 0.0 ? std::max(0.0, 1.0 - load / n) : 0.0;
    const double lost = n * idle * c.interrupted_per_idle / (1.0 + c.interrupted_per_idle);
    if (std::floor(n - lost + 1e-9) >= servers) return a;
  }
}

// Agents a group needs at an offered load (erlangs) for every target that concerns it.
int required_at(const GroupQueue& q, double load, const model::GroupCapacity& c, const scenario::Scenario& s,
                const std::vector<std::vector<int>>& primary, const std::vector<Target>& targets, int group) {
  const int deferrable = static_cast<int>(std::ceil(q.email_load - 1e-9));
  if (q.rate <= 0.0 || load <= 0.0) return agents_for_servers(deferrable, c, q.email_load);
  analysis::QueueInput in;
  in.service_rate = q.rate / q.handle;
  in.arrival_rate = load * in.service_rate;
  in.patience_rate = q.patience / q.rate;
  in.tau = s.tau_s;
  int servers = 0;
  for (const Target& t : targets) {
    if (measured_types(s, primary, t, group).empty()) continue;
    const auto n = analysis::required_agents(in, {t.kind, t.value});
    if (!n) throw InputError("target " + t.name + " cannot be met by any number of agents");
    servers = std::max(servers, *n);
  }
  // Deferrable work fills the idle time the waiting target leaves; more only when it exceeds it.
  servers = std::max(servers, static_cast<int>(std::ceil(load + q.email_load - 1e-9)));
  return agents_for_servers(servers, c, load + q.email_load);
}

model::Results simulate(const scenario::Scenario& s, std::uint64_t seed, int replications, int threads) {
  model::RunOptions o;
  o.seed = seed;
  o.replications = replications;
  o.threads = threads;
  o.keep_replications = true;
  return model::run(s, o);
}

// The achieved measure of a target for a group in an interval: the measured types' counts pooled per
// replication, then the ratio of totals over replications with its delta-method interval.
analysis::Estimate achieved(const model::Results& r, const std::vector<std::size_t>& types, const Target& t,
                            int k, scenario::ServiceLevelDefinition sl) {
  if (types.empty()) return {NAN, NAN, 0};
  std::vector<double> y, x;
  for (const auto& rep : r.by_replication) {
    model::ContactCounts sum;
    for (std::size_t type : types)
      sum.add(rep.contacts_by_interval[static_cast<std::size_t>(k * rep.series) + type].counts);
    const model::Fraction f = model::fraction(sum, measure_of(t.kind), sl);
    y.push_back(f.numerator);
    x.push_back(f.denominator);
  }
  return analysis::ratio_of_totals(y, x);
}

}  // namespace

std::vector<bool> missed_intervals(const scenario::Scenario& s, const model::Results& r,
                                   const std::vector<Target>& targets, int group) {
  const auto primary = primary_groups(s);
  std::vector<bool> out(static_cast<std::size_t>(s.run_intervals()), false);
  for (const Target& t : targets) {
    const auto types = measured_types(s, primary, t, group);
    for (int k = 0; k < s.run_intervals(); ++k)
      if (k % s.intervals >= s.warmup_intervals && !meets(t, achieved(r, types, t, k, s.sl_definition).mean))
        out[static_cast<std::size_t>(k)] = true;
  }
  return out;
}

bool meets(const Target& t, double value) {
  if (std::isnan(value)) return true;
  return t.kind == TargetKind::service_level ? value >= t.value - 1e-12 : value <= t.value + 1e-12;
}

void check_targets(const scenario::Scenario& s, const std::vector<Target>& targets) {
  if (targets.empty()) throw InputError("give at least one --target, e.g. --target sl=0.8");
  for (const Target& t : targets) {
    if (t.type >= static_cast<int>(s.contact_types.size()))
      throw InputError("target " + t.name + ": no such type");
    if (t.type >= 0 && !realtime(s, static_cast<std::size_t>(t.type)))
      throw InputError("target " + t.name + ": '" + s.contact_types[static_cast<std::size_t>(t.type)].name +
                       "' is e-mail, which has no waiting target (its agents are planned from its load)");
    if (t.kind != TargetKind::asa && (t.value <= 0.0 || t.value >= 1.0))
      throw InputError("target " + t.name + ": a rate lies strictly between 0 and 1");
  }
}

scenario::Scenario with_counts(const scenario::Scenario& s, const std::vector<std::vector<int>>& counts) {
  scenario::Scenario out = s;
  for (std::size_t g = 0; g < out.agent_groups.size(); ++g) {
    auto& group = out.agent_groups[g];
    group.shifts.clear();
    group.shrinkage.clear();
    group.absence = 0.0;
    // Days alike: one list for a day, so those at closing stay until the queue is empty every day.
    const auto per_day = static_cast<std::size_t>(s.intervals);
    bool alike = true;
    for (std::size_t k = per_day; k < counts[g].size(); ++k)
      alike = alike && counts[g][k] == counts[g][k % per_day];
    group.agents_by_interval.assign(
        counts[g].begin(),
        alike ? counts[g].begin() + static_cast<std::ptrdiff_t>(per_day) : counts[g].end());
    group.agents = *std::max_element(counts[g].begin(), counts[g].end());
  }
  return out;
}

StaffPlan staff(const scenario::Scenario& s, const StaffOptions& o) {
  check_targets(s, o.targets);
  const auto started = std::chrono::steady_clock::now();
  const model::Model base = model::build_model(s);
  const auto primary = primary_groups(s);
  StaffPlan plan;
  plan.targets = o.targets;
  plan.groups = base.groups;
  plan.intervals = base.intervals;
  const auto G = static_cast<std::size_t>(base.groups), K = static_cast<std::size_t>(base.intervals);
  plan.rows.resize(G * K);
  std::vector<std::vector<GroupQueue>> queues(K);
  std::vector<std::vector<model::GroupCapacity>> capacity(K);
  std::vector<std::vector<int>> ample(G, std::vector<int>(K, 0));
  for (std::size_t k = 0; k < K; ++k) {
    queues[k] = group_queues(base, s, primary, static_cast<int>(k));
    capacity[k] = model::planned_capacity(base, static_cast<int>(k));
    for (std::size_t g = 0; g < G; ++g) {
      StaffRow& row = plan.rows[k * G + g];
      row.interval = static_cast<int>(k);
      row.group = static_cast<int>(g);
      row.available = capacity[k][g].agents;
      const GroupQueue& q = queues[k][g];
      const double load = q.rate > 0.0 ? q.handle : 0.0;
      row.required_erlang = required_at(q, load, capacity[k][g], s, primary, o.targets, static_cast<int>(g));
      // Ample: far beyond the busy agents' Poisson spread, so that nobody waits.
      if (q.rate > 0.0 || q.email_load > 0.0)
        ample[g][k] = 2 * row.required_erlang + 10 + static_cast<int>(4.0 * std::sqrt(load + q.email_load));
    }
  }

  // Step 1: ample staff, each type only at its primary groups. The busy agents per interval are the offered
  // load as the day really brings it — lagging the arrivals, with the handle times' true shape, wrap-up and
  // home-work factors — and each interval gets the fewest agents the stationary model needs at that load.
  scenario::Scenario amply = with_counts(s, ample);
  for (std::size_t g = 0; g < G; ++g) {
    std::vector<scenario::Skill> kept;
    for (const auto& k : amply.agent_groups[g].skills) {
      const auto& p = primary[static_cast<std::size_t>(k.type)];
      if (std::find(p.begin(), p.end(), static_cast<int>(g)) == p.end()) continue;
      kept.push_back(k);
      kept.back().overflow_s = 0.0;
    }
    amply.agent_groups[g].skills = kept;
  }
  const model::Results first = simulate(amply, o.seed, o.replications, o.threads);
  std::vector<std::vector<int>> counts(G, std::vector<int>(K, 0));
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t g = 0; g < G; ++g) {
      double busy = 0.0;
      for (const auto& rep : first.by_replication) busy += rep.agents_by_interval[k * G + g].busy_s;
      StaffRow& row = plan.rows[k * G + g];
      row.load = busy / (base.interval_s * static_cast<double>(first.by_replication.size()));
      GroupQueue q = queues[k][g];
      // The measured load includes deferrable work: keep its planned share apart.
      const double realtime_load = std::max(0.0, row.load - q.email_load);
      counts[g][k] =
          required_at(q, realtime_load, capacity[k][g], s, primary, o.targets, static_cast<int>(g));
    }
  plan.steps = 1;
  std::vector<std::vector<int>> floor_of(G, std::vector<int>(K, 0));
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t g = 0; g < G; ++g)
      floor_of[g][k] = std::min(
          counts[g][k], static_cast<int>(std::ceil(queues[k][g].handle + queues[k][g].email_load - 1e-9)));

  // Steps 2...: simulate the plan with the scenario's own routing, always with the same customers. An
  // interval that misses a target gets one agent more; once every interval meets its targets, each interval
  // not yet known to be tight tries one agent fewer. A lowered interval that then misses — or whose miss
  // shows in the next interval, where its queue spills — gets its agent back and is tight: with one agent
  // fewer the target was missed. The plan is stable when nothing misses and every interval is tight. Warm-up
  // intervals keep their start value: their measures are left out.
  std::vector<std::vector<std::vector<std::size_t>>> types(G);
  for (std::size_t g = 0; g < G; ++g)
    for (const Target& t : o.targets) types[g].push_back(measured_types(s, primary, t, static_cast<int>(g)));
  auto measured = [&](std::size_t k) {
    return static_cast<int>(k) % base.intervals_per_day >= base.warmup_intervals;
  };
  std::vector<std::vector<char>> tight(G, std::vector<char>(K, 0)), lowered(G, std::vector<char>(K, 0));
  while (plan.steps < o.max_steps) {
    const model::Results r = simulate(with_counts(s, counts), o.seed, o.replications, o.threads);
    ++plan.steps;
    bool raised = false;
    for (std::size_t g = 0; g < G; ++g)
      for (std::size_t k = 0; k < K; ++k) {
        if (!measured(k)) continue;
        bool miss = false;
        for (std::size_t j = 0; j < o.targets.size(); ++j)
          miss = miss ||
                 !meets(o.targets[j],
                        achieved(r, types[g][j], o.targets[j], static_cast<int>(k), s.sl_definition).mean);
        if (!miss) continue;
        raised = true;
        const bool spilled = !lowered[g][k] && k > 0 && lowered[g][k - 1];
        const std::size_t at = spilled ? k - 1 : k;
        if (lowered[g][at]) {
          lowered[g][at] = 0;
          tight[g][at] = 1;
          ++counts[g][at];
        } else if (counts[g][k] < std::max(ample[g][k], 1)) {
          ++counts[g][k];
        }
      }
    for (auto& v : lowered) std::fill(v.begin(), v.end(), 0);
    if (raised) continue;
    bool lowering = false;
    for (std::size_t g = 0; g < G; ++g)
      for (std::size_t k = 0; k < K; ++k)
        // Never below the interval's own offered load (deferrable work included): fewer agents than the work
        // arriving cannot last. Not the lagged load of step 1, which a falling interval does not need whole.
        if (measured(k) && !tight[g][k] && counts[g][k] > floor_of[g][k]) {
          --counts[g][k];
          lowered[g][k] = 1;
          lowering = true;
        }
    if (!lowering) {
      plan.converged = true;
      break;
    }
  }
  std::uint64_t verify_seed = o.verify_seed != 0 ? o.verify_seed : o.seed * 0x9E3779B97F4A7C15ULL + 1000003;
  const model::Results check =
      simulate(with_counts(s, counts), verify_seed, o.verify_replications, o.threads);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t g = 0; g < G; ++g) {
      StaffRow& row = plan.rows[k * G + g];
      row.required = counts[g][k];
      for (std::size_t j = 0; j < o.targets.size(); ++j)
        row.achieved.push_back(
            achieved(check, types[g][j], o.targets[j], static_cast<int>(k), s.sl_definition));
    }
  plan.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return plan;
}

}  // namespace ccsim::planning
