#include "output/hdf5_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_util.hpp"
#include "output/replication_tables.hpp"
#include "output/result_rows.hpp"
#include "output/target_file.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

void write_measures(hid_t file) {
  const Compound t = measure_row_type();
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
  attribute(file, "service_level_target", H5T_NATIVE_DOUBLE, s.sl_target);  // NaN: none set
  attribute(file, "service_level_definition", scenario::to_string(s.sl_definition));
  attribute(file, "short_abandon_s", H5T_NATIVE_DOUBLE, s.short_abandon_s);
  attribute(file, "summary_estimator", model::kEstimatorDescription);
  bool costs = false;  // whether any policy puts money on anything (compare then shows the cost)
  for (const auto& p : study.policies) costs |= scenario::has_costs(p);
  attribute(file, "costs", H5T_NATIVE_INT32, std::int32_t{costs});
  write_measures(file);

  {
    const Compound t = name_row_type();
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
    write_factors(file, study);
    write_table(file, "/contact_types", t, types);
    write_table(file, "/agent_groups", t, groups);
  }
  {
    const Compound t = interval_row_type();
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

void detail::write_policy(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r,
                          ReplicationTables* streamed) {
  const auto groups = s.agent_groups.size();
  auto occupancy_row = [&](const model::OccupancyRow& row) {
    const std::string group =
        row.group < 0 ? "all" : s.agent_groups[static_cast<std::size_t>(row.group)].name;
    return summary_row(key, row.interval, group, model::Measure::occupancy, row.estimate, row.erlang_a,
                       row.of_days);
  };
  if (!r.rows_streamed) {
    ReplicationTables rows(file, key, s, r.series_names);
    r.for_each_replication([&](int ri, const model::ReplicationResult& rep) { rows.add(ri, rep); });
    rows.finish();
  } else if (streamed) {
    streamed->finish();
  }
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

  // The interval tables in batches: built whole, W1's (278 intervals) took 7% of its run in growing copies.
  Appender<SummaryRow> sum_interval(file, "/summary/contacts_by_interval",
                                    summary_row_type("interval", "contact_type"));
  Appender<SummaryRow> occ_interval(file, "/summary/agents_by_interval",
                                    summary_row_type("interval", "group"));
  std::vector<SummaryRow> sum_day, occ_day;
  for (const auto& row : r.contacts_by_interval)
    sum_interval.push(summary_row(key, row.interval, r.series_names[static_cast<std::size_t>(row.series)],
                                  row.measure, row.estimate, row.erlang_a, row.of_days));
  for (const auto& row : r.contacts_by_day)
    sum_day.push_back(summary_row(key, -1, r.series_names[static_cast<std::size_t>(row.series)], row.measure,
                                  row.estimate, row.erlang_a, row.of_days));
  // Per interval: each group, then all groups together (a group cannot be named "all").
  for (std::size_t k = 0; k < r.occupancy_all_by_interval.size(); ++k) {
    for (std::size_t g = 0; g < groups; ++g)
      occ_interval.push(occupancy_row(r.occupancy_by_interval[k * groups + g]));
    if (groups > 1) occ_interval.push(occupancy_row(r.occupancy_all_by_interval[k]));
  }
  for (const auto& row : r.occupancy_by_day) occ_day.push_back(occupancy_row(row));
  if (groups > 1) occ_day.push_back(occupancy_row(r.occupancy_all_by_day.front()));
  sum_interval.finish();
  write_table(file, "/summary/contacts_by_day", summary_row_type(nullptr, "contact_type"), sum_day);
  occ_interval.finish();
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

}  // namespace

// What ResultsWriter keeps open: the file and, fed during the run, the first policy's per-replication tables.
struct ResultsWriter::Open {
  hid_t file = -1;
  std::size_t width = kName;
  std::unique_ptr<ReplicationTables> rows;
};

namespace {

std::vector<std::string> series_of(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& t : s.contact_types) names.push_back(t.name);
  if (s.contact_types.size() > 1) names.emplace_back("all");
  return names;
}

}  // namespace

ResultsWriter::ResultsWriter(const std::string& path, const scenario::Study& study, std::uint64_t seed,
                             const RunInfo& info)
    : open_(std::make_unique<Open>()),
      path_(path),
      tmp_(temp_name(path)),
      study_(study),
      seed_(seed),
      info_(info) {
  // HDF5's exit handler would close (and flush) a file whose close failed on a full disk, and crash;
  // without it a failed file is ours to give up. It must come before HDF5 starts, so it is the first call.
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become OutputError, not stack dumps on stderr
  Handle fapl(check_id(H5Pcreate(H5P_FILE_ACCESS), "file access property"), H5Pclose);
  // Closing the file closes whatever is still open in it, so a failure leaves nothing registered.
  check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "close degree");
  errno = 0;
  open_->file = H5Fcreate(tmp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (open_->file < 0) {
    const std::string cause = hdf5_cause();
    std::remove(tmp_.c_str());
    throw OutputError(path + ": cannot create the results file: " + cause);
  }
  open_->width = study_names_width(study);
}

// The header on the writer thread while the first replications play: 7 ms of W1's 0.2 s were spent here
// before anything was simulated. finish() writes it if no writer thread ran (nothing was handed on).
void ResultsWriter::start() {
  // The runner's writer thread: HDF5's automatic error printing is set per thread where it is thread-safe
  // (take comes after this, on the same thread).
  static thread_local const bool quiet = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)quiet;
  if (open_->rows || open_->file < 0) return;  // a later round of the run (--until-ci), or given up
  try {
    const NameWidthScope widths(open_->width);
    write_header(open_->file, study_, seed_, info_);
    // Built under the file's name width: the rows are added from the runner's writer thread.
    open_->rows = std::make_unique<ReplicationTables>(open_->file, Key{0, 0}, study_.policies.front(),
                                                      series_of(study_.policies.front()));
  } catch (const OutputError& e) {
    give_up(std::string("cannot write the results file (") + e.what() + ")");
  }
}

ResultsWriter::~ResultsWriter() {
  if (open_->file >= 0) {
    discard(open_->file);
    std::remove(tmp_.c_str());
  }
}

void ResultsWriter::give_up(const std::string& what) {
  const std::string cause = hdf5_cause();
  discard(open_->file);
  open_->file = -1;
  std::remove(tmp_.c_str());
  throw OutputError(path_ + ": " + what + ": " + cause);
}

void ResultsWriter::take(int policy, int replication, const model::ReplicationResult& result) {
  if (policy != 0 || open_->file < 0 || !open_->rows)  // start() first
    throw std::logic_error("ResultsWriter: a replication it does not take");
  try {
    open_->rows->add(replication, result);
  } catch (const OutputError& e) {
    give_up(std::string("cannot write the results file (") + e.what() + ")");
  }
}

void ResultsWriter::finish(const std::vector<model::Results>& results, const std::atomic<bool>* cancel) {
  if (open_->file < 0) throw std::logic_error("ResultsWriter: finished twice or after a failure");
  start();
  try {
    const NameWidthScope widths(open_->width);
    const model::Results& base = results.at(static_cast<std::size_t>(study_.baseline));
    write_run_attributes(open_->file, base.replications, base.precision_met);
    for (std::size_t p = 0; p < results.size(); ++p)
      write_policy(open_->file, {static_cast<std::int32_t>(p), 0}, study_.policies[p], results[p],
                   p == 0 ? open_->rows.get() : nullptr);
    check(H5Fflush(open_->file, H5F_SCOPE_GLOBAL), "flush");
  } catch (const OutputError& e) {
    give_up(std::string("cannot write the results file (") + e.what() + ")");
  }
  const hid_t file = open_->file;
  open_->file = -1;
  if (H5Fclose(file) < 0) give_up("cannot finish writing the results file");
  if (cancel && cancel->load()) {
    std::remove(tmp_.c_str());
    throw Interrupted("interrupted: no results written");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string cause = system_cause();
    std::remove(tmp_.c_str());
    throw OutputError(path_ + ": cannot rename the finished results file into place: " + cause);
  }
}

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
  for (const auto& r : results)
    if (r.rows_streamed) throw std::logic_error("write_results: rows went to a ResultsWriter during the run");
  ResultsWriter writer(path, study, results.at(static_cast<std::size_t>(study.baseline)).seed, info);
  writer.finish(results, cancel);
}

}  // namespace ccsim::output
