// The model's entities as a replication holds them: event kinds and their same-instant order, contacts,
// agents and the day's clock. Internal to sim/model (the rooms and the conductor share them).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "model/model.hpp"

namespace ccsim::model {

// Same-instant events run in this order (DESIGN.md, engine rules). Rosters change first: a shift starts
// before a break or meeting due at that instant (so neither is lost at the shift's first instant), and a
// shift end, break or meeting falling due is marked on a busy agent before that agent's contact ends, so an
// agent who becomes free at that instant takes it before any contact. Then agents finishing work, so that
// one who finishes takes the longest waiter before that waiter's patience runs out; a caller who hangs up
// leaves before an overflow offers him elsewhere; newcomers look for an agent last.
enum class EventKind : std::uint8_t {
  shift_start,
  shift_end,
  break_due,
  shrinkage_start,
  shift_ready,  // a new shift's agent looks for work once breaks and meetings due now have taken it
  service_end,
  wrap_end,
  interruption_end,
  break_end,
  shrinkage_end,
  interruption,
  interval_end,
  abandonment,
  overflow,
  appointment_ready,
  appointment_arrival,
  redial,  // a caller calls again: ranked with arrivals
  callback_retry,  // a callback's customer did not answer: the next try joins the queue
  arrival,
};
const char* kind_name(EventKind k);

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
inline constexpr double kNever = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A ghost is a caller who hung up but, while predictions are measured, keeps its place in the queue (using
// no agent) until its place would have reached an agent: its virtual wait.
// A callback between tries (its customer did not answer) is `retry_due`: in no queue, with no agent.
enum class ContactState : std::uint8_t { free, waiting, in_service, ghost, retry_due };

struct Contact {
  double queued_s;       // when it joined its current queue (arrival, or transfer): FIFO order, overflow
  double wait_from_s;    // its wait counts from here: queued_s, or for an appointment the later of slot and
                         // arrival
  double slot_s;         // an appointment's slot time; NaN for walk-ins
  double handle_s;       // talk time before the serving agent's location factor
  double wrap_s;         // after-contact work
  double transfer_u;     // uniform deciding the transfer after service
  std::uint32_t serial;  // unique within the replication: stale queue entries and events compare it
  std::uint32_t type;
  std::uint32_t cell;  // interval * types + type, for the counts
  ContactState state;
  // The caller's attempt (1: the first call; redials count up) and whether this leg continues an answered
  // contact by transfer (then it is no call of its own). In what would be padding: a contact stays 64 bytes.
  std::uint8_t attempt = 1;
  bool transferred = false;
  bool callback = false;  // a callback the caller took: work waiting for an agent to call out
};

// The contact type a contact will continue as after service (its transfer draw), or kNone.
inline std::uint32_t continues_as(const Model& m, const Contact& c) {
  for (const TransferRoute& x : m.transfers_from[c.type])
    if (c.transfer_u < x.cumulative) return x.to;
  return kNone;
}

// An agent's state; "off" covers not yet on shift, gone home and absent. Staffed time is any state but
// off; available time is idle or busy (handling, wrap-up included).
enum class AgentState : std::uint8_t { off, idle, busy, wrap, on_break, shrinkage, interrupted };
inline constexpr int kAgentStates = 7;

struct Agent {
  std::uint32_t group = 0;
  std::uint32_t location = 0;
  std::uint32_t contact = kNone;
  std::uint32_t edge = 0;            // skill edge of the contact in hand
  std::uint32_t chats = 0;           // chats in hand (an agent holding chats takes only more chats)
  std::uint32_t chat_limit = kNone;  // the least concurrency of the chats in hand
  AgentState state = AgentState::off;
  bool shift_over = false;           // the shift ended mid-contact: leave when free
  bool until_queue_empty = false;    // an all-day agent: after closing it stays while it is needed
  std::uint32_t pending_breaks = 0;  // breaks that fell due while busy, by bit (taken lowest first)
  double pending_shrinkage_end = -1.0;
  std::uint32_t epoch = 0;  // bumped on every return to idle: stale idle entries and interruptions
  std::uint32_t shrinkage_token = 0;
  double since_s = 0.0;  // when the current state began
  double idle_since_s = 0.0;
  double shift_end_s = 0.0;   // today's shift end: read at every contact's end
  double day_offset_s = 0.0;  // opening of the agent's current day
};

// The run's intervals and days on the per-event path: which interval a time falls in, whether it is after
// its day's closing. Time mostly moves forward by small steps, so the last answer is cached with the exact
// range of times it holds for: most events compare twice instead of multiplying and, over several days,
// dividing — and get the same interval to the last bit as computing it would. The ranges are found once,
// from each interval's nominal start (a night belongs to the last interval of the day before), by stepping
// to the neighbouring doubles where the computed interval changes.
class DayClock {
 public:
  explicit DayClock(const Model& m) : m_(m), inverse_interval_(1.0 / m.interval_s) {
    const auto n = static_cast<std::uint32_t>(std::max(m.intervals, 1));
    start_.assign(n + 1, 0.0);
    start_[n] = kNever;
    const auto per_day = static_cast<std::uint32_t>(std::max(m.intervals_per_day, 1));
    for (std::uint32_t k = 1; k < n; ++k) {
      double x = (k / per_day) * Model::kDayPeriod + (k % per_day) * m.interval_s;
      start_[k] = align(x, k) ? x : kNaN;  // NaN: never cached (no step settled it)
    }
  }

  // The run's interval containing t; time after a day's closing belongs to its last interval.
  [[nodiscard]] std::uint32_t interval_of(double t) const {
    if (t >= from_ && t < to_) return interval_;
    const std::uint32_t k = compute(t);
    if (start_[k] <= t && t < start_[k + 1]) {  // false where either bound is NaN, or for negative times
      from_ = start_[k], to_ = start_[k + 1], interval_ = k;
      // Not the day's last interval: the whole range lies before the day's closing, by an interval at least.
      before_closing_ = static_cast<int>(k) % m_.intervals_per_day != m_.intervals_per_day - 1;
    }
    return k;
  }

  // Whether t lies after its day's closing (and before the next day's opening).
  [[nodiscard]] bool past_closing(double t) const {
    if (m_.days == 1) return t >= m_.day_length_s;
    if (before_closing_ && t >= from_ && t < to_) return false;
    return t - std::floor(t / Model::kDayPeriod) * Model::kDayPeriod >= m_.day_length_s;
  }

 private:
  [[nodiscard]] std::uint32_t compute(double t) const {
    if (m_.days == 1) {
      auto k = static_cast<int>(t * inverse_interval_);  // multiplying beats dividing on the per-event path
      return static_cast<std::uint32_t>(k < m_.intervals ? (k < 0 ? 0 : k) : m_.intervals - 1);
    }
    int d = static_cast<int>(t / Model::kDayPeriod);
    d = std::clamp(d, 0, m_.days - 1);
    auto k = static_cast<int>((t - d * Model::kDayPeriod) * inverse_interval_);
    k = std::clamp(k, 0, m_.intervals_per_day - 1);
    return static_cast<std::uint32_t>(d * m_.intervals_per_day + k);
  }

  // Moves x to the least double that compute() maps to k or beyond (compute() never decreases with t); a
  // few steps at most, the arithmetic being off by an ulp or two.
  bool align(double& x, std::uint32_t k) const {
    for (int step = 0; step < 64; ++step) {
      if (compute(x) < k) {
        x = std::nextafter(x, kNever);
      } else {
        const double below = std::nextafter(x, -kNever);
        if (compute(below) < k) return true;
        x = below;
      }
    }
    return false;
  }

  const Model& m_;
  double inverse_interval_;
  std::vector<double> start_;  // per interval: the least time computed to lie in it; one more: infinity
  mutable double from_ = kNever, to_ = -kNever;
  mutable std::uint32_t interval_ = 0;
  mutable bool before_closing_ = false;
};

}  // namespace ccsim::model
