// The tally: the one place each outcome of a replication is recorded — offered, answered, abandoned,
// balked, unserved, transferred, no-show, announced — and agents' time by state. It decides nothing; the
// conductor tells it what happened. Day totals of seconds are booked as the day goes (not summed from the
// intervals), so they agree to the last bit whatever the interval length.
#pragma once

#include <cstdint>
#include <vector>

#include "model/entities.hpp"
#include "model/measures.hpp"
#include "model/model.hpp"
#include "model/records.hpp"

namespace ccsim::model {

class Tally {
 public:
  Tally(const Model& m, const DayClock& clock) : m_(m), clock_(clock) {}

  void reset();
  // Records (`--records`): null when off, so each outcome pays one test of a pointer.
  void attach(ContactLog* log) { log_ = log; }

  // A leg begins (an arrival, or a transfer of `parent`); the announcement's prediction and message.
  void arrived(std::uint32_t slot, std::uint32_t serial, std::int64_t parent, double arrival_s) {
    if (log_) log_->arrived(slot, serial, parent, arrival_s);
  }
  void predicted(std::uint32_t slot, double predicted_s) {
    if (log_) log_->predicted(slot, predicted_s);
  }
  void heard(std::uint32_t slot, double announced_s) {
    if (log_) log_->announced(slot, announced_s);
  }

  // A caller's first call (a new customer), counted where its first contact is offered.
  void customer(std::uint32_t cell) {
    ++counts_[cell].customers;
    ++counts_[cell].first_offered;
  }
  // A customer of before the run's start state still trying (a pending redial or callback it carries in):
  // counted where the state's callers are, with no first call offered in this run.
  void carried_customer(std::uint32_t cell) { ++counts_[cell].customers; }
  // A customer's last attempt ended: answered, or lost (not calling again); `first_cell` is where the
  // customer is counted.
  void customer_ended(std::uint32_t first_cell, bool served) {
    ContactCounts& n = counts_[first_cell];
    n.customers_served += served;
    n.customers_lost += !served;
  }
  // A redial arrives (counted whether or not it finds a line), and the records learn whose it is.
  void redial(const Contact& c, std::uint32_t slot, std::uint32_t customer) {
    ++counts_[c.cell].redials;
    if (log_) log_->redial(slot, customer);
  }
  // An attempt that found no line or waiting place: it was counted offered on arrival and moves to blocked.
  void blocked(const Contact& c, std::uint32_t slot) {
    if (log_ && log_->contacts()) record(c, slot, Outcome::blocked, 0.0);
    ContactCounts& n = counts_[c.cell];
    --n.offered;
    ++n.blocked;
    n.first_offered -= first_call(c);
  }

  // Callbacks: offered to a caller whose predicted wait passed the threshold; taken (the caller leaves the
  // line: counted offered on arrival, it moves out of offered like a blocked attempt); a callback reaching
  // its customer `delay_s` after the request, failing every try, or left at closing.
  void callback_offered(std::uint32_t cell) { ++counts_[cell].callbacks_offered; }
  void callback_accepted(const Contact& c, std::uint32_t slot) {
    if (log_ && log_->contacts()) {
      record(c, slot, Outcome::callback_accepted, 0.0);
      log_->callback_accepted(slot, c.serial);
    }
    ContactCounts& n = counts_[c.cell];
    --n.offered;
    ++n.callbacks_accepted;
    n.first_offered -= first_call(c);
  }
  void callback_completed(std::uint32_t cell, double delay_s) {
    ++counts_[cell].callbacks_completed;
    counts_[cell].callback_delay_s += delay_s;
    if (DaySums* ds = day_sums_of(cell)) ds->callback_delay_s += delay_s;
  }
  // Records only: an agent dials the customer of the callback in `slot` (a leg of its own, `id`), over skill
  // `edge`; the try reaches the customer or not, and takes the agent `busy_s` (ringing and talk).
  [[nodiscard]] bool recording_contacts() const { return log_ && log_->contacts(); }
  void call_out(const Contact& c, std::uint32_t slot, std::uint32_t id, std::uint32_t agent,
                std::uint32_t edge, bool reached, double requested_s, double answered_s,
                double busy_s);  // only while recording
  void callback_failed(std::uint32_t cell) { ++counts_[cell].callbacks_failed; }
  void callback_unserved(std::uint32_t cell) { ++counts_[cell].callbacks_unserved; }
  // Records only: the callback in `slot` is given up at the closing (a row of its own, `id`, continuing the
  // caller's leg as its call-outs do), from the queue (`queued`) or after a try that would be retried later.
  void record_callback_unserved(const Contact& c, std::uint32_t slot, std::uint32_t id, double requested_s,
                                bool queued);  // only while recording

  void offered(std::uint32_t cell, bool email) {
    ContactCounts& n = counts_[cell];
    ++n.offered;
    n.deferred_offered += email;
  }

  // A contact enters service with `agent` after `wait`; `talk_s` is its talk time as played, `busy_s` the
  // agent time it will take (talk and wrap-up).
  void answered(const Contact& c, std::uint32_t slot, std::uint32_t agent, std::uint32_t edge, double wait,
                double talk_s, double busy_s, double now) {
    if (log_ && log_->contacts()) record_answered(c, slot, agent, edge, wait, talk_s);
    const Model::TypeTraits& traits = m_.traits[c.type];
    ContactCounts& n = counts_[c.cell];
    ++n.answered;
    n.wait_answered_s += wait;
    n.handle_s += busy_s;
    n.answered_within_tau += wait <= m_.tau_s;
    n.first_answered_within_tau += first_call(c) && wait <= m_.tau_s;
    n.due_met += traits.email && now - c.queued_s <= traits.due_s;
    n.booked_answered += !std::isnan(c.slot_s);
    n.served_on_time += now - c.slot_s <= traits.on_time_s;  // false for NaN: walk-ins
    waits_[c.cell].add(wait);
    const CellPlace& p = places_[c.cell];
    ServedCount& s = served_[p.served_row + edge];
    ++s.answered;
    s.handle_s += busy_s;
    if (p.day_cell != kNone) {
      DaySums& ds = day_sums_[p.day_cell];
      ds.wait_answered_s += wait;
      ds.handle_s += busy_s;
      day_served_handle_[p.day_served_row + edge] += busy_s;
    }
  }

  void abandoned(const Contact& c, std::uint32_t slot, double wait) {
    if (log_ && log_->contacts()) record(c, slot, Outcome::abandoned, wait);
    const std::uint32_t cell = c.cell;
    ContactCounts& n = counts_[cell];
    ++n.abandoned;
    n.first_abandoned += first_call(c);
    n.wait_abandoned_s += wait;
    n.short_abandoned += wait <= m_.short_abandon_s;
    n.abandoned_within_tau += wait <= m_.tau_s;
    if (DaySums* ds = day_sums_of(cell)) ds->wait_abandoned_s += wait;
  }

  // Left at once — a walk-in who saw the queue, or a caller on hearing the announcement: abandoned at 0 s.
  void balked(const Contact& c, std::uint32_t slot, bool after_announcement) {
    if (log_ && log_->contacts()) record(c, slot, Outcome::balked, 0.0);
    ContactCounts& n = counts_[c.cell];
    ++n.balked;
    n.balked_announced += after_announcement;
    ++n.abandoned;
    n.first_abandoned += first_call(c);
    n.short_abandoned += 0.0 <= m_.short_abandon_s;
    ++n.abandoned_within_tau;
  }

  void unserved(const Contact& c, std::uint32_t slot, double wait) {
    if (log_ && log_->contacts()) record(c, slot, Outcome::unserved, wait);
    ++counts_[c.cell].unserved;
    counts_[c.cell].wait_unserved_s += wait;
    if (DaySums* ds = day_sums_of(c.cell)) ds->wait_unserved_s += wait;
  }

  // A caller heard a wait announced; `heard` counts only for those who stayed.
  void announced(std::uint32_t cell, double heard, bool stayed) {
    ContactCounts& n = counts_[cell];
    ++n.announced;
    if (stayed) n.longest_announced_stayed_s = std::max(n.longest_announced_stayed_s, heard);
  }

  void transferred(std::uint32_t interval, std::uint32_t transfer_edge) {
    ++transfers_[interval * static_cast<std::uint32_t>(m_.transfer_edges) + transfer_edge];
  }

  // A booked slot; a no-show (who never becomes a contact) is recorded with its own contact id.
  void appointment(std::uint32_t cell, bool no_show, std::uint32_t id, double slot_s) {
    ++counts_[cell].appointments;
    counts_[cell].no_shows += no_show;
    if (no_show && log_ && log_->contacts()) record_no_show(cell, id, slot_s);
  }

  // An agent's state changes (the pool calls it with the time booked).
  void state_changed(std::uint32_t agent, std::uint32_t group, AgentState from, AgentState to, double now) {
    if (log_ && log_->agents() && from != to)
      log_->store()->add(
          AgentRecord{now, static_cast<std::int32_t>(agent), static_cast<std::int32_t>(group), from, to});
  }

  void backlog(std::uint32_t cell, std::uint64_t waiting) { counts_[cell].backlog = waiting; }

  void prediction(std::uint32_t cell, std::uint32_t type, const double* predicted, double actual) {
    PredictionStats* st = &predictions_[static_cast<std::size_t>(cell) * kPredictors];
    for (int i = 0; i < kPredictors; ++i) st[i].add(predicted[i], actual);
    if (!day_sums_of(cell)) return;
    const std::size_t day = cell / types() / per_day();
    PredictionStats* d = &day_predictions_[(day * types() + type) * kPredictors];
    for (int i = 0; i < kPredictors; ++i) d[i].add(predicted[i], actual);
  }

  void break_planned(std::uint32_t group) { ++breaks_[group].planned; }
  void breaks_forfeited(std::uint32_t group, int n) {
    breaks_[group].forfeited += static_cast<std::uint64_t>(n);
  }
  void break_taken(std::uint32_t group, double delay) {
    BreakStats& st = breaks_[group];
    ++st.taken;
    if (delay > 1e-9) {
      ++st.late;
      st.delay_s += delay;
    }
  }

  // Books an agent's time in `state` from `from` to `to`, split over the intervals (time before opening and
  // after closing belongs to no interval), and its share after each day's warm-up to the day.
  void book(std::uint32_t group, AgentState state, double from, double to);

  // Rostered time from `from` to `to` that is paid (the conductor leaves out absent agents when the scenario
  // does not pay them), split over the intervals like book().
  void paid(std::uint32_t group, std::uint32_t location, double from, double to);

  [[nodiscard]] ReplicationResult collect(std::uint64_t events) const;

  // For the invariant checks.
  [[nodiscard]] const std::vector<ContactCounts>& counts() const { return counts_; }
  [[nodiscard]] const std::vector<AgentTime>& agent_time() const { return agent_time_; }
  [[nodiscard]] const std::vector<BreakStats>& breaks() const { return breaks_; }

 private:
  // A day's sums of seconds per contact type, after the day's warm-up.
  struct DaySums {
    double wait_answered_s = 0.0, wait_abandoned_s = 0.0, wait_unserved_s = 0.0, handle_s = 0.0;
    double callback_delay_s = 0.0;
  };

  // A customer's first call (not a redial, not a transfer leg).
  static bool first_call(const Contact& c) { return c.attempt == 1 && !c.transferred; }

  [[nodiscard]] std::uint32_t types() const { return static_cast<std::uint32_t>(m_.types); }
  [[nodiscard]] std::uint32_t edges() const { return static_cast<std::uint32_t>(m_.skills.size()); }
  [[nodiscard]] std::uint32_t per_day() const { return static_cast<std::uint32_t>(m_.intervals_per_day); }

  // Records, off the per-event path (tally.cpp).
  void record(const Contact& c, std::uint32_t slot, Outcome outcome, double wait);
  void record_answered(const Contact& c, std::uint32_t slot, std::uint32_t agent, std::uint32_t edge,
                       double wait, double talk_s);
  void record_no_show(std::uint32_t cell, std::uint32_t id, double slot_s);

  // The day cell of a contact cell when its interval is measured (after the day's warm-up), else null.
  DaySums* day_sums_of(std::uint32_t cell) {
    const std::uint32_t d = places_[cell].day_cell;
    return d == kNone ? nullptr : &day_sums_[d];
  }
  // Per contact cell, the rows the per-contact path would otherwise find by dividing: its interval's row of
  // the per-edge counts, its day cell (kNone in a warm-up interval) and its day's row of the per-edge sums.
  struct CellPlace {
    std::uint32_t served_row, day_cell, day_served_row;
  };
  void place_cells();

  void collect_costs(ReplicationResult& r) const;
  // Calls f(interval, seconds) for each interval's part of [from, to); nights belong to no interval.
  template <class F>
  void split(double from, double to, F&& f) const;

  const Model& m_;
  const DayClock& clock_;
  std::vector<double> paid_;  // [(interval * groups + group) * locations + location]
  ContactLog* log_ = nullptr;
  std::vector<CellPlace> places_;                 // [interval * types + type]
  std::vector<ContactCounts> counts_;             // [interval * types + type]
  std::vector<WaitHistogram> waits_;              // same index
  std::vector<AgentTime> agent_time_;             // [interval * groups + group]
  std::vector<AgentTime> day_agent_time_;         // [day * groups + group], after each day's warm-up
  std::vector<DaySums> day_sums_;                 // [day * types + type], after each day's warm-up
  std::vector<double> day_served_handle_;         // [day * skills + edge]
  std::vector<PredictionStats> predictions_;      // [(interval * types + type) * kPredictors + p]
  std::vector<PredictionStats> day_predictions_;  // [(day * types + type) * kPredictors + p]
  std::vector<BreakStats> breaks_;                // per group
  std::vector<ServedCount> served_;               // [interval * skills + edge]
  std::vector<std::uint64_t> transfers_;          // [interval * transfer edges + edge]
};

}  // namespace ccsim::model
