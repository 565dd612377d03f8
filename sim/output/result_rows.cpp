// The compound types of the results file's tables (see result_rows.hpp).
#include "output/result_rows.hpp"

#include <charconv>

#include "model/records.hpp"

namespace ccsim::output::detail {

Compound contact_row_type(const char* index_field) {
  Compound t(sizeof(ContactRow));
  t.add("policy", offsetof(ContactRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(ContactRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(ContactRow, replication), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(ContactRow, interval), H5T_NATIVE_INT32);
  t.name("contact_type", offsetof(ContactRow, contact_type));
#define CCSIM_FIELD(f, type) t.add(#f, offsetof(ContactRow, f), type)
  CCSIM_FIELD(offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(answered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(abandoned, H5T_NATIVE_UINT64);
  CCSIM_FIELD(unserved, H5T_NATIVE_UINT64);
  CCSIM_FIELD(short_abandoned, H5T_NATIVE_UINT64);
  CCSIM_FIELD(answered_within_tau, H5T_NATIVE_UINT64);
  CCSIM_FIELD(abandoned_within_tau, H5T_NATIVE_UINT64);
  CCSIM_FIELD(balked, H5T_NATIVE_UINT64);
  CCSIM_FIELD(appointments, H5T_NATIVE_UINT64);
  CCSIM_FIELD(no_shows, H5T_NATIVE_UINT64);
  CCSIM_FIELD(booked_answered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(served_on_time, H5T_NATIVE_UINT64);
  CCSIM_FIELD(deferred_offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(due_met, H5T_NATIVE_UINT64);
  CCSIM_FIELD(backlog, H5T_NATIVE_UINT64);
  CCSIM_FIELD(announced, H5T_NATIVE_UINT64);
  CCSIM_FIELD(balked_announced, H5T_NATIVE_UINT64);
  CCSIM_FIELD(blocked, H5T_NATIVE_UINT64);
  CCSIM_FIELD(redials, H5T_NATIVE_UINT64);
  CCSIM_FIELD(customers, H5T_NATIVE_UINT64);
  CCSIM_FIELD(customers_served, H5T_NATIVE_UINT64);
  CCSIM_FIELD(customers_lost, H5T_NATIVE_UINT64);
  CCSIM_FIELD(first_offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(first_answered_within_tau, H5T_NATIVE_UINT64);
  CCSIM_FIELD(first_abandoned, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callbacks_offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callbacks_accepted, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callbacks_completed, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callbacks_failed, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callbacks_unserved, H5T_NATIVE_UINT64);
  CCSIM_FIELD(callback_delay_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_answered_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_abandoned_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_unserved_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(handle_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(service_level, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(asa, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(mean_wait, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(abandon_rate, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(aht, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p50, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p80, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p90, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p95, H5T_NATIVE_DOUBLE);
#undef CCSIM_FIELD
  return t;
}

Compound agent_row_type(const char* index_field) {
  Compound t(sizeof(AgentRow));
  t.add("policy", offsetof(AgentRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(AgentRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(AgentRow, replication), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(AgentRow, interval), H5T_NATIVE_INT32);
  t.name("group", offsetof(AgentRow, group));
  for (auto [name, offset] : {std::pair{"scheduled_s", offsetof(AgentRow, scheduled_s)},
                              {"staffed_s", offsetof(AgentRow, staffed_s)},
                              {"available_s", offsetof(AgentRow, available_s)},
                              {"busy_s", offsetof(AgentRow, busy_s)},
                              {"wrap_s", offsetof(AgentRow, wrap_s)},
                              {"break_s", offsetof(AgentRow, break_s)},
                              {"shrinkage_s", offsetof(AgentRow, shrinkage_s)},
                              {"interrupted_s", offsetof(AgentRow, interrupted_s)},
                              {"occupancy", offsetof(AgentRow, occupancy)}})
    t.add(name, offset, H5T_NATIVE_DOUBLE);
  return t;
}

Compound summary_row_type(const char* index_field, const char* subject) {
  Compound t(sizeof(SummaryRow));
  t.add("policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(SummaryRow, point), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(SummaryRow, interval), H5T_NATIVE_INT32);
  if (subject) t.name(subject, offsetof(SummaryRow, subject));
  t.text("measure", offsetof(SummaryRow, measure), kWord)
      .text("estimator", offsetof(SummaryRow, estimator), kWord)
      .add("mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE)
      .add("half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE)
      .add("ci_low", offsetof(SummaryRow, ci_low), H5T_NATIVE_DOUBLE)
      .add("ci_high", offsetof(SummaryRow, ci_high), H5T_NATIVE_DOUBLE)
      .add("n", offsetof(SummaryRow, n), H5T_NATIVE_INT32);
  if (subject) t.add("erlang_a", offsetof(SummaryRow, erlang_a), H5T_NATIVE_DOUBLE);
  t.add("mean_of_days", offsetof(SummaryRow, mean_of_days), H5T_NATIVE_DOUBLE)
      .add("half_width_of_days", offsetof(SummaryRow, half_width_of_days), H5T_NATIVE_DOUBLE);
  return t;
}

Compound measure_row_type() {
  Compound t(sizeof(MeasureRow));
  t.text("name", offsetof(MeasureRow, name), kWord)
      .text("definition", offsetof(MeasureRow, definition), kName)
      .text("unit", offsetof(MeasureRow, unit), kWord)
      .text("display", offsetof(MeasureRow, display), kWord)
      .text("pooling", offsetof(MeasureRow, pooling), kWord)
      .text("numerator", offsetof(MeasureRow, numerator), kName)
      .text("denominator", offsetof(MeasureRow, denominator), kName);
  return t;
}

Compound interval_row_type() {
  Compound t(sizeof(IntervalRow));
  t.add("index", offsetof(IntervalRow, index), H5T_NATIVE_INT32)
      .add("day", offsetof(IntervalRow, day), H5T_NATIVE_INT32)
      .text("label", offsetof(IntervalRow, label), sizeof(IntervalRow::label))
      .add("start_s", offsetof(IntervalRow, start_s), H5T_NATIVE_DOUBLE)
      .add("length_s", offsetof(IntervalRow, length_s), H5T_NATIVE_DOUBLE)
      .add("warmup", offsetof(IntervalRow, warmup), H5T_NATIVE_UINT8);
  return t;
}

Compound name_row_type() {
  Compound t(sizeof(NameRow));
  t.add("index", offsetof(NameRow, index), H5T_NATIVE_INT32).name("name", offsetof(NameRow, name));
  return t;
}

Compound skill_row_type() {
  Compound t(sizeof(SkillRow));
  t.add("policy", offsetof(SkillRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(SkillRow, point), H5T_NATIVE_INT32)
      .add("index", offsetof(SkillRow, index), H5T_NATIVE_INT32)
      .name("contact_type", offsetof(SkillRow, contact_type))
      .name("group", offsetof(SkillRow, group))
      .add("priority", offsetof(SkillRow, priority), H5T_NATIVE_INT32)
      .add("overflow_after_s", offsetof(SkillRow, overflow_after_s), H5T_NATIVE_DOUBLE)
      .add("weight", offsetof(SkillRow, weight), H5T_NATIVE_DOUBLE);
  return t;
}

Compound transfer_edge_row_type() {
  Compound t(sizeof(TransferEdgeRow));
  t.add("policy", offsetof(TransferEdgeRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(TransferEdgeRow, point), H5T_NATIVE_INT32)
      .add("index", offsetof(TransferEdgeRow, index), H5T_NATIVE_INT32)
      .name("from", offsetof(TransferEdgeRow, from))
      .name("to", offsetof(TransferEdgeRow, to))
      .add("probability", offsetof(TransferEdgeRow, probability), H5T_NATIVE_DOUBLE);
  return t;
}

Compound served_row_type(bool with_interval) {
  Compound t(sizeof(ServedRow));
  t.add("policy", offsetof(ServedRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(ServedRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(ServedRow, replication), H5T_NATIVE_INT32);
  if (with_interval) t.add("interval", offsetof(ServedRow, interval), H5T_NATIVE_INT32);
  t.add("skill", offsetof(ServedRow, skill), H5T_NATIVE_INT32)
      .name("contact_type", offsetof(ServedRow, contact_type))
      .name("group", offsetof(ServedRow, group))
      .add("answered", offsetof(ServedRow, answered), H5T_NATIVE_UINT64)
      .add("handle_s", offsetof(ServedRow, handle_s), H5T_NATIVE_DOUBLE);
  return t;
}

Compound served_summary_row_type(bool with_interval) {
  Compound t(sizeof(ServedSummaryRow));
  t.add("policy", offsetof(ServedSummaryRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(ServedSummaryRow, point), H5T_NATIVE_INT32);
  if (with_interval) t.add("interval", offsetof(ServedSummaryRow, interval), H5T_NATIVE_INT32);
  t.add("skill", offsetof(ServedSummaryRow, skill), H5T_NATIVE_INT32)
      .name("contact_type", offsetof(ServedSummaryRow, contact_type))
      .name("group", offsetof(ServedSummaryRow, group))
      .name("measure", offsetof(ServedSummaryRow, measure))
      .add("mean", offsetof(ServedSummaryRow, mean), H5T_NATIVE_DOUBLE)
      .add("half_width", offsetof(ServedSummaryRow, half_width), H5T_NATIVE_DOUBLE)
      .add("ci_low", offsetof(ServedSummaryRow, ci_low), H5T_NATIVE_DOUBLE)
      .add("ci_high", offsetof(ServedSummaryRow, ci_high), H5T_NATIVE_DOUBLE)
      .add("n", offsetof(ServedSummaryRow, n), H5T_NATIVE_INT32);
  return t;
}

Compound transfer_count_row_type(bool with_interval) {
  Compound t(sizeof(TransferCountRow));
  t.add("policy", offsetof(TransferCountRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(TransferCountRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(TransferCountRow, replication), H5T_NATIVE_INT32);
  if (with_interval) t.add("interval", offsetof(TransferCountRow, interval), H5T_NATIVE_INT32);
  t.add("transfer", offsetof(TransferCountRow, transfer), H5T_NATIVE_INT32)
      .name("from", offsetof(TransferCountRow, from))
      .name("to", offsetof(TransferCountRow, to))
      .add("transferred", offsetof(TransferCountRow, transferred), H5T_NATIVE_UINT64);
  return t;
}

Compound prediction_summary_row_type(bool with_interval) {
  Compound t(sizeof(PredictionSummaryRow));
  t.add("policy", offsetof(PredictionSummaryRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(PredictionSummaryRow, point), H5T_NATIVE_INT32);
  if (with_interval) t.add("interval", offsetof(PredictionSummaryRow, interval), H5T_NATIVE_INT32);
  t.name("contact_type", offsetof(PredictionSummaryRow, contact_type))
      .name("predictor", offsetof(PredictionSummaryRow, predictor));
  for (auto [name, offset] :
       {std::pair{"bias_s", offsetof(PredictionSummaryRow, bias_s)},
        {"bias_half_width", offsetof(PredictionSummaryRow, bias_half_width)},
        {"rmse_s", offsetof(PredictionSummaryRow, rmse_s)},
        {"rmse_half_width", offsetof(PredictionSummaryRow, rmse_half_width)},
        {"relative_error", offsetof(PredictionSummaryRow, relative_error)},
        {"relative_error_half_width", offsetof(PredictionSummaryRow, relative_error_half_width)},
        {"share_longer", offsetof(PredictionSummaryRow, share_longer)},
        {"share_longer_half_width", offsetof(PredictionSummaryRow, share_longer_half_width)}})
    t.add(name, offset, H5T_NATIVE_DOUBLE);
  return t;
}

Compound prediction_raw_row_type() {
  Compound t(sizeof(PredictionRawRow));
  t.add("policy", offsetof(PredictionRawRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(PredictionRawRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(PredictionRawRow, replication), H5T_NATIVE_INT32)
      .add("interval", offsetof(PredictionRawRow, interval), H5T_NATIVE_INT32)
      .name("contact_type", offsetof(PredictionRawRow, contact_type))
      .name("predictor", offsetof(PredictionRawRow, predictor))
      .add("n", offsetof(PredictionRawRow, n), H5T_NATIVE_UINT64)
      .add("n_relative", offsetof(PredictionRawRow, n_relative), H5T_NATIVE_UINT64)
      .add("waited_longer", offsetof(PredictionRawRow, waited_longer), H5T_NATIVE_UINT64)
      .add("sum_error", offsetof(PredictionRawRow, sum_error), H5T_NATIVE_DOUBLE)
      .add("sum_squared_error", offsetof(PredictionRawRow, sum_squared_error), H5T_NATIVE_DOUBLE)
      .add("sum_relative_error", offsetof(PredictionRawRow, sum_relative_error), H5T_NATIVE_DOUBLE);
  return t;
}

Compound break_row_type() {
  Compound t(sizeof(BreakRow));
  t.add("policy", offsetof(BreakRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(BreakRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(BreakRow, replication), H5T_NATIVE_INT32)
      .name("group", offsetof(BreakRow, group))
      .add("planned", offsetof(BreakRow, planned), H5T_NATIVE_UINT64)
      .add("taken", offsetof(BreakRow, taken), H5T_NATIVE_UINT64)
      .add("forfeited", offsetof(BreakRow, forfeited), H5T_NATIVE_UINT64)
      .add("late", offsetof(BreakRow, late), H5T_NATIVE_UINT64)
      .add("delay_s", offsetof(BreakRow, delay_s), H5T_NATIVE_DOUBLE);
  return t;
}

Compound price_row_type() {
  Compound t(sizeof(PriceRow));
  t.add("policy", offsetof(PriceRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(PriceRow, point), H5T_NATIVE_INT32)
      .text("kind", offsetof(PriceRow, kind), kWord)
      .name("name", offsetof(PriceRow, name))
      .add("value", offsetof(PriceRow, value), H5T_NATIVE_DOUBLE);
  return t;
}

Compound cost_row_type(const char* index_field) {
  Compound t(sizeof(CostRow));
  t.add("policy", offsetof(CostRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(CostRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(CostRow, replication), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(CostRow, interval), H5T_NATIVE_INT32);
  for (auto [name, offset] : {std::pair{"paid_s", offsetof(CostRow, paid_s)},
                              {"staff_cost", offsetof(CostRow, staff_cost)},
                              {"abandon_cost", offsetof(CostRow, abandon_cost)},
                              {"unserved_cost", offsetof(CostRow, unserved_cost)},
                              {"cost", offsetof(CostRow, cost)}})
    t.add(name, offset, H5T_NATIVE_DOUBLE);
  return t;
}

namespace {

template <class Name>
Handle enum_type(int count, Name name) {
  Handle t(check_id(H5Tenum_create(H5T_NATIVE_UINT8), "enum type"), H5Tclose);
  for (int i = 0; i < count; ++i) {
    const auto value = static_cast<std::uint8_t>(i);
    check(H5Tenum_insert(t, name(i), &value), "enum value");
  }
  return t;
}

}  // namespace

Compound contact_record_row_type() {
  const Handle outcome =
      enum_type(model::kOutcomes, [](int i) { return model::outcome_name(static_cast<model::Outcome>(i)); });
  const Handle channel =
      enum_type(4, [](int i) { return model::channel_name(static_cast<scenario::Channel>(i)); });
  Compound t(sizeof(ContactRecordRow));
#define CCSIM_FIELD(f, type) t.add(#f, offsetof(ContactRecordRow, f), type)
  CCSIM_FIELD(policy, H5T_NATIVE_INT32);
  CCSIM_FIELD(point, H5T_NATIVE_INT32);
  CCSIM_FIELD(replication, H5T_NATIVE_INT32);
  CCSIM_FIELD(contact, H5T_NATIVE_INT64);
  CCSIM_FIELD(customer, H5T_NATIVE_INT64);
  CCSIM_FIELD(attempt, H5T_NATIVE_INT32);
  CCSIM_FIELD(contact_type, H5T_NATIVE_INT32);
  CCSIM_FIELD(channel, channel);
  CCSIM_FIELD(interval, H5T_NATIVE_INT32);
  CCSIM_FIELD(arrival_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(queued_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(outcome, outcome);
  CCSIM_FIELD(group, H5T_NATIVE_INT32);
  CCSIM_FIELD(agent, H5T_NATIVE_INT32);
  CCSIM_FIELD(handle_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wrap_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(transfer_to, H5T_NATIVE_INT32);
  CCSIM_FIELD(parent, H5T_NATIVE_INT64);
  CCSIM_FIELD(announced_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(predicted_s, H5T_NATIVE_DOUBLE);
#undef CCSIM_FIELD
  return t;
}

Compound agent_record_row_type() {
  const Handle state = enum_type(
      model::kAgentStates, [](int i) { return model::agent_state_name(static_cast<model::AgentState>(i)); });
  Compound t(sizeof(AgentRecordRow));
  t.add("policy", offsetof(AgentRecordRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(AgentRecordRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(AgentRecordRow, replication), H5T_NATIVE_INT32)
      .add("time_s", offsetof(AgentRecordRow, time_s), H5T_NATIVE_DOUBLE)
      .add("agent", offsetof(AgentRecordRow, agent), H5T_NATIVE_INT32)
      .add("group", offsetof(AgentRecordRow, group), H5T_NATIVE_INT32)
      .add("from", offsetof(AgentRecordRow, from), state)
      .add("to", offsetof(AgentRecordRow, to), state);
  return t;
}

namespace {

bool is_number(const std::string& text) {
  double v = 0.0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

Compound points_row_type(const std::vector<std::string>& paths,
                         const std::vector<std::vector<std::string>>& values,
                         std::vector<std::size_t>* offsets, std::vector<bool>* numeric) {
  std::vector<bool> is_numeric(paths.size(), true);
  for (const auto& row : values)
    for (std::size_t j = 0; j < row.size() && j < paths.size(); ++j)
      is_numeric[j] = is_numeric[j] && is_number(row[j]);
  std::vector<std::size_t> offset;
  std::size_t size = sizeof(std::int32_t);
  // Fields follow each other without padding: the rows are then already in the file's (packed) layout.
  for (std::size_t j = 0; j < paths.size(); ++j) {
    offset.push_back(size);
    size += is_numeric[j] ? sizeof(double) : kName;
  }
  Compound t(size);
  t.add("index", 0, H5T_NATIVE_INT32);
  for (std::size_t j = 0; j < paths.size(); ++j) {
    if (paths[j] == "index") throw OutputError("HDF5: a swept path cannot be named 'index'");
    if (is_numeric[j])
      t.add(paths[j].c_str(), offset[j], H5T_NATIVE_DOUBLE);
    else
      t.text(paths[j].c_str(), offset[j], kName);
  }
  if (offsets) *offsets = offset;
  if (numeric) *numeric = is_numeric;
  return t;
}

std::size_t study_names_width(const scenario::Study& study) {
  std::size_t longest = 0;
  auto see = [&](const std::string& name) { longest = std::max(longest, name.size()); };
  for (const auto& n : study.names) see(n);
  for (const auto& s : study.policies) {
    for (const auto& t : s.contact_types) see(t.name);
    for (const auto& g : s.agent_groups) see(g.name);
    for (const auto& l : s.locations) see(l.name);
  }
  return std::min(std::max(longest + 1, kWord), kName);
}

}  // namespace ccsim::output::detail
