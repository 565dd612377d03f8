// A rank's threads that play blocks of a sweep's replications, one block each at a time on one core: the
// rank's MPI thread (the only one calling MPI) gives them work and takes what they finish.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "model/sweep.hpp"

namespace ccsim::cluster {

// Replications [from, to) of one point.
struct Work {
  int point = 0, from = 0, to = 0;
  std::shared_ptr<const scenario::Study> study;
};

class Players {
 public:
  Players(int threads, const model::RunOptions& options);
  ~Players();  // stops the threads (a block under way ends first)
  Players(const Players&) = delete;
  Players& operator=(const Players&) = delete;

  void give(Work work);
  // Threads with nothing to play and no block waiting for them.
  [[nodiscard]] int idle() const;
  // Whether nothing is given, under way or finished and not taken.
  [[nodiscard]] bool quiet() const;
  // A finished block, oldest first; throws what a thread failed with.
  std::optional<model::ReplicationBlock> take();
  // Until a block finishes (or a thread fails), at most `timeout`.
  void wait(std::chrono::microseconds timeout);

 private:
  void play(const model::RunOptions& options);
  mutable std::mutex mutex_;
  std::condition_variable given_, finished_cv_;
  std::deque<Work> todo_;
  std::deque<model::ReplicationBlock> finished_;
  int threads_ = 0, playing_ = 0;
  bool stop_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> pool_;
};

}  // namespace ccsim::cluster
