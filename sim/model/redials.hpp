// Two rooms for callers who call again and for finite lines. Redials holds the callers who will call
// again (until their redial is due) and, per contact slot of an attempt after the first, the customer it
// belongs to and the cell that customer is counted in. Lines counts the callers holding each trunk group's
// lines. They decide nothing; the conductor (redials.cpp) asks and tells them.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "model/entities.hpp"

namespace ccsim::model {

class Redials {
 public:
  struct Pending {
    std::uint32_t customer = 0;    // serial of the customer's first contact (the records' customer)
    std::uint32_t first_cell = 0;  // the cell of the first call, where the customer is counted
    std::uint32_t type = 0;        // the type it calls as
    std::uint8_t attempt = 2;      // the attempt it will make
    bool active = false;
  };

  void reset() {
    pending_.clear();
    free_.clear();
    per_slot_.clear();
    outstanding_ = 0;
  }

  // A caller who will call again; its index is the subject of its redial event.
  std::uint32_t add(const Pending& p) {
    ++outstanding_;
    if (free_.empty()) {
      pending_.push_back(p);
      pending_.back().active = true;
      return static_cast<std::uint32_t>(pending_.size() - 1);
    }
    const std::uint32_t i = free_.back();
    free_.pop_back();
    pending_[i] = p;
    pending_[i].active = true;
    return i;
  }
  Pending take(std::uint32_t i) {
    Pending p = pending_[i];
    pending_[i].active = false;
    free_.push_back(i);
    --outstanding_;
    return p;
  }
  [[nodiscard]] std::uint32_t outstanding() const { return outstanding_; }
  [[nodiscard]] const std::vector<Pending>& pending() const { return pending_; }

  // A redial entered `slot`: the customer and first cell of that attempt.
  void note(std::uint32_t slot, std::uint32_t customer, std::uint32_t first_cell) {
    if (per_slot_.size() <= slot) per_slot_.resize(slot + 1);
    per_slot_[slot] = {customer, first_cell};
  }
  // The cell the customer of the contact in `slot` is counted in.
  [[nodiscard]] std::uint32_t first_cell(const Contact& c, std::uint32_t slot) const {
    return c.attempt == 1 ? c.cell : per_slot_[slot].second;
  }
  [[nodiscard]] std::uint32_t customer(const Contact& c, std::uint32_t slot) const {
    return c.attempt == 1 ? c.serial : per_slot_[slot].first;
  }

 private:
  std::vector<Pending> pending_;
  std::vector<std::uint32_t> free_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> per_slot_;  // (customer, first cell)
  std::uint32_t outstanding_ = 0;
};

class Lines {
 public:
  void reset(const Model& m) {
    in_use_.assign(m.lines.size(), 0);
    held_.clear();
  }
  // Whether a caller of `type` finds every line of its group taken.
  [[nodiscard]] bool full(const Model& m, std::uint32_t type) const {
    const int g = m.line_group[type];
    return g >= 0 && in_use_[static_cast<std::size_t>(g)] >=
                         static_cast<std::uint32_t>(m.lines[static_cast<std::size_t>(g)]);
  }
  // The contact in `slot` takes a line of its type's group (if any) until it leaves; a transfer keeps it.
  void take(const Model& m, std::uint32_t slot, std::uint32_t type) { take_of(slot, m.line_group[type]); }
  // The contact takes a line of trunk group g (none if g < 0): a state's contact, the line it held.
  void take_of(std::uint32_t slot, int g) {
    if (g < 0) return;
    if (held_.size() <= slot) held_.resize(slot + 1, kNone);
    held_[slot] = static_cast<std::uint32_t>(g);
    ++in_use_[static_cast<std::size_t>(g)];
  }
  void release(std::uint32_t slot) {
    if (slot >= held_.size() || held_[slot] == kNone) return;
    --in_use_[held_[slot]];
    held_[slot] = kNone;
  }
  [[nodiscard]] std::uint32_t in_use(std::size_t group) const { return in_use_[group]; }
  [[nodiscard]] std::uint32_t held(std::uint32_t slot) const {
    return slot < held_.size() ? held_[slot] : kNone;
  }

 private:
  std::vector<std::uint32_t> in_use_;  // per trunk group
  std::vector<std::uint32_t> held_;    // per slot: the group whose line it holds, or kNone
};

}  // namespace ccsim::model
