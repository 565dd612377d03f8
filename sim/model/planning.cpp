// Planning figures the summary and the model share: the stationary Erlang-A input of an interval.
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include "model/results.hpp"

namespace ccsim::model {

analysis::QueueInput erlang_a_input(const Model& m, int interval) {
  const std::vector<double> offered = offered_rates(m, interval);
  const std::vector<GroupCapacity> capacity = planned_capacity(m, interval);
  double rate = 0.0, handle = 0.0, patience_rate = 0.0;
  for (int t = 0; t < m.types; ++t) {
    const double r = offered[static_cast<std::size_t>(t)];
    rate += r;
    handle += r * effective_handle(m, capacity, t, interval);
    const auto& p = m.patience[static_cast<std::size_t>(t)];
    patience_rate += p.is_finite() ? r / p.mean() : 0.0;
  }
  analysis::QueueInput q;
  q.arrival_rate = rate;
  q.service_rate = rate > 0.0 ? rate / handle : 1.0 / m.handle_time[0].mean();
  q.patience_rate = rate > 0.0 ? patience_rate / rate : 0.0;
  // Erlang needs whole servers: the planned average available in the interval (a chat-only agent counts as
  // its concurrency), less what interruptions take of the idle time expected at this load, rounded down.
  double servers = 0.0, interrupted = 0.0;
  for (const GroupCapacity& c : capacity) servers += c.agents * c.servers_per_agent;
  const double load = rate > 0.0 ? handle : 0.0;  // handle is rate-weighted: the offered load in erlangs
  const double idle_share = servers > 0.0 ? std::max(0.0, 1.0 - load / servers) : 0.0;
  for (const GroupCapacity& c : capacity)
    interrupted +=
        c.agents * c.servers_per_agent * idle_share * c.interrupted_per_idle / (1.0 + c.interrupted_per_idle);
  q.agents = static_cast<int>(std::floor(servers - interrupted + 1e-9));
  q.tau = m.tau_s;
  return q;
}

analysis::QueueMeasures queue_measures_once(const analysis::QueueInput& q) {
  using Key = std::tuple<double, double, double, int, double>;
  static std::mutex guard;
  static std::map<Key, analysis::QueueMeasures> solved;
  const Key key{q.arrival_rate, q.service_rate, q.patience_rate, q.agents, q.tau};
  {
    const std::lock_guard<std::mutex> lock(guard);
    if (auto it = solved.find(key); it != solved.end()) return it->second;
  }
  // Solved outside the lock: another thread may solve the same input meanwhile, to the same value.
  const analysis::QueueMeasures m = analysis::queue_measures(q);
  const std::lock_guard<std::mutex> lock(guard);
  if (solved.size() >= 100000) solved.clear();  // a long sweep's inputs: memory stays bounded
  solved.emplace(key, m);
  return m;
}

}  // namespace ccsim::model
