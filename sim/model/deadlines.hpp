// Patience deadlines of the contacts still waiting, beside the calendar: a contact answered before its
// patience runs out is taken out at once instead of leaving a stale event in the calendar for the rest of
// its patience (an indexed binary heap; ties in insertion order, as the calendar's).
#pragma once

#include <cstdint>
#include <vector>

#include "model/entities.hpp"

namespace ccsim::model {

class Deadlines {
 public:
  struct Deadline {
    double time;
    std::uint64_t sequence;
    std::uint32_t slot;
    std::uint32_t serial;
  };

  void reset() {
    heap_.clear();
    position_.clear();
    sequence_ = 0;
  }

  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] const Deadline& next() const { return heap_.front(); }

  void arm(std::uint32_t slot, std::uint32_t serial, double time) {
    if (position_.size() <= slot) position_.resize(slot + 1, kNone);
    const std::size_t i = heap_.size();
    heap_.emplace_back();
    sift_up(i, {time, sequence_++, slot, serial});
  }

  // The contact left the queue (answered or dropped): its deadline goes.
  void disarm(std::uint32_t slot) {
    if (slot >= position_.size() || position_[slot] == kNone) return;
    remove_at(position_[slot]);
  }

  // Moves a deadline to `time` (arms it if it is not), exactly as disarm() then arm() would — it takes a
  // fresh place in the insertion order — with one sift instead of a removal and an insertion.
  void rearm(std::uint32_t slot, std::uint32_t serial, double time) {
    if (slot >= position_.size() || position_[slot] == kNone) {
      arm(slot, serial, time);
      return;
    }
    settle(position_[slot], {time, sequence_++, slot, serial});
  }

  Deadline pop() {
    const Deadline top = heap_.front();
    remove_at(0);
    return top;
  }

 private:
  static bool before(const Deadline& a, const Deadline& b) {
    return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
  }
  void place(std::size_t i, const Deadline& d) {
    heap_[i] = d;
    position_[d.slot] = static_cast<std::uint32_t>(i);
  }
  void remove_at(std::uint32_t i) {
    position_[heap_[i].slot] = kNone;
    const Deadline last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;
    settle(i, last);
  }
  // The sifts move a hole at i and place `d` once, rather than store `d` and read it back at once: a load
  // of a deadline just written field by field cannot be forwarded from the store buffer (a quarter of
  // arm()'s time was that stall).
  void settle(std::size_t i, const Deadline d) {
    if (i > 0 && before(d, heap_[(i - 1) / 2]))
      sift_up(i, d);
    else
      sift_down(i, d);
  }
  void sift_up(std::size_t i, const Deadline d) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(d, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, d);
  }
  void sift_down(std::size_t i, const Deadline d) {
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= heap_.size()) break;
      if (child + 1 < heap_.size() && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], d)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, d);
  }

  std::vector<Deadline> heap_;
  std::vector<std::uint32_t> position_;  // per slot: its index in heap_, kNone when not armed
  std::uint64_t sequence_ = 0;
};

}  // namespace ccsim::model
