#include "output/hdf5_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <map>
#include <tuple>

#include "common/error.hpp"
#include "model/results.hpp"
#include "output/results_file.hpp"

namespace ccsim::output {
namespace {

constexpr std::size_t kName = 256;  // format 6; format 5's 32-byte names convert into it
constexpr std::size_t kLabel = kName + 16;

using namespace detail;

struct NameRow {
  std::int32_t index;
  char name[kName];
};

struct LabelRow {
  std::int32_t index, day;
  char label[kLabel];
  double start_s, length_s;
  std::uint8_t warmup;
};

struct ContactRow {
  std::int32_t policy, point, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau, balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered,
      due_met, backlog, announced, balked_announced;
  std::uint64_t blocked = 0, redials = 0, customers = 0, customers_served = 0, customers_lost = 0,
                first_offered = 0, first_answered_within_tau = 0, first_abandoned = 0;  // from format 14
  std::uint64_t callbacks_offered = 0, callbacks_accepted = 0, callbacks_completed = 0, callbacks_failed = 0,
                callbacks_unserved = 0;  // from format 15
  double callback_delay_s = 0.0;         // from format 15
  double wait_answered_s, wait_abandoned_s, handle_s;
  double wait_unserved_s = 0.0;  // from format 6
};

struct AgentRow {
  std::int32_t policy, point, replication, interval;
  double available_s, busy_s;
};

struct CostRow {
  std::int32_t policy, point, replication, interval;
  double paid_s, staff_cost, abandon_cost, unserved_cost;
};

scenario::ServiceLevelDefinition sl_definition(const std::string& name) {
  using D = scenario::ServiceLevelDefinition;
  for (D d : {D::offered, D::offered_minus_short_abandons, D::answered, D::answered_plus_late_abandons})
    if (name == scenario::to_string(d)) return d;
  return D::offered;
}

// Each row's text at the place its `index` column gives (not its row number), every place filled once.
std::vector<std::string> placed(const File& f, const char* path,
                                const std::vector<std::pair<std::int32_t, std::string>>& rows) {
  std::vector<std::string> out(rows.size());
  std::vector<bool> seen(rows.size(), false);
  for (const auto& [index, text] : rows) {
    if (index < 0 || static_cast<std::size_t>(index) >= rows.size() || seen[static_cast<std::size_t>(index)])
      f.damaged(std::string(path) + ": index " + std::to_string(index) + " is out of place among " +
                std::to_string(rows.size()) + " rows");
    seen[static_cast<std::size_t>(index)] = true;
    out[static_cast<std::size_t>(index)] = text;
  }
  return out;
}

std::vector<std::string> names_of(const File& f, const char* path) {
  std::vector<std::pair<std::int32_t, std::string>> rows;
  for (const auto& row : f.table<NameRow>(path, {number("index", offsetof(NameRow, index), H5T_NATIVE_INT32),
                                                 text("name", offsetof(NameRow, name), kName)}))
    rows.emplace_back(row.index, row.name);
  return placed(f, path, rows);
}

std::vector<std::string> interval_labels_of(const File& f, std::vector<model::RunInterval>* intervals = nullptr) {
  std::vector<std::pair<std::int32_t, std::string>> rows;
  const auto table =
      f.table<LabelRow>("/intervals", {number("index", offsetof(LabelRow, index), H5T_NATIVE_INT32),
                                       number("day", offsetof(LabelRow, day), H5T_NATIVE_INT32),
                                       text("label", offsetof(LabelRow, label), kLabel),
                                       number("start_s", offsetof(LabelRow, start_s), H5T_NATIVE_DOUBLE),
                                       number("length_s", offsetof(LabelRow, length_s), H5T_NATIVE_DOUBLE),
                                       number("warmup", offsetof(LabelRow, warmup), H5T_NATIVE_UINT8)});
  for (const auto& row : table) rows.emplace_back(row.index, row.label);
  std::vector<std::string> labels = placed(f, "/intervals", rows);
  if (intervals) {
    // Placed as the labels are (checked above); several days when any interval is past the first.
    bool several_days = false;
    for (const auto& row : table) several_days |= row.day > 0;
    intervals->assign(labels.size(), {});
    for (const auto& row : table)
      (*intervals)[static_cast<std::size_t>(row.index)] = {
          row.day, model::day_label_of(row.label, several_days), row.start_s, row.length_s, row.warmup != 0};
  }
  return labels;
}

struct IndexRow {
  std::int32_t index;
};

// The sweep's points (1 outside a sweep: files before format 11 and plain runs have no /points), each index
// once.
int points_of(const File& f) {
  if (!f.has("/points")) return 1;
  std::vector<std::pair<std::int32_t, std::string>> rows;
  for (const auto& row : f.table<IndexRow>("/points", {number("index", 0, H5T_NATIVE_INT32)}))
    rows.emplace_back(row.index, "");
  return static_cast<int>(placed(f, "/points", rows).size());
}

// What a row's policy, point, interval (when `intervals` > 0) or replication may be: outside what the file
// declares it would index past the tables built from it.
struct Places {
  std::size_t policies = 0, points = 1, intervals = 0, replications = 1;
};
void check_place(const File& f, const char* path, const Places& in, std::int32_t policy, std::int32_t point,
                 std::int32_t interval, std::int32_t replication = 0) {
  const auto outside = [](std::int32_t v, std::size_t n) {
    return v < 0 || static_cast<std::size_t>(v) >= n;
  };
  if (outside(policy, in.policies) || outside(point, in.points) ||
      (in.intervals > 0 && outside(interval, in.intervals)) || outside(replication, in.replications))
    f.damaged(std::string(path) + ": a row of policy " + std::to_string(policy) + ", point " +
              std::to_string(point) + ", interval " + std::to_string(interval) + ", replication " +
              std::to_string(replication) + " lies outside the file's " + std::to_string(in.policies) +
              " policies and " + std::to_string(in.points) + " point(s)" +
              (in.intervals > 0 ? " and " + std::to_string(in.intervals) + " intervals" : ""));
}

}  // namespace

bool results_have_costs(const std::string& path) {
  return File(path).int_attribute("costs", 0) != 0;
}

ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval, const std::vector<int>& points) {
  std::vector<model::Measure> wanted;
  for (const auto& m : measures) wanted.push_back(model::comparable_measure(m));
  File f(path);
  ComparisonData out;
  out.format_version = f.version();
  const std::vector<std::string> policy_names = names_of(f, "/policies");
  out.points = points_of(f);
  for (int p : points)
    if (p < 0 || p >= out.points)
      throw InputError("command line: --points: " + path + " has " + std::to_string(out.points) +
                       " point(s), numbered 0 to " + std::to_string(out.points - 1) + "; there is no point " +
                       std::to_string(p));
  // The compared entries: the policies at point 0, or each policy at each point asked for (point-major).
  const std::vector<int> at_points = points.empty() ? std::vector<int>{0} : points;
  for (int p : at_points)
    for (const auto& name : policy_names)
      out.policies.push_back(points.empty()             ? name
                             : policy_names.size() == 1 ? "point " + std::to_string(p)
                                                        : name + " @ point " + std::to_string(p));
  auto slot = [&](int point, int policy) {
    const auto it = std::find(at_points.begin(), at_points.end(), point);
    return it == at_points.end()
               ? -1
               : static_cast<int>(it - at_points.begin()) * static_cast<int>(policy_names.size()) + policy;
  };
  if (by_interval) out.interval_labels = interval_labels_of(f, &out.intervals);
  out.baseline = f.int_attribute("baseline_policy", 0);  // at the first point compared
  out.has_costs = f.int_attribute("costs", 0) != 0;
  const auto sl = sl_definition(f.text_attribute("service_level_definition"));

// The columns placing a replication row: `point` came with format 11, the by-day tables have no `interval`.
#define CCSIM_KEY(Row)                                                     \
  number("policy", offsetof(Row, policy), H5T_NATIVE_INT32),               \
      number("point", offsetof(Row, point), H5T_NATIVE_INT32, 11),         \
      number("replication", offsetof(Row, replication), H5T_NATIVE_INT32), \
      number("interval", offsetof(Row, interval), H5T_NATIVE_INT32, by_interval ? 0 : kOptional)
#define CCSIM_COUNT(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_UINT64)
#define CCSIM_SUM(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_DOUBLE)
  const char* const contacts_table =
      by_interval ? "/replications/contacts_by_interval" : "/replications/contacts_by_day";
  const char* const agents_table =
      by_interval ? "/replications/agents_by_interval" : "/replications/agents_by_day";
  const auto contacts = f.table<ContactRow>(
      contacts_table,
      {CCSIM_KEY(ContactRow),
       text("contact_type", offsetof(ContactRow, contact_type), kName),
       CCSIM_COUNT(offered),
       CCSIM_COUNT(answered),
       CCSIM_COUNT(abandoned),
       CCSIM_COUNT(unserved),
       CCSIM_COUNT(short_abandoned),
       CCSIM_COUNT(answered_within_tau),
       CCSIM_COUNT(abandoned_within_tau),
       CCSIM_COUNT(balked),
       CCSIM_COUNT(appointments),
       CCSIM_COUNT(no_shows),
       CCSIM_COUNT(booked_answered),
       CCSIM_COUNT(served_on_time),
       CCSIM_COUNT(deferred_offered),
       CCSIM_COUNT(due_met),
       CCSIM_COUNT(backlog),
       number("announced", offsetof(ContactRow, announced), H5T_NATIVE_UINT64, 6),
       number("balked_announced", offsetof(ContactRow, balked_announced), H5T_NATIVE_UINT64, 6),
       number("blocked", offsetof(ContactRow, blocked), H5T_NATIVE_UINT64, 14),
       number("redials", offsetof(ContactRow, redials), H5T_NATIVE_UINT64, 14),
       number("customers", offsetof(ContactRow, customers), H5T_NATIVE_UINT64, 14),
       number("customers_served", offsetof(ContactRow, customers_served), H5T_NATIVE_UINT64, 14),
       number("customers_lost", offsetof(ContactRow, customers_lost), H5T_NATIVE_UINT64, 14),
       number("first_offered", offsetof(ContactRow, first_offered), H5T_NATIVE_UINT64, 14),
       number("first_answered_within_tau", offsetof(ContactRow, first_answered_within_tau), H5T_NATIVE_UINT64,
              14),
       number("first_abandoned", offsetof(ContactRow, first_abandoned), H5T_NATIVE_UINT64, 14),
       number("callbacks_offered", offsetof(ContactRow, callbacks_offered), H5T_NATIVE_UINT64, 15),
       number("callbacks_accepted", offsetof(ContactRow, callbacks_accepted), H5T_NATIVE_UINT64, 15),
       number("callbacks_completed", offsetof(ContactRow, callbacks_completed), H5T_NATIVE_UINT64, 15),
       number("callbacks_failed", offsetof(ContactRow, callbacks_failed), H5T_NATIVE_UINT64, 15),
       number("callbacks_unserved", offsetof(ContactRow, callbacks_unserved), H5T_NATIVE_UINT64, 15),
       number("callback_delay_s", offsetof(ContactRow, callback_delay_s), H5T_NATIVE_DOUBLE, 15),
       CCSIM_SUM(wait_answered_s),
       CCSIM_SUM(wait_abandoned_s),
       CCSIM_SUM(handle_s),
       number("wait_unserved_s", offsetof(ContactRow, wait_unserved_s), H5T_NATIVE_DOUBLE, 6)});
#undef CCSIM_COUNT
#undef CCSIM_SUM
  const auto agents = f.table<AgentRow>(
      agents_table,
      {CCSIM_KEY(AgentRow), number("available_s", offsetof(AgentRow, available_s), H5T_NATIVE_DOUBLE),
       number("busy_s", offsetof(AgentRow, busy_s), H5T_NATIVE_DOUBLE)});

  // The pooled series is "all" when there are several contact types, else the only one.
  bool has_all = false;
  for (const auto& r : contacts) has_all |= std::strcmp(r.contact_type, "all") == 0;
  int replications = 0;
  for (const auto& r : contacts) replications = std::max(replications, r.replication + 1);
  const std::size_t policies = out.policies.size(), intervals = by_interval ? out.interval_labels.size() : 1;
  const Places places{policy_names.size(), static_cast<std::size_t>(out.points), by_interval ? intervals : 0,
                      static_cast<std::size_t>(replications)};
  for (const auto& r : contacts)
    check_place(f, contacts_table, places, r.policy, r.point, r.interval, r.replication);
  for (const auto& r : agents)
    check_place(f, agents_table, places, r.policy, r.point, r.interval, r.replication);
  const auto empty = [&] {
    return std::vector<std::vector<std::vector<double>>>(
        policies, std::vector<std::vector<double>>(
                      intervals, std::vector<double>(static_cast<std::size_t>(replications), NAN)));
  };
  auto at = [&](auto& table, int policy, int interval, int rep) -> double& {
    return table[static_cast<std::size_t>(policy)][static_cast<std::size_t>(by_interval ? interval : 0)]
                [static_cast<std::size_t>(rep)];
  };
  std::vector<CostRow> costs;  // read when a cost measure is asked for
  for (model::Measure m : wanted) {
    auto& num = out.numerators.emplace_back(empty());
    auto& den = out.denominators.emplace_back(empty());
    if (model::is_cost(m)) {
      const char* table = by_interval ? "/replications/costs_by_interval" : "/replications/costs_by_day";
      if (!f.has(table))
        throw InputError(path + ": no costs in this results file (format_version " +
                         std::to_string(out.format_version) + "; costs came with 9): run the scenario again");
      if (costs.empty())
        costs = f.table<CostRow>(
            table, {CCSIM_KEY(CostRow), number("paid_s", offsetof(CostRow, paid_s), H5T_NATIVE_DOUBLE),
                    number("staff_cost", offsetof(CostRow, staff_cost), H5T_NATIVE_DOUBLE),
                    number("abandon_cost", offsetof(CostRow, abandon_cost), H5T_NATIVE_DOUBLE),
                    number("unserved_cost", offsetof(CostRow, unserved_cost), H5T_NATIVE_DOUBLE)});
      for (const auto& r : costs) {
        check_place(f, table, places, r.policy, r.point, r.interval, r.replication);
        const int e = slot(r.point, r.policy);
        if (e < 0) continue;
        const model::Fraction q =
            model::fraction(model::CostCell{r.paid_s, r.staff_cost, r.abandon_cost, r.unserved_cost}, m);
        at(num, e, r.interval, r.replication) = q.numerator;
        at(den, e, r.interval, r.replication) = q.denominator;
      }
      continue;
    }
    if (m == model::Measure::occupancy) {
      std::map<std::tuple<int, int, int>, model::AgentTime> pooled;  // all groups together
      for (const auto& r : agents) {
        const int e = slot(r.point, r.policy);
        if (e < 0) continue;
        auto& t = pooled[{e, r.interval, r.replication}];
        t.busy_s += r.busy_s;
        t.staffed_s += r.available_s;  // only available time matters to occupancy
      }
      for (const auto& [key, t] : pooled) {
        auto [p, k, rep] = key;
        const model::Fraction q = model::fraction(t);
        at(num, p, k, rep) = q.numerator;
        at(den, p, k, rep) = q.denominator;
      }
      continue;
    }
    for (const auto& r : contacts) {
      if (has_all != (std::strcmp(r.contact_type, "all") == 0)) continue;
      const int e = slot(r.point, r.policy);
      if (e < 0) continue;
      model::ContactCounts c;
      c.offered = r.offered;
      c.answered = r.answered;
      c.abandoned = r.abandoned;
      c.unserved = r.unserved;
      c.short_abandoned = r.short_abandoned;
      c.answered_within_tau = r.answered_within_tau;
      c.abandoned_within_tau = r.abandoned_within_tau;
      c.balked = r.balked;
      c.appointments = r.appointments;
      c.no_shows = r.no_shows;
      c.booked_answered = r.booked_answered;
      c.served_on_time = r.served_on_time;
      c.deferred_offered = r.deferred_offered;
      c.due_met = r.due_met;
      c.backlog = r.backlog;
      c.announced = r.announced;
      c.balked_announced = r.balked_announced;
      c.blocked = r.blocked;
      c.redials = r.redials;
      c.customers = r.customers;
      c.customers_served = r.customers_served;
      c.customers_lost = r.customers_lost;
      c.first_offered = r.first_offered;
      c.first_answered_within_tau = r.first_answered_within_tau;
      c.first_abandoned = r.first_abandoned;
      c.callbacks_offered = r.callbacks_offered;
      c.callbacks_accepted = r.callbacks_accepted;
      c.callbacks_completed = r.callbacks_completed;
      c.callbacks_failed = r.callbacks_failed;
      c.callbacks_unserved = r.callbacks_unserved;
      c.callback_delay_s = r.callback_delay_s;
      c.wait_answered_s = r.wait_answered_s;
      c.wait_abandoned_s = r.wait_abandoned_s;
      c.wait_unserved_s = r.wait_unserved_s;
      c.handle_s = r.handle_s;
      const model::Fraction q = model::fraction(c, m, sl);
      at(num, e, r.interval, r.replication) = q.numerator;
      at(den, e, r.interval, r.replication) = q.denominator;
    }
  }
  return out;
}
#undef CCSIM_KEY

namespace {

struct SummaryRow {
  std::int32_t policy, point, interval;
  char subject[kName], measure[kName];
  double mean, half_width;
};

struct FactorRow {
  std::int32_t policy;
  char factor[kName], value[kName];
};

struct PredictionRow {
  std::int32_t policy, point;
  char contact_type[kName], predictor[kName];
  double bias_s, rmse_s, relative_error, share_longer;
};

}  // namespace

ReportData read_report(const std::string& path) {
  File f(path);
  ReportData out;
  out.format_version = f.version();
  out.scenario_name = f.text_attribute("scenario_name");
  out.ccsim_version = f.text_attribute("ccsim_version");
  out.replications = f.int_attribute("replications", 0);
  out.baseline = f.int_attribute("baseline_policy", 0);
  out.tau_s = f.double_attribute("service_level_tau_s", 20.0);
  out.sl_target = f.double_attribute("service_level_target", NAN);
  out.policies = names_of(f, "/policies");
  if (f.has("/factors")) {
    out.factors.resize(out.policies.size());
    for (const auto& r : f.table<FactorRow>("/factors", {number("policy", offsetof(FactorRow, policy), H5T_NATIVE_INT32),
                                                        text("factor", offsetof(FactorRow, factor), kName),
                                                        text("value", offsetof(FactorRow, value), kName)})) {
      check_place(f, "/factors", {out.policies.size()}, r.policy, 0, 0);
      out.factors[static_cast<std::size_t>(r.policy)].emplace_back(r.factor, r.value);
    }
  }
  out.interval_labels = interval_labels_of(f, &out.intervals);
  const std::size_t points = static_cast<std::size_t>(points_of(f));
  auto summary = [&](const char* table, bool with_interval) {
    std::vector<SummaryEntry> rows;
    for (const auto& r : f.table<SummaryRow>(
             table, {number("policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32),
                     number("point", offsetof(SummaryRow, point), H5T_NATIVE_INT32, 11),
                     number("interval", offsetof(SummaryRow, interval), H5T_NATIVE_INT32,
                            with_interval ? 0 : kOptional),
                     text("contact_type", offsetof(SummaryRow, subject), kName),
                     text("measure", offsetof(SummaryRow, measure), kName),
                     number("mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE),
                     number("half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE)})) {
      check_place(f, table, {out.policies.size(), points, with_interval ? out.interval_labels.size() : 0},
                  r.policy, r.point, r.interval);
      if (r.point == 0)
        rows.push_back(
            {r.policy, with_interval ? r.interval : -1, r.subject, r.measure, r.mean, r.half_width});
    }
    return rows;
  };
  out.by_interval = summary("/summary/contacts_by_interval", true);
  out.by_day = summary("/summary/contacts_by_day", false);
  if (f.has("/summary/predictions_by_day"))
    for (const auto& r : f.table<PredictionRow>(
             "/summary/predictions_by_day",
             {number("policy", offsetof(PredictionRow, policy), H5T_NATIVE_INT32),
              number("point", offsetof(PredictionRow, point), H5T_NATIVE_INT32, 11),
              text("contact_type", offsetof(PredictionRow, contact_type), kName),
              text("predictor", offsetof(PredictionRow, predictor), kName),
              number("bias_s", offsetof(PredictionRow, bias_s), H5T_NATIVE_DOUBLE),
              number("rmse_s", offsetof(PredictionRow, rmse_s), H5T_NATIVE_DOUBLE),
              number("relative_error", offsetof(PredictionRow, relative_error), H5T_NATIVE_DOUBLE),
              number("share_longer", offsetof(PredictionRow, share_longer), H5T_NATIVE_DOUBLE)})) {
      check_place(f, "/summary/predictions_by_day", {out.policies.size(), points}, r.policy, r.point, 0);
      if (r.point == 0)
        out.predictions.push_back(
            {r.policy, r.contact_type, r.predictor, r.bias_s, r.rmse_s, r.relative_error, r.share_longer});
    }
  return out;
}

namespace {

struct GapRow {
  std::int32_t interval, day;
  char label[kLabel];
  char group[kName];
  std::int32_t required;
  double available;
};

}  // namespace

StaffingData read_staffing(const std::string& path) {
  File f(path, Accept::results_or_staffing);
  StaffingData out;
  out.format = f.text_attribute("format");
  out.scenario_name = f.text_attribute("scenario_name");
  out.ccsim_version = f.text_attribute("ccsim_version");
  out.roster = f.has("/roster/tours");
  if (!f.has("/staffing/by_interval")) return out;
  out.present = true;
  for (const auto& r : f.table<GapRow>(
           "/staffing/by_interval",
           {number("interval", offsetof(GapRow, interval), H5T_NATIVE_INT32),
            number("day", offsetof(GapRow, day), H5T_NATIVE_INT32),
            text("label", offsetof(GapRow, label), kLabel), text("group", offsetof(GapRow, group), kName),
            number("required", offsetof(GapRow, required), H5T_NATIVE_INT32),
            number("available", offsetof(GapRow, available), H5T_NATIVE_DOUBLE)}))
    out.rows.push_back({r.interval, r.day, r.label, r.group, r.required, r.available});
  return out;
}

}  // namespace ccsim::output
