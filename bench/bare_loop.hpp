// bench/: a bare M/M/c+M loop of our own — the yardstick ccsim's wall time is measured against (DESIGN.md
// "Performance targets"). One contact type, one pool of agents, Poisson arrivals at a rate per interval,
// exponential handle time and patience, FIFO; agents stay after closing until the queue is empty (as
// ccsim's all-day agents do). It uses ccsim's random generator and samplers (engine::Stream,
// engine::Distribution) and a binary heap, and counts only offered, answered and abandoned: no
// statistics, no intervals, no routing — what a hand-written simulator of this one queue costs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/random.hpp"

namespace ccsim::bench {

struct BareDay {
  std::vector<double> rate_per_s;  // per interval
  double interval_s = 3600.0;
  int agents = 1;
  double handle_mean_s = 1.0, patience_mean_s = 1.0;
};

struct BareCount {
  std::uint64_t offered = 0, answered = 0, abandoned = 0;
};

class BareLoop {
 public:
  explicit BareLoop(const BareDay& day)
      : day_(day),
        handle_(engine::Distribution::exponential(day.handle_mean_s)),
        patience_(engine::Distribution::exponential(day.patience_mean_s)) {}

  // One day (replication), with streams derived as ccsim derives them.
  void run(std::uint64_t seed, std::uint32_t replication, BareCount& count) {
    engine::Stream arrivals(seed, replication, 1), handle(seed, replication, 2),
        patience(seed, replication, 3);
    heap_.clear();
    waiting_.clear();
    head_ = 0;
    state_.clear();
    int free = day_.agents;
    const auto intervals = static_cast<int>(day_.rate_per_s.size());
    int k = 0;
    double next_arrival = 0.0;
    // The next arrival: exponential gaps at the interval's rate, redrawn from an interval's end when a gap
    // crosses it (memoryless, so this is the piecewise-constant Poisson process).
    auto advance_arrival = [&] {
      while (k < intervals) {
        const double rate = day_.rate_per_s[static_cast<std::size_t>(k)];
        const double end = (k + 1) * day_.interval_s;
        if (rate > 0.0) {
          const double t = next_arrival + arrivals.exponential(1.0 / rate);
          if (t < end) {
            next_arrival = t;
            return;
          }
        }
        next_arrival = end;
        ++k;
      }
      next_arrival = kNever;
    };
    advance_arrival();
    auto start_service = [&](double now) {
      push({now + handle_.sample(handle), kServiceEnd});
      ++count.answered;
    };
    for (;;) {
      const double heap_time = heap_.empty() ? kNever : heap_.front().time;
      if (next_arrival == kNever && heap_.empty()) break;
      if (next_arrival <= heap_time) {
        const double now = next_arrival;
        ++count.offered;
        if (free > 0) {
          --free;
          start_service(now);
        } else {
          const auto id = static_cast<std::uint32_t>(state_.size());
          state_.push_back(kWaiting);
          waiting_.push_back(id);
          push({now + patience_.sample(patience), id});
        }
        advance_arrival();
        continue;
      }
      const Ev e = pop();
      if (e.what == kServiceEnd) {
        while (head_ < waiting_.size() && state_[waiting_[head_]] != kWaiting) ++head_;
        if (head_ < waiting_.size()) {
          state_[waiting_[head_++]] = kGone;
          start_service(e.time);
        } else {
          ++free;
        }
      } else if (state_[e.what] == kWaiting) {  // an abandonment deadline of a caller still waiting
        state_[e.what] = kGone;
        ++count.abandoned;
      }
    }
  }

 private:
  static constexpr double kNever = 1e300;
  static constexpr std::uint32_t kServiceEnd = 0xFFFFFFFFu;
  static constexpr std::uint8_t kWaiting = 1, kGone = 2;
  struct Ev {
    double time;
    std::uint32_t what;  // kServiceEnd, or the waiting caller whose patience runs out
  };
  static bool later(const Ev& a, const Ev& b) { return a.time > b.time; }
  void push(Ev e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  Ev pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Ev e = heap_.back();
    heap_.pop_back();
    return e;
  }

  BareDay day_;
  engine::Distribution handle_, patience_;
  std::vector<Ev> heap_;
  std::vector<std::uint32_t> waiting_;  // FIFO of callers who queued; head_ is the oldest maybe still there
  std::size_t head_ = 0;
  std::vector<std::uint8_t> state_;  // per queued caller
};

}  // namespace ccsim::bench
