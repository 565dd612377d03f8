// Overrides from the command line (--set) and parameter sweeps: points, their checks, common random numbers
// across points, thread-independent files, compare --points, and resuming an interrupted sweep.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <tuple>

#include "common/error.hpp"
#include "hdf5_datasets.hpp"
#include "model/sweep.hpp"
#include "output/sweep_writer.hpp"
#include "output/target_file.hpp"
#include "result_compare.hpp"
#include "scenario/sweep.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

const std::string kBase = R"(name: sweep test
replications: 6
day: {interval: 60min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: 300
    handle_time: {distribution: exponential, mean: 240s}
    patience: {distribution: exponential, mean: 180s}
agent_groups:
  - name: agents
    agents: 22
    absence: 0.04
)";

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("ccsim_test_sweep_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

std::vector<model::Results> run(const scenario::Study& s, int threads = 1) {
  model::RunOptions o;
  o.seed = 5;
  o.replications = 4;
  o.threads = threads;
  o.keep_replications = true;
  return model::run_study(s, o);
}

// The first difference between two runs' replications ("" when every number is the same).
std::string difference(const model::Results& a, const model::Results& b) {
  testing::Differ d;
  for (std::size_t rep = 0; rep < a.by_replication.size(); ++rep)
    d.all(a.by_replication[rep], b.by_replication[rep]);
  if (a.by_replication.size() != b.by_replication.size()) return "replication counts differ";
  return d.first();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

struct Outcome {
  int code;
  std::string out, err;
};
Outcome cli(const std::string& args, const fs::path& dir) {
  const std::string cmd =
      std::string(CCSIM_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  std::ifstream out(dir / "out"), err(dir / "err");
  std::stringstream o, e;
  o << out.rdbuf();
  e << err.rdbuf();
  return {WEXITSTATUS(status), o.str(), e.str()};
}

void same_datasets(const fs::path& a, const fs::path& b) {
  const auto names = testing::dataset_names(a.string());
  REQUIRE(names.size() > 10);
  CHECK(names == testing::dataset_names(b.string()));
  for (const auto& name : names) {
    INFO(name);
    CHECK(testing::dataset_bytes(a.string(), name.c_str()) ==
          testing::dataset_bytes(b.string(), name.c_str()));
  }
}

}  // namespace

TEST_CASE("a --set gives the same results, bit for bit, as the same override in a policy", "[sweep][set]") {
  const auto by_policy = scenario::parse_study(
      kBase +
          "policies:\n  - name: plain\n  - name: more\n    overrides: {agent_groups.agents.agents: 25, "
          "contact_types.calls.patience: {distribution: exponential, mean: 60s}}\n",
      "p.yaml");
  const auto by_set =
      scenario::parse_study(kBase, "p.yaml",
                            scenario::command_line_overrides(
                                {"agent_groups.agents.agents=25",
                                 "contact_types.calls.patience={distribution: exponential, mean: 60s}"}));
  REQUIRE(by_set.policies.size() == 1);
  CHECK(by_set.policies[0].agent_groups[0].agents == 25);
  const auto a = run(by_policy), b = run(by_set);
  CHECK(difference(a[1], b[0]).empty());
  CHECK_FALSE(difference(a[0], b[0]).empty());  // the comparison can fail: the plain policy differs
}

TEST_CASE("a policy that overrides a path set by --set wins, the others keep its value", "[sweep][set]") {
  const auto s = scenario::parse_study(
      kBase + "policies:\n  - name: a\n  - name: b\n    overrides: {agent_groups.agents.agents: 30}\n",
      "p.yaml",
      scenario::command_line_overrides({"agent_groups.agents.agents=27", "agent_groups.agents.absence=0"}));
  CHECK(s.policies[0].agent_groups[0].agents == 27);
  CHECK(s.policies[1].agent_groups[0].agents == 30);
  CHECK(s.policies[1].agent_groups[0].absence == 0.0);
  // staff and roster read the base alone, with the same overrides
  CHECK(scenario::parse_scenario(kBase, "p.yaml", scenario::command_line_overrides({"day.intervals=6"}))
            .intervals == 6);
}

TEST_CASE("errors of --set are located on the command line, every one at once", "[sweep][set][errors]") {
  const std::string e = error_of([] {
    scenario::parse_study(
        kBase, "p.yaml",
        scenario::command_line_overrides({"agent_groups.agentz.agents=3", "policies.x=1",
                                          "agent_groups.agents.agents=abc", "day.interval=[1"}));
  });
  CHECK(
      e.find("command line: --set agent_groups.agentz.agents=3: agent_groups.agentz.agents: no element named "
             "'agentz' in agent_groups (did you mean 'agents'?)") != std::string::npos);
  CHECK(e.find("command line: --set policies.x=1: policies.x: the policies cannot be overridden") !=
        std::string::npos);
  CHECK(e.find("command line: --set agent_groups.agents.agents=abc: agent_groups[0].agents: expected a whole "
               "number, got 'abc'") != std::string::npos);
  CHECK(e.find("command line: --set day.interval=[1: not valid YAML") != std::string::npos);
  CHECK(e.find("p.yaml:") == std::string::npos);  // nothing is blamed on the file
  const std::string unknown = error_of(
      [] { scenario::parse_study(kBase, "p.yaml", scenario::command_line_overrides({"dya.intervals=3"})); });
  CHECK(unknown.find("command line: --set dya.intervals=3: dya: unknown key 'dya' (did you mean 'day'?)") !=
        std::string::npos);
  CHECK(error_of([] { scenario::command_line_overrides({"agents"}); }).find("expected PATH=VALUE") !=
        std::string::npos);
  CHECK(error_of([] { scenario::command_line_overrides({"day.intervals="}); }).find("no value") !=
        std::string::npos);
}

TEST_CASE("neighbouring points differ in one path, by its next value", "[sweep]") {
  // agents x patience, agents varying slowest, as a grid writes them; values keep their first-seen order.
  const std::vector<std::vector<std::string>> grid = {{"20", "60s"}, {"20", "300s"}, {"21", "60s"},
                                                      {"21", "300s"}, {"22", "60s"}, {"22", "300s"}};
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> seen;
  for (const auto& n : scenario::neighbours(grid, 2)) seen.emplace_back(n.path, n.from, n.to);
  CHECK(seen == std::vector<std::tuple<std::size_t, std::size_t, std::size_t>>{
                    {0, 0, 2}, {0, 2, 4}, {0, 1, 3}, {0, 3, 5}, {1, 0, 1}, {1, 2, 3}, {1, 4, 5}});
  // A zipped sweep (no two points share all but one value) is one line: each point to the next.
  const auto zipped = scenario::neighbours({{"20", "60s"}, {"21", "90s"}, {"22", "120s"}}, 2);
  REQUIRE(zipped.size() == 2);
  CHECK((zipped[1].path == 2 && zipped[1].from == 1 && zipped[1].to == 2));
  const auto line = scenario::neighbours({{"a"}, {"b"}, {"c"}}, 1);
  REQUIRE(line.size() == 2);
  CHECK((line[0].from == 0 && line[0].to == 1 && line[1].from == 1 && line[1].to == 2));
}

TEST_CASE("grid, range and zip make the points, the last axis varying fastest", "[sweep]") {
  const auto grid = scenario::grid_axis("agent_groups.agents.agents=[20, 25]");
  const auto range = scenario::range_axis("contact_types.calls.patience.mean=0.1,0.3,0.1");
  REQUIRE(range.values.size() == 3);
  CHECK(range.values[2].value == "0.3");
  const auto sweep = scenario::combine({grid, range}, false);
  REQUIRE(sweep.points.size() == 6);
  CHECK(sweep.label(1) == "agent_groups.agents.agents=20, contact_types.calls.patience.mean=0.2");
  CHECK(sweep.points[3][0].value == "25");
  CHECK(sweep.points[3][1].value == "0.1");
  CHECK(scenario::range_axis("x=20,30,5").values.size() == 3);
  CHECK(scenario::range_axis("x=30,20,-5").values.back().value == "20");
  CHECK(error_of([&] { scenario::combine({grid, range}, true); }).find("--zip pairs") != std::string::npos);
  CHECK(scenario::combine({grid, scenario::grid_axis("day.intervals=[3, 4]")}, true).points.size() == 2);
  CHECK(error_of([] { scenario::range_axis("x=1,10,0"); }).find("STEP must be non-zero") !=
        std::string::npos);
  CHECK(error_of([] { scenario::grid_axis("x=5"); }).find("command line: --grid 'x=5'") != std::string::npos);
  CHECK(error_of([&] { scenario::combine({grid, grid}, false); }).find("swept twice") != std::string::npos);
  CHECK(error_of([] { scenario::range_axis("x=0,1,0.000001"); }).find("more than") != std::string::npos);
}

TEST_CASE("a sweep section reads like the command line, and every point is checked before anything runs",
          "[sweep][errors]") {
  const std::string text = kBase + R"(sweep:
  grid:
    agent_groups.agents.agents: [20, -1, 22]
  range:
    contact_types.calls.patience.mean: 60,120,60
)";
  bool zip = false;
  const auto axes = scenario::file_axes(text, "s.yaml", &zip);
  REQUIRE(axes.size() == 2);
  const auto sweep = scenario::combine(axes, zip);
  REQUIRE(sweep.points.size() == 6);
  const std::string e =
      error_of([&] { scenario::validate_points(text, "s.yaml", {}, sweep, [](const scenario::Study&) {}); });
  // Points 2 and 3 (agents -1), each error naming the value's place in the file and the point.
  CHECK(e.find("s.yaml:15:38: sweep.grid.agent_groups.agents.agents[1]: agent_groups[0].agents: must be "
               "between") != std::string::npos);
  CHECK(e.find("(in sweep point 2: agent_groups.agents.agents=-1, contact_types.calls.patience.mean=60)") !=
        std::string::npos);
  CHECK(e.find("(in sweep point 3:") != std::string::npos);
  CHECK(e.find("(in sweep point 0:") == std::string::npos);
  // A plain study of the same file knows it is a sweep (ccsim run refuses it).
  CHECK(scenario::parse_study(text, "s.yaml").sweep_where.find("s.yaml:14:") == 0);
  CHECK(error_of([&] { scenario::combine({scenario::grid_axis("seed=[1, 2]")}, false); }).find("-s") !=
        std::string::npos);
}

TEST_CASE("points face the same customers, and a point equals a plain run with the same --set",
          "[sweep][crn]") {
  const auto sweep =
      scenario::combine({scenario::grid_axis("agent_groups.agents.agents=[22, 22, 26]")}, false);
  model::RunOptions o;
  o.seed = 5;
  o.replications = 4;
  o.threads = 2;
  o.keep_replications = true;
  std::vector<std::vector<model::Results>> got;
  model::run_sweep(
      0, 3,
      [&](int i) { return scenario::point_study(kBase, "p.yaml", {}, sweep, static_cast<std::size_t>(i)); },
      o,
      [&](int point, const scenario::Study&, std::vector<model::Results>& r) {
        CHECK(point == static_cast<int>(got.size()));
        got.push_back(std::move(r));
      });
  REQUIRE(got.size() == 3);
  CHECK(difference(got[0][0], got[1][0]).empty());
  CHECK_FALSE(difference(got[0][0], got[2][0]).empty());
  for (std::size_t rep = 0; rep < 4; ++rep)
    CHECK(got[0][0].by_replication[rep].contacts_by_day[0].counts.offered ==
          got[2][0].by_replication[rep].contacts_by_day[0].counts.offered);
  const auto plain =
      run(scenario::parse_study(kBase, "p.yaml",
                                scenario::command_line_overrides({"agent_groups.agents.agents=26"})),
          1);
  CHECK(difference(plain[0], got[2][0]).empty());
}

TEST_CASE("with --until-ci each point settles its replications alone, as a plain run of it would",
          "[sweep][until]") {
  const auto sweep = scenario::combine({scenario::grid_axis("agent_groups.agents.agents=[20, 30]")}, false);
  model::RunOptions o;
  o.seed = 7;
  o.replications = 2;
  o.threads = 2;
  o.keep_replications = true;
  o.until_measure = "sl";
  o.until_half_width = 0.02;
  o.max_replications = 64;
  std::vector<model::Results> got;
  model::run_sweep(
      0, 2, [&](int i) { return scenario::point_study(kBase, "p.yaml", {}, sweep, static_cast<std::size_t>(i)); }, o,
      [&](int, const scenario::Study&, std::vector<model::Results>& r) { got.push_back(std::move(r[0])); });
  REQUIRE(got.size() == 2);
  // The understaffed point needs more replications than the ample one, whose SL hardly varies.
  CHECK(got[0].replications > got[1].replications);
  for (int i = 0; i < 2; ++i) {
    const auto plain = model::run_study(
        scenario::parse_study(kBase, "p.yaml", {sweep.points[static_cast<std::size_t>(i)][0]}), o);
    CHECK(plain[0].replications == got[static_cast<std::size_t>(i)].replications);
    CHECK(difference(plain[0], got[static_cast<std::size_t>(i)]).empty());
  }
}

TEST_CASE("ccsim sweep: thread-independent file, /points, compare --points, run refuses a sweep",
          "[sweep][cli]") {
  const auto dir = temp_dir();
  std::ofstream(dir / "s.yaml") << kBase;
  const std::string grid =
      " --grid 'agent_groups.agents.agents=[20, 24]' --grid "
      "'contact_types.calls.patience=[{distribution: exponential, mean: 60s}, "
      "{distribution: exponential, mean: 300s}]'";
  auto one =
      cli("sweep " + (dir / "s.yaml").string() + grid + " -r 3 -t 1 -o " + (dir / "one.h5").string(), dir);
  REQUIRE(one.code == 0);
  CHECK(one.out.find("    3  agent_groups.agents.agents=24, contact_types.calls.patience={distribution: "
                     "exponential, mean: 300s}  sl ") != std::string::npos);
  auto two =
      cli("sweep " + (dir / "s.yaml").string() + grid + " -r 3 -t 2 -q -o " + (dir / "two.h5").string(), dir);
  REQUIRE(two.code == 0);
  same_datasets(dir / "one.h5", dir / "two.h5");
  CHECK_FALSE(testing::dataset_bytes((dir / "one.h5").string(), "/points").empty());
  auto cmp = cli("compare " + (dir / "one.h5").string() + " --points 0,2 --csv", dir);
  CHECK(cmp.code == 0);
  CHECK(cmp.out.find("point 2") != std::string::npos);
  CHECK(cli("compare " + (dir / "one.h5").string(), dir).err.find("--points I,J") != std::string::npos);
  CHECK(cli("compare " + (dir / "one.h5").string() + " --points 0,4", dir).code == 1);
  // The report pairs neighbouring points along each path: 20 -> 24 agents raises the service level.
  REQUIRE(cli("report " + (dir / "one.h5").string() + " -o " + (dir / "one.html").string(), dir).code == 0);
  std::ifstream html(dir / "one.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  CHECK(page.find("Along each swept setting") != std::string::npos);
  CHECK(page.find("<h3>agent_groups.agents.agents</h3>") != std::string::npos);
  CHECK(page.find("<h3>contact_types.calls.patience</h3>") != std::string::npos);
  const std::size_t more = page.find("<tr><td>20 → 24 at contact_types.calls.patience = ");
  REQUIRE(more != std::string::npos);
  CHECK(page.compare(page.find("</td><td>", more) + 9, 4, "<b>+") == 0);
  // A plain run's file has the point column too (0), and compare reads it as before.
  auto plain = cli("run " + (dir / "s.yaml").string() + " -q -r 3 -o " + (dir / "plain.h5").string() +
                       " --set agent_groups.agents.agents=24",
                   dir);
  REQUIRE(plain.code == 0);
  CHECK(cli("compare " + (dir / "plain.h5").string(), dir).code == 0);
  std::ofstream(dir / "with_sweep.yaml")
      << kBase << "sweep:\n  grid: {agent_groups.agents.agents: [20, 21]}\n";
  auto refused = cli("run " + (dir / "with_sweep.yaml").string(), dir);
  CHECK(refused.code == 1);
  CHECK(refused.err.find("this scenario is a sweep: run it with 'ccsim sweep") != std::string::npos);
  auto valid = cli("validate " + (dir / "with_sweep.yaml").string(), dir);
  CHECK(valid.code == 0);
  CHECK(valid.out.find("a sweep of 2 points over 1 field path(s), every point valid") != std::string::npos);
  std::ofstream(dir / "bad_sweep.yaml") << kBase << "sweep:\n  grid: {agent_groups.agents.agents: [20, -2]}\n";
  auto invalid = cli("validate " + (dir / "bad_sweep.yaml").string(), dir);
  CHECK(invalid.code == 1);
  CHECK(invalid.err.find("(in sweep point 1: agent_groups.agents.agents=-2)") != std::string::npos);
  CHECK(cli("sweep " + (dir / "with_sweep.yaml").string() + " -q -r 2 -o " + (dir / "w.h5").string(), dir)
            .code == 0);
  auto bad = cli("sweep " + (dir / "s.yaml").string() + " --grid 'agent_groups.agents.agents=[20, x]' -o " +
                     (dir / "bad.h5").string(),
                 dir);
  CHECK(bad.code == 1);
  CHECK(bad.err.find(
            "command line: --grid 'agent_groups.agents.agents=[20, x]' value 2: agent_groups[0].agents") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad.h5.checkpoint"));
}

TEST_CASE("an interrupted sweep keeps its checkpoint and --resume finishes it to the same datasets",
          "[sweep][resume]") {
  const auto dir = temp_dir();
  std::ofstream(dir / "r.yaml") << kBase;
  const std::string args = "--range agent_groups.agents.agents=10,69,1 -r 3 -t 1";
  REQUIRE(cli("sweep " + (dir / "r.yaml").string() + " " + args + " -q -o " + (dir / "full.h5").string(), dir)
              .code == 0);
  const fs::path target = dir / "part.h5", checkpoint = dir / "part.h5.checkpoint", out = dir / "part.out";
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int devnull = ::open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    dup2(devnull, 2);
    execl(CCSIM_BINARY, CCSIM_BINARY, "sweep", (dir / "r.yaml").c_str(), "--range",
          "agent_groups.agents.agents=10,69,1", "-r", "3", "-t", "1", "-o", target.c_str(), nullptr);
    _exit(127);
  }
  // Wait until a few points are written (one line each on stdout), then Ctrl-C.
  for (int i = 0; i < 3000; ++i) {
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    if (std::count(text.begin(), text.end(), '\n') >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_FALSE(fs::exists(target));
  REQUIRE(fs::exists(checkpoint));
  // The clean-up of dead processes' temporary files beside the target never touches the checkpoint.
  output::check_target(target.string());
  REQUIRE(fs::exists(checkpoint));
  // Without --resume the checkpoint is not overwritten; with it, the sweep goes on where it stopped.
  CHECK(cli("sweep " + (dir / "r.yaml").string() + " " + args + " -q -o " + target.string(), dir).code == 1);
  CHECK(
      cli("sweep " + (dir / "r.yaml").string() + " " + args + " -s 9 -q --resume -o " + target.string(), dir)
          .err.find("holds another sweep") != std::string::npos);
  auto resumed =
      cli("sweep " + (dir / "r.yaml").string() + " " + args + " --resume -o " + target.string(), dir);
  REQUIRE(resumed.code == 0);
  CHECK(resumed.err.find(", from point ") != std::string::npos);
  CHECK_FALSE(fs::exists(checkpoint));
  same_datasets(dir / "full.h5", target);
}
