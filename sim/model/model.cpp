#include "model/model.hpp"

namespace ccsim::model {

Model build_model(const scenario::Scenario& s) {
  Model m;
  m.types = static_cast<int>(s.contact_types.size());
  m.intervals = s.intervals;
  m.warmup_intervals = s.warmup_intervals;
  m.interval_s = s.interval_s;
  m.day_end_s = s.day_length_s();
  m.tau_s = s.tau_s;
  m.short_abandon_s = s.short_abandon_s;
  m.agents = s.agent_groups.at(0).agents;
  m.rate.reserve(static_cast<std::size_t>(m.types * m.intervals));
  for (const auto& t : s.contact_types) {
    for (double volume : t.volume) m.rate.push_back(volume / s.interval_s);
    m.handle_time.push_back(t.handle_time);
    m.patience.push_back(t.patience);
  }
  return m;
}

}  // namespace ccsim::model
