#include "model/capacity.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <cstdint>

namespace ccsim::model {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, std::int64_t,
                    boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;

// Capacities in whole milli-agent-seconds: push-relabel on doubles leaves rounding residue that its own
// flow check rejects.
constexpr double kUnitsPerHour = 3600.0 * 1000.0;

std::int64_t units(double agent_hours) {
  return std::llround(agent_hours * kUnitsPerHour);
}

void add_arc(FlowGraph& g, std::size_t from, std::size_t to, std::int64_t capacity) {
  auto forward = boost::add_edge(from, to, g).first;
  auto backward = boost::add_edge(to, from, g).first;
  boost::get(boost::edge_capacity, g)[forward] = capacity;
  boost::get(boost::edge_capacity, g)[backward] = 0;
  boost::get(boost::edge_reverse, g)[forward] = backward;
  boost::get(boost::edge_reverse, g)[backward] = forward;
}

}  // namespace

std::vector<IntervalCapacity> capacity_check(const Model& m) {
  std::vector<IntervalCapacity> out;
  const auto types = static_cast<std::size_t>(m.types), groups = static_cast<std::size_t>(m.groups);
  const double hours = m.interval_s / 3600.0;
  for (int k = 0; k < m.intervals; ++k) {
    const std::vector<double> rates = offered_rates(m, k);
    // Vertices: source, types, groups, sink.
    const std::size_t source = 0, sink = 1 + types + groups;
    FlowGraph g(sink + 1);
    IntervalCapacity c;
    c.interval = k;
    std::int64_t offered = 0;
    for (std::size_t t = 0; t < types; ++t) {
      // Capacity as the Erlang column counts it: talk time with the location factor and chat slowdown, and a
      // chat-only agent as its concurrency (README, "the Erlang column").
      const double load =
          rates[t] * m.interval_s * m.effective_handle_s[static_cast<std::size_t>(k) * types + t] / 3600.0;
      c.offered_agent_hours += load;
      offered += units(load);
      add_arc(g, source, 1 + t, units(load));
    }
    for (const Route& r : m.skills) add_arc(g, 1 + r.type, 1 + types + r.group, offered + 1);
    const std::vector<double> planned = planned_agents(m, k);
    for (std::size_t gi = 0; gi < groups; ++gi) {
      const double available = planned[gi] * m.chat_servers[gi] * hours;
      c.available_agent_hours += available;
      add_arc(g, 1 + types + gi, sink, units(available));
    }
    const std::int64_t servable = boost::push_relabel_max_flow(g, source, sink);
    c.servable_agent_hours = static_cast<double>(servable) / kUnitsPerHour;
    c.overloaded = servable < offered;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> unstaffed_skills(const Model& m, const scenario::Scenario& s) {
  // Interval by interval, each interval's staffing and offered rates computed once for every type.
  const auto types = static_cast<std::size_t>(m.types);
  std::vector<int> count(types, 0);
  std::vector<std::string> intervals(types);
  for (int k = 0; k < m.intervals; ++k) {
    const std::vector<double> planned = planned_agents(m, k);
    const std::vector<double> rates = offered_rates(m, k);
    for (std::size_t t = 0; t < types; ++t) {
      bool staffed = false;
      for (const Route& r : m.groups_for_type[t]) staffed |= planned[r.group] > 1e-9;
      if (!staffed && rates[t] > 0.0 && count[t]++ < 8)
        intervals[t] += (intervals[t].empty() ? "" : ", ") + scenario::interval_label(s, k);
    }
  }
  std::vector<std::string> warnings;
  for (std::size_t t = 0; t < types; ++t)
    if (count[t] > 0)
      warnings.push_back("no staffed agent has a skill for contact type '" + s.contact_types[t].name +
                         "' in " + std::to_string(count[t]) + " interval(s): " + intervals[t] +
                         (count[t] > 8 ? ", ..." : ""));
  return warnings;
}

double analysis_work(const scenario::Scenario& s) {
  double agents = 0.0, skills = 0.0;
  for (const auto& g : s.agent_groups) {
    double n = g.agents;
    if (!g.agents_by_interval.empty()) {
      n = 0.0;  // a stint per rise of the list: at most its sum
      for (int a : g.agents_by_interval) n += a;
    } else if (!g.shifts.empty()) {
      n = 0.0;
      for (const auto& sh : g.shifts) n += sh.agents;
    }
    agents += n;
    skills += static_cast<double>(g.skills.size());
  }
  const auto types = static_cast<double>(s.contact_types.size());
  bool transfers = false;
  for (const auto& t : s.contact_types) transfers = transfers || !t.transfers.empty();
  double per_interval = agents + types + static_cast<double>(s.agent_groups.size()) + skills;
  if (transfers) per_interval += types * types * types / 3.0;
  bool callbacks = false;
  for (const auto& t : s.contact_types) callbacks = callbacks || t.callback.any();
  if (s.announcement.measure || callbacks) {
    // The predictors' planned wait: an Erlang-A chain per interval, running past the servers by the callers
    // waiting (arrivals per second times the longer of handle time and patience: the number waiting when
    // few are answered); every measure is a few passes over its states (see analysis::erlang_a_tractable).
    double waiting = 0.0;
    for (const auto& t : s.contact_types) {
      const double stay = std::max(t.handle_time.mean(), t.patience.is_finite() ? t.patience.mean() : 0.0);
      double most = 0.0;
      for (double v : t.volume) most = std::max(most, v);
      waiting += most / s.interval_s * stay;
    }
    per_interval += 4.0 * (agents + waiting + 1000.0);
  }
  return per_interval * s.run_intervals();
}

}  // namespace ccsim::model
