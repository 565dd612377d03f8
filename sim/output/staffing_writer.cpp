// The staffing tables: one row per interval and group (requirement, Erlang, roster, gap), and the verified
// plan's achieved measures in a long table (one row per interval, group and target).
#include "output/staffing_writer.hpp"

#include <unistd.h>

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

void write_tables(hid_t file, const scenario::Scenario& s, const planning::StaffPlan& plan,
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
    rows.push_back(row);
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
  write_table(file, "/staffing/by_interval", t, rows);
  write_table(file, "/staffing/achieved", a, achieved);
}

}  // namespace

void write_staffing(const std::string& path, const scenario::Scenario& s, const planning::StaffPlan& plan,
                    const std::string& command_line) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    throw OutputError(path + ": cannot create staffing file (is the directory there and writable?)");
  try {
    write_tables(file, s, plan, command_line);
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

}  // namespace ccsim::output
