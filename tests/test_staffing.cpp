// ccsim staff: the requirement per interval by Erlang and by the iterative staffing algorithm, verified.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "output/hdf5_writer.hpp"
#include "output/staffing_writer.hpp"
#include "model/runner.hpp"
#include "planning/plan_yaml.hpp"
#include "planning/staffing.hpp"
#include "cli_fixtures.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;

namespace {

planning::Target sl(double value) {
  planning::Target t;
  t.kind = analysis::TargetKind::service_level;
  t.value = value;
  t.name = "sl";
  return t;
}

}  // namespace

TEST_CASE("on a stationary day the simulated requirement is Erlang A's, within one agent", "[staffing]") {
  // 360 calls an hour, 4 min talk, 3 min patience: 24 erlangs. The first hour starts empty (warm-up).
  auto s = testing::stationary(360, Distribution::exponential(240), 20, Distribution::exponential(180), 6, 1);
  planning::StaffOptions o;
  o.targets = {sl(0.8)};
  o.replications = 20;
  o.verify_replications = 20;
  o.seed = 5;
  const planning::StaffPlan p = planning::staff(s, o);
  analysis::QueueInput q;
  q.arrival_rate = 0.1;
  q.service_rate = 1.0 / 240;
  q.patience_rate = 1.0 / 180;
  q.tau = 20;
  const int erlang_a = *analysis::required_agents(q, {analysis::TargetKind::service_level, 0.8});
  CHECK(p.converged);
  for (int k = 1; k < s.intervals; ++k) {
    INFO("interval " << k << ": simulated " << p.at(k, 0).required << ", Erlang A " << erlang_a);
    CHECK(p.at(k, 0).required_erlang == erlang_a);
    CHECK(std::abs(p.at(k, 0).required - erlang_a) <= 1);
    CHECK(p.at(k, 0).available == Approx(20));
    CHECK(p.at(k, 0).gap() == Approx(20 - p.at(k, 0).required));
  }
}

TEST_CASE("on a time-varying day the verified plan meets the target in every interval", "[staffing]") {
  auto s =
      testing::stationary(0, Distribution::lognormal(300, 200), 10, Distribution::exponential(240), 12, 0);
  s.interval_s = 1800;
  const std::vector<double> per_hour{120, 240, 600, 900, 700, 360, 240, 540, 720, 300, 180, 120};
  s.contact_types[0].volume.clear();
  for (double r : per_hour) s.contact_types[0].volume.push_back(r / 2);
  planning::StaffOptions o;
  o.targets = {sl(0.8)};
  o.replications = 100;
  o.verify_replications = 40;
  o.seed = 9;
  const planning::StaffPlan p = planning::staff(s, o);
  CHECK(p.converged);
  bool lag = false;
  for (int k = 0; k < s.intervals; ++k) {
    const analysis::Estimate e = p.at(k, 0).achieved[0];
    INFO("interval " << k << ": " << p.at(k, 0).required << " agents (Erlang " << p.at(k, 0).required_erlang
                     << "), SL " << e.mean << " +- " << e.half_width);
    CHECK(e.mean + e.half_width >= 0.8);
    lag = lag || p.at(k, 0).required != p.at(k, 0).required_erlang;
  }
  CHECK(lag);  // the time-varying day is where simulation and the stationary formula part

  // Not slack: with the search's customers, one agent fewer in any interval misses the target there, or in
  // the next interval, where the queue it leaves spills (the search's rule for a tight interval).
  std::vector<int> plan;
  for (int k = 0; k < s.intervals; ++k) plan.push_back(p.at(k, 0).required);
  auto sl_at = [&](const std::vector<int>& counts, int k) {
    const auto r = testing::run(planning::with_counts(s, {counts}), o.replications, o.seed);
    double within = 0.0, offered = 0.0;
    for (const auto& rep : r.by_replication) {
      const auto& c = rep.contacts_by_interval[static_cast<std::size_t>(k)].counts;
      within += static_cast<double>(c.answered_within_tau);
      offered += static_cast<double>(c.offered);
    }
    return within / offered;
  };
  for (int k = 0; k < s.intervals; ++k) {
    std::vector<int> fewer = plan;
    --fewer[static_cast<std::size_t>(k)];
    const bool breaks = sl_at(fewer, k) < 0.8 || (k + 1 < s.intervals && sl_at(fewer, k + 1) < 0.8);
    INFO("interval " << k << " with " << fewer[static_cast<std::size_t>(k)] << " agents");
    CHECK(breaks);
  }
}

TEST_CASE("the plan written as a scenario runs with the required agents per interval", "[staffing]") {
  const std::string text = R"(name: small line
day: {open: "08:00", interval: 60min, intervals: 3}
contact_types:
  - name: calls
    calls_per_hour: [120, 360, 240]
    handle_time: {distribution: exponential, mean: 4min}
    patience: {distribution: exponential, mean: 3min}
agent_groups:
  - name: desk
    absence: 0.1
    shifts:
      - {start: "08:00", end: "11:00", agents: 12, breaks: [{start: "09:00", duration: 15min}]}
policies:
  - name: more
    overrides:
      agent_groups.desk.shifts[0].agents: 14
)";
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "ccsim_plan_yaml";
  fs::create_directories(dir / "plans");
  const std::string original = (dir / "small.yaml").string();
  const std::string with_comment = "# the original's own comment\n" + text;
  std::ofstream(original, std::ios::binary) << with_comment;
  const auto s = scenario::load_scenario(original);
  planning::StaffOptions o;
  o.targets = {sl(0.8)};
  o.replications = 10;
  o.verify_replications = 10;
  const planning::StaffPlan p = planning::staff(s, o);
  CHECK(p.at(1, 0).available == Approx(12 * 0.9 * 0.75));  // the break and absence as planned
  // Written in another folder: the base is named relative to it.
  const std::string plan_path = (dir / "plans" / "plan.yaml").string();
  const std::string yaml = planning::plan_scenario_yaml(s, p, plan_path);
  CHECK_THAT(yaml, Catch::Contains("base: ../small.yaml") && Catch::Contains("agent_groups.desk.agents: ["));
  CHECK(yaml.find("calls_per_hour") == std::string::npos);  // short: the original is not copied
  std::ofstream(plan_path, std::ios::binary) << yaml;
  const auto written = scenario::load_scenario(plan_path);
  std::vector<int> expected;
  for (int k = 0; k < 3; ++k) expected.push_back(p.at(k, 0).required);
  CHECK(written.agent_groups[0].agents_by_interval == expected);
  CHECK(written.agent_groups[0].absence == 0.0);
  CHECK(written.agent_groups[0].shifts.empty());
  CHECK(scenario::load_study(plan_path).policies.size() == 1);
  // It runs as the original with the plan applied, bit for bit.
  model::RunOptions ro;
  ro.replications = 3;
  ro.seed = 5;
  const auto a = model::run(written, ro);
  const auto b = model::run(planning::with_counts(s, {expected}), ro);
  REQUIRE(a.contacts_by_day.size() == b.contacts_by_day.size());
  for (std::size_t i = 0; i < a.contacts_by_day.size(); ++i)
    CHECK((a.contacts_by_day[i].estimate.mean == b.contacts_by_day[i].estimate.mean ||
           (std::isnan(a.contacts_by_day[i].estimate.mean) && std::isnan(b.contacts_by_day[i].estimate.mean))));
  // The original is named, not rewritten: its comments are as they were.
  std::ifstream in(original, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == with_comment);
  fs::remove_all(dir);
}

TEST_CASE("the staffing file holds one row per interval and group, and one per target beside it",
          "[staffing]") {
  auto s = testing::stationary(240, Distribution::exponential(240), 20, Distribution::exponential(180), 3, 0);
  planning::StaffOptions o;
  o.targets = {sl(0.8)};
  planning::Target abandon;
  abandon.kind = analysis::TargetKind::p_abandon;
  abandon.value = 0.05;
  abandon.name = "abandon";
  o.targets.push_back(abandon);
  o.replications = 5;
  o.verify_replications = 5;
  const planning::StaffPlan p = planning::staff(s, o);
  const std::string path = (std::filesystem::temp_directory_path() / "ccsim_staffing_test.h5").string();
  output::write_staffing(path, s, p, "ccsim staff test");
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  int version = 0;
  hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT, &version);
  H5Aclose(a);
  CHECK(version == output::kFormatVersion);
  auto rows = [&](const char* name) {
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    hid_t space = H5Dget_space(d);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    H5Sclose(space);
    H5Dclose(d);
    return n;
  };
  CHECK(rows("/staffing/by_interval") == 3);
  CHECK(rows("/staffing/achieved") == 3 * 2);
  H5Fclose(f);
  std::remove(path.c_str());
}

TEST_CASE("ccsim staff prints JSON and writes a scenario that ccsim run runs as it is", "[staffing][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / "ccsim_staff_cli";
  fs::create_directories(d);
  const std::string bin = CCSIM_BINARY,
                    scenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/home_work_line.yaml";
  auto run = [&](const std::string& args) {
    return std::system(
        (bin + " " + args + " >" + (d / "out").string() + " 2>" + (d / "err").string()).c_str());
  };
  auto out = [&] {
    std::ifstream in(d / "out");
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  REQUIRE(run("staff " + scenario +
              " --target sl=0.8 --target asa=30s -r 4 --verify-replications 4 --json "
              "--write-scenario " +
              (d / "plan.yaml").string()) == 0);
  const std::string json = out();
  for (const char* key : {"\"intervals\": [", "\"label\": \"08:00\"", "\"group\": ", "\"required\": ",
                          "\"required_erlang\": ", "\"available\": ", "\"gap\": ", "\"sl\": ", "\"asa\": "})
    CHECK_THAT(json, Catch::Contains(key));
  CHECK(run("run " + (d / "plan.yaml").string() + " -q -r 2 -o " + (d / "plan.h5").string()) == 0);
  // A plan made with --set keeps the --set values: the written scenario is the one the plan was made for.
  REQUIRE(run("staff " + scenario + " --set contact_types.banking.patience.scale=4min --target sl=0.8 -r 2 " +
              "--verify-replications 2 --write-scenario " + (d / "set.yaml").string()) == 0);
  {
    std::ifstream in(d / "set.yaml");
    const std::string written(std::istreambuf_iterator<char>(in), {});
    CHECK_THAT(written, Catch::Contains("contact_types.banking.patience.scale: 4min"));
  }
  CHECK(run("validate " + (d / "set.yaml").string()) == 0);
  // `--write-scenario -` writes the scenario to standard output (the table to standard error), no file '-'.
  const testing::Outcome piped = testing::run_ccsim(
      "staff " + scenario + " --target sl=0.8 -r 2 --verify-replications 2 --write-scenario -", d);
  CHECK(piped.code == 0);
  CHECK_THAT(piped.out, Catch::StartsWith("# Written by `ccsim staff`") &&
                            Catch::Contains("agent_groups.agents.agents:") && !Catch::Contains("required:"));
  CHECK_THAT(piped.err, Catch::Contains("required: by simulation"));
  CHECK_FALSE(fs::exists(d / "-"));
  std::ofstream(d / "piped.yaml") << piped.out;
  CHECK(run("validate " + (d / "piped.yaml").string()) == 0);
  CHECK(testing::run_ccsim("staff " + scenario + " --target sl=0.8 --json --write-scenario -", d).code == 1);
  CHECK(run("staff " + scenario + " --target nope:sl=0.8") != 0);
  CHECK(run("staff " + scenario) != 0);
  fs::remove_all(d);
}

TEST_CASE("report draws the gap chart of a staffing file, per group and day", "[staffing][report]") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / "ccsim_gap_report";
  fs::create_directories(d);
  std::ofstream(d / "two.yaml") << R"(name: two days
day: {open: "08:00", interval: 60min, intervals: 3}
days: {count: 2, labels: [Mon, Tue]}
contact_types:
  - {name: calls, calls_per_hour: [120, 360, 240], handle_time: {distribution: exponential, mean: 4min}}
  - {name: chats, calls_per_hour: 30, handle_time: {distribution: exponential, mean: 4min}}
agent_groups:
  - {name: desk, agents: 12, skills: [calls]}
  - {name: back, agents: 1, skills: [chats]}
)";
  const testing::Cli run{d};
  auto read = [](const fs::path& p) { return testing::Cli::read(p); };
  REQUIRE(run("staff " + (d / "two.yaml").string() + " --target sl=0.8 -r 4 --verify-replications 4 -o " +
              (d / "staff.h5").string()) == 0);
  REQUIRE(run("report " + (d / "staff.h5").string() + " -o " + (d / "staff.html").string()) == 0);
  const std::string html = read(d / "staff.html");
  std::size_t charts = 0;
  for (auto at = html.find("<figure class='gap'>"); at != std::string::npos;
       at = html.find("<figure class='gap'>", at + 1))
    ++charts;
  CHECK(charts == 4);  // two groups x two days
  for (const char* part : {"The gap to the roster", "<title>desk — Mon</title>", "<title>back — Tue</title>",
                           "<polyline class='req'", "<rect class='bar'", "required</text>", ">08:00</text>"})
    CHECK_THAT(html, Catch::Contains(part));
  // One agent in the back office at 30 chats an hour is short of what an 80% service level needs.
  CHECK_THAT(html, Catch::Contains("<rect class='bar under'"));
  // A results file without the staffing table: its usual report, no gap charts.
  REQUIRE(run("run " + (d / "two.yaml").string() + " -q -r 2 -o " + (d / "run.h5").string()) == 0);
  REQUIRE(run("report " + (d / "run.h5").string() + " -o " + (d / "run.html").string()) == 0);
  CHECK(read(d / "run.html").find("class='gap'") == std::string::npos);
  fs::remove_all(d);
}
