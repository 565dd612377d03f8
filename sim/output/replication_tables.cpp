#include "output/replication_tables.hpp"

#include <cstring>

namespace ccsim::output::detail {
namespace {

ContactRow contact_row(Key key, int rep, int interval, const std::string& series,
                       const model::ContactCell& cell, scenario::ServiceLevelDefinition sl) {
  ContactRow row{};
  row.policy = key.policy;
  row.point = key.point;
  row.replication = rep;
  row.interval = interval;
  copy_name(row.contact_type, series);
  const auto& c = cell.counts;
  row.offered = c.offered;
  row.answered = c.answered;
  row.abandoned = c.abandoned;
  row.unserved = c.unserved;
  row.short_abandoned = c.short_abandoned;
  row.answered_within_tau = c.answered_within_tau;
  row.abandoned_within_tau = c.abandoned_within_tau;
  row.balked = c.balked;
  row.appointments = c.appointments;
  row.no_shows = c.no_shows;
  row.booked_answered = c.booked_answered;
  row.served_on_time = c.served_on_time;
  row.deferred_offered = c.deferred_offered;
  row.due_met = c.due_met;
  row.backlog = c.backlog;
  row.announced = c.announced;
  row.balked_announced = c.balked_announced;
  row.blocked = c.blocked;
  row.redials = c.redials;
  row.customers = c.customers;
  row.customers_served = c.customers_served;
  row.customers_lost = c.customers_lost;
  row.first_offered = c.first_offered;
  row.first_answered_within_tau = c.first_answered_within_tau;
  row.first_abandoned = c.first_abandoned;
  row.callbacks_offered = c.callbacks_offered;
  row.callbacks_accepted = c.callbacks_accepted;
  row.callbacks_completed = c.callbacks_completed;
  row.callbacks_failed = c.callbacks_failed;
  row.callbacks_unserved = c.callbacks_unserved;
  row.callback_delay_s = c.callback_delay_s;
  row.wait_answered_s = c.wait_answered_s;
  row.wait_abandoned_s = c.wait_abandoned_s;
  row.wait_unserved_s = c.wait_unserved_s;
  row.handle_s = c.handle_s;
  using model::Measure;
  row.service_level = model::value(cell, Measure::service_level, sl);
  row.asa = model::value(cell, Measure::asa, sl);
  row.mean_wait = model::value(cell, Measure::mean_wait, sl);
  row.abandon_rate = model::value(cell, Measure::abandon_rate, sl);
  row.aht = model::value(cell, Measure::aht, sl);
  row.wait_p50 = cell.wait.p50;
  row.wait_p80 = cell.wait.p80;
  row.wait_p90 = cell.wait.p90;
  row.wait_p95 = cell.wait.p95;
  return row;
}

// Rows are zeroed whole, padding included: HDF5 stores the struct's bytes as they are, and files of equal
// results must be equal byte for byte.
CostRow cost_row(Key key, int rep, int interval, const model::CostCell& c) {
  CostRow row;
  std::memset(&row, 0, sizeof row);
  row.policy = key.policy;
  row.point = key.point;
  row.replication = rep;
  row.interval = interval;
  row.paid_s = c.paid_s;
  row.staff_cost = c.staff;
  row.abandon_cost = c.abandon;
  row.unserved_cost = c.unserved;
  row.cost = c.total();
  return row;
}

}  // namespace

ReplicationTables::ReplicationTables(hid_t file, Key key, const scenario::Scenario& s,
                                     const std::vector<std::string>& series)
    : key_(key),
      s_(s),
      series_(series),
      contacts_by_interval_(file, "/replications/contacts_by_interval", contact_row_type("interval")),
      contacts_by_day_(file, "/replications/contacts_by_day", contact_row_type(nullptr)),
      contacts_per_day_(file, "/replications/contacts_per_day", contact_row_type("day")),
      agents_by_interval_(file, "/replications/agents_by_interval", agent_row_type("interval")),
      agents_by_day_(file, "/replications/agents_by_day", agent_row_type(nullptr)),
      agents_per_day_(file, "/replications/agents_per_day", agent_row_type("day")),
      breaks_(file, "/replications/breaks_by_day", break_row_type()),
      served_by_interval_(file, "/replications/served_by_interval", served_row_type(true)),
      served_by_day_(file, "/replications/served_by_day", served_row_type(false)),
      transfers_by_interval_(file, "/replications/transfers_by_interval", transfer_count_row_type(true)),
      transfers_by_day_(file, "/replications/transfers_by_day", transfer_count_row_type(false)),
      costs_by_interval_(file, "/replications/costs_by_interval", cost_row_type("interval")),
      costs_by_day_(file, "/replications/costs_by_day", cost_row_type(nullptr)),
      costs_per_day_(file, "/replications/costs_per_day", cost_row_type("day")) {
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills)
      skills_.emplace_back(s.contact_types[static_cast<std::size_t>(k.type)].name, g.name);
  for (const auto& t : s.contact_types)
    for (const auto& x : t.transfers)
      transfers_.emplace_back(t.name, s.contact_types[static_cast<std::size_t>(x.to)].name);
  if (s.announcement.measure)
    predictions_.emplace(file, "/replications/predictions_by_interval", prediction_raw_row_type());
}

void ReplicationTables::add(int ri, const model::ReplicationResult& rep) {
  const Key key = key_;
  const scenario::Scenario& s = s_;
  const std::size_t series = series_.size(), groups = s.agent_groups.size();
  auto agent_row = [&](int interval, std::size_t g, const model::AgentTime& at) {
    AgentRow a{key.policy,       key.point,        ri,        interval,  {},         at.scheduled_s,
               at.staffed_s,     at.available_s(), at.busy_s, at.wrap_s, at.break_s, at.shrinkage_s,
               at.interrupted_s, at.occupancy()};
    copy_name(a.group, s.agent_groups[g].name);
    return a;
  };
  for (int k = 0; k < s.run_intervals(); ++k) {
    const auto ku = static_cast<std::size_t>(k);
    for (std::size_t si = 0; si < series; ++si)
      contacts_by_interval_.push(
          contact_row(key, ri, k, series_[si], rep.contacts_by_interval[ku * series + si], s.sl_definition));
    for (std::size_t g = 0; g < groups; ++g)
      agents_by_interval_.push(agent_row(k, g, rep.agents_by_interval[ku * groups + g]));
  }
  for (std::size_t si = 0; si < series; ++si)
    contacts_by_day_.push(contact_row(key, ri, -1, series_[si], rep.contacts_by_day[si], s.sl_definition));
  for (std::size_t g = 0; g < groups; ++g) agents_by_day_.push(agent_row(-1, g, rep.agents_by_day[g]));
  for (int d = 0; d < s.days; ++d) {
    const auto du = static_cast<std::size_t>(d);
    for (std::size_t si = 0; si < series; ++si)
      contacts_per_day_.push(
          contact_row(key, ri, d, series_[si], rep.contacts_per_day[du * series + si], s.sl_definition));
    for (std::size_t g = 0; g < groups; ++g)
      agents_per_day_.push(agent_row(d, g, rep.agents_per_day[du * groups + g]));
  }
  for (std::size_t g = 0; g < groups; ++g) {
    const auto& b = rep.breaks_by_day[g];
    BreakRow row{key.policy, key.point, ri, {}, b.planned, b.taken, b.forfeited, b.late, b.delay_s};
    copy_name(row.group, s.agent_groups[g].name);
    breaks_.push(row);
  }

  const std::size_t ne = skills_.size(), nt = transfers_.size();
  auto served_row = [&](int interval, std::size_t e, const model::ServedCount& c) {
    ServedRow row{key.policy, key.point, ri,         interval,  static_cast<std::int32_t>(e),
                  {},         {},        c.answered, c.handle_s};
    copy_name(row.contact_type, skills_[e].first);
    copy_name(row.group, skills_[e].second);
    return row;
  };
  auto transfer_row = [&](int interval, std::size_t e, std::uint64_t n) {
    TransferCountRow row{key.policy, key.point, ri, interval, static_cast<std::int32_t>(e), {}, {}, n};
    copy_name(row.from, transfers_[e].first);
    copy_name(row.to, transfers_[e].second);
    return row;
  };
  for (int k = 0; k < s.run_intervals(); ++k) {
    const auto ku = static_cast<std::size_t>(k);
    for (std::size_t e = 0; e < ne; ++e)
      served_by_interval_.push(served_row(k, e, rep.served_by_interval[ku * ne + e]));
    for (std::size_t e = 0; e < nt; ++e)
      transfers_by_interval_.push(transfer_row(k, e, rep.transfers_by_interval[ku * nt + e]));
  }
  for (std::size_t e = 0; e < ne; ++e) served_by_day_.push(served_row(-1, e, rep.served_by_day[e]));
  for (std::size_t e = 0; e < nt; ++e) transfers_by_day_.push(transfer_row(-1, e, rep.transfers_by_day[e]));

  if (predictions_) {
    const auto& v = rep.predictions_by_interval;
    const std::size_t types = s.contact_types.size();
    for (std::size_t j = 0; j < v.size(); ++j) {
      const std::size_t p = j % model::kPredictors, t = (j / model::kPredictors) % types,
                        k = j / (model::kPredictors * types);
      PredictionRawRow row{key.policy,
                           key.point,
                           ri,
                           static_cast<std::int32_t>(k),
                           {},
                           {},
                           v[j].n,
                           v[j].n_relative,
                           v[j].waited_longer,
                           v[j].sum_error,
                           v[j].sum_squared_error,
                           v[j].sum_relative_error};
      copy_name(row.contact_type, s.contact_types[t].name);
      copy_name(row.predictor, scenario::to_string(static_cast<scenario::Predictor>(p)));
      predictions_->push(row);
    }
  }

  for (std::size_t k = 0; k < rep.costs_by_interval.size(); ++k)
    costs_by_interval_.push(cost_row(key, ri, static_cast<int>(k), rep.costs_by_interval[k]));
  for (std::size_t d = 0; d < rep.costs_per_day.size(); ++d)
    costs_per_day_.push(cost_row(key, ri, static_cast<int>(d), rep.costs_per_day[d]));
  costs_by_day_.push(cost_row(key, ri, -1, rep.costs_by_day));
}

void ReplicationTables::finish() {
  contacts_by_interval_.finish();
  contacts_by_day_.finish();
  contacts_per_day_.finish();
  agents_by_interval_.finish();
  agents_by_day_.finish();
  agents_per_day_.finish();
  breaks_.finish();
  served_by_interval_.finish();
  served_by_day_.finish();
  transfers_by_interval_.finish();
  transfers_by_day_.finish();
  costs_by_interval_.finish();
  costs_by_day_.finish();
  costs_per_day_.finish();
  if (predictions_) predictions_->finish();
}

}  // namespace ccsim::output::detail
