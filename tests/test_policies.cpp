// Policy comparison: overrides, common random numbers, paired intervals, precision control, interrupts.
#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "hdf5_datasets.hpp"
#include "output/hdf5_writer.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

const std::string kBase = R"(name: policies
replications: 30
day: {interval: 60min, intervals: 8}
contact_types:
  - name: calls
    calls_per_hour: 360
    handle_time: {distribution: exponential, mean: 240s}
    patience: {distribution: exponential, mean: 180s}
agent_groups:
  - name: agents
    agents: 25
    absence: 0.04
)";

scenario::Study study(const std::string& policies) {
  return scenario::parse_study(kBase + policies, "p.yaml");
}

std::vector<double> values(const model::Results& r, const char* measure) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication)
    v.push_back(model::day_value(rep, measure, scenario::ServiceLevelDefinition::offered));
  return v;
}

std::string error_of(const std::string& policies) {
  try {
    study(policies);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("ccsim_test_policies_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("overrides change only what they name", "[policies]") {
  auto st = study(R"(policies:
  - name: base
  - name: more
    baseline: true
    overrides: {agent_groups.agents.agents: 27, day.busyness_cv: 0.1}
  - name: by index
    overrides: {"agent_groups[0].absence": 0.2, contact_types.calls.handle_time.mean: 200s}
)");
  REQUIRE(st.names == std::vector<std::string>{"base", "more", "by index"});
  CHECK(st.baseline == 1);
  CHECK(st.policies[0].agent_groups[0].agents == 25);
  CHECK(st.policies[1].agent_groups[0].agents == 27);
  CHECK(st.policies[1].busyness_cv == 0.1);
  CHECK(st.policies[1].contact_types[0].handle_time.mean() == 240.0);
  CHECK(st.policies[2].agent_groups[0].absence == 0.2);
  CHECK(st.policies[2].contact_types[0].handle_time.mean() == 200.0);
  CHECK(st.policies[2].agent_groups[0].agents == 25);
}

TEST_CASE("invalid overrides are errors before anything runs", "[policies][errors]") {
  CHECK_THAT(
      error_of("policies:\n  - name: x\n    overrides: {agent_groups.agnets.agents: 3}\n"),
      Catch::Contains(
          "p.yaml:15:17: policies.x.overrides.agent_groups.agnets.agents: no element named 'agnets' in "
          "agent_groups (did you mean 'agents'?)"));
  CHECK_THAT(error_of("policies:\n  - name: x\n    overrides: {agent_groups.agents.agentz: 3}\n"),
             Catch::Contains("unknown key 'agentz' (did you mean 'agents'?)"));
  CHECK_THAT(error_of("policies:\n  - name: x\n    overrides: {agent_groups.agents.agentz: 3}\n"),
             Catch::Contains("(in policy 'x' at p.yaml:14:5: policies[0])"));
  CHECK_THAT(error_of("policies:\n  - name: x\n    overrides: {agent_groups.agents.agents: -4}\n"),
             Catch::Contains("agent_groups[0].agents: must be between 0 and 1000000, got -4"));
  CHECK_THAT(error_of("policies:\n  - name: x\n    overrides: {\"contact_types[3].patience\": none}\n"),
             Catch::Contains("'contact_types[3]': no element [3]"));
  CHECK_THAT(error_of("policies:\n  - name: x\n  - name: x\n"),
             Catch::Contains("policy 'x' is defined twice"));
}

TEST_CASE("a policy's factors are read in order, the same names for every policy or none", "[policies]") {
  const auto s = study("policies:\n  - name: a\n    factors: {home_share: 0, message: none}\n  - name: b\n"
                       "    factors: {message: longer_than_usual, home_share: 0.5}\n");
  REQUIRE(s.factors.size() == 2);
  CHECK(s.factors[0] == std::vector<std::pair<std::string, std::string>>{{"home_share", "0"}, {"message", "none"}});
  CHECK(s.factors[1][0] == std::pair<std::string, std::string>{"message", "longer_than_usual"});
  CHECK(study("policies:\n  - name: a\n  - name: b\n").factors.empty());
  CHECK_THAT(error_of("policies:\n  - name: a\n    factors: {x: 1}\n  - name: b\n"),
             Catch::Contains("p.yaml:16:") && Catch::Contains("give this policy the factors the others have"));
  CHECK_THAT(error_of("policies:\n  - name: a\n  - name: b\n    factors: {x: 1}\n"),
             Catch::Contains("the first policy has no factors"));
  CHECK_THAT(error_of("policies:\n  - name: a\n    factors: {x: 1}\n  - name: b\n    factors: {y: 1}\n"),
             Catch::Contains("policies[1].factors: every policy names the same factors as the first (x)"));
  CHECK_THAT(error_of("policies:\n  - name: a\n    factors: {x: [1, 2]}\n"),
             Catch::Contains("policies[0].factors.x: a factor's value is one plain value"));
  CHECK_THAT(error_of("policies:\n  - name: a\n    factors: 3\n"),
             Catch::Contains("expected a map of factor names to values"));
}

TEST_CASE("identical policies give identical replications (common random numbers)", "[policies][crn]") {
  auto st = study("policies:\n  - name: a\n  - name: b\n    overrides: {agent_groups.agents.agents: 25}\n");
  model::RunOptions o;
  o.check_invariants = true;
  o.keep_replications = true;
  o.replications = 10;
  o.seed = 5;
  auto r = model::run_study(st, o);
  for (std::size_t i = 0; i < 10; ++i)
    for (std::size_t c = 0; c < r[0].by_replication[i].contacts_by_interval.size(); ++c) {
      const auto& a = r[0].by_replication[i].contacts_by_interval[c].counts;
      const auto& b = r[1].by_replication[i].contacts_by_interval[c].counts;
      REQUIRE(a.offered == b.offered);
      REQUIRE(a.answered_within_tau == b.answered_within_tau);
      REQUIRE(a.wait_answered_s == b.wait_answered_s);
    }
}

TEST_CASE("the paired interval of two close policies is at least 3 times narrower than the unpaired one",
          "[policies][crn]") {
  auto st =
      study("policies:\n  - name: '25'\n  - name: '26'\n    overrides: {agent_groups.agents.agents: 26}\n");
  model::RunOptions o;
  o.check_invariants = true;
  o.keep_replications = true;
  o.replications = 40;
  o.seed = 9;
  auto r = model::run_study(st, o);
  for (const char* m : {"sl", "asa", "abandon"}) {
    auto a = values(r[0], m), b = values(r[1], m);
    auto paired = analysis::paired_difference(a, b), unpaired = analysis::unpaired_difference(a, b);
    INFO(m << ": paired ±" << paired.half_width << ", unpaired ±" << unpaired.half_width);
    CHECK(paired.half_width * 3 <= unpaired.half_width);
    CHECK(std::abs(paired.mean - unpaired.mean) < 1e-12);  // the same difference of means
  }
}

TEST_CASE("precision control adds replications until the half-width is met, or stops at the maximum",
          "[policies][precision]") {
  auto st = study("policies:\n  - name: a\n  - name: b\n    overrides: {agent_groups.agents.agents: 26}\n");
  model::RunOptions o;
  o.check_invariants = true;
  o.keep_replications = true;
  o.replications = 5;
  o.seed = 2;
  o.until_measure = "sl";
  o.until_half_width = 0.02;
  o.max_replications = 500;
  auto r = model::run_study(st, o);
  REQUIRE(r[0].precision_met);
  CHECK(r[0].replications > 5);
  for (const auto& p : r) CHECK(analysis::estimate(values(p, "sl")).half_width <= 0.02);
  // The same replications as a fixed run of that many: batching changes nothing.
  model::RunOptions fixed;
  fixed.check_invariants = true;
  fixed.keep_replications = true;
  fixed.replications = r[0].replications;
  fixed.seed = 2;
  auto f = model::run_study(st, fixed);
  CHECK(values(f[1], "sl") == values(r[1], "sl"));
  // Out of reach: stops at the maximum and says so.
  o.until_half_width = 1e-5;
  o.max_replications = 12;
  auto capped = model::run_study(st, o);
  CHECK_FALSE(capped[0].precision_met);
  CHECK(capped[0].replications == 12);
}

TEST_CASE("ccsim run with policies: compare table, thread-independent file, precision message",
          "[policies][cli]") {
  const auto dir = temp_dir();
  std::ofstream(dir / "p.yaml")
      << kBase
      << "policies:\n  - name: lean\n  - name: rich\n    overrides: {agent_groups.agents.agents: 28}\n";
  auto run = [&](const std::string& args) {
    const std::string cmd = std::string(CCSIM_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                            (dir / "err").string();
    int status = std::system(cmd.c_str());
    std::ifstream out(dir / "out"), err(dir / "err");
    std::stringstream o, e;
    o << out.rdbuf();
    e << err.rdbuf();
    return std::tuple{WEXITSTATUS(status), o.str(), e.str()};
  };
  auto [code, out, err] =
      run("run " + (dir / "p.yaml").string() + " -o " + (dir / "one.h5").string() + " -t 1");
  REQUIRE(code == 0);
  CHECK(out.find("Policies against the baseline 'lean'") != std::string::npos);
  CHECK(out.find("rich") != std::string::npos);
  auto [code2, out2, err2] =
      run("run " + (dir / "p.yaml").string() + " -q -o " + (dir / "two.h5").string() + " -t 2");
  REQUIRE(code2 == 0);
  auto [c1, csv1, e1] =
      run("compare " + (dir / "one.h5").string() + " --csv --by interval --measures sl,occupancy");
  auto [c2, csv2, e2] =
      run("compare " + (dir / "two.h5").string() + " --csv --by interval --measures sl,occupancy");
  REQUIRE(c1 == 0);
  CHECK(csv1 == csv2);
  // Measures appear under their full name from the measure table, with their unit and estimator.
  CHECK(csv1.find("service_level,share,00:00,rich,0,ratio_of_totals,") != std::string::npos);
  CHECK(csv1.find("occupancy,share,00:00,rich,0,ratio_of_totals,") != std::string::npos);
  auto [c3, out3, err3] = run("run " + (dir / "p.yaml").string() + " -o " + (dir / "ci.h5").string() +
                              " --until-ci asa:0.000001 --max-replications 6");
  CHECK(c3 == 0);
  CHECK(err3.find("precision NOT reached: asa half-width <= 1e-06 for every policy at the maximum of 6 "
                  "replications") != std::string::npos);
  CHECK(std::get<0>(run("compare " + (dir / "one.h5").string() + " --measures speed")) == 1);
  // A file that is not there is the user's mistake, like any other input.
  CHECK(std::get<0>(run("compare " + (dir / "nothing.h5").string())) == 1);
}

TEST_CASE("Ctrl-C stops a run cleanly and leaves no file under the target name", "[policies][interrupt]") {
  const auto dir = temp_dir();
  const fs::path target = dir / "long.h5";
  std::string text = kBase;
  text.replace(text.find("replications: 30"), 16, "replications: 100000");
  std::ofstream(dir / "long.yaml", std::ios::trunc) << text;
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(CCSIM_BINARY, CCSIM_BINARY, "run", (dir / "long.yaml").c_str(), "-o", target.c_str(), "-t", "1",
          nullptr);
    _exit(127);
  }
  REQUIRE(ccsim::testing::wait_until_under_way(target, child));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // into the replications
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_FALSE(fs::exists(target));
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("with policies, 1 and 2 threads write bit-identical datasets", "[policies][determinism]") {
  const auto dir = temp_dir();
  auto st = study("policies:\n  - name: a\n  - name: b\n    overrides: {agent_groups.agents.agents: 27}\n");
  for (int threads : {1, 2}) {
    model::RunOptions o;
    o.check_invariants = true;
    o.keep_replications = true;
    o.replications = 7;
    o.seed = 3;
    o.threads = threads;
    output::write_results((dir / ("t" + std::to_string(threads) + ".h5")).string(), st,
                          model::run_study(st, o), {"test", "test"});
  }
  auto bytes = [](const fs::path& file, const char* path) {
    return testing::dataset_bytes(file.string(), path);
  };
  for (const char* path : {"/replications/contacts_by_interval", "/replications/agents_by_day",
                           "/summary/contacts_by_day", "/replications/served_by_interval", "/policies"}) {
    INFO(path);
    auto one = bytes(dir / "t1.h5", path);
    CHECK(!one.empty());
    CHECK(one == bytes(dir / "t2.h5", path));
  }
}

// `base:` — a scenario that starts from another file and overrides fields by path.
namespace {

struct BaseFiles {
  fs::path dir = fs::temp_directory_path() / ("ccsim_base_" + std::to_string(::getpid()));
  BaseFiles() { fs::create_directories(dir / "sub"); }
  ~BaseFiles() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

std::string file_error(const std::string& path) {
  try {
    scenario::load_study(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a base scenario with overrides by path", "[policies][base]") {
  const BaseFiles f;
  f.write("orig.yaml", "# the original\n" + kBase);
  // In a sub-folder: the base is relative to the file naming it.
  const std::string derived = f.write("sub/more.yaml", R"(base: ../orig.yaml   # start from the original
name: more agents
agent_groups.agents.agents: 30
agent_groups.agents.absence: ~
)");
  const auto s = scenario::load_scenario(derived);
  CHECK(s.name == "more agents");
  CHECK(s.agent_groups[0].agents == 30);
  CHECK(s.agent_groups[0].absence == 0.0);
  CHECK(s.contact_types[0].name == "calls");
  CHECK(s.source_path == derived);
  CHECK_THAT(s.source_text, Catch::Contains("# base ") && Catch::Contains("# # the original"));
  // The same as the original with the same change made in place.
  auto in_place = scenario::parse_scenario(kBase, "p.yaml");
  in_place.agent_groups[0].agents = 30;
  in_place.agent_groups[0].absence = 0.0;
  model::RunOptions ro;
  ro.replications = 2;
  CHECK(model::run(s, ro).contacts_by_day[0].estimate.mean ==
        model::run(in_place, ro).contacts_by_day[0].estimate.mean);
  // A base of a base, with policies in the middle one.
  const std::string top = f.write("sub/top.yaml", R"(base: more.yaml
replications: 4
)");
  CHECK(scenario::load_scenario(top).agent_groups[0].agents == 30);
  CHECK(scenario::load_scenario(top).replications == 4);
}

TEST_CASE("errors of a based scenario name the file they are in", "[policies][base]") {
  const BaseFiles f;
  const std::string orig = f.write("orig.yaml", kBase + "    shrinkage: [{name: m, start: \"01:00\", end: \"02:00\", agents: 2}]\n");
  // A bad value in the overriding file: its own file, line and column.
  const std::string bad = f.write("bad.yaml", "base: orig.yaml\n\nagent_groups.agents.agents: -3\n");
  CHECK_THAT(file_error(bad), Catch::StartsWith(bad + ":3:") && Catch::Contains("agent_groups[0].agents"));
  // An unknown key an override adds: at the override.
  const std::string typo = f.write("typo.yaml", "base: orig.yaml\nagent_groups.agents.agentz: 3\n");
  CHECK_THAT(file_error(typo), Catch::StartsWith(typo + ":2:1:") && Catch::Contains("unknown key 'agentz'"));
  // A mistake the override causes in the base's own fields is said at the base's line.
  const std::string few = f.write("few.yaml", "base: orig.yaml\nagent_groups.agents.agents: 1\n");
  CHECK_THAT(file_error(few), Catch::Contains(orig + ":"));
  // A missing base, and a cycle of bases, at the `base` field.
  const std::string missing = f.write("missing.yaml", "name: x\nbase: nowhere.yaml\n");
  CHECK_THAT(file_error(missing), Catch::StartsWith(missing + ":2:7: base:") && Catch::Contains("nowhere.yaml"));
  const std::string a = f.write("a.yaml", "base: b.yaml\n");
  f.write("b.yaml", "base: a.yaml\n");
  CHECK_THAT(file_error(a), Catch::Contains("cycle") && Catch::Contains("a.yaml -> ") &&
                              Catch::Contains("b.yaml -> "));
  const std::string self = f.write("self.yaml", "base: self.yaml\n");
  CHECK_THAT(file_error(self), Catch::Contains("cycle"));
  // No path into nothing.
  const std::string path = f.write("path.yaml", "base: orig.yaml\nagent_groups.nobody.agents: 3\n");
  CHECK_THAT(file_error(path), Catch::StartsWith(path + ":2:1:") && Catch::Contains("no element named 'nobody'"));
}
