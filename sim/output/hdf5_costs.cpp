// The writer's part for money: each policy's prices (/costs), every replication's paid hours and costs per
// interval, per day and for the run (/replications/costs_*), and their summaries (/summary/costs_*).
#include "output/hdf5_util.hpp"
#include "output/result_rows.hpp"

namespace ccsim::output::detail {
namespace {

void write_prices(hid_t file, Key key, const scenario::Scenario& s) {
  std::vector<PriceRow> rows;
  auto add = [&](const char* kind, const std::string& name, double value) {
    PriceRow row;
    std::memset(&row, 0, sizeof row);
    row.policy = key.policy;
    row.point = key.point;
    row.value = value;
    copy_name(row.kind, kind);
    copy_name(row.name, name);
    rows.push_back(row);
  };
  for (const auto& g : s.agent_groups) add("per_hour", g.name, g.cost_per_hour);
  for (const auto& l : s.locations) add("location_per_hour", l.name, l.cost_per_hour);
  for (const auto& t : s.contact_types) {
    add("per_abandoned", t.name, t.cost_per_abandoned);
    add("per_unserved", t.name, t.cost_per_unserved);
  }
  add("absence_paid", "", s.costs.absence_paid ? 1.0 : 0.0);
  const Compound t = price_row_type();
  write_table(file, "/costs", t, rows);
}

}  // namespace

void write_costs(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  write_prices(file, key, s);
  auto summary = [&](const char* path, const char* index_field, const std::vector<model::SummaryRow>& rows) {
    std::vector<SummaryRow> out;
    for (const auto& row : rows)
      out.push_back(summary_row(key, row.interval, "", row.measure, row.estimate, NAN, row.of_days));
    write_table(file, path, summary_row_type(index_field, nullptr), out);
  };
  summary("/summary/costs_by_interval", "interval", r.costs_by_interval);
  summary("/summary/costs_per_day", "day", r.costs_per_day);
  summary("/summary/costs_by_day", nullptr, r.costs_by_day);
}

}  // namespace ccsim::output::detail
