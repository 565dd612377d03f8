// Planning figures the summary and the model share: the stationary Erlang-A input of an interval.
#include <cmath>

#include "model/results.hpp"

namespace ccsim::model {

analysis::QueueInput erlang_a_input(const Model& m, int interval) {
  const std::vector<double> offered = offered_rates(m, interval);
  double rate = 0.0, handle = 0.0, patience_rate = 0.0;
  for (int t = 0; t < m.types; ++t) {
    const double r = offered[static_cast<std::size_t>(t)];
    rate += r;
    handle += r * m.mean_handle_at(t, interval);
    const auto& p = m.patience[static_cast<std::size_t>(t)];
    patience_rate += p.is_finite() ? r / p.mean() : 0.0;
  }
  analysis::QueueInput q;
  q.arrival_rate = rate;
  q.service_rate = rate > 0.0 ? rate / handle : 1.0 / m.handle_time[0].mean();
  q.patience_rate = rate > 0.0 ? patience_rate / rate : 0.0;
  // Erlang needs whole agents: the planned average available in the interval, rounded down.
  double planned = 0.0;
  for (double a : planned_agents(m, interval)) planned += a;
  q.agents = static_cast<int>(std::floor(planned + 1e-9));
  q.tau = m.tau_s;
  return q;
}

}  // namespace ccsim::model
