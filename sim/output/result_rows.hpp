// The rows of every results-file table, defined once: a struct per table kind (how the writer fills a
// row in memory) and the compound type that stores it (field names, order, names packed to the file's
// width). The writer writes these types and the size estimate (results_size.hpp) multiplies their
// stored sizes by row counts, so the two cannot disagree about a row's bytes. Internal to sim/output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "output/hdf5_util.hpp"

namespace ccsim::output::detail {

// `index_field` below: "interval", "day", or nullptr for whole-run rows.

struct ContactRow {
  std::int32_t policy, point, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau;
  std::uint64_t balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered, due_met,
      backlog, announced, balked_announced;
  std::uint64_t blocked, redials, customers, customers_served, customers_lost, first_offered,
      first_answered_within_tau, first_abandoned;
  std::uint64_t callbacks_offered, callbacks_accepted, callbacks_completed, callbacks_failed,
      callbacks_unserved;
  double callback_delay_s;
  double wait_answered_s, wait_abandoned_s, wait_unserved_s, handle_s;
  double service_level, asa, mean_wait, abandon_rate, aht, wait_p50, wait_p80, wait_p90, wait_p95;
};
Compound contact_row_type(const char* index_field);

struct AgentRow {
  std::int32_t policy, point, replication, interval;
  char group[kName];
  double scheduled_s, staffed_s, available_s, busy_s, wrap_s, break_s, shrinkage_s, interrupted_s, occupancy;
};
Compound agent_row_type(const char* index_field);

// A summary figure: the default estimator (`estimator` names it: ratio_of_totals, mean or
// pooled_percentile) in mean/half_width/ci_low/ci_high, the mean of each replication's own value beside it.
struct SummaryRow {
  std::int32_t policy, point, interval;
  char subject[kName];  // contact type ("all" for the pooled series) or agent group ("all": every group)
  char measure[kWord];
  char estimator[kWord];
  double mean, half_width, ci_low, ci_high;
  std::int32_t n;
  double erlang_a, mean_of_days, half_width_of_days;
};
// `subject`: the name of the subject column, or nullptr for figures of the whole centre (costs), which
// have neither a subject nor an Erlang value.
Compound summary_row_type(const char* index_field, const char* subject);
inline SummaryRow summary_row(Key key, int interval, const std::string& subject, model::Measure measure,
                              const analysis::Estimate& e, double erlang_a,
                              const analysis::Estimate& of_days) {
  SummaryRow row{};
  row.policy = key.policy;
  row.point = key.point;
  row.interval = interval;
  copy_name(row.subject, subject);
  copy_name(row.measure, model::to_string(measure));
  copy_name(row.estimator, model::estimator_name(measure));
  row.mean = e.mean;
  row.half_width = e.half_width;
  row.ci_low = e.low();
  row.ci_high = e.high();
  row.n = static_cast<std::int32_t>(e.n);
  row.erlang_a = erlang_a;
  row.mean_of_days = of_days.mean;
  row.half_width_of_days = of_days.half_width;
  return row;
}

// The measure table itself, so that a file says what each name in its `measure` columns means.
struct MeasureRow {
  char name[kWord], unit[kWord], display[kWord], pooling[kWord];
  char definition[kName], numerator[kName], denominator[kName];
};
Compound measure_row_type();

struct IntervalRow {
  std::int32_t index, day;
  char label[kName + 16];  // a day label (a name) and the clock time
  double start_s, length_s;
  std::uint8_t warmup;
};
Compound interval_row_type();

// /policies, /contact_types, /agent_groups.
struct NameRow {
  std::int32_t index;
  char name[kName];
};
Compound name_row_type();

struct SkillRow {
  std::int32_t policy, point, index;
  char contact_type[kName], group[kName];
  std::int32_t priority;
  double overflow_after_s, weight;
};
Compound skill_row_type();

struct TransferEdgeRow {
  std::int32_t policy, point, index;
  char from[kName], to[kName];
  double probability;
};
Compound transfer_edge_row_type();

struct ServedRow {
  std::int32_t policy, point, replication, interval, skill;
  char contact_type[kName], group[kName];
  std::uint64_t answered;
  double handle_s;
};
Compound served_row_type(bool with_interval);

struct ServedSummaryRow {
  std::int32_t policy, point, interval, skill;
  char contact_type[kName], group[kName], measure[kName];
  double mean, half_width, ci_low, ci_high;
  std::int32_t n;
};
Compound served_summary_row_type(bool with_interval);

struct TransferCountRow {
  std::int32_t policy, point, replication, interval, transfer;
  char from[kName], to[kName];
  std::uint64_t transferred;
};
Compound transfer_count_row_type(bool with_interval);

struct PredictionSummaryRow {
  std::int32_t policy, point, interval;
  char contact_type[kName], predictor[kName];
  double bias_s, bias_half_width, rmse_s, rmse_half_width, relative_error, relative_error_half_width,
      share_longer, share_longer_half_width;
};
Compound prediction_summary_row_type(bool with_interval);

struct PredictionRawRow {
  std::int32_t policy, point, replication, interval;
  char contact_type[kName], predictor[kName];
  std::uint64_t n, n_relative, waited_longer;
  double sum_error, sum_squared_error, sum_relative_error;
};
Compound prediction_raw_row_type();

struct BreakRow {
  std::int32_t policy, point, replication;
  char group[kName];
  std::uint64_t planned, taken, forfeited, late;
  double delay_s;
};
Compound break_row_type();

struct PriceRow {
  std::int32_t policy, point;
  char kind[kWord];  // per_hour (a group), location_per_hour, per_abandoned, per_unserved, absence_paid
  char name[kName];  // the group, location or contact type; empty for absence_paid
  double value;
};
Compound price_row_type();

struct CostRow {
  std::int32_t policy, point, replication, interval;
  double paid_s, staff_cost, abandon_cost, unserved_cost, cost;
};
Compound cost_row_type(const char* index_field);

// `run --records`: a row per contact leg and per agent state change, enums as HDF5 enums.
struct ContactRecordRow {
  std::int32_t policy, point, replication;
  std::int64_t contact, customer, parent;
  std::int32_t attempt, contact_type, interval, group, agent, transfer_to;
  std::uint8_t channel, outcome;
  double arrival_s, queued_s, wait_s, handle_s, wrap_s, announced_s, predicted_s;
};
Compound contact_record_row_type();

struct AgentRecordRow {
  std::int32_t policy, point, replication;
  double time_s;
  std::int32_t agent, group;
  std::uint8_t from, to;
};
Compound agent_record_row_type();

// A sweep's /points: `index`, then one column per swept path, a double where every value is a number,
// else a kName-byte text. The row is packed (no padding): `offsets` receives each path's column offset.
Compound points_row_type(const std::vector<std::string>& paths,
                         const std::vector<std::vector<std::string>>& values,
                         std::vector<std::size_t>* offsets, std::vector<bool>* numeric);

// The width of a results file's name fields: its longest name and a NUL (at least kWord, at most kName).
// Names are the study's policies and each policy's contact types, groups and locations; the series "all"
// and our own words (predictors, measures) are shorter than kWord.
std::size_t study_names_width(const scenario::Study& study);

}  // namespace ccsim::output::detail
