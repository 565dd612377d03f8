#include "model/model.hpp"

#include <Eigen/Dense>
#include <algorithm>

namespace ccsim::model {

Model build_model(const scenario::Scenario& s) {
  Model m;
  m.types = static_cast<int>(s.contact_types.size());
  m.groups = static_cast<int>(s.agent_groups.size());
  m.intervals = s.intervals;
  m.warmup_intervals = s.warmup_intervals;
  m.interval_s = s.interval_s;
  m.day_end_s = s.day_length_s();
  m.tau_s = s.tau_s;
  m.short_abandon_s = s.short_abandon_s;
  m.agent_selection = s.routing.agent_selection;
  m.contact_selection = s.routing.contact_selection;
  m.rate.reserve(static_cast<std::size_t>(m.types * m.intervals));
  m.transfers_from.resize(static_cast<std::size_t>(m.types));
  for (std::size_t t = 0; t < s.contact_types.size(); ++t) {
    const auto& ct = s.contact_types[t];
    for (double volume : ct.volume) m.rate.push_back(volume / s.interval_s);
    m.handle_time.push_back(ct.handle_time);
    m.patience.push_back(ct.patience);
    double cumulative = 0.0;
    for (const auto& x : ct.transfers) {
      cumulative += x.probability;
      m.transfers_from[t].push_back({static_cast<std::uint32_t>(x.to), static_cast<std::uint32_t>(m.transfer_edges++), cumulative});
    }
  }
  m.groups_for_type.resize(static_cast<std::size_t>(m.types));
  m.types_for_group.resize(static_cast<std::size_t>(m.groups));
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    m.agents.push_back(s.agent_groups[g].agents);
    for (const auto& k : s.agent_groups[g].skills) {
      Route r{static_cast<std::uint32_t>(k.type), static_cast<std::uint32_t>(g),
              static_cast<std::uint32_t>(m.skills.size()), k.priority, k.overflow_s, k.weight};
      m.skills.push_back(r);
      m.groups_for_type[static_cast<std::size_t>(k.type)].push_back(r);
      m.types_for_group[g].push_back(r);
    }
  }
  // Best priority first; ties keep scenario order, so routing is deterministic.
  auto by_priority = [](const Route& a, const Route& b) { return a.priority < b.priority; };
  for (auto& v : m.groups_for_type) std::stable_sort(v.begin(), v.end(), by_priority);
  for (auto& v : m.types_for_group) std::stable_sort(v.begin(), v.end(), by_priority);
  return m;
}

std::vector<double> offered_rates(const Model& m, int interval) {
  const auto n = static_cast<Eigen::Index>(m.types);
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd external(n);
  for (Eigen::Index t = 0; t < n; ++t) {
    external(t) = m.rate_at(static_cast<int>(t), interval);
    double previous = 0.0;
    for (const auto& x : m.transfers_from[static_cast<std::size_t>(t)]) {
      a(static_cast<Eigen::Index>(x.to), t) -= x.cumulative - previous;
      previous = x.cumulative;
    }
  }
  Eigen::VectorXd v = a.partialPivLu().solve(external);
  return {v.data(), v.data() + n};
}

}  // namespace ccsim::model
