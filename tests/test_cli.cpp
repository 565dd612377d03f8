// The ccsim command as a user runs it: exit codes, messages, files.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "analysis/erlang.hpp"
#include "cli_fixtures.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

using testing::Outcome;
using testing::run_ccsim;
using testing::slurp;
using testing::work_dir;

const std::string kScenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml";

double json_number(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\": ");
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(at + key.size() + 4));
}

}  // namespace

TEST_CASE("validate accepts a shipped scenario and rejects bad input with exit code 1", "[cli]") {
  auto ok = run_ccsim("validate " + kScenario);
  CHECK(ok.code == 0);
  CHECK(ok.out.find(": ok") != std::string::npos);

  auto bad_file = work_dir() / "bad.yaml";
  std::ofstream(bad_file)
      << "name: x\nday: {interval: 30min, intervals: 2}\ncontact_types:\n  - name: a\n"
         "    calls_per_hour: 10\n    handle_time: {distribution: exponential, mean: 60}\n"
         "agent_groups:\n  - name: g\n    agentz: 3\n";
  auto bad = run_ccsim("validate " + bad_file.string());
  CHECK(bad.code == 1);
  CHECK(bad.err.find("bad.yaml:9:5: agent_groups[0].agentz: unknown key 'agentz' (did you mean 'agents'?)") !=
        std::string::npos);
}

TEST_CASE("bad input never touches an existing results file", "[cli]") {
  auto d = work_dir();
  std::ofstream(d / "old.h5") << "precious";
  std::ofstream(d / "bad.yaml") << "name: [unclosed\n";
  auto r = run_ccsim("run " + (d / "bad.yaml").string() + " -o " + (d / "old.h5").string());
  CHECK(r.code == 1);
  CHECK(slurp(d / "old.h5") == "precious");
}

TEST_CASE("command-line mistakes are bad input", "[cli]") {
  CHECK(run_ccsim("frobnicate").code == 1);
  CHECK(run_ccsim("run").code == 1);
  CHECK(run_ccsim("run /nonexistent.yaml").code == 1);
  CHECK(run_ccsim("run " + kScenario + " --replications 0").code == 1);
  CHECK(run_ccsim("run " + kScenario + " --bogus").code == 1);
  CHECK(run_ccsim("erlang --calls-per-hour 100").code == 1);
  CHECK(run_ccsim("erlang --calls-per-hour 100 --aht 60 --agents 3 --target sl=0.8").code == 1);
  CHECK(run_ccsim("erlang --calls-per-hour 100 --aht 60 --target speed=3").code == 1);
  for (const char* cmd : {"run --help", "validate --help", "erlang --help", "--help"}) {
    auto h = run_ccsim(cmd);
    CHECK(h.code == 0);
    CHECK_FALSE(h.out.empty());
  }
}

TEST_CASE("ccsim erlang prints the analytic measures as JSON", "[cli]") {
  auto r = run_ccsim("erlang --calls-per-hour 360 --aht 240 --agents 25 --patience 180 --tau 20 --json");
  REQUIRE(r.code == 0);
  ccsim::analysis::QueueInput q{0.1, 1.0 / 240, 1.0 / 180, 25, 20};
  auto m = ccsim::analysis::erlang_a_measures(q);
  CHECK(json_number(r.out, "p_wait") == Approx(m.p_wait).margin(1e-9));
  CHECK(json_number(r.out, "service_level") == Approx(m.service_level).margin(1e-9));
  CHECK(json_number(r.out, "asa") == Approx(m.asa).margin(1e-7));
  CHECK(json_number(r.out, "mean_wait") == Approx(m.mean_wait).margin(1e-7));
  CHECK(json_number(r.out, "p_abandon") == Approx(m.p_abandon).margin(1e-9));
  CHECK(json_number(r.out, "occupancy") == Approx(m.occupancy).margin(1e-9));

  auto t = run_ccsim("erlang --calls-per-hour 360 --aht 240 --target sl=0.8 --json");
  REQUIRE(t.code == 0);
  q.patience_rate = 0.0;
  auto need = ccsim::analysis::required_agents(q, {ccsim::analysis::TargetKind::service_level, 0.8});
  REQUIRE(need.has_value());
  CHECK(json_number(t.out, "agents") == *need);
  CHECK(json_number(t.out, "service_level") >= 0.8);
}

TEST_CASE("ccsim run writes the results file and a summary", "[cli]") {
  auto d = work_dir();
  auto out = d / "res.h5";
  auto r = run_ccsim("run " + kScenario + " -o " + out.string() + " --replications 4 --seed 9");
  REQUIRE(r.code == 0);
  CHECK(fs::exists(out));
  CHECK(r.out.find("SL(20s)") != std::string::npos);
  CHECK(r.out.find("[73.2]") != std::string::npos);  // Erlang A beside the simulated interval, in %
  CHECK(r.out.find("Estimator: ratio of totals over replications") != std::string::npos);
  auto j = run_ccsim("run " + kScenario + " -o " + out.string() + " --replications 3 --json");
  REQUIRE(j.code == 0);
  const auto json = nlohmann::json::parse(j.out);
  const auto& sl = json["policies"][0]["summary"]["day"]["general"]["service_level"];
  CHECK(sl["mean"].is_number());
  CHECK(sl["estimator"] == "ratio_of_totals");
  CHECK(sl.contains("mean_of_days"));
  CHECK(json_number(j.out, "replications") == 3);
}

TEST_CASE("the summary and compare print one occupancy (busy over available) for the same file", "[cli]") {
  auto d = work_dir();
  const auto out = d / "occupancy.h5";
  const std::string scenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/home_work_line.yaml";
  auto run = run_ccsim("run " + scenario + " -r 3 --threads 1 -o " + out.string());
  REQUIRE(run.code == 0);
  auto cmp = run_ccsim("compare " + out.string() + " --measures occupancy --csv");
  REQUIRE(cmp.code == 0);
  // compare: "occupancy,share,day,office,1,ratio_of_totals,0.69...": the baseline's day occupancy.
  const auto row = cmp.out.find("occupancy,share,day,office,");
  REQUIRE(row != std::string::npos);
  const std::string line = cmp.out.substr(row, cmp.out.find('\n', row) - row);
  const double from_compare = std::stod(line.substr(line.find("ratio_of_totals,") + 16));
  // summary: the group line of the baseline, "agents  34  283.2±32.3  69.3±14.1 [74.6] ..."
  const auto group = run.out.find("\nagents ");
  REQUIRE(group != std::string::npos);
  std::istringstream fields(run.out.substr(group + 1, run.out.find('\n', group + 1) - group - 1));
  std::string name, rostered, staffed, occupancy;
  fields >> name >> rostered >> staffed >> occupancy;
  CHECK(std::stod(occupancy) == Approx(100.0 * from_compare).margin(0.051));
}

TEST_CASE("validate counts overloaded intervals over the whole run, not one day", "[cli]") {
  auto d = work_dir();
  const auto file = d / "week.yaml";
  std::ofstream(file) << "name: overloaded week\nday: {open: \"08:00\", interval: 60min, intervals: 4}\n"
                         "days: {count: 5}\ncontact_types:\n  - name: calls\n    calls_per_hour: 100\n"
                         "    handle_time: {distribution: exponential, mean: 10min}\n"
                         "agent_groups:\n  - name: desk\n    agents: 2\n";
  auto r = run_ccsim("validate " + file.string());
  REQUIRE(r.code == 0);
  CHECK(r.out.find("20 of 20 intervals are overloaded") != std::string::npos);
}

TEST_CASE("targets and times take durations with units, plain numbers being seconds", "[cli]") {
  auto agents = [](const std::string& args) {
    const auto r = run_ccsim("erlang --calls-per-hour 360 --json " + args);
    REQUIRE(r.code == 0);
    return static_cast<int>(json_number(r.out, "agents"));
  };
  const int plain = agents("--aht 240 --patience 180 --target asa=30");
  CHECK(plain == agents("--aht 240 --patience 180 --target asa=30s"));
  CHECK(plain == agents("--aht 4min --patience 3min --target asa=0.5min"));
  CHECK(plain == agents("--aht 240s --patience 180 --tau 20s --target asa=30"));
  // A stricter ASA needs more agents: the unit is read, not dropped.
  CHECK(agents("--aht 240 --patience 180 --target asa=30min") < plain);
  CHECK(agents("--aht 240 --patience 180 --target asa=5") > plain);
  const auto bad = run_ccsim("erlang --calls-per-hour 360 --aht 240 --target asa=30x");
  CHECK(bad.code == 1);
  CHECK_THAT(bad.err, Catch::Contains("command line: --target asa=30x: expected a duration such as 180"));
  const auto aht = run_ccsim("erlang --calls-per-hour 360 --aht 4parsecs --agents 30");
  CHECK(aht.code == 1);
  CHECK_THAT(aht.err, Catch::Contains("command line: --aht: expected a duration"));
  CHECK(run_ccsim("erlang --calls-per-hour 360 --aht 240 --target asa=0s").code == 1);
  // ccsim staff reads its ASA target the same way, before any simulation; shares must be finite.
  const auto staff = run_ccsim("staff " + kScenario + " --target asa=2fortnights");
  CHECK(staff.code == 1);
  CHECK_THAT(staff.err, Catch::Contains("command line: --target asa=2fortnights: expected a duration"));
  const auto nan = run_ccsim("staff " + kScenario + " --target sl=nan");
  CHECK(nan.code == 1);
  CHECK_THAT(nan.err, Catch::Contains("'nan' is not a finite number"));
}
