#include "output/hdf5_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>

#include "common/error.hpp"
#include "model/results.hpp"
#include "output/hdf5_file.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

constexpr std::size_t kName = 256;  // format 6; format 5's 32-byte names convert into it
constexpr std::size_t kLabel = kName + 16;

struct NameRow {
  std::int32_t index;
  char name[kName];
};

struct LabelRow {
  std::int32_t index;
  char label[kLabel];
};

struct ContactRow {
  std::int32_t policy, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau, balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered,
      due_met, backlog, announced, balked_announced;
  double wait_answered_s, wait_abandoned_s, handle_s;
  double wait_unserved_s = 0.0;  // from format 6
};

struct AgentRow {
  std::int32_t policy, replication, interval;
  double available_s, busy_s;
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

std::vector<std::string> interval_labels_of(const File& f) {
  std::vector<std::pair<std::int32_t, std::string>> rows;
  for (const auto& row :
       f.table<LabelRow>("/intervals", {number("index", offsetof(LabelRow, index), H5T_NATIVE_INT32),
                                        text("label", offsetof(LabelRow, label), kLabel)}))
    rows.emplace_back(row.index, row.label);
  return placed(f, "/intervals", rows);
}

// A row's policy, interval (when `intervals` > 0) or replication outside what the file declares would index
// past the tables built from it.
void check_place(const File& f, const char* path, std::int32_t policy, std::size_t policies,
                 std::int32_t interval, std::size_t intervals, std::int32_t replication = 0,
                 std::size_t replications = 1) {
  const auto outside = [](std::int32_t v, std::size_t n) { return v < 0 || static_cast<std::size_t>(v) >= n; };
  if (outside(policy, policies) || (intervals > 0 && outside(interval, intervals)) ||
      outside(replication, replications))
    f.damaged(std::string(path) + ": a row of policy " + std::to_string(policy) + ", interval " +
              std::to_string(interval) + ", replication " + std::to_string(replication) +
              " lies outside the file's " + std::to_string(policies) + " policies" +
              (intervals > 0 ? " and " + std::to_string(intervals) + " intervals" : ""));
}

}  // namespace

ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval) {
  std::vector<model::Measure> wanted;
  for (const auto& m : measures) wanted.push_back(model::comparable_measure(m));
  File f(path);
  ComparisonData out;
  out.format_version = f.version();
  out.policies = names_of(f, "/policies");
  if (by_interval) out.interval_labels = interval_labels_of(f);
  out.baseline = f.int_attribute("baseline_policy", 0);
  const auto sl = sl_definition(f.text_attribute("service_level_definition"));

#define CCSIM_COUNT(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_UINT64)
#define CCSIM_SUM(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_DOUBLE)
  const auto contacts = f.table<ContactRow>(
      by_interval ? "/replications/contacts_by_interval" : "/replications/contacts_by_day",
      {number("policy", offsetof(ContactRow, policy), H5T_NATIVE_INT32),
       number("replication", offsetof(ContactRow, replication), H5T_NATIVE_INT32),
       number("interval", offsetof(ContactRow, interval), H5T_NATIVE_INT32, by_interval ? 0 : kOptional),
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
       CCSIM_SUM(wait_answered_s),
       CCSIM_SUM(wait_abandoned_s),
       CCSIM_SUM(handle_s),
       number("wait_unserved_s", offsetof(ContactRow, wait_unserved_s), H5T_NATIVE_DOUBLE, 6)});
#undef CCSIM_COUNT
#undef CCSIM_SUM
  const auto agents =
      f.table<AgentRow>(by_interval ? "/replications/agents_by_interval" : "/replications/agents_by_day",
                        {number("policy", offsetof(AgentRow, policy), H5T_NATIVE_INT32),
                         number("replication", offsetof(AgentRow, replication), H5T_NATIVE_INT32),
                         number("interval", offsetof(AgentRow, interval), H5T_NATIVE_INT32,
                                by_interval ? 0 : kOptional),
                         number("available_s", offsetof(AgentRow, available_s), H5T_NATIVE_DOUBLE),
                         number("busy_s", offsetof(AgentRow, busy_s), H5T_NATIVE_DOUBLE)});

  // The pooled series is "all" when there are several contact types, else the only one.
  bool has_all = false;
  for (const auto& r : contacts) has_all |= std::strcmp(r.contact_type, "all") == 0;
  int replications = 0;
  for (const auto& r : contacts) replications = std::max(replications, r.replication + 1);
  const std::size_t policies = out.policies.size(), intervals = by_interval ? out.interval_labels.size() : 1;
  const std::size_t checked_intervals = by_interval ? intervals : 0;
  for (const auto& r : contacts)
    check_place(f, "contacts", r.policy, policies, r.interval, checked_intervals, r.replication,
                std::min<std::size_t>(static_cast<std::size_t>(replications), contacts.size()));
  for (const auto& r : agents)
    check_place(f, "agents", r.policy, policies, r.interval, checked_intervals, r.replication,
                static_cast<std::size_t>(replications));
  const auto empty = [&] {
    return std::vector<std::vector<std::vector<double>>>(
        policies, std::vector<std::vector<double>>(
                      intervals, std::vector<double>(static_cast<std::size_t>(replications), NAN)));
  };
  auto at = [&](auto& table, int policy, int interval, int rep) -> double& {
    return table[static_cast<std::size_t>(policy)][static_cast<std::size_t>(by_interval ? interval : 0)]
                [static_cast<std::size_t>(rep)];
  };
  for (model::Measure m : wanted) {
    auto& num = out.numerators.emplace_back(empty());
    auto& den = out.denominators.emplace_back(empty());
    if (m == model::Measure::occupancy) {
      std::map<std::tuple<int, int, int>, model::AgentTime> pooled;  // all groups together
      for (const auto& r : agents) {
        auto& t = pooled[{r.policy, r.interval, r.replication}];
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
      c.wait_answered_s = r.wait_answered_s;
      c.wait_abandoned_s = r.wait_abandoned_s;
      c.wait_unserved_s = r.wait_unserved_s;
      c.handle_s = r.handle_s;
      const model::Fraction q = model::fraction(c, m, sl);
      at(num, r.policy, r.interval, r.replication) = q.numerator;
      at(den, r.policy, r.interval, r.replication) = q.denominator;
    }
  }
  return out;
}

namespace {

struct SummaryRow {
  std::int32_t policy, interval;
  char subject[kName], measure[kName];
  double mean, half_width;
};

struct PredictionRow {
  std::int32_t policy;
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
  out.policies = names_of(f, "/policies");
  out.interval_labels = interval_labels_of(f);
  auto summary = [&](const char* table, bool with_interval) {
    std::vector<SummaryEntry> rows;
    for (const auto& r : f.table<SummaryRow>(
             table, {number("policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32),
                     number("interval", offsetof(SummaryRow, interval), H5T_NATIVE_INT32,
                            with_interval ? 0 : kOptional),
                     text("contact_type", offsetof(SummaryRow, subject), kName),
                     text("measure", offsetof(SummaryRow, measure), kName),
                     number("mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE),
                     number("half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE)})) {
      check_place(f, table, r.policy, out.policies.size(), r.interval,
                  with_interval ? out.interval_labels.size() : 0);
      rows.push_back({r.policy, with_interval ? r.interval : -1, r.subject, r.measure, r.mean, r.half_width});
    }
    return rows;
  };
  out.by_interval = summary("/summary/contacts_by_interval", true);
  out.by_day = summary("/summary/contacts_by_day", false);
  if (f.has("/summary/predictions_by_day"))
    for (const auto& r : f.table<PredictionRow>(
             "/summary/predictions_by_day",
             {number("policy", offsetof(PredictionRow, policy), H5T_NATIVE_INT32),
              text("contact_type", offsetof(PredictionRow, contact_type), kName),
              text("predictor", offsetof(PredictionRow, predictor), kName),
              number("bias_s", offsetof(PredictionRow, bias_s), H5T_NATIVE_DOUBLE),
              number("rmse_s", offsetof(PredictionRow, rmse_s), H5T_NATIVE_DOUBLE),
              number("relative_error", offsetof(PredictionRow, relative_error), H5T_NATIVE_DOUBLE),
              number("share_longer", offsetof(PredictionRow, share_longer), H5T_NATIVE_DOUBLE)})) {
      check_place(f, "/summary/predictions_by_day", r.policy, out.policies.size(), 0, 0);
      out.predictions.push_back(
          {r.policy, r.contact_type, r.predictor, r.bias_s, r.rmse_s, r.relative_error, r.share_longer});
    }
  return out;
}

}  // namespace ccsim::output
