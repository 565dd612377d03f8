// Hostile and careless input (issue 12): every mistake a located error with exit 1, every error of a file
// at once, bounded work, output that fails cleanly, signals that stop a run at once.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "model/model.hpp"
#include "scenario/forecast_csv.hpp"
#include "scenario/scenario.hpp"
#include "scenario/work_limits.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

using testing::Outcome;
using testing::run_ccsim;
using testing::slurp;
using testing::work_dir;

const std::string kScenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml";

// Line numbers in the tests refer to this text; HANDLE and EXTRA are replaced.
const std::string kSmall = R"(name: small
day: {open: "08:00", interval: 30min, intervals: 8}
contact_types:
  - name: a
    calls_per_hour: 10
    handle_time: HANDLE
agent_groups:
  - name: g
    agents: 5
EXTRA)";

std::string small(const std::string& handle = "{distribution: exponential, mean: 60}",
                  const std::string& extra = "") {
  std::string s = kSmall;
  s.replace(s.find("HANDLE"), 6, handle);
  s.replace(s.find("EXTRA"), 5, extra);
  return s;
}

fs::path file(const std::string& name, const std::string& text) {
  const fs::path p = work_dir() / name;
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  return p;
}

// The error validate gives for `text`, after checking it is exit 1 and located in the file.
std::string validate_error(const std::string& text) {
  const fs::path p = file("case.yaml", text);
  const Outcome r = run_ccsim("validate " + p.string());
  INFO(text << "\n" << r.out << r.err);
  CHECK(r.code == 1);
  CHECK(r.err.find("error: " + p.string() + ":") == 0);
  return r.err;
}

bool has(const std::string& text, const std::string& part) {
  INFO("looking for: " << part << "\nin: " << text);
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("numeric nonsense in a scenario is a located error", "[hostile]") {
  CHECK(has(
      validate_error(small().replace(small().find("intervals: 8"), 12, "intervals: 8, warmup: \"1e30s\"")),
      "day.warmup: a duration is at most 10000000 s"));
  CHECK(has(validate_error(small("{distribution: weibull, shape: 1e-300, scale: 60}")),
            ":6:18: contact_types[0].handle_time: the distribution's mean"));
  CHECK(has(validate_error(small("{distribution: exponential, mean: 1e30}")),
            "contact_types[0].handle_time.mean: a duration is at most"));
  CHECK(has(validate_error(small("{distribution: lognormal, mean: 60, sd: 1e200}")),
            "contact_types[0].handle_time.sd: a duration is at most"));
  CHECK(has(validate_error("name: x\n[1, 2]: 3\n"), ":2:1: (top level): a key must be plain text"));
}

TEST_CASE("rosters: overlapping breaks and meetings larger than the group", "[hostile]") {
  std::string roster = small();
  roster.replace(roster.find("agents: 5"), 9,
                 "shifts:\n      - {start: \"08:00\", end: \"12:00\", agents: 3, breaks: "
                 "[{start: \"09:00\", duration: 30min}, {start: \"09:15\", duration: 15min}]}");
  CHECK(has(validate_error(roster), "breaks[1]: break 09:15-09:30 overlaps break 1 of the shift"));
  CHECK(has(validate_error(small("{distribution: exponential, mean: 60}",
                                 "    shrinkage: [{start: \"09:00\", end: \"10:00\", agents: 50}]\n")),
            "shrinkage[0].agents: a meeting of 50 agents, but group 'g' has 5 agents in all"));
}

TEST_CASE("every validation error of a file at once, in file order", "[hostile]") {
  const std::string text = R"(name: x
day: {interval: 30min, intervals: 4}
contact_types:
  - name: a
    calls_per_hour: -3
    handle_time: {distribution: exponential, mean: 60}
  - name: b
    calls_per_hour: 10
    handle_time: {distribution: exponentil, mean: 60}
agent_groups:
  - name: g
    agentz: 5
    skills: [a, b]
  - name: h
    agents: 2
    skills: [c]
)";
  const std::string err = validate_error(text);
  const auto first = err.find(":5:21: contact_types[0].calls_per_hour");
  const auto second =
      err.find(":9:33: contact_types[1].handle_time.distribution: unknown value 'exponentil'");
  const auto third = err.find(":12:5: agent_groups[0].agentz: unknown key");
  const auto fourth = err.find(":16:14: agent_groups[1].skills[0]: unknown contact type 'c'");
  CHECK(first < second);
  CHECK(second < third);
  CHECK(third < fourth);
  CHECK(fourth != std::string::npos);
  CHECK(has(err, "ccsim: 4 errors"));
  // A syntax error ends parsing there: one error.
  const std::string broken = validate_error(text + "  - [unclosed\n");
  CHECK(has(broken, "not valid YAML"));
  CHECK_FALSE(has(broken, "errors"));
}

TEST_CASE("inputs are regular files or standard input, under a size limit", "[hostile]") {
  auto dir = run_ccsim("validate " + work_dir().string());
  CHECK(dir.code == 1);
  CHECK(has(dir.err, "is a directory"));
  auto zero = run_ccsim("validate /dev/zero");
  CHECK(zero.code == 1);
  CHECK(has(zero.err, "not a regular file"));
  const fs::path s = file("s.yaml", small());
  const std::string cmd = std::string(CCSIM_BINARY) + " validate - < " + s.string() + " > " +
                          (work_dir() / "o").string() + " 2>&1";
  CHECK(std::system(cmd.c_str()) == 0);
  CHECK(has(slurp(work_dir() / "o"), "<stdin>: ok"));
  std::string huge(2u << 20, '#');
  auto big = run_ccsim("validate " + file("big.yaml", huge).string());
  CHECK(big.code == 1);
  CHECK(has(big.err, "larger than the limit of 1 MiB"));
  // Tables grow with types x groups: a small file must not ask for gigabytes.
  std::string many = "name: x\nday: {interval: 30min, intervals: 4}\ncontact_types:\n";
  for (int i = 0; i < 501; ++i)
    many += "  - {name: t" + std::to_string(i) +
            ", calls_per_hour: 1, handle_time: {distribution: exponential, mean: 60}}\n";
  many += "agent_groups:\n  - {name: g, agents: 5}\n";
  CHECK(has(validate_error(many), ":4:3: contact_types: has 501 contact types; at most 500 are allowed"));
}

TEST_CASE("a forecast CSV with a byte-order mark reads as without", "[hostile]") {
  file("bom.csv", "\xEF\xBB\xBFinterval_start,contact_type,volume\n08:00,a,3\n08:30,a,3\n");
  const fs::path s = file("bom.yaml",
                          "name: x\nday: {open: \"08:00\", interval: 30min, intervals: 2}\n"
                          "forecast: bom.csv\ncontact_types:\n  - name: a\n"
                          "    handle_time: {distribution: exponential, mean: 60}\n"
                          "agent_groups:\n  - name: g\n    agents: 5\n");
  auto r = run_ccsim("validate " + s.string());
  INFO(r.err);
  CHECK(r.code == 0);
}

TEST_CASE("a forecast header naming a column twice is an error, not a read past the row", "[hostile][fuzz]") {
  // Found by fuzz_forecast: rows as long as the distinct columns were indexed by the repeated one.
  scenario::Scenario s = scenario::parse_scenario(small(), "x.yaml");
  CHECK_THROWS_WITH(
      scenario::parse_forecast_csv("interval_start,contact_type,volume,aht,aht\n08:00,a,3,240\n", "f.csv", s),
      "f.csv:1:40: header: column 'aht' given twice");
}

TEST_CASE("work beyond the limits is refused before running, saying how to raise them", "[hostile]") {
  std::string text = small();
  text.replace(text.find("calls_per_hour: 10"), 18, "calls_per_hour: 1e12");
  const std::string err = validate_error(text);
  CHECK(has(err, ":4:5: contact_types[0]: about 4e+12 contacts expected per replication"));
  CHECK(has(err, "--max-contacts"));
  // A transfer back to itself: 10 callers an hour become a million times as many.
  const std::string loop =
      small("{distribution: exponential, mean: 60}\n    transfers: [{to: a, probability: 0.999999}]");
  CHECK(has(validate_error(loop), "--max-load"));
  const std::string forever =
      small("{distribution: exponential, mean: 60}\n    transfers: [{to: a, probability: 1}]");
  CHECK(has(validate_error(forever), "a cycle no contact ever leaves"));
  CHECK(run_ccsim("validate " + file("raised.yaml", loop).string() + " --max-load 1e7").code == 0);
  const scenario::Scenario s = scenario::parse_scenario(small(), "x.yaml");
  CHECK(scenario::expected_contacts(s).at(0) == Approx(40.0));
  // The event calendar's limit on events pending at once: 200,000 agents' shifts on 366 days, scheduled
  // up front, would pass it; 100,000 agents' do not. (Built as the run does before simulating; validate
  // gives the same error, after a capacity check that takes seconds with so many agents.)
  std::string crowd = small("{distribution: exponential, mean: 60}", "days: {count: 366}");
  crowd.replace(crowd.find("agents: 5"), 9, "agents: 200000");
  CHECK_THROWS_WITH(
      model::build_model(scenario::parse_scenario(crowd, "crowd.yaml")),
      Catch::Contains("crowd.yaml: up to") && Catch::Contains("beyond the engine's limit of 134217728"));
  crowd.replace(crowd.find("agents: 200000"), 14, "agents: 100000");
  CHECK_NOTHROW(model::build_model(scenario::parse_scenario(crowd, "crowd.yaml")));
}

TEST_CASE("command-line values are checked like YAML values", "[hostile]") {
  auto erlang = [](const std::string& extra) {
    return run_ccsim("erlang --calls-per-hour 100 --aht 60 --agents 3 " + extra);
  };
  // Times are durations, as in a scenario (README: durations on the command line).
  CHECK(has(erlang("--tau inf").err, "--tau: a duration must be finite and >= 0, got 'inf'"));
  CHECK(has(erlang("--patience inf").err, "--patience: a duration must be finite"));
  CHECK(has(erlang("--patience -3min").err, "--patience: expected a duration"));
  CHECK(run_ccsim("erlang --calls-per-hour inf --aht 60 --agents 3").code == 1);
  CHECK(run_ccsim("erlang --calls-per-hour 100 --aht 60 --target asa=inf").code == 1);
  CHECK(run_ccsim("erlang --calls-per-hour 1e9 --aht 1e6 --agents 3").code == 1);
  auto seed = run_ccsim("run " + kScenario + " --seed -1");
  CHECK(seed.code == 1);
  CHECK(has(seed.err, "--seed: must be between 0 and"));
  CHECK(
      has(run_ccsim("run " + kScenario + " --threads 100000").err, "--threads: must be between 0 and 1024"));
  auto ci = run_ccsim("run " + kScenario + " --until-ci foo:0.1");
  CHECK(has(ci.err, "--until-ci: unknown measure 'foo'"));
  CHECK_FALSE(has(ci.err, "--measures"));
}

TEST_CASE("results files that are not ccsim's are bad input", "[hostile]") {
  auto text = run_ccsim("compare " + file("not.h5", "just text\n").string());
  CHECK(text.code == 1);
  CHECK(has(text.err, "not a ccsim results file"));
  CHECK(run_ccsim("report " + work_dir().string()).code == 1);
  const fs::path good = work_dir() / "good.h5";
  REQUIRE(run_ccsim("run " + kScenario + " -r 2 -q -o " + good.string()).code == 0);
  const std::string whole = slurp(good);
  file("cut.h5", whole.substr(0, whole.size() / 2));
  auto cut = run_ccsim("compare " + (work_dir() / "cut.h5").string());
  CHECK(cut.code == 1);
}

TEST_CASE("an insane or unwritable -o is refused before simulating", "[hostile][output]") {
  auto empty = run_ccsim("run " + kScenario + " -o \"\"");
  CHECK(empty.code == 1);
  CHECK(has(empty.err, "--output: the file name is empty"));
  auto dir = run_ccsim("run " + kScenario + " -o " + work_dir().string());
  CHECK(dir.code == 1);
  CHECK(has(dir.err, "is a directory"));
  const fs::path blocker = file("blocker", "x");
  CHECK(run_ccsim("run " + kScenario + " -o " + (blocker / "r.h5").string()).code == 1);
}

TEST_CASE("stale temporary files of dead processes on this host are removed", "[hostile][output]") {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string h = host;
  for (char& c : h)
    if (c == '-' || c == '/' || c == '.') c = '_';
  const fs::path target = work_dir() / "stale.h5";
  const fs::path dead = work_dir() / ("stale.h5.tmp-" + h + "-999999999-1");
  const fs::path other_host = work_dir() / "stale.h5.tmp-elsewhere-999999999-1";
  file(dead.filename().string(), "x");
  file(other_host.filename().string(), "x");
  REQUIRE(run_ccsim("run " + kScenario + " -r 2 -q -o " + target.string()).code == 0);
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(other_host));
  fs::remove(other_host);
}

// Needs root (or a user namespace) to mount; says so and passes where mounting is not allowed.
TEST_CASE("a full or read-only disk: exit 2 or 1 with the system's words, nothing left",
          "[hostile][output]") {
  const fs::path full = work_dir() / "full", ro = work_dir() / "ro";
  fs::create_directories(full);
  fs::create_directories(ro);
  if (::mount("tmpfs", full.c_str(), "tmpfs", 0, "size=64k") != 0) {
    WARN("cannot mount a tmpfs here: the full-disk case is not tested");
    return;
  }
  // An existing target that fits, and must survive the failed write untouched.
  file("full/r.h5", "old results");
  const Outcome r = run_ccsim("run " + kScenario + " -r 3 -q -o " + (full / "r.h5").string());
  CHECK(r.code == 2);
  CHECK(has(r.err, "No space left on device"));
  CHECK(slurp(full / "r.h5") == "old results");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(full)) ++entries;
  CHECK(entries == 1);
  ::umount(full.c_str());
  if (::mount("tmpfs", ro.c_str(), "tmpfs", MS_RDONLY, "size=64k") == 0) {
    const Outcome w = run_ccsim("run " + kScenario + " -r 3 -q -o " + (ro / "r.h5").string());
    CHECK(w.code == 1);
    CHECK(has(w.err, "Read-only file system"));
    ::umount(ro.c_str());
  }
}

namespace {

// Starts a run of about a minute in one replication, sends `sig` after `after`, and returns the exit
// status and the seconds from the signal to the exit.
std::pair<int, double> signalled_run(int sig, bool twice) {
  const fs::path s = file("long.yaml", R"(name: long
day: {interval: 60min, intervals: 500}
contact_types:
  - name: a
    calls_per_hour: 100000
    handle_time: {distribution: exponential, mean: 30}
    patience: {distribution: exponential, mean: 60}
agent_groups:
  - name: g
    agents: 900
)");
  const fs::path target = work_dir() / "long.h5";
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(CCSIM_BINARY, CCSIM_BINARY, "run", s.c_str(), "-r", "1", "-t", "1", "-q", "-o", target.c_str(),
          nullptr);
    _exit(127);
  }
  // Half a second into its one replication, once under way.
  CHECK(ccsim::testing::wait_until_under_way(target, child));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto sent = std::chrono::steady_clock::now();
  kill(child, sig);
  if (twice) kill(child, sig);
  int status = 0;
  waitpid(child, &status, 0);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  CHECK_FALSE(fs::exists(target));
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, took};
}

}  // namespace

TEST_CASE("SIGINT and SIGTERM stop a run inside a replication within a second", "[hostile][interrupt]") {
  auto [code_int, took_int] = signalled_run(SIGINT, false);
  CHECK(code_int == 130);
  CHECK(took_int < 1.0);
  auto [code_term, took_term] = signalled_run(SIGTERM, false);
  CHECK(code_term == 143);
  CHECK(took_term < 1.0);
  auto [code_twice, took_twice] = signalled_run(SIGINT, true);
  CHECK(code_twice == 130);
  CHECK(took_twice < 1.0);
}

TEST_CASE("JSON escapes every string through the library; CSV quotes per RFC 4180", "[hostile][escaping]") {
  const std::string hostile = R"(a "quoted" \ policy, with comma)";
  const fs::path s = file("esc.yaml", small() +
                                          "policies:\n  - name: 'a \"quoted\" \\ policy, with comma'\n"
                                          "  - name: plain\n    overrides: {agent_groups.g.agents: 6}\n");
  const fs::path out = work_dir() / "esc.h5";
  const Outcome r = run_ccsim("run " + s.string() + " -r 2 --json -o " + out.string());
  REQUIRE(r.code == 0);
  const auto run = nlohmann::json::parse(r.out);
  CHECK(run["policies"][0]["policy"] == hostile);
  CHECK(run["comparison"][0]["policy"] == hostile);
  const Outcome cmp = run_ccsim("compare " + out.string() + " --json");
  REQUIRE(cmp.code == 0);
  CHECK(nlohmann::json::parse(cmp.out)[0]["policy"] == hostile);
  const Outcome csv = run_ccsim("compare " + out.string() + " --csv");
  CHECK(has(csv.out, R"(,"a ""quoted"" \ policy, with comma",)"));
  const Outcome erlang = run_ccsim("erlang --calls-per-hour 100 --aht 60 --agents 1 --json");
  CHECK(nlohmann::json::parse(erlang.out)["stable"] == false);
}
