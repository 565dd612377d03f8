#pragma once

#include <cstdint>
#include <memory>

#include "model/model.hpp"

namespace ccsim::model {

// Plays out one replication (one day) of a Model. Keep one per thread: its storage (calendar, contact
// slots, queues, histograms) is reused from one replication to the next.
class Replication {
 public:
  explicit Replication(const Model& model);
  ~Replication();
  Replication(const Replication&) = delete;
  Replication& operator=(const Replication&) = delete;

  ReplicationResult run(std::uint64_t seed, std::uint32_t replication);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ccsim::model
