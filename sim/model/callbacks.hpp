// Callbacks (virtual hold): per contact slot holding a callback, when it was requested, the tries made and
// whether the try in progress reaches the customer. It decides nothing; the conductor (callbacks.cpp)
// asks and tells it.
#pragma once

#include <cstdint>
#include <vector>

namespace ccsim::model {

class Callbacks {
 public:
  struct Job {
    double requested_s = 0.0;     // when the caller took the callback
    std::uint32_t tries = 0;      // tries made so far
    double answered_s = 0.0;      // when the try in progress reaches the customer (if it does)
    std::uint32_t reached = ~0u;  // bit k: try k + 1 reaches the customer (drawn at the request)
  };
  void reset(std::size_t types) {
    jobs_.clear();
    queued_.assign(types, 0);
    outstanding_ = 0;
  }
  // The caller in `slot` took a callback at `now`.
  void add(std::uint32_t slot, double now) {
    if (jobs_.size() <= slot) jobs_.resize(slot + 1);
    jobs_[slot] = {now, 0, 0.0, ~0u};
    ++outstanding_;
  }
  Job& operator[](std::uint32_t slot) { return jobs_[slot]; }
  const Job& operator[](std::uint32_t slot) const { return jobs_[slot]; }
  // The callback in `slot` ended: completed, failed for good, or unserved.
  void done() { --outstanding_; }
  // Callbacks of `type` in its queue: work, but no caller holding a waiting place.
  void queued(std::uint32_t type, int change) { queued_[type] += static_cast<std::uint32_t>(change); }
  [[nodiscard]] std::uint32_t queued(std::uint32_t type) const {
    return type < queued_.size() ? queued_[type] : 0;
  }
  // Callbacks accepted and not yet ended: waiting, being called, or waiting to be tried again.
  [[nodiscard]] std::uint32_t outstanding() const { return outstanding_; }

 private:
  std::vector<Job> jobs_;              // per slot
  std::vector<std::uint32_t> queued_;  // per type
  std::uint32_t outstanding_ = 0;
};

}  // namespace ccsim::model
