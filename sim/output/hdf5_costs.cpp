// The writer's part for money: each policy's prices (/costs), every replication's paid hours and costs per
// interval, per day and for the run (/replications/costs_*), and their summaries (/summary/costs_*).
#include "output/hdf5_util.hpp"

namespace ccsim::output::detail {
namespace {

struct PriceRow {
  std::int32_t policy, point;
  char kind[kWord];  // per_hour (a group), location_per_hour, per_abandoned, per_unserved, absence_paid
  char name[kName];  // the group, location or contact type; empty for absence_paid
  double value;
};

struct CostRow {
  std::int32_t policy, point, replication, interval;
  double paid_s, staff_cost, abandon_cost, unserved_cost, cost;
};

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
  Compound t(sizeof(PriceRow));
  t.add("policy", offsetof(PriceRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(PriceRow, point), H5T_NATIVE_INT32)
      .text("kind", offsetof(PriceRow, kind), kWord)
      .name("name", offsetof(PriceRow, name))
      .add("value", offsetof(PriceRow, value), H5T_NATIVE_DOUBLE);
  write_table(file, "/costs", t, rows);
}

}  // namespace

void write_costs(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  write_prices(file, key, s);
  Appender<CostRow> by_interval(file, "/replications/costs_by_interval", cost_row_type("interval")),
      by_day(file, "/replications/costs_by_day", cost_row_type(nullptr)),
      per_day(file, "/replications/costs_per_day", cost_row_type("day"));
  r.for_each_replication([&](int ri, const model::ReplicationResult& rep) {
    for (std::size_t k = 0; k < rep.costs_by_interval.size(); ++k)
      by_interval.push(cost_row(key, ri, static_cast<int>(k), rep.costs_by_interval[k]));
    for (std::size_t d = 0; d < rep.costs_per_day.size(); ++d)
      per_day.push(cost_row(key, ri, static_cast<int>(d), rep.costs_per_day[d]));
    by_day.push(cost_row(key, ri, -1, rep.costs_by_day));
  });
  by_interval.finish();
  by_day.finish();
  per_day.finish();
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
