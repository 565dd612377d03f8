#include "output/hdf5_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_util.hpp"
#include "output/target_file.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

struct ContactRow {
  std::int32_t policy, point, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau;
  std::uint64_t balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered, due_met,
      backlog, announced, balked_announced;
  std::uint64_t blocked, redials, customers, customers_served, customers_lost, first_offered,
      first_answered_within_tau, first_abandoned;
  double wait_answered_s, wait_abandoned_s, wait_unserved_s, handle_s;
  double service_level, asa, mean_wait, abandon_rate, aht, wait_p50, wait_p80, wait_p90, wait_p95;
};

// `index_field`: "interval", "day", or nullptr for whole-run rows.
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

struct AgentRow {
  std::int32_t policy, point, replication, interval;
  char group[kName];
  double scheduled_s, staffed_s, available_s, busy_s, wrap_s, break_s, shrinkage_s, interrupted_s, occupancy;
};

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

// The measure table itself, so that a file says what each name in its `measure` columns means.
struct MeasureRow {
  char name[kWord], unit[kWord], display[kWord], pooling[kWord];
  char definition[kName], numerator[kName], denominator[kName];
};

void write_measures(hid_t file) {
  Compound t(sizeof(MeasureRow));
  t.text("name", offsetof(MeasureRow, name), kWord)
      .text("definition", offsetof(MeasureRow, definition), kName)
      .text("unit", offsetof(MeasureRow, unit), kWord)
      .text("display", offsetof(MeasureRow, display), kWord)
      .text("pooling", offsetof(MeasureRow, pooling), kWord)
      .text("numerator", offsetof(MeasureRow, numerator), kName)
      .text("denominator", offsetof(MeasureRow, denominator), kName);
  static constexpr const char* kDisplay[] = {"count", "percent", "seconds", "clock"};
  std::vector<MeasureRow> rows;
  for (const auto& m : model::measure_table()) {
    MeasureRow row{};
    copy_name(row.name, m.name);
    copy_name(row.definition, m.definition);
    copy_name(row.unit, m.unit);
    copy_name(row.display, kDisplay[static_cast<int>(m.display)]);
    copy_name(row.pooling, model::estimator_name(m.measure));
    copy_name(row.numerator, m.numerator);
    copy_name(row.denominator, m.denominator);
    rows.push_back(row);
  }
  write_table(file, "/measures", t, rows);
}

struct IntervalRow {
  std::int32_t index, day;
  char label[kName + 16];  // a day label (a name) and the clock time
  double start_s, length_s;
  std::uint8_t warmup;
};

struct NameRow {
  std::int32_t index;
  char name[kName];
};

}  // namespace

void detail::write_header(hid_t file, const scenario::Study& study, std::uint64_t seed, const RunInfo& info) {
  const scenario::Scenario& s = study.policies[static_cast<std::size_t>(study.baseline)];
  attribute(file, "format", "ccsim-results");
  attribute(file, "format_version", H5T_NATIVE_INT32, std::int32_t{kFormatVersion});
  attribute(file, "ccsim_version", info.ccsim_version);
  attribute(file, "command_line", info.command_line);
  attribute(file, "scenario_name", s.name);
  attribute(file, "scenario_path", s.source_path);
  attribute(file, "scenario_text", s.source_text);
  attribute(file, "seed", H5T_NATIVE_UINT64, seed);
  attribute(file, "service_level_tau_s", H5T_NATIVE_DOUBLE, s.tau_s);
  attribute(file, "service_level_definition", scenario::to_string(s.sl_definition));
  attribute(file, "short_abandon_s", H5T_NATIVE_DOUBLE, s.short_abandon_s);
  attribute(file, "summary_estimator", model::kEstimatorDescription);
  bool costs = false;  // whether any policy puts money on anything (compare then shows the cost)
  for (const auto& p : study.policies) costs |= scenario::has_costs(p);
  attribute(file, "costs", H5T_NATIVE_INT32, std::int32_t{costs});
  write_measures(file);

  {
    Compound t(sizeof(NameRow));
    t.add("index", offsetof(NameRow, index), H5T_NATIVE_INT32).name("name", offsetof(NameRow, name));
    std::vector<NameRow> policies, types, groups;
    for (std::size_t i = 0; i < study.names.size(); ++i) {
      policies.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(policies.back().name, study.names[i]);
    }
    attribute(file, "baseline_policy", H5T_NATIVE_INT32, std::int32_t{study.baseline});
    for (std::size_t i = 0; i < s.contact_types.size(); ++i) {
      types.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(types.back().name, s.contact_types[i].name);
    }
    for (std::size_t i = 0; i < s.agent_groups.size(); ++i) {
      groups.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(groups.back().name, s.agent_groups[i].name);
    }
    write_table(file, "/policies", t, policies);
    write_table(file, "/contact_types", t, types);
    write_table(file, "/agent_groups", t, groups);
  }
  {
    Compound t(sizeof(IntervalRow));
    t.add("index", offsetof(IntervalRow, index), H5T_NATIVE_INT32)
        .add("day", offsetof(IntervalRow, day), H5T_NATIVE_INT32)
        .text("label", offsetof(IntervalRow, label), sizeof(IntervalRow::label))
        .add("start_s", offsetof(IntervalRow, start_s), H5T_NATIVE_DOUBLE)
        .add("length_s", offsetof(IntervalRow, length_s), H5T_NATIVE_DOUBLE)
        .add("warmup", offsetof(IntervalRow, warmup), H5T_NATIVE_UINT8);
    std::vector<IntervalRow> rows;
    for (int k = 0; k < s.run_intervals(); ++k) {
      IntervalRow row{};
      row.index = k;
      row.day = k / s.intervals;
      row.start_s = s.open_s + (k % s.intervals) * s.interval_s;  // clock time of day
      row.length_s = s.interval_s;
      row.warmup = k % s.intervals < s.warmup_intervals;
      copy_name(row.label, scenario::interval_label(s, k));
      rows.push_back(row);
    }
    write_table(file, "/intervals", t, rows);
  }
}

void detail::write_run_attributes(hid_t file, int replications, bool precision_met) {
  attribute(file, "replications", H5T_NATIVE_INT32, std::int32_t{replications});
  attribute(file, "precision_met", H5T_NATIVE_INT32, std::int32_t{precision_met});
}

void detail::write_policy(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  const auto series = r.series_names.size();
  const auto groups = s.agent_groups.size();
  auto occupancy_row = [&](const model::OccupancyRow& row) {
    const std::string group =
        row.group < 0 ? "all" : s.agent_groups[static_cast<std::size_t>(row.group)].name;
    return summary_row(key, row.interval, group, model::Measure::occupancy, row.estimate, row.erlang_a,
                       row.of_days);
  };
  auto agent_row = [&](int rep, int interval, std::size_t g, const model::AgentTime& at) {
    AgentRow a{key.policy,       key.point,        rep,       interval,  {},         at.scheduled_s,
               at.staffed_s,     at.available_s(), at.busy_s, at.wrap_s, at.break_s, at.shrinkage_s,
               at.interrupted_s, at.occupancy()};
    copy_name(a.group, s.agent_groups[g].name);
    return a;
  };
  Appender<ContactRow> by_interval(file, "/replications/contacts_by_interval", contact_row_type("interval")),
      by_day(file, "/replications/contacts_by_day", contact_row_type(nullptr)),
      per_day(file, "/replications/contacts_per_day", contact_row_type("day"));
  Appender<AgentRow> agents_interval(file, "/replications/agents_by_interval", agent_row_type("interval")),
      agents_day(file, "/replications/agents_by_day", agent_row_type(nullptr)),
      agents_per_day(file, "/replications/agents_per_day", agent_row_type("day"));
  r.for_each_replication([&](int ri, const model::ReplicationResult& rep) {
    for (int k = 0; k < s.run_intervals(); ++k) {
      for (std::size_t si = 0; si < series; ++si)
        by_interval.push(contact_row(key, ri, k, r.series_names[si],
                                     rep.contacts_by_interval[static_cast<std::size_t>(k) * series + si],
                                     s.sl_definition));
      for (std::size_t g = 0; g < groups; ++g)
        agents_interval.push(
            agent_row(ri, k, g, rep.agents_by_interval[static_cast<std::size_t>(k) * groups + g]));
    }
    for (std::size_t si = 0; si < series; ++si)
      by_day.push(contact_row(key, ri, -1, r.series_names[si], rep.contacts_by_day[si], s.sl_definition));
    for (std::size_t g = 0; g < groups; ++g) agents_day.push(agent_row(ri, -1, g, rep.agents_by_day[g]));
    for (int d = 0; d < s.days; ++d) {
      for (std::size_t si = 0; si < series; ++si)
        per_day.push(contact_row(key, ri, d, r.series_names[si],
                                 rep.contacts_per_day[static_cast<std::size_t>(d) * series + si],
                                 s.sl_definition));
      for (std::size_t g = 0; g < groups; ++g)
        agents_per_day.push(
            agent_row(ri, d, g, rep.agents_per_day[static_cast<std::size_t>(d) * groups + g]));
    }
  });
  by_interval.finish();
  by_day.finish();
  agents_interval.finish();
  agents_day.finish();
  per_day.finish();
  agents_per_day.finish();
  {
    std::vector<SummaryRow> sum_per_day, occ_per_day;
    for (const auto& row : r.contacts_per_day)
      sum_per_day.push_back(summary_row(key, row.interval,
                                        r.series_names[static_cast<std::size_t>(row.series)], row.measure,
                                        row.estimate, row.erlang_a, row.of_days));
    for (const auto& row : r.occupancy_per_day) occ_per_day.push_back(occupancy_row(row));
    write_table(file, "/summary/contacts_per_day", summary_row_type("day", "contact_type"), sum_per_day);
    write_table(file, "/summary/agents_per_day", summary_row_type("day", "group"), occ_per_day);
  }
  write_breaks(file, key, s, r);

  std::vector<SummaryRow> sum_interval, sum_day, occ_interval, occ_day;
  for (const auto& row : r.contacts_by_interval)
    sum_interval.push_back(summary_row(key, row.interval,
                                       r.series_names[static_cast<std::size_t>(row.series)], row.measure,
                                       row.estimate, row.erlang_a, row.of_days));
  for (const auto& row : r.contacts_by_day)
    sum_day.push_back(summary_row(key, -1, r.series_names[static_cast<std::size_t>(row.series)], row.measure,
                                  row.estimate, row.erlang_a, row.of_days));
  // Per interval: each group, then all groups together (a group cannot be named "all").
  for (std::size_t k = 0; k < r.occupancy_all_by_interval.size(); ++k) {
    for (std::size_t g = 0; g < groups; ++g)
      occ_interval.push_back(occupancy_row(r.occupancy_by_interval[k * groups + g]));
    if (groups > 1) occ_interval.push_back(occupancy_row(r.occupancy_all_by_interval[k]));
  }
  for (const auto& row : r.occupancy_by_day) occ_day.push_back(occupancy_row(row));
  if (groups > 1) occ_day.push_back(occupancy_row(r.occupancy_all_by_day.front()));
  write_table(file, "/summary/contacts_by_interval", summary_row_type("interval", "contact_type"),
              sum_interval);
  write_table(file, "/summary/contacts_by_day", summary_row_type(nullptr, "contact_type"), sum_day);
  write_table(file, "/summary/agents_by_interval", summary_row_type("interval", "group"), occ_interval);
  write_table(file, "/summary/agents_by_day", summary_row_type(nullptr, "group"), occ_day);
  write_routing(file, key, s, r);
  write_predictions(file, key, s, r);
  write_costs(file, key, s, r);
  write_records(file, key, r);
}

// The file driver records errno's text on the error stack ("error message = 'No space left on device'");
// otherwise errno, or HDF5's own last message.
std::string detail::hdf5_cause() {
  std::string found = errno != 0 ? system_cause() : "";
  std::string last;
  auto walk = [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
    auto* out = static_cast<std::pair<std::string*, std::string*>*>(data);
    const std::string desc = e->desc ? e->desc : "";
    const auto at = desc.find("error message = '");
    if (at != std::string::npos && out->first->empty()) {
      const auto from = at + 17, to = desc.find('\'', from);
      *out->first = desc.substr(from, to == std::string::npos ? std::string::npos : to - from);
    }
    if (out->second->empty() && !desc.empty()) *out->second = desc;
    return 0;
  };
  std::string from_stack;
  std::pair<std::string*, std::string*> data{&from_stack, &last};
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk, &data);
  H5Eclear2(H5E_DEFAULT);
  if (!from_stack.empty()) return from_stack;
  if (!found.empty()) return found;
  return last.empty() ? "unknown HDF5 failure" : last;
}

namespace {

// Closes a file being given up and everything open in it (the strong close degree). A close that fails
// (its flush on a full disk) leaves the id registered; touching it again crashes HDF5 1.10, and with
// H5dont_atexit nothing touches it at exit either, so it is left alone.
void discard(hid_t file) {
  if (file >= 0) H5Fclose(file);
}

// The width of the file's name fields: its longest name and a NUL. Names are those of the study's
// policies and of each policy's contact types, groups, locations and series; our own words ("all",
// predictors, measures) are shorter than kWord, the least width. Any other name is refused by
// Compound::pack rather than cut.
std::size_t names_width(const scenario::Study& study, const std::vector<model::Results>& results) {
  std::size_t longest = 0;
  auto see = [&](const std::string& name) { longest = std::max(longest, name.size()); };
  for (const auto& n : study.names) see(n);
  for (const auto& s : study.policies) {
    for (const auto& t : s.contact_types) see(t.name);
    for (const auto& g : s.agent_groups) see(g.name);
    for (const auto& l : s.locations) see(l.name);
  }
  for (const auto& r : results)
    for (const auto& n : r.series_names) see(n);
  return longest + 1;
}

}  // namespace

void write_results(const std::string& path, const scenario::Scenario& s, const model::Results& r,
                   const RunInfo& info) {
  scenario::Study study;
  study.policies.push_back(s);
  study.names.push_back("base");
  write_results(path, study, std::vector<model::Results>{r}, info);
}

void write_results(const std::string& path, const scenario::Study& study,
                   const std::vector<model::Results>& results, const RunInfo& info,
                   const std::atomic<bool>* cancel) {
  // HDF5's exit handler would close (and flush) a file whose close failed on a full disk, and crash;
  // without it a failed file is ours to give up. It must come before HDF5 starts, so it is the first call.
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become OutputError, not stack dumps on stderr
  const std::string tmp = temp_name(path);
  Handle fapl(check_id(H5Pcreate(H5P_FILE_ACCESS), "file access property"), H5Pclose);
  // Closing the file closes whatever is still open in it, so a failure leaves nothing registered.
  check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "close degree");
  errno = 0;
  hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (file < 0) {
    const std::string cause = hdf5_cause();
    std::remove(tmp.c_str());
    throw OutputError(path + ": cannot create the results file: " + cause);
  }
  auto give_up = [&](const std::string& what) {
    const std::string cause = hdf5_cause();
    discard(file);
    std::remove(tmp.c_str());
    throw OutputError(path + ": " + what + ": " + cause);
  };
  try {
    const NameWidthScope widths(names_width(study, results));
    const model::Results& base = results.at(static_cast<std::size_t>(study.baseline));
    write_header(file, study, base.seed, info);
    write_run_attributes(file, base.replications, base.precision_met);
    for (std::size_t p = 0; p < results.size(); ++p)
      write_policy(file, {static_cast<std::int32_t>(p), 0}, study.policies[p], results[p]);
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
  } catch (const OutputError& e) {
    give_up(std::string("cannot write the results file (") + e.what() + ")");
  } catch (...) {
    discard(file);
    std::remove(tmp.c_str());
    throw;
  }
  if (H5Fclose(file) < 0) {
    file = -1;
    give_up("cannot finish writing the results file");
  }
  if (cancel && cancel->load()) {
    std::remove(tmp.c_str());
    throw Interrupted("interrupted: no results written");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string cause = system_cause();
    std::remove(tmp.c_str());
    throw OutputError(path + ": cannot rename the finished results file into place: " + cause);
  }
}

}  // namespace ccsim::output
