// Per-contact and agent-state records (`ccsim run --records`): one record per leg of a contact (a transfer
// makes a new record naming its parent) and one per change of an agent's state. A replication writes them
// to a RecordStore, an anonymous temporary file filled in fixed-size batches, so memory does not grow with
// the number of contacts; the runner appends each replication's store to its policy's in replication
// order, and the HDF5 writer reads that back a batch at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <utility>
#include <vector>

#include "model/entities.hpp"

namespace ccsim::model {

// How a leg ended. A fixed list that later issues extend at the end (redials), so stored values never
// change meaning. `blocked`: the attempt found no line or waiting place (a busy signal).
enum class Outcome : std::uint8_t {
  answered,
  abandoned,
  balked,
  blocked,
  unserved,
  transferred,
  no_show,
  callback_accepted,     // the caller took a callback and left the line
  callback_completed,    // a call-out that reached the customer: the callback is done
  callback_not_reached,  // a call-out the customer did not answer (tried again later, or failed for good)
  callback_unserved,     // given up: still waiting when nobody who could make it is left (at the closing, or
                         // when the last agent staying after it goes), or its next try due after the closing
};
inline constexpr int kOutcomes = 11;
const char* outcome_name(Outcome o);
const char* agent_state_name(AgentState s);
const char* channel_name(scenario::Channel c);

// Times are seconds from the first day's opening (day d opens at d x 86400 s); -1 marks "none" in the
// index columns and NaN in the time columns.
struct ContactRecord {
  std::int64_t contact = -1;   // unique within the replication: the leg
  std::int64_t customer = -1;  // the contact id of the customer's first leg
  std::int64_t parent = -1;    // the leg a transfer continues, or -1
  std::int32_t attempt = 1;    // the caller's attempt: 1 the first call, 2 its first redial, ...
  std::int32_t contact_type = 0;
  std::int32_t interval = 0;  // the interval it counts in (as in the interval tables)
  std::int32_t group = -1;    // answering group and agent (roster index), -1 when not answered
  std::int32_t agent = -1;
  std::int32_t transfer_to = -1;  // the contact type it continues as after service, or -1
  std::uint8_t channel = 0;       // scenario::Channel
  Outcome outcome = Outcome::answered;
  double arrival_s = kNaN;    // arrived (a transfer leg: when transferred; an appointment: walked in)
  double queued_s = kNaN;     // joined the queue
  double wait_s = kNaN;       // its wait as the tables count it (to answer, hang-up or the night)
  double handle_s = kNaN;     // talk time as played (location factor, chat slowdown)
  double wrap_s = kNaN;       // after-contact work
  double announced_s = kNaN;  // the wait announced to it ("longer than usual": the threshold)
  double predicted_s = kNaN;  // the announcement predictor's prediction when it queued
};

struct AgentRecord {
  double time_s = 0.0;
  std::int32_t agent = 0;  // roster index
  std::int32_t group = 0;
  AgentState from = AgentState::off, to = AgentState::off;
};

struct RecordKinds {
  bool contacts = false, agents = false;
  [[nodiscard]] bool any() const { return contacts || agents; }
};

class RecordStore {
 public:
  static constexpr std::size_t kBatch = 4096;  // records per write and per read-back

  explicit RecordStore(RecordKinds kinds);  // throws OutputError when no temporary file can be made
  ~RecordStore();
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;

  [[nodiscard]] const RecordKinds& kinds() const { return kinds_; }
  void add(const ContactRecord& r) {
    contacts_.buffer.push_back(r);
    if (contacts_.buffer.size() >= kBatch) contacts_.flush();
  }
  void add(const AgentRecord& r) {
    agents_.buffer.push_back(r);
    if (agents_.buffer.size() >= kBatch) agents_.flush();
  }

  // Writes what is buffered and gives its memory back: a finished replication waiting for its turn holds
  // only its temporary files.
  void finish();

  // Appends a finished replication's records (a store that holds one replication) as replication `index`.
  void append(RecordStore& one, int index);

  // Reads every replication's records back in batches, in order (after the run; not thread-safe).
  void for_each_contacts(const std::function<void(int, const std::vector<ContactRecord>&)>& f);
  void for_each_agents(const std::function<void(int, const std::vector<AgentRecord>&)>& f);

 private:
  template <class T>
  struct Stream {
    std::FILE* file = nullptr;
    std::vector<T> buffer;
    std::uint64_t written = 0;
    void flush();
    void append(Stream& from);
    void for_each(const std::vector<std::pair<int, std::uint64_t>>& parts,
                  const std::function<void(int, const std::vector<T>&)>& f);
  };
  RecordKinds kinds_;
  Stream<ContactRecord> contacts_;
  Stream<AgentRecord> agents_;
  // Per replication appended: its index and how many records of each kind it holds.
  std::vector<std::pair<int, std::uint64_t>> contact_parts_, agent_parts_;
};

// What a replication knows about each contact slot until the leg's outcome: the tally's companion while
// records are kept (null otherwise, so the per-event path pays one test).
class ContactLog {
 public:
  void reset(RecordStore* store) {
    store_ = store;
    notes_.clear();
  }
  [[nodiscard]] RecordStore* store() const { return store_; }
  [[nodiscard]] bool contacts() const { return store_ && store_->kinds().contacts; }
  [[nodiscard]] bool agents() const { return store_ && store_->kinds().agents; }

  // A leg begins in `slot`: a new customer (parent -1) or a transfer of `parent` (same customer).
  void arrived(std::uint32_t slot, std::int64_t contact, std::int64_t parent, double arrival_s) {
    if (notes_.size() <= slot) notes_.resize(slot + 1);
    Note& n = notes_[slot];
    n.customer = parent < 0 ? contact : n.customer;
    n.parent = parent;
    n.arrival_s = arrival_s;
    n.announced_s = n.predicted_s = kNaN;
    n.callback_leg = -1;
  }
  // The caller in `slot` took a callback: its call-outs will name this leg as their parent.
  void callback_accepted(std::uint32_t slot, std::int64_t contact) { notes_[slot].callback_leg = contact; }
  // The leg whose caller took the callback now in `slot`, and its customer; {-1, -1} for a callback carried
  // in by a start state (taken before the run).
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> callback_origin(std::uint32_t slot) const {
    if (slot >= notes_.size() || notes_[slot].callback_leg < 0) return {-1, -1};
    return {notes_[slot].callback_leg, notes_[slot].customer};
  }
  // The leg in `slot` is a redial of `customer` (the contact id of its first call).
  void redial(std::uint32_t slot, std::int64_t customer) { notes_[slot].customer = customer; }
  void predicted(std::uint32_t slot, double s) { notes_[slot].predicted_s = s; }
  void announced(std::uint32_t slot, double s) { notes_[slot].announced_s = s; }

  // The record of the leg in `slot` with what is known of it so far; the tally fills in its end.
  [[nodiscard]] ContactRecord start(const Contact& c, std::uint32_t slot, const Model& m) const {
    const Note& n = notes_[slot];
    ContactRecord r;
    r.contact = c.serial;
    r.customer = n.customer;
    r.parent = n.parent;
    r.attempt = c.attempt;
    r.contact_type = static_cast<std::int32_t>(c.type);
    r.interval = static_cast<std::int32_t>(c.cell / static_cast<std::uint32_t>(m.types));
    r.channel = static_cast<std::uint8_t>(m.channel[c.type]);
    r.arrival_s = n.arrival_s;
    r.queued_s = c.queued_s;
    r.announced_s = n.announced_s;
    r.predicted_s = n.predicted_s;
    return r;
  }

 private:
  struct Note {
    std::int64_t customer = -1, parent = -1;
    std::int64_t callback_leg = -1;  // the caller's leg that took the callback now in this slot
    double arrival_s = kNaN, announced_s = kNaN, predicted_s = kNaN;
  };
  RecordStore* store_ = nullptr;
  std::vector<Note> notes_;  // per contact slot
};

}  // namespace ccsim::model
