// The staffing tables: one row per interval and group (requirement, Erlang, roster, gap), and the verified
// plan's achieved measures in a long table (one row per interval, group and target).
#include "output/staffing_writer.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "output/hdf5_util.hpp"
#include "output/hdf5_writer.hpp"

namespace ccsim::output {

namespace {

using namespace detail;

struct StaffingRow {
  std::int32_t interval, day;
  char label[kName + 16];
  char group[kName];
  std::int32_t required, required_erlang;
  double available, gap, load;
};

struct AchievedRow {
  std::int32_t interval;
  char group[kName];
  char target[kName + 16];
  double value, mean, half_width;
  std::uint8_t met;
};

struct TourRow {
  char group[kName];
  char pattern[kName];
  char tour[kName + 64];
  char days[kName + 16];
  double start_s, end_s;
  std::int32_t agents;
  double paid_hours, cost;
};

Compound by_interval_type() {
  Compound t(sizeof(StaffingRow));
  t.add("interval", offsetof(StaffingRow, interval), H5T_NATIVE_INT32)
      .add("day", offsetof(StaffingRow, day), H5T_NATIVE_INT32)
      .text("label", offsetof(StaffingRow, label), kName + 16)
      .text("group", offsetof(StaffingRow, group), kName)
      .add("required", offsetof(StaffingRow, required), H5T_NATIVE_INT32)
      .add("required_erlang", offsetof(StaffingRow, required_erlang), H5T_NATIVE_INT32)
      .add("available", offsetof(StaffingRow, available), H5T_NATIVE_DOUBLE)
      .add("gap", offsetof(StaffingRow, gap), H5T_NATIVE_DOUBLE)
      .add("load", offsetof(StaffingRow, load), H5T_NATIVE_DOUBLE);
  return t;
}

StaffingRow by_interval_row(const scenario::Scenario& s, const planning::StaffRow& r) {
  StaffingRow row{};
  row.interval = r.interval;
  row.day = r.interval / s.intervals;
  copy_name(row.label, scenario::interval_label(s, r.interval));
  copy_name(row.group, s.agent_groups[static_cast<std::size_t>(r.group)].name);
  row.required = r.required;
  row.required_erlang = r.required_erlang;
  row.available = r.available;
  row.gap = r.gap();
  row.load = r.load;
  return row;
}

void write_attributes(hid_t file, const scenario::Scenario& s, const planning::StaffPlan& plan,
                      const std::string& command_line) {
  attribute(file, "format", "ccsim-staffing");
  attribute(file, "format_version", H5T_NATIVE_INT32, std::int32_t{kFormatVersion});
  attribute(file, "ccsim_version", CCSIM_VERSION);
  attribute(file, "command_line", command_line);
  attribute(file, "scenario_name", s.name);
  attribute(file, "scenario_path", s.source_path);
  attribute(file, "scenario_text", s.source_text);
  attribute(file, "service_level_tau_s", H5T_NATIVE_DOUBLE, s.tau_s);
  attribute(file, "steps", H5T_NATIVE_INT32, std::int32_t{plan.steps});
  attribute(file, "converged", H5T_NATIVE_INT32, std::int32_t{plan.converged});
}

void write_tables(hid_t file, const scenario::Scenario& s, const planning::StaffPlan& plan,
                  const std::string& command_line) {
  write_attributes(file, s, plan, command_line);
  Compound a(sizeof(AchievedRow));
  a.add("interval", offsetof(AchievedRow, interval), H5T_NATIVE_INT32)
      .text("group", offsetof(AchievedRow, group), kName)
      .text("target", offsetof(AchievedRow, target), kName + 16)
      .add("value", offsetof(AchievedRow, value), H5T_NATIVE_DOUBLE)
      .add("mean", offsetof(AchievedRow, mean), H5T_NATIVE_DOUBLE)
      .add("half_width", offsetof(AchievedRow, half_width), H5T_NATIVE_DOUBLE)
      .add("met", offsetof(AchievedRow, met), H5T_NATIVE_UINT8);
  std::vector<StaffingRow> rows;
  std::vector<AchievedRow> achieved;
  for (const planning::StaffRow& r : plan.rows) {
    rows.push_back(by_interval_row(s, r));
    for (std::size_t j = 0; j < plan.targets.size(); ++j) {
      AchievedRow x{};
      x.interval = r.interval;
      copy_name(x.group, s.agent_groups[static_cast<std::size_t>(r.group)].name);
      copy_name(x.target, plan.targets[j].name);
      x.value = plan.targets[j].value;
      x.mean = r.achieved[j].mean;
      x.half_width = r.achieved[j].half_width;
      x.met = planning::meets(plan.targets[j], r.achieved[j].mean) ? 1 : 0;
      achieved.push_back(x);
    }
  }
  write_table(file, "/staffing/by_interval", by_interval_type(), rows);
  write_table(file, "/staffing/achieved", a, achieved);
}

// A roster file: the staffing table with the roster's available agents against the requirement it was built
// on, and its tours.
void write_roster_tables(hid_t file, const scenario::Scenario& s, const planning::StaffPlan& plan,
                         const planning::PatternSet& set, const planning::RosterResult& r,
                         const std::string& command_line) {
  write_attributes(file, s, plan, command_line);
  attribute(file, "shifts_path", set.path);
  attribute(file, "roster_cost", H5T_NATIVE_DOUBLE, r.cost);
  attribute(file, "roster_agent_hours", H5T_NATIVE_DOUBLE, r.agent_hours);
  attribute(file, "roster_rounds", H5T_NATIVE_INT32, std::int32_t{r.rounds});
  attribute(file, "roster_met", H5T_NATIVE_INT32, std::int32_t{r.met});
  std::vector<StaffingRow> rows;
  for (int k = 0; k < plan.intervals; ++k)
    for (int g : r.groups) {
      planning::StaffRow x = plan.at(k, g);
      x.required = static_cast<int>(std::lround(r.requirement[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)]));
      x.available = r.available[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)];
      rows.push_back(by_interval_row(s, x));
    }
  write_table(file, "/staffing/by_interval", by_interval_type(), rows);
  Compound t(sizeof(TourRow));
  t.text("group", offsetof(TourRow, group), kName)
      .text("pattern", offsetof(TourRow, pattern), kName)
      .text("tour", offsetof(TourRow, tour), kName + 64)
      .text("days", offsetof(TourRow, days), kName + 16)
      .add("start_s", offsetof(TourRow, start_s), H5T_NATIVE_DOUBLE)
      .add("end_s", offsetof(TourRow, end_s), H5T_NATIVE_DOUBLE)
      .add("agents", offsetof(TourRow, agents), H5T_NATIVE_INT32)
      .add("paid_hours", offsetof(TourRow, paid_hours), H5T_NATIVE_DOUBLE)
      .add("cost", offsetof(TourRow, cost), H5T_NATIVE_DOUBLE);
  std::vector<TourRow> tours;
  for (std::size_t i = 0; i < r.tours.size(); ++i) {
    if (r.agents[i] == 0) continue;
    const planning::Tour& tour = r.tours[i];
    const planning::ShiftPattern& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    TourRow row{};
    copy_name(row.group, s.agent_groups[static_cast<std::size_t>(tour.group)].name);
    copy_name(row.pattern, p.name);
    copy_name(row.tour, tour.name);
    std::string days;
    for (int d : tour.days) days += (days.empty() ? "" : " ") + std::to_string(d + 1);
    copy_name(row.days, days.empty() ? "every day" : days);
    row.start_s = p.start_s;
    row.end_s = p.end_s;
    row.agents = r.agents[i];
    row.paid_hours = planning::paid_hours(p) * planning::days_worked(s, tour) * r.agents[i];
    row.cost = planning::tour_cost(s, set, tour) * r.agents[i];
    tours.push_back(row);
  }
  write_table(file, "/roster/tours", t, tours);
}

template <class Write>
void write_file(const std::string& path, Write&& write) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    throw OutputError(path + ": cannot create staffing file (is the directory there and writable?)");
  try {
    write(file);
  } catch (...) {
    H5Fclose(file);
    std::remove(tmp.c_str());
    throw;
  }
  if (H5Fclose(file) < 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError(path + ": could not finish writing the staffing file");
  }
}

}  // namespace

void write_roster(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                  const planning::PatternSet& set, const planning::RosterResult& r,
                  const std::string& command_line) {
  write_file(path, [&](hid_t file) { write_roster_tables(file, s, plan, set, r, command_line); });
}

void write_staffing(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                    const std::string& command_line) {
  write_file(path, [&](hid_t file) { write_tables(file, s, plan, command_line); });
}

}  // namespace ccsim::output
