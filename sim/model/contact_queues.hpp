// The queues: one first-come-first-served line per contact type. Entries of contacts that left (answered
// elsewhere, hung up) go stale and are skipped; ghosts (callers who hung up while predictions are measured)
// keep their place until it would have reached an agent. The queues never call out: what an operation
// ended (ghosts reaching the head, contacts dropped at night) is returned for the conductor to record.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/fifo.hpp"
#include "model/entities.hpp"

namespace ccsim::model {

class ContactQueues {
 public:
  explicit ContactQueues(const std::vector<Contact>& contacts) : contacts_(contacts) {}

  void reset(std::size_t types) {
    queues_.resize(types);
    for (auto& q : queues_) q.clear();
    waiting_.assign(types, 0);
  }

  void push(std::uint32_t type, std::uint32_t slot) {
    queues_[type].push({slot, contacts_[slot].serial});
    ++waiting_[type];
  }

  // Live contacts waiting in a type's queue.
  [[nodiscard]] std::uint32_t waiting(std::uint32_t type) const { return waiting_[type]; }

  // A waiting contact left without being taken (hung up); its entry goes stale or stays as a ghost.
  void left(std::uint32_t type) { --waiting_[type]; }

  // The first live contact of a type's queue, after dropping stale entries at the front; kNone if none.
  std::uint32_t head(std::uint32_t type) {
    auto& q = queues_[type];
    while (!q.empty() && !in_line(q.front())) q.pop();
    for (std::size_t i = 0; i < q.size(); ++i) {  // ghosts stay in place; the head is the first live contact
      const Entry e = q.at(i);
      if (live(e)) return e.slot;
    }
    return kNone;
  }

  // Removes the head (the contact an agent takes). Returns the ghosts ahead of it, whose places reach an
  // agent now.
  const std::vector<std::uint32_t>& take(std::uint32_t type) {
    ended_.clear();
    auto& q = queues_[type];
    while (!q.empty()) {
      const Entry e = q.front();
      q.pop();
      if (ghost(e)) {
        ended_.push_back(e.slot);
      } else if (live(e)) {
        --waiting_[type];
        break;
      }
    }
    return ended_;
  }

  // A free agent found nobody live to take: the ghosts at the front of the queue would have been answered
  // now. Returns them.
  const std::vector<std::uint32_t>& consume_ghosts(std::uint32_t type) {
    ended_.clear();
    auto& q = queues_[type];
    while (!q.empty() && !live(q.front())) {
      if (ghost(q.front())) ended_.push_back(q.front().slot);
      q.pop();
    }
    return ended_;
  }

  // Empties a type's queue. Returns the live contacts it held; `ghosts` receives the ghosts.
  const std::vector<std::uint32_t>& drop(std::uint32_t type, std::vector<std::uint32_t>& ghosts) {
    ended_.clear();
    auto& q = queues_[type];
    while (!q.empty()) {
      const Entry e = q.front();
      q.pop();
      if (live(e)) {
        ended_.push_back(e.slot);
        --waiting_[type];
      } else if (ghost(e)) {
        ghosts.push_back(e.slot);
      }
    }
    return ended_;
  }

  // Live entries counted by walking the queue (the invariant checks compare it with waiting()).
  [[nodiscard]] std::uint32_t count_live(std::uint32_t type) const {
    std::uint32_t n = 0;
    const auto& q = queues_[type];
    for (std::size_t i = 0; i < q.size(); ++i) n += live(q.at(i));
    return n;
  }

 private:
  struct Entry {
    std::uint32_t slot;
    std::uint32_t serial;
  };
  [[nodiscard]] bool live(const Entry& e) const {
    const Contact& c = contacts_[e.slot];
    return c.serial == e.serial && c.state == ContactState::waiting;
  }
  [[nodiscard]] bool ghost(const Entry& e) const {
    const Contact& c = contacts_[e.slot];
    return c.serial == e.serial && c.state == ContactState::ghost;
  }
  [[nodiscard]] bool in_line(const Entry& e) const { return live(e) || ghost(e); }

  const std::vector<Contact>& contacts_;
  std::vector<engine::Fifo<Entry>> queues_;
  std::vector<std::uint32_t> waiting_;
  std::vector<std::uint32_t> ended_;  // reused: no allocation per operation
};

}  // namespace ccsim::model
