// The results file's size estimated before a run (output/results_size.hpp) against files actually written:
// every table kind of `run` (records, costs, several policies, several days, announcements, transfers) and
// a sweep's (/points, the point column); and `--max-output` refusing before anything runs.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli_fixtures.hpp"
#include "hdf5_datasets.hpp"
#include "model/results.hpp"
#include "output/hdf5_writer.hpp"
#include "output/results_size.hpp"
#include "scenario/scenario.hpp"
#include "scenario/sweep.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

// Every table kind: three types (an "all" series) with a transfer, two groups on shifts with breaks and a
// shrinkage block, two days, announcements measured, prices, and two policies with different skills.
const char* const kEveryTable = R"(name: every table
day: {open: "08:00", interval: 60min, intervals: 3}
days: {count: 2}
costs: {per_abandoned: 2}
contact_types:
  - {name: sales, calls_per_hour: 200, handle_time: {distribution: exponential, mean: 100},
     patience: {distribution: exponential, mean: 600}, transfers: [{to: billing, probability: 0.2}]}
  - {name: billing, calls_per_hour: 100, handle_time: {distribution: exponential, mean: 100},
     patience: {distribution: exponential, mean: 600}}
  - {name: a much longer contact type name, calls_per_hour: 50,
     handle_time: {distribution: exponential, mean: 100}, wrap_up: {distribution: deterministic, value: 10},
     patience: {distribution: exponential, mean: 600}}
agent_groups:
  - name: front
    cost_per_hour: 30
    skills: [sales, billing]
    shifts: [{start: "08:00", end: "11:00", agents: 8, breaks: [{start: "09:30", duration: 10min}]}]
    shrinkage: [{name: huddle, start: "10:00", end: "10:15", agents: 1}]
  - name: back
    cost_per_hour: 25
    skills: [billing, a much longer contact type name]
    shifts: [{start: "08:00", end: "11:00", agents: 6}]
announcement: {predictor: queue_length}
policies:
  - name: base
  - name: wider
    overrides:
      agent_groups.back.skills: [sales, billing, a much longer contact type name]
)";

// Bytes of every dataset as stored before compression (rows x stored row size), by path.
std::map<std::string, double> written_tables(const std::string& file) {
  std::map<std::string, double> out;
  for (const auto& name : testing::dataset_names(file))
    out[name] = static_cast<double>(testing::dataset_bytes(file, name.c_str()).size());
  return out;
}

double sum(const std::map<std::string, double>& tables) {
  double s = 0.0;
  for (const auto& [path, bytes] : tables) s += bytes;
  return s;
}

// Each table's estimate against what was written: exact but for the records, whose rows depend on the
// draws; the total within `below` under and `above` over what was written; the file on disk (deflated)
// below the estimate plus HDF5's own metadata, at most 16 KiB a table.
void check_estimate(const output::ResultsSize& size, const fs::path& file, double below, double above) {
  const auto written = written_tables(file.string());
  REQUIRE(!written.empty());
  for (const auto& [path, bytes] : written) {
    INFO(path);
    REQUIRE(size.tables.count(path) == 1);
    if (path.rfind("/records/", 0) != 0) CHECK(size.tables.at(path) == bytes);
  }
  for (const auto& [path, bytes] : size.tables) {
    INFO(path << " estimated but not written");
    CHECK((written.count(path) == 1 || bytes == 0.0));
  }
  const double tables = sum(written);
  CHECK(size.total() - size.attribute_bytes >= (1.0 - below) * tables);
  CHECK(size.total() - size.attribute_bytes <= (1.0 + above) * tables);
  CHECK(static_cast<double>(fs::file_size(file)) <=
        size.total() + 16.0 * 1024 * static_cast<double>(written.size()));
}

}  // namespace

TEST_CASE("the output-size estimate: every table of a run with records, costs, policies and days",
          "[output][limits]") {
  const scenario::Study study = scenario::parse_study(kEveryTable, "every.yaml");
  model::RunOptions o;
  o.seed = 3;
  o.replications = 3;
  o.threads = 2;
  o.records = {true, true};
  o.records_replications = 2;
  const auto results = model::run_study(study, o);
  const fs::path dir = testing::work_dir("output_size");
  const fs::path file = dir / "every.h5";
  output::write_results(file.string(), study, results, {"test", "ccsim run every.yaml"});

  const output::ResultsSize size = output::results_size(study, {3, {true, true}, 2});
  CHECK(written_tables(file.string()).size() == 38);  // every table kind is in the file
  // The agents' records are an upper bound (below), so the total may be over by more than the rest.
  check_estimate(size, file, 0.02, 0.15);
  // The records alone: contact legs are their expected number (a few thousand here, so within 5 %); agent
  // state changes counted as two or three per leg are an upper bound (an agent who goes straight to the
  // next waiting contact changes no state).
  const auto written = written_tables(file.string());
  CHECK(size.tables.at("/records/contacts") == Approx(written.at("/records/contacts")).epsilon(0.05));
  CHECK(size.tables.at("/records/agents") >= written.at("/records/agents"));
  CHECK(size.tables.at("/records/agents") <= 1.5 * written.at("/records/agents"));

  // Per-replication tables grow with the replications, the others do not; records with their own count.
  const double more = output::results_size(study, {4, {true, true}, 2}).total() - size.total();
  CHECK(more > 0.0);
  CHECK(output::results_size(study, {1003, {true, true}, 2}).total() == Approx(size.total() + 1000 * more));
  CHECK(output::results_size(study, {3, {}, 1}).tables.count("/records/contacts") == 0);
  CHECK(output::format_bytes(2.0 * 1024 * 1024 * 1024) == "2 GiB");
  CHECK(output::format_bytes(1536) == "1.5 KiB");
  fs::remove_all(dir);
}

TEST_CASE("the output-size estimate of a sweep: /points, names 255 bytes wide, every point's tables",
          "[output][limits][sweep]") {
  const fs::path dir = testing::work_dir("output_size_sweep");
  { std::ofstream(dir / "every.yaml") << kEveryTable; }
  // Points of different sizes: the days' count changes every per-day table.
  const std::string grid =
      "--grid 'days.count=[1, 2]' --grid 'contact_types.sales.calls_per_hour=[150, 200]'";
  const auto ran = testing::run_ccsim("sweep every.yaml " + grid + " -r 2 -t 2 -q -o s.h5", dir);
  INFO(ran.err);
  REQUIRE(ran.code == 0);
  const std::string text = testing::slurp(dir / "every.yaml");
  const scenario::Sweep sweep =
      scenario::combine({scenario::grid_axis("days.count=[1, 2]"),
                         scenario::grid_axis("contact_types.sales.calls_per_hour=[150, 200]")},
                        false);
  output::PointColumns columns{sweep.paths, {}};
  for (const auto& p : sweep.points) {
    columns.values.emplace_back();
    for (const auto& v : p) columns.values.back().push_back(v.value);
  }
  output::ResultsSize size =
      output::sweep_header_size(scenario::point_study(text, "every.yaml", {}, sweep, 0), columns);
  for (std::size_t i = 0; i < sweep.points.size(); ++i)
    output::add_point_size(size, scenario::point_study(text, "every.yaml", {}, sweep, i), {2, {}, 1});
  CHECK(size.tables.at("/points") > 0.0);
  check_estimate(size, dir / "s.h5", 0.0, 0.0);  // no records: every table exact
  fs::remove_all(dir);
}

TEST_CASE("the output limit refuses before simulating, located where the size comes from",
          "[output][limits]") {
  const fs::path dir = testing::work_dir("output_limit");
  {
    std::ofstream(dir / "every.yaml") << kEveryTable;
    std::ofstream(dir / "many.yaml") << "replications: 900000\n" << kEveryTable;
  }
  // The replications from the command line: refused at once, nothing written, and told how to raise it.
  auto r = testing::run_ccsim("run every.yaml -r 1000000 -o x.h5", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("error: command line: --replications 1000000: the results file would hold about") !=
        std::string::npos);
  CHECK(r.err.find("raise the limit with --max-output SIZE, e.g. --max-output ") != std::string::npos);
  CHECK(!fs::exists(dir / "x.h5"));
  // The scenario's `replications:` line; validate applies the limit too.
  r = testing::run_ccsim("validate many.yaml", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("many.yaml:1:15: replications: the results file would hold") != std::string::npos);
  r = testing::run_ccsim("run many.yaml -o x.h5", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("many.yaml:1:15: replications:") != std::string::npos);
  // --until-ci counts the most it may run; records are blamed on --records-replications.
  r = testing::run_ccsim("run every.yaml --until-ci sl:0.0001 --max-replications 1000000 -o x.h5", dir);
  CHECK(r.err.find("command line: --max-replications 1000000:") != std::string::npos);
  r = testing::run_ccsim(
      "run every.yaml -r 200 --records contacts --records-replications 200 "
      "--max-output 20MiB -o x.h5",
      dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("command line: --records-replications 200: ") != std::string::npos);
  CHECK(r.err.find("/records/contacts alone") != std::string::npos);
  // Refused before the warnings a run that goes ahead prints (this scenario warns of unstaffed skills).
  r = testing::run_ccsim(
      "run " + std::string(CCSIM_SOURCE_DIR) + "/scenarios/bank_branch.yaml -r 900000 -o x.h5", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("command line: --replications 900000: ") != std::string::npos);
  CHECK(r.err.find("warning:") == std::string::npos);
  // A small default-replication run beyond a tiny limit names the limit itself.
  r = testing::run_ccsim("run every.yaml --max-output 100KiB -o x.h5", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("command line: --max-output 100KiB: ") != std::string::npos);
  // A sweep counts every point.
  r = testing::run_ccsim(
      "sweep every.yaml --range 'agent_groups.back.shifts[0].agents=1,400,1' --max-output 50MiB "
      "-o x.h5",
      dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("command line: --max-output 50MiB: ") != std::string::npos);
  CHECK(!fs::exists(dir / "x.h5.checkpoint"));
  // Sizes read like every value; a raised limit lets the run through.
  r = testing::run_ccsim("run every.yaml --max-output 2XB -o x.h5", dir);
  CHECK(r.code == 1);
  CHECK(r.err.find("command line: --max-output: expected a size such as 2GiB") != std::string::npos);
  r = testing::run_ccsim("validate every.yaml", dir);
  CHECK(r.code == 0);
  CHECK(r.out.find("results file: about ") != std::string::npos);
  CHECK(r.out.find("of each of 2 policies (limit 2 GiB, --max-output)") != std::string::npos);
  r = testing::run_ccsim("run every.yaml -r 2 -q -o x.h5", dir);
  CHECK(r.code == 0);
  fs::remove_all(dir);
}
