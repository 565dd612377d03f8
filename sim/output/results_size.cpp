#include "output/results_size.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "model/measures.hpp"
#include "output/result_rows.hpp"
#include "scenario/work_limits.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

// Rows a replication of `s` writes to each records table, estimated before it runs: a contact record per
// leg (external contacts, appointments with their no-shows, and transfer legs: v = external + Pᵀv), and an
// agent record per state change: idle->busy->(wrap->)idle per leg, on and off per agent and working day,
// two per break and per shrinkage block. Abandoned legs, absences and interruptions are not told apart,
// so the agents' figure is rough; the contacts' is the expected value of the callers' legs (a callback's
// rows, its tries and its end, depend on the waits and are not counted).
std::pair<double, double> records_per_replication(const scenario::Scenario& s) {
  const std::vector<double> legs = scenario::expected_contacts(s);
  double contacts = 0.0, changes = 0.0;
  for (std::size_t t = 0; t < legs.size(); ++t) {
    contacts += legs[t];
    changes += legs[t] * (s.contact_types[t].wrap_up.mean() > 0.0 ? 3.0 : 2.0);
  }
  for (const auto& g : s.agent_groups) {
    if (g.shifts.empty()) changes += 2.0 * g.agents * s.days;
    for (const auto& sh : g.shifts) {
      const double days = sh.days.empty() ? s.days : static_cast<double>(sh.days.size());
      changes += sh.agents * days * (2.0 + 2.0 * static_cast<double>(sh.breaks.size()));
    }
    for (const auto& block : g.shrinkage) changes += 2.0 * block.agents * s.days;
  }
  return {contacts, changes};
}

// The estimate builds HDF5 types, which starts the library: before it, HDF5's exit handler is turned off
// as every writer does (it would close a file whose close failed on a full disk, and crash).
void start_hdf5() {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// Builds a table's compound type with the size's name width, as the writer does.
class Sizer {
 public:
  Sizer(ResultsSize& size, std::size_t width) : size_(size), width_(width) {}
  template <class Type>
  void add(const char* table, double rows, Type&& type) {
    const NameWidthScope scope(width_);
    size_.tables[table] += rows * static_cast<double>(type().stored_size());
  }

 private:
  ResultsSize& size_;
  std::size_t width_;
};

void add_header(ResultsSize& size, const scenario::Study& study, std::size_t width) {
  const scenario::Scenario& s = study.policies.at(static_cast<std::size_t>(study.baseline));
  Sizer add(size, width);
  add.add("/measures", static_cast<double>(model::measure_table().size()), measure_row_type);
  add.add("/policies", static_cast<double>(study.names.size()), name_row_type);
  add.add("/contact_types", static_cast<double>(s.contact_types.size()), name_row_type);
  add.add("/agent_groups", static_cast<double>(s.agent_groups.size()), name_row_type);
  add.add("/intervals", s.run_intervals(), interval_row_type);
  size.attribute_bytes += static_cast<double>(s.source_text.size() + s.source_path.size() + s.name.size());
}

void add_policies(ResultsSize& size, const scenario::Study& study, const OutputRequest& request,
                  std::size_t width) {
  Sizer add(size, width);
  const double reps = request.replications;
  double contact_measures = 0.0, day_measures = 0.0;  // summary rows per cell; per day without percentiles
  for (model::Measure m : model::kContactMeasures) {
    contact_measures += 1.0;
    if (model::info(m).pooling != model::Pooling::percentile) day_measures += 1.0;
  }
  const auto cost_measures = static_cast<double>(std::size(model::kCostMeasures));
  for (const scenario::Scenario& s : study.policies) {
    const auto types = static_cast<double>(s.contact_types.size());
    const double series = types + (types > 1.0 ? 1.0 : 0.0);  // every type, then "all" when several
    const auto groups = static_cast<double>(s.agent_groups.size());
    const double group_series = groups + (groups > 1.0 ? 1.0 : 0.0);
    const double intervals = s.run_intervals(), days = s.days;
    double skills = 0.0, transfers = 0.0;
    for (const auto& g : s.agent_groups) skills += static_cast<double>(g.skills.size());
    for (const auto& t : s.contact_types) transfers += static_cast<double>(t.transfers.size());

    // Per replication.
    add.add("/replications/contacts_by_interval", reps * intervals * series,
            [] { return contact_row_type("interval"); });
    add.add("/replications/contacts_by_day", reps * series, [] { return contact_row_type(nullptr); });
    add.add("/replications/contacts_per_day", reps * days * series, [] { return contact_row_type("day"); });
    add.add("/replications/agents_by_interval", reps * intervals * groups,
            [] { return agent_row_type("interval"); });
    add.add("/replications/agents_by_day", reps * groups, [] { return agent_row_type(nullptr); });
    add.add("/replications/agents_per_day", reps * days * groups, [] { return agent_row_type("day"); });
    add.add("/replications/breaks_by_day", reps * groups, break_row_type);
    add.add("/replications/served_by_interval", reps * intervals * skills,
            [] { return served_row_type(true); });
    add.add("/replications/served_by_day", reps * skills, [] { return served_row_type(false); });
    add.add("/replications/transfers_by_interval", reps * intervals * transfers,
            [] { return transfer_count_row_type(true); });
    add.add("/replications/transfers_by_day", reps * transfers,
            [] { return transfer_count_row_type(false); });
    add.add("/replications/costs_by_interval", reps * intervals, [] { return cost_row_type("interval"); });
    add.add("/replications/costs_per_day", reps * days, [] { return cost_row_type("day"); });
    add.add("/replications/costs_by_day", reps, [] { return cost_row_type(nullptr); });
    // Summaries, the routing graph and the prices.
    add.add("/summary/contacts_by_interval", intervals * series * contact_measures,
            [] { return summary_row_type("interval", "contact_type"); });
    add.add("/summary/contacts_by_day", series * contact_measures,
            [] { return summary_row_type(nullptr, "contact_type"); });
    add.add("/summary/contacts_per_day", days * series * day_measures,
            [] { return summary_row_type("day", "contact_type"); });
    add.add("/summary/agents_by_interval", intervals * group_series,
            [] { return summary_row_type("interval", "group"); });
    add.add("/summary/agents_by_day", group_series, [] { return summary_row_type(nullptr, "group"); });
    add.add("/summary/agents_per_day", days * groups, [] { return summary_row_type("day", "group"); });
    add.add("/summary/served_by_interval", 2.0 * intervals * skills,
            [] { return served_summary_row_type(true); });
    add.add("/summary/served_by_day", 2.0 * skills, [] { return served_summary_row_type(false); });
    add.add("/summary/costs_by_interval", intervals * cost_measures,
            [] { return summary_row_type("interval", nullptr); });
    add.add("/summary/costs_per_day", days * cost_measures, [] { return summary_row_type("day", nullptr); });
    add.add("/summary/costs_by_day", cost_measures, [] { return summary_row_type(nullptr, nullptr); });
    add.add("/skills", skills, skill_row_type);
    add.add("/transfers", transfers, transfer_edge_row_type);
    add.add("/costs", groups + static_cast<double>(s.locations.size()) + 2.0 * types + 1.0, price_row_type);
    if (s.announcement.measure) {
      const double predictors = model::kPredictors;
      add.add("/summary/predictions_by_day", series * predictors,
              [] { return prediction_summary_row_type(false); });
      add.add("/summary/predictions_by_interval", intervals * series * predictors,
              [] { return prediction_summary_row_type(true); });
      add.add("/replications/predictions_by_interval", reps * intervals * types * predictors,
              prediction_raw_row_type);
    }
    if (request.records.any()) {
      const double kept = std::min(request.records_replications, request.replications);
      const auto [contacts, changes] = records_per_replication(s);
      if (request.records.contacts) add.add("/records/contacts", kept * contacts, contact_record_row_type);
      if (request.records.agents) add.add("/records/agents", kept * changes, agent_record_row_type);
    }
  }
}

}  // namespace

double ResultsSize::total() const {
  double sum = attribute_bytes;
  for (const auto& [path, bytes] : tables) sum += bytes;
  return sum;
}

ResultsSize& ResultsSize::operator+=(const ResultsSize& more) {
  for (const auto& [path, bytes] : more.tables) tables[path] += bytes;
  attribute_bytes += more.attribute_bytes;
  return *this;
}

std::string ResultsSize::largest() const {
  const auto it = std::max_element(tables.begin(), tables.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
  return it == tables.end() ? std::string() : it->first;
}

ResultsSize results_size(const scenario::Study& study, const OutputRequest& request) {
  start_hdf5();
  ResultsSize size;
  const std::size_t width = study_names_width(study);
  add_header(size, study, width);
  add_policies(size, study, request, width);
  return size;
}

ResultsSize sweep_header_size(const scenario::Study& first, const PointColumns& points) {
  start_hdf5();
  ResultsSize size;
  add_header(size, first, kName);
  const Compound t = points_row_type(points.paths, points.values, nullptr, nullptr);
  size.tables["/points"] = static_cast<double>(points.values.size()) * static_cast<double>(t.stored_size());
  return size;
}

void add_point_size(ResultsSize& size, const scenario::Study& point, const OutputRequest& request) {
  start_hdf5();
  add_policies(size, point, request, kName);
}

std::string format_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024.0;
    ++unit;
  }
  char text[64];
  if (unit == 0 || bytes >= 100.0 || bytes == std::floor(bytes))
    std::snprintf(text, sizeof text, "%.0f %s", bytes, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%.1f %s", bytes, kUnits[unit]);
  return text;
}

}  // namespace ccsim::output
