// sim/engine: the discrete-event core — clock, event calendar, random streams, distributions.
// It knows nothing of contact centres: events are (time, kind, subject, token) and kinds are small integers.
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace ccsim::engine {

// An event as it is handed to the model: plain data.
struct Event {
  double time;
  std::uint32_t subject;  // whom the event concerns (an agent, a contact slot, a contact type, ...)
  std::uint32_t token;    // lets the model recognise a stale event (lazy cancellation)
  std::uint8_t kind_;

  [[nodiscard]] std::uint8_t kind() const { return kind_; }
};

// Min-heap of events, 4-ary: shallower than a binary heap and its children share a cache line, which
// is what the per-event cost is made of. Storage is reused across replications (no allocation per event
// once the heap has grown to its working size).
//
// The heap holds 16-byte entries compared in one 128-bit comparison: the time's bit pattern (times are
// never negative, and non-negative doubles order as their bits do) above a key packing
//   kind (kKindBits, high) | sequence (kSequenceBits) | slot (kSlotBits, low).
// Events at the same instant run by kind first (the model ranks its kinds: a departure before an arrival),
// then in insertion order (the sequence) — a total order, hence deterministic runs. The slot names the
// entry of a side table holding the event's subject and token, read only when the event is popped.
//
// Limits: kinds < 2^kKindBits; at most kMaxPending events pending at once (checked: schedule() throws
// std::length_error beyond it). The sequence does not limit a run: when it reaches its width the pending
// events are renumbered in their order (which keeps every tie rule), once per 2^kSequenceBits schedules.
class Calendar {
 public:
  static constexpr int kKindBits = 5, kSlotBits = 27, kSequenceBits = 64 - kKindBits - kSlotBits;
  static constexpr std::uint32_t kMaxKinds = 1U << kKindBits;
  static constexpr std::size_t kMaxPending = std::size_t{1} << kSlotBits;

  // `sequence_limit` (tests only) renumbers sooner than the sequence's width.
  explicit Calendar(std::uint64_t sequence_limit = std::uint64_t{1} << kSequenceBits)
      : sequence_limit_(sequence_limit) {}

  void clear() {
    heap_.clear();
    payload_.clear();
    free_.clear();
    sequence_ = 0;
    now_ = 0.0;
  }
  void reserve(std::size_t n) {
    heap_.reserve(n);
    payload_.reserve(n);
  }

  void schedule(double time, std::uint8_t kind, std::uint32_t subject, std::uint32_t token = 0) {
    assert(time >= now_ && kind < kMaxKinds);
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      payload_[slot] = {subject, token};
    } else {
      if (payload_.size() >= kMaxPending)
        throw std::length_error("more than " + std::to_string(kMaxPending) + " events pending at once");
      slot = static_cast<std::uint32_t>(payload_.size());
      payload_.push_back({subject, token});
    }
    if (sequence_ == sequence_limit_) renumber();
    time += 0.0;  // -0.0 becomes +0.0, whose bits order with the positive times
    sift_up({std::bit_cast<std::uint64_t>(time),
             (std::uint64_t{kind} << (64 - kKindBits)) | (sequence_++ << kSlotBits) | slot});
  }

  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  // The next event's time and kind.
  [[nodiscard]] double next_time() const { return std::bit_cast<double>(heap_.front().time); }
  [[nodiscard]] std::uint8_t next_kind() const { return kind_of(heap_.front().key); }
  [[nodiscard]] double now() const { return now_; }
  // Every pending event, in no particular order, as f(time, kind, subject, token).
  template <class F>
  void for_each(F&& f) const {
    for (const Entry& e : heap_) {
      const Payload& p = payload_[e.key & kSlotMask];
      f(std::bit_cast<double>(e.time), kind_of(e.key), p.subject, p.token);
    }
  }

  // Advances the clock to an event kept outside the calendar (never past the calendar's next event).
  void advance(double time) {
    assert(time >= now_ && (heap_.empty() || time <= next_time()));
    now_ = time;
  }

  // Removes the next event and advances the clock to its time.
  Event pop() {
    const Entry top = heap_.front();
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    const auto slot = static_cast<std::uint32_t>(top.key & kSlotMask);
    free_.push_back(slot);
    now_ = std::bit_cast<double>(top.time);
    return {now_, payload_[slot].subject, payload_[slot].token, kind_of(top.key)};
  }

 private:
  static constexpr std::size_t kArity = 4;
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;

  struct Entry {
    std::uint64_t time;  // bit pattern of a non-negative double
    std::uint64_t key;   // kind | sequence | slot
  };
  static_assert(sizeof(Entry) == 16);
  struct Payload {
    std::uint32_t subject, token;
  };

  static std::uint8_t kind_of(std::uint64_t key) {
    return static_cast<std::uint8_t>(key >> (64 - kKindBits));
  }
  static bool runs_before(const Entry& a, const Entry& b) {
    __extension__ using Wide = unsigned __int128;
    return ((Wide{a.time} << 64) | a.key) < ((Wide{b.time} << 64) | b.key);
  }

  // Gives the pending events the sequence numbers 0, 1, ... in the order they run; a heap stays a heap
  // under an order-preserving renumbering.
  void renumber() {
    if (heap_.size() >= sequence_limit_) throw std::length_error("more events pending than sequence numbers");
    std::vector<std::size_t> order(heap_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return runs_before(heap_[a], heap_[b]); });
    constexpr std::uint64_t keep = ~(kSequenceMask << kSlotBits);
    for (std::size_t r = 0; r < order.size(); ++r) {
      Entry& e = heap_[order[r]];
      e.key = (e.key & keep) | (static_cast<std::uint64_t>(r) << kSlotBits);
    }
    sequence_ = order.size();
  }

  // Places a new entry, moving the hole at the end up rather than storing `e` first and reading it back:
  // a 16-byte load of an entry just written as two 8-byte halves cannot be forwarded from the store
  // buffer, and that stall was a fifth of the time of the handler that schedules a service end.
  void sift_up(const Entry e) {
    std::size_t i = heap_.size();
    heap_.emplace_back();
    while (i > 0) {
      std::size_t parent = (i - 1) / kArity;
      if (!runs_before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  // Places `e` (the former last element) starting from the root, bottom-up (Floyd): the hole at the root
  // moves down to a leaf along the earliest children, then `e` rises from there. `e` came from the bottom
  // and mostly belongs near it, so this spares the comparison with `e` at every level on the way down.
  // A node with all four children (nearly all of them) picks the earliest without a loop.
  void sift_down(const Entry& e) {
    const std::size_t n = heap_.size();
    Entry* h = heap_.data();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      std::size_t best;
      if (first + kArity <= n) {
        const std::size_t a = runs_before(h[first + 1], h[first]) ? first + 1 : first;
        const std::size_t b = runs_before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
        best = runs_before(h[b], h[a]) ? b : a;
      } else if (first < n) {
        best = first;
        for (std::size_t c = first + 1; c < n; ++c)
          if (runs_before(h[c], h[best])) best = c;
      } else {
        break;
      }
      h[i] = h[best];
      i = best;
    }
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!runs_before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  std::vector<Entry> heap_;
  std::vector<Payload> payload_;     // per slot: the event's subject and token
  std::vector<std::uint32_t> free_;  // slots of popped events, reused
  std::uint64_t sequence_ = 0;
  std::uint64_t sequence_limit_;
  double now_ = 0.0;
};

}  // namespace ccsim::engine
