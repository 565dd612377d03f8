#pragma once

#include <cstdint>
#include <vector>

#include "engine/distribution.hpp"
#include "model/measures.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {

// A scenario compiled for running: flat arrays indexed by contact type and interval, times in seconds
// from the opening of the day.
struct Model {
  int types = 0;
  int intervals = 0;
  int warmup_intervals = 0;
  double interval_s = 0.0;
  double day_end_s = 0.0;
  double tau_s = 20.0;
  double short_abandon_s = 5.0;
  int agents = 0;
  std::vector<double> rate;                       // arrivals per second, [type * intervals + interval]
  std::vector<engine::Distribution> handle_time;  // per type
  std::vector<engine::Distribution> patience;     // per type

  [[nodiscard]] double rate_at(int type, int interval) const {
    return rate[static_cast<std::size_t>(type * intervals + interval)];
  }
};

Model build_model(const scenario::Scenario& s);

// Everything one replication measured. Contact cells are [interval * series + series_index], where the
// series are the contact types followed, when there are several, by "all types".
struct ReplicationResult {
  int series = 0;
  std::vector<ContactCell> contacts_by_interval;
  std::vector<ContactCell> contacts_by_day;   // per series, intervals after warm-up
  std::vector<AgentTime> agents_by_interval;  // per interval (one agent pool)
  AgentTime agents_by_day;                    // intervals after warm-up
  std::uint64_t events = 0;                   // events processed, for the benchmark
};

// Stream ids name a purpose and a subject, so adding a contact type never shifts another's numbers.
enum class StreamPurpose : std::uint32_t { arrivals = 1, handle_time = 2, patience = 3 };
constexpr std::uint64_t stream_id(StreamPurpose p, std::uint32_t subject) {
  return (std::uint64_t{static_cast<std::uint32_t>(p)} << 32) | subject;
}

}  // namespace ccsim::model
