// The announcer: the four wait predictors made for a caller about to queue, and what the caller hears and
// does about it (balks, or stays with its patience changed). It keeps each waiting caller's predictions
// until the real (or, for a ghost, virtual) wait is known; the conductor records the comparison.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "model/agent_pool.hpp"
#include "model/contact_queues.hpp"
#include "model/entities.hpp"

namespace ccsim::model {

// What a caller heard and did.
struct Reaction {
  bool announced = false;  // heard a wait (or "longer than usual")
  double heard_s = 0.0;
  bool balked = false;
  double patience_s = 0.0;  // its patience from now on, when it stays
};

class Announcer {
 public:
  explicit Announcer(const Model& m) : m_(m) {}

  void reset(std::uint64_t seed, std::uint32_t replication) {
    predicted_.clear();
    last_answered_wait_.assign(static_cast<std::size_t>(m_.types), 0.0);
    reaction_.resize(static_cast<std::size_t>(m_.types));
    queue_sums_.assign(static_cast<std::size_t>(m_.types), QueueSums{});
    for (std::uint32_t t = 0; t < reaction_.size(); ++t)
      reaction_[t].reseed(seed, replication, stream_id(StreamPurpose::announcement_reaction, t));
  }

  // Room for the predictions of contact slots up to `slots`.
  void fit(std::size_t slots) {
    if (predicted_.size() < slots * kPredictors) predicted_.resize(slots * kPredictors, -1.0);
  }

  // The four predictors for a contact about to queue.
  void predict(std::uint32_t slot, const Contact& c, ContactQueues& queues, const AgentPool& pool,
               const std::vector<Contact>& contacts, double now) {
    const std::uint32_t type = c.type, g = c.cell / static_cast<std::uint32_t>(m_.types);
    double* p = &predicted_[static_cast<std::size_t>(slot) * kPredictors];
    // Queue length: a caller at position k waits for k departures from the queue ahead, which leaves at
    // s mu + j theta with j callers ahead (each may hang up): the Erlang-A expectation given the position.
    // Servers and handle time as the Erlang column counts them: a chat-only agent as its concurrency, talk
    // time with the serving groups' location factor and chat slowdown.
    double serving = 0.0;
    for (const Route& r : m_.groups_for_type[type])
      if (r.overflow_s == 0.0) serving += pool.on_duty(r.group) * m_.chat_servers[r.group];
    const double mu = 1.0 / m_.effective_handle_s[g * static_cast<std::uint32_t>(m_.types) + type];
    const double theta = m_.patience[type].is_finite() && m_.patience[type].mean() > 0.0
                             ? 1.0 / m_.patience[type].mean()
                             : 0.0;
    double ql = 0.0;
    if (serving * mu <= 0.0 && theta <= 0.0) {
      ql = m_.planned_wait_s[g];
    } else {
      ql = queue_sum(type, serving * mu, theta, queues.waiting(type));
    }
    const std::uint32_t head = queues.head(type);
    p[static_cast<int>(scenario::Predictor::queue_length)] = ql;
    p[static_cast<int>(scenario::Predictor::head_of_line)] =
        head == kNone ? 0.0 : now - contacts[head].wait_from_s;
    p[static_cast<int>(scenario::Predictor::last_to_enter_service)] = last_answered_wait_[type];
    p[static_cast<int>(scenario::Predictor::planned)] = m_.planned_wait_s[g];
  }

  // The configured predictor's prediction for a caller about to queue (after predict()).
  [[nodiscard]] double prediction(std::uint32_t slot) const {
    return predicted_[static_cast<std::size_t>(slot) * kPredictors +
                      static_cast<int>(m_.announcement.predictor)];
  }

  [[nodiscard]] bool predicted(std::uint32_t slot) const {
    return predicted_[static_cast<std::size_t>(slot) * kPredictors] >= 0.0;
  }

  // The slot's predictions, handed over once (then forgotten); null when none were made (answered at once).
  const double* take(std::uint32_t slot) {
    double* p = &predicted_[static_cast<std::size_t>(slot) * kPredictors];
    if (p[0] < 0.0) return nullptr;
    std::copy(p, p + kPredictors, taken_);
    p[0] = -1.0;
    return taken_;
  }
  void forget(std::uint32_t slot) {
    if (!predicted_.empty()) predicted_[static_cast<std::size_t>(slot) * kPredictors] = -1.0;
  }

  // A contact of `type` entered service after `wait`: the last-to-enter-service predictor.
  void answered(std::uint32_t type, double wait) { last_answered_wait_[type] = wait; }

  // What the caller hears, and how it reacts. Reaction draws come from their own stream, so with no
  // reaction configured an announcement changes nothing.
  Reaction announce(std::uint32_t slot, const Contact& c, double patience_s, double now) {
    const scenario::Announcement& a = m_.announcement;
    Reaction out{false, 0.0, false, patience_s};
    if (a.message == scenario::Message::none) return out;
    const double prediction =
        predicted_[static_cast<std::size_t>(slot) * kPredictors + static_cast<int>(a.predictor)];
    double heard = -1.0;  // the wait the caller reacts to
    if (a.message == scenario::Message::predicted_wait)
      heard = std::min(a.cap_s, std::ceil(prediction / 60.0 - 1e-9) * 60.0);  // whole minutes, rounded up
    else if (prediction > a.threshold_s)
      heard = a.threshold_s;  // "longer than usual"
    if (heard < 0.0) return out;
    out.announced = true;
    out.heard_s = heard;
    if (!a.reacts()) return out;
    const double u_balk = reaction_[c.type].uniform(), u_hang_up = reaction_[c.type].uniform();
    if (u_balk < balk_probability(heard)) {
      out.balked = true;
      forget(slot);
      return out;
    }
    out.patience_s *= a.patience_factor;
    if (a.message == scenario::Message::predicted_wait && u_hang_up < a.abandon_when_passed) {
      const double waited = now - c.wait_from_s;
      out.patience_s = std::min(out.patience_s, std::max(0.0, heard - waited) + 1e-6);
    }
    return out;
  }

 private:
  [[nodiscard]] double balk_probability(double heard) const {
    const scenario::Announcement& a = m_.announcement;
    if (a.balk_scale_s > 0.0) return 1.0 / (1.0 + std::exp(-(heard - a.balk_midpoint_s) / a.balk_scale_s));
    const auto& t = a.balk_table;
    if (t.empty()) return 0.0;
    if (heard <= t.front().first) return t.front().second;
    for (std::size_t i = 1; i < t.size(); ++i)
      if (heard <= t[i].first)
        return t[i - 1].second +
               (t[i].second - t[i - 1].second) * (heard - t[i - 1].first) / (t[i].first - t[i - 1].first);
    return t.back().second;
  }

  // sum_{j=0..n} 1 / (rate + j theta), summed in that order: the prefix sums are kept for the last (rate,
  // theta) of each type, since a long queue would otherwise cost a sum as long as the queue per arrival
  // (quadratic in an overloaded afternoon); extending them adds the same terms in the same order, so the
  // value is the loop's to the last bit.
  struct QueueSums {
    double rate = -1.0, theta = -1.0;
    std::vector<double> prefix;  // prefix[n] = the sum to n
  };
  double queue_sum(std::uint32_t type, double rate, double theta, std::uint32_t n) {
    QueueSums& q = queue_sums_[type];
    if (q.rate != rate || q.theta != theta) {
      q.rate = rate;
      q.theta = theta;
      q.prefix.clear();
    }
    double sum = q.prefix.empty() ? 0.0 : q.prefix.back();
    for (auto j = static_cast<std::uint32_t>(q.prefix.size()); j <= n; ++j) {
      sum += 1.0 / (rate + j * theta);
      q.prefix.push_back(sum);
    }
    return q.prefix[n];
  }

  const Model& m_;
  std::vector<QueueSums> queue_sums_;  // per type
  std::vector<double> predicted_;      // per slot * kPredictors, while predictions are measured; <0: none
  double taken_[kPredictors] = {};
  std::vector<double> last_answered_wait_;  // per type
  std::vector<engine::Stream> reaction_;    // per type: balking and hang-up draws after an announcement
};

}  // namespace ccsim::model
