#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "model/model.hpp"
#include "model/records.hpp"
#include "model/start_state.hpp"

namespace ccsim::model {

// A replication's live state: where it starts (nullptr: the day's opening, as the roster says) and when to
// capture its state for --save-state (into *saved).
struct LiveState {
  const StartPlan* start = nullptr;
  double save_at = std::numeric_limits<double>::infinity();
  std::string save_text;  // the time as the user wrote it
  scenario::StartState* saved = nullptr;
};

// Plays out one replication (one day) of a Model. Keep one per thread: its storage (calendar, contact
// slots, queues, histograms) is reused from one replication to the next.
class Replication {
 public:
  // With check_invariants, every event is followed by a check of the model's invariants (time accounting,
  // chat concurrency, who may serve, conservation of contacts, the clock); a violation throws
  // SimulationError naming the event, the time, the agent or contact and the rule. Tests switch it on.
  explicit Replication(const Model& model, bool check_invariants = false);
  ~Replication();
  Replication(const Replication&) = delete;
  Replication& operator=(const Replication&) = delete;

  // Throws Interrupted soon (within a few thousand events) after *cancel becomes true. With `records`, the
  // replication's per-contact and agent-state records go there (they change no draw and no result).
  ReplicationResult run(std::uint64_t seed, std::uint32_t replication,
                        const std::atomic<bool>* cancel = nullptr, RecordStore* records = nullptr,
                        const LiveState& live = {});

  struct State;  // the conductor and its rooms (model/conductor.hpp), internal to sim/model

 private:
  std::unique_ptr<State> state_;
};

}  // namespace ccsim::model
