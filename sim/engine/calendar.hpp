// sim/engine: the discrete-event core — clock, event calendar, random streams, distributions.
// It knows nothing of contact centres: events are (time, order, subject, token) and kinds are small integers.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

namespace ccsim::engine {

// An event is plain data. `order` packs the kind (high 8 bits) above an insertion sequence number, so
// events at the same instant run by kind first (the model ranks its kinds: a departure before an
// arrival) and then in insertion order — a total order, hence deterministic runs.
struct Event {
  double time;
  std::uint64_t order;
  std::uint32_t subject;  // whom the event concerns (an agent, a contact slot, a contact type, ...)
  std::uint32_t token;    // lets the model recognise a stale event (lazy cancellation)

  [[nodiscard]] std::uint8_t kind() const { return static_cast<std::uint8_t>(order >> 56); }
};

inline bool runs_before(const Event& a, const Event& b) {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

// Min-heap of events, 4-ary: shallower than a binary heap and its children share a cache line, which
// is what the per-event cost is made of. Storage is reused across replications (no allocation per event
// once the heap has grown to its working size).
class Calendar {
 public:
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 56) - 1;

  void clear() {
    heap_.clear();
    sequence_ = 0;
    now_ = 0.0;
  }
  void reserve(std::size_t n) { heap_.reserve(n); }

  void schedule(double time, std::uint8_t kind, std::uint32_t subject, std::uint32_t token = 0) {
    assert(time >= now_);
    Event e{time, (std::uint64_t{kind} << 56) | (sequence_++ & kSequenceMask), subject, token};
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }

  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  [[nodiscard]] const Event& next() const { return heap_.front(); }
  [[nodiscard]] double now() const { return now_; }

  // Advances the clock to an event kept outside the calendar (never past the calendar's next event).
  void advance(double time) {
    assert(time >= now_ && (heap_.empty() || time <= heap_.front().time));
    now_ = time;
  }

  // Removes the next event and advances the clock to its time.
  Event pop() {
    Event top = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    now_ = top.time;
    return top;
  }

 private:
  static constexpr std::size_t kArity = 4;

  void sift_up(std::size_t i) {
    Event e = heap_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / kArity;
      if (!runs_before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  // Places `e` (the former last element) starting from the root.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      std::size_t end = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < end; ++c)
        if (runs_before(heap_[c], heap_[best])) best = c;
      if (!runs_before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
  std::uint64_t sequence_ = 0;
  double now_ = 0.0;
};

}  // namespace ccsim::engine
