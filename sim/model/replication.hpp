#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "model/model.hpp"
#include "model/records.hpp"

namespace ccsim::model {

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
                        const std::atomic<bool>* cancel = nullptr, RecordStore* records = nullptr);

  struct State;  // the conductor and its rooms (model/conductor.hpp), internal to sim/model

 private:
  std::unique_ptr<State> state_;
};

}  // namespace ccsim::model
