// Callers who call again and finite lines: the model's compiled form (build_redials) and the conductor's
// handlers for a blocked attempt, the end of an attempt (a redial, or the customer done) and a redial's
// arrival. A redial is the same customer: its records carry the customer's id and the attempt's number,
// and the customer is counted once, in the interval of its first call.
#include "common/error.hpp"
#include "model/conductor.hpp"

namespace ccsim::model {

void build_redials(const scenario::Scenario& s, Model& m) {
  for (std::size_t t = 0; t < s.contact_types.size(); ++t) {
    const scenario::ContactType& ct = s.contact_types[t];
    RedialModel r;
    r.probability = ct.redial.probability;
    r.delay = ct.redial.delay;
    r.max_attempts = ct.redial.max_attempts;
    r.as = static_cast<std::uint32_t>(ct.redial.as < 0 ? static_cast<int>(t) : ct.redial.as);
    m.redials |= ct.redial.any();
    m.redial.push_back(r);
    m.queue_limit.push_back(ct.queue_limit);
    m.limited |= ct.queue_limit >= 0;
    m.callback.push_back(ct.callback);
    m.callbacks |= ct.callback.any();
  }
  m.line_group.assign(s.contact_types.size(), -1);
  for (std::size_t g = 0; g < s.lines.size(); ++g) {
    for (int t : s.lines[g].types) m.line_group[static_cast<std::size_t>(t)] = static_cast<int>(g);
    m.lines.push_back(s.lines[g].lines);
    m.limited = true;
  }
}

using State = Replication::State;

// The attempt in `slot` found every line of its group taken, or every waiting place of its type: it hears
// busy and leaves, and may call again.
void State::block(std::uint32_t slot, double now) {
  tally.blocked(contacts[slot], slot);
  left_unanswered(slot);
  failed(slot, scenario::RedialCause::blocked, now);
  release(slot);
}

void State::customer_served(std::uint32_t slot) {
  const Contact& c = contacts[slot];
  if (!c.transferred) tally.customer_ended(redials.first_cell(c, slot), true);
}

void State::customer_lost(std::uint32_t slot) {
  const Contact& c = contacts[slot];
  if (!c.transferred) tally.customer_ended(redials.first_cell(c, slot), false);
}

// A caller's attempt ended unanswered for `cause` (the tally has counted it): the caller calls again, or the
// customer is lost. A transfer leg is no call of its own: its customer was served already. A redial due
// after the day's closing is not made: the line is closed, the customer lost.
void State::failed(std::uint32_t slot, scenario::RedialCause cause, double now) {
  const Contact& c = contacts[slot];
  if (c.transferred) return;
  if (m.redials) {
    const RedialModel& r = m.redial[c.type];
    const double chance = r.chance(cause, c.attempt);
    // No draw where nobody calls again: a redial probability of 0 leaves every stream as it was.
    if (chance > 0.0 && redial_choice[c.type].uniform() < chance) {
      const double at = now + r.delay.sample(redial_choice[c.type]);
      if (at < m.day_end_s && !clock.past_closing(at)) {
        const std::uint32_t index = redials.add({redials.customer(c, slot), redials.first_cell(c, slot), r.as,
                                                 static_cast<std::uint8_t>(c.attempt + 1), true});
        schedule(at, EventKind::redial, index);
        return;
      }
    }
  }
  tally.customer_ended(redials.first_cell(c, slot), false);
}

// A redial arrives: a contact of its own (drawn from the redial stream of the type it calls as, so fresh
// callers stay the same under every policy), the customer's next attempt.
void State::on_redial(std::uint32_t index, double now) {
  const Redials::Pending p = redials.take(index);
  const std::uint32_t type = p.type;
  engine::Stream& draws = redialled[type];
  const std::uint32_t slot = new_slot();
  const std::uint32_t k = clock.interval_of(now);
  const double handle_s = m.handle_time[type].sample(draws) * m.handle_scale[type * m.intervals + k];
  const double patience_s = m.patience[type].sample(draws);
  const double wrap_s = m.wrap_up[type].sample(draws);
  const double transfer_u = m.transfers_from[type].empty() ? 1.0 : draws.uniform();
  contacts[slot] = {now,
                    now,
                    kNaN,
                    handle_s,
                    wrap_s,
                    transfer_u,
                    next_serial++,
                    type,
                    k * static_cast<std::uint32_t>(m.types) + type,
                    ContactState::waiting};
  Contact& c = contacts[slot];
  c.attempt = p.attempt;
  redials.note(slot, p.customer, p.first_cell);
  tally.arrived(slot, c.serial, -1, now);
  tally.redial(c, slot, p.customer);
  tally.offered(c.cell, false);
  entered(slot);
  walk_in(slot, patience_s, now);
}

}  // namespace ccsim::model
