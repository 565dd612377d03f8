// ccsim roster: the set-covering programme (CBC) on daily and weekly cases with a known optimum, head-count
// limits, infeasible pattern sets, several groups, and the simulate-and-raise loop.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/error.hpp"
#include "planning/roster.hpp"
#include "cli_fixtures.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;

namespace {

scenario::Scenario day4() {
  return scenario::parse_scenario(R"(name: four hours
day: {open: "08:00", interval: 60min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: [120, 360, 360, 120]
    handle_time: {distribution: exponential, mean: 4min}
    patience: {distribution: exponential, mean: 3min}
agent_groups:
  - name: desk
    agents: 10
)",
                                  "four.yaml");
}

// A week of one hour a day: the requirement is one number per day.
scenario::Scenario week(int groups = 1) {
  std::string text = R"(name: a week
day: {open: "09:00", interval: 60min, intervals: 1}
days: {count: 7, labels: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]}
contact_types:
  - name: calls
    calls_per_hour: 60
    handle_time: {distribution: exponential, mean: 4min}
agent_groups:
  - name: desk
    agents: 3
    skills: [calls]
)";
  if (groups == 2) text += "  - name: back\n    agents: 3\n    skills: [{contact_type: calls, priority: 2}]\n";
  return scenario::parse_scenario(text, "week.yaml");
}

planning::ShiftPattern pattern(const char* name, double from_h, double to_h, double cost) {
  planning::ShiftPattern p;
  p.name = name;
  p.start_s = from_h * 3600;
  p.end_s = to_h * 3600;
  p.cost = cost;
  return p;
}

struct Solved {
  std::vector<planning::Tour> tours;
  std::vector<int> agents;
  [[nodiscard]] int of(const std::string& tour) const {
    for (std::size_t t = 0; t < tours.size(); ++t)
      if (tours[t].name == tour) return agents[t];
    FAIL("no tour " << tour);
    return -1;
  }
};

// One group's requirement per interval of the run.
Solved solve(const scenario::Scenario& s, const std::vector<planning::ShiftPattern>& patterns,
             const std::vector<double>& requirement, int max_agents = -1) {
  planning::PatternSet set;
  set.path = "shifts.yaml";
  set.patterns = patterns;
  set.max_agents = max_agents;
  Solved out;
  out.tours = planning::make_tours(s, set, {0});
  out.agents = planning::solve_cover(s, set, out.tours, {requirement});
  return out;
}

double cost(const scenario::Scenario& s, const std::vector<planning::ShiftPattern>& patterns, const Solved& x) {
  planning::PatternSet set;
  set.patterns = patterns;
  double c = 0.0;
  for (std::size_t t = 0; t < x.tours.size(); ++t) c += planning::tour_cost(s, set, x.tours[t]) * x.agents[t];
  return c;
}

}  // namespace

TEST_CASE("the programme finds the known cheapest cover of a day", "[roster]") {
  const auto s = day4();
  const std::vector<planning::ShiftPattern> patterns{pattern("full", 8, 12, 4), pattern("am", 8, 10, 2.5),
                                                     pattern("pm", 10, 12, 2.5)};
  // Even demand: two full shifts (8) beat two of each half (10).
  CHECK(solve(s, patterns, {2, 2, 2, 2}).agents == std::vector<int>{2, 0, 0});
  // Demand at both ends: three full shifts (12) beat three of each half (15)...
  CHECK(solve(s, patterns, {3, 0, 0, 3}).agents == std::vector<int>{3, 0, 0});
  // ...unless the halves are cheap enough (9).
  const std::vector<planning::ShiftPattern> cheap{pattern("full", 8, 12, 4), pattern("am", 8, 10, 1.5),
                                                  pattern("pm", 10, 12, 1.5)};
  CHECK(solve(s, cheap, {3, 0, 0, 3}).agents == std::vector<int>{0, 3, 3});
  // Limits: at most one full shift leaves the rest to the halves (4 + 2 x 2.5 x 2 = 14).
  auto limited = patterns;
  limited[0].max_agents = 1;
  CHECK(solve(s, limited, {3, 3, 3, 3}).agents == std::vector<int>{1, 2, 2});
}

TEST_CASE("weekly tours with days off: the known optimum of a weekday/weekend requirement", "[roster]") {
  const auto s = week();
  // Five on weekdays, two at the weekend: 29 agent-days. Every tour costs 1 per day worked.
  const std::vector<double> req{5, 5, 5, 5, 5, 2, 2};
  auto five_two = pattern("week", 9, 10, 1);
  five_two.days_off = 2;
  // Five days on, two consecutive off (7 tours): 6 agents are needed (29 / 5 rounds up), cost 30 — for
  // instance four off Sat-Sun, one Mon-Tue, one Wed-Thu.
  const Solved only_tours = solve(s, {five_two}, req);
  CHECK(only_tours.tours.size() == 7);
  CHECK(only_tours.of("week off Sat-Sun") >= 1);
  CHECK(std::accumulate(only_tours.agents.begin(), only_tours.agents.end(), 0) == 6);
  CHECK(cost(s, {five_two}, only_tours) == Approx(30));
  // With an every-day pattern as well, 29 is reachable only as 2 every day + 3 off Sat-Sun (7E + 5T = 29).
  const std::vector<planning::ShiftPattern> both{pattern("daily", 9, 10, 1), five_two};
  const Solved mixed = solve(s, both, req);
  CHECK(mixed.of("daily") == 2);
  CHECK(mixed.of("week off Sat-Sun") == 3);
  CHECK(cost(s, both, mixed) == Approx(29));
  // Named days: a weekday pattern and a weekend pattern, 5 + 2 agents.
  auto weekdays = pattern("weekdays", 9, 10, 1);
  weekdays.days = {0, 1, 2, 3, 4};
  auto weekend = pattern("weekend", 9, 10, 1);
  weekend.days = {5, 6};
  const Solved named = solve(s, {weekdays, weekend}, req);
  CHECK(named.agents == std::vector<int>{5, 2});
  // A head count of 5 in all: every interval alone is coverable (5 agents on a weekday), the week is not.
  CHECK_THROWS_WITH(solve(s, {five_two}, req, 5),
                    Catch::StartsWith("shifts.yaml: ") && Catch::Contains("head-count limits"));
}

TEST_CASE("a pattern set that cannot cover an interval names the group and the intervals", "[roster]") {
  const auto s = day4();
  CHECK_THROWS_WITH(solve(s, {pattern("am", 8, 10, 1)}, {1, 1, 0, 1}),
                    Catch::Contains("shifts.yaml") && Catch::Contains("group 'desk': 11:00"));
  auto full = pattern("full", 8, 12, 4);
  full.max_agents = 2;
  CHECK_THROWS_WITH(solve(s, {full}, {3, 1, 1, 1}), Catch::Contains("08:00") && Catch::Contains("max_agents"));
  // Weekdays only cannot cover the weekend.
  const auto w = week();
  auto weekdays = pattern("weekdays", 9, 10, 1);
  weekdays.days = {0, 1, 2, 3, 4};
  CHECK_THROWS_WITH(solve(w, {weekdays}, {1, 1, 1, 1, 1, 1, 1}),
                    Catch::Contains("Sat 09:00, Sun 09:00") && !Catch::Contains("Fri"));
}

TEST_CASE("several groups in one programme, with a head count over all of them", "[roster]") {
  const auto s = week(2);
  planning::PatternSet set;
  set.path = "shifts.yaml";
  auto any = pattern("any", 9, 10, 1);
  auto back_only = pattern("back_week", 9, 10, 0.5);
  back_only.group = 1;
  back_only.days_off = 2;
  set.patterns = {any, back_only};
  const auto tours = planning::make_tours(s, set, {0, 1});
  CHECK(tours.size() == 2 + 7);  // "any" for each group, the back office's tours for it alone
  for (const auto& t : tours)
    if (t.pattern == 1) CHECK(t.group == 1);
  const std::vector<std::vector<double>> req{{2, 2, 2, 2, 2, 2, 2}, {1, 1, 1, 1, 1, 0, 0}};
  const auto x = planning::solve_cover(s, set, tours, req);
  // The desk: two every-day agents (14); the back office: one tour off Sat-Sun (2.5) beats one every day (7).
  CHECK(x[0] == 2);
  CHECK(x[1] == 0);
  CHECK(x[2 + 5] == 1);  // tours of "back_week" start with "off Mon-Tue"; [5] is "off Sat-Sun"
  CHECK(tours[2 + 5].name == "back_week off Sat-Sun");
  // Two agents in all cannot staff both groups' Mondays (three needed).
  set.max_agents = 2;
  CHECK_THROWS_WITH(planning::solve_cover(s, set, tours, req), Catch::Contains("head-count limits"));
}

TEST_CASE("shift patterns are read with every mistake located", "[roster]") {
  namespace fs = std::filesystem;
  const auto s = week();
  const fs::path path = fs::temp_directory_path() / "ccsim_roster_patterns.yaml";
  std::ofstream(path) << R"(max_agents: 40
patterns:
  - {name: early, start: "09:00", end: "17:00", days: [Mon, Tue, Wed, Thu, Fri], cost_per_hour: 20}
  - {name: tour, start: "09:00", end: "17:00", days_off: 2, breaks: [{window: ["12:00", "14:00"], duration: 30min}]}
  - {name: bad, start: "09:00", end: "17:00", days: [Mon, Sat, Sunn]}
  - {name: worse, group: dsk, start: "09:00", end: "17:00", days_off: 7}
)";
  try {
    planning::load_patterns(path.string(), s);
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains(":5:") && Catch::Contains("patterns[2].days[2]") &&
                         Catch::Contains("no day labelled 'Sunn' (did you mean 'Sun'?)"));
    CHECK_THAT(what, Catch::Contains(":6:") && Catch::Contains("no agent group 'dsk' (did you mean 'desk'?)"));
  }
  std::ofstream(path) << R"(max_agents: 40
patterns:
  - {name: early, start: "09:00", end: "17:00", days: [Mon, Tue, Wed, Thu, Fri], cost_per_hour: 20}
  - {name: tour, start: "09:00", end: "17:00", days_off: 2, breaks: [{window: ["12:00", "14:00"], duration: 30min}]}
)";
  const auto set = planning::load_patterns(path.string(), s);
  CHECK(set.max_agents == 40);
  CHECK(set.patterns[0].days == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(set.patterns[1].days_off == 2);
  CHECK(set.patterns[1].breaks.size() == 1);
  fs::remove(path);
}

TEST_CASE("a staggered break's coverage is spread over its window", "[roster]") {
  const auto s = day4();
  auto p = pattern("full", 8, 12, 4);
  p.breaks.push_back({9 * 3600.0, 10 * 3600.0, 3600.0});  // one hour, starting 09:00-10:00
  const auto c = planning::coverage(s, p, 0.0);
  CHECK(c[0] == Approx(1.0));
  CHECK(c[1] + c[2] == Approx(1.0));  // the hour lost falls in 09:00-11:00
  CHECK(c[1] == Approx(0.5).margin(0.02));
  CHECK(c[3] == Approx(1.0));
  // Absence 0.2: one agent covers 0.8, so 2 available need 3 rostered.
  CHECK(solve(s, {pattern("full", 8, 12, 4)}, {2, 2, 2, 2}).agents == std::vector<int>{2});
  planning::PatternSet set;
  set.path = "x";
  set.patterns = {pattern("full", 8, 12, 4)};
  auto absent = s;
  absent.agent_groups[0].absence = 0.2;
  CHECK(planning::solve_cover(absent, set, planning::make_tours(absent, set, {0}), {{2, 2, 2, 2}}) ==
        std::vector<int>{3});
}

TEST_CASE("a weekly roster of two groups is simulated and meets the target", "[roster]") {
  const auto s = scenario::parse_scenario(R"(name: three days
day: {open: "08:00", interval: 60min, intervals: 4}
days: {count: 3, profile: [1.0, 1.0, 0.5], labels: [Fri, Sat, Sun]}
contact_types:
  - name: calls
    calls_per_hour: [120, 360, 360, 120]
    handle_time: {distribution: exponential, mean: 4min}
    patience: {distribution: exponential, mean: 3min}
  - name: mail
    calls_per_hour: 30
    handle_time: {distribution: exponential, mean: 6min}
    patience: {distribution: exponential, mean: 10min}
agent_groups:
  - name: desk
    agents: 10
    skills: [calls]
  - name: back
    agents: 3
    skills: [mail]
)",
                                          "three.yaml");
  planning::StaffOptions o;
  planning::Target t;
  t.value = 0.8;
  t.name = "sl";
  o.targets = {t};
  o.replications = 20;
  o.verify_replications = 10;
  const auto plan = planning::staff(s, o);
  planning::PatternSet set;
  set.path = "shifts.yaml";
  auto off_one = pattern("full", 8, 12, 4);
  off_one.days_off = 1;
  set.patterns = {pattern("full", 8, 12, 4), off_one, pattern("am", 8, 10, 2.2), pattern("pm", 10, 12, 2.2),
                  pattern("mid", 9, 11, 2.2)};
  const auto r = planning::build_roster(s, plan, {0, 1}, set, o);
  CHECK(r.met);
  for (int g : {0, 1})
    for (int k = 0; k < s.run_intervals(); ++k)
      CHECK(r.available[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)] >= plan.at(k, g).required - 1e-9);
  // The roster as a scenario runs the tours on their days only.
  const auto rostered = planning::with_roster(s, set, r);
  for (const auto& sh : rostered.agent_groups[0].shifts)
    if (sh.name.find(" off ") != std::string::npos) CHECK(sh.days.size() == 2);
  const YAML::Node shifts = planning::shifts_node(s, set, r, 0);
  CHECK(shifts.size() >= 1);
  CHECK(shifts[0]["agents"].as<int>() >= 1);
}

TEST_CASE("ccsim roster end to end: table, JSON, HDF5 and a scenario that runs", "[roster][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / "ccsim_roster_cli";
  fs::create_directories(d);
  const std::string original = R"(# two days, two teams: this comment stays where it is
name: two days
day: {open: "08:00", interval: 60min, intervals: 4}
days: {count: 2, labels: [Sat, Sun]}
contact_types:
  - {name: calls, calls_per_hour: [120, 360, 360, 120], handle_time: {distribution: exponential, mean: 4min},
     patience: {distribution: exponential, mean: 3min}}
  - {name: chat_line, calls_per_hour: 40, handle_time: {distribution: exponential, mean: 5min},
     patience: {distribution: exponential, mean: 5min}}
agent_groups:
  - {name: desk, agents: 9, absence: 0.1, skills: [calls]}
  - {name: web, agents: 2, skills: [chat_line]}
)";
  std::ofstream(d / "centre.yaml") << original;
  std::ofstream(d / "shifts.yaml") << R"(max_agents: 40
patterns:
  - {name: full, start: "08:00", end: "12:00", cost_per_hour: 20}
  - {name: mid, start: "09:00", end: "11:00", days: [Sat], cost_per_hour: 24}
  - {name: one_day, start: "08:00", end: "12:00", days_off: 1, cost_per_hour: 21}
)";
  const testing::Cli run{d};
  auto read = [](const fs::path& p) { return testing::Cli::read(p); };
  const std::string common = (d / "centre.yaml").string() + " --shifts " + (d / "shifts.yaml").string() +
                             " --target sl=0.8 -r 6 --verify-replications 4 --max-rounds 4";
  REQUIRE(run("roster " + common + " --json -o " + (d / "roster.h5").string() + " --write-scenario " +
              (d / "rostered.yaml").string()) == 0);
  const auto json = nlohmann::json::parse(read(d / "out"));
  CHECK(json["met"] == true);
  CHECK(json["intervals"].size() == 2 * 4 * 2);  // both groups, every interval of both days
  CHECK(json["head_count"].get<int>() >= 3);
  double cost = 0.0;
  for (const auto& t : json["tours"]) cost += t["cost"].get<double>();
  CHECK(json["cost"].get<double>() == Approx(cost));
  // The written scenario: short, naming the original, and it runs.
  const std::string written = read(d / "rostered.yaml");
  CHECK_THAT(written, Catch::Contains("base: centre.yaml") && Catch::Contains("agent_groups.desk.shifts:") &&
                          Catch::Contains("agent_groups.web.shifts:"));
  CHECK(run("run " + (d / "rostered.yaml").string() + " -q -r 2 -o " + (d / "run.h5").string()) == 0);
  CHECK(read(d / "centre.yaml") == original);
  // --write-scenario -: the scenario on standard output (it is YAML text), the tables on standard error, no
  // file named '-'; beside --json (which wants standard output too) it is refused before anything runs.
  const testing::Outcome piped = testing::run_ccsim("roster " + common + " --write-scenario -", d);
  CHECK(piped.code == 0);
  CHECK_THAT(piped.out, Catch::Contains("base: centre.yaml") && Catch::Contains("agent_groups.desk.shifts:") &&
                            !Catch::Contains("head count"));
  CHECK_THAT(piped.err, Catch::Contains("head count"));
  CHECK_FALSE(fs::exists(d / "-"));
  std::ofstream(d / "piped.yaml") << piped.out;
  CHECK(run("validate " + (d / "piped.yaml").string()) == 0);
  const testing::Outcome both = testing::run_ccsim("roster " + common + " --json --write-scenario -", d);
  CHECK(both.code == 1);
  CHECK_THAT(both.err, Catch::Contains("command line: --write-scenario -"));
  // The report of the roster file: the roster's available agents against the requirement, per group and day.
  REQUIRE(run("report " + (d / "roster.h5").string() + " -o " + (d / "roster.html").string()) == 0);
  const std::string html = read(d / "roster.html");
  for (const char* part : {"<code>ccsim roster</code>", "<title>desk — Sat</title>", "<title>web — Sun</title>",
                           "<polyline class='req'"})
    CHECK_THAT(html, Catch::Contains(part));
  CHECK(html.find("class='bar under'") == std::string::npos);  // the roster covers what it was built on
  // The table on screen.
  REQUIRE(run("roster " + common + " --group web") == 0);
  CHECK_THAT(read(d / "out"), Catch::Contains("Sun 11:00") && Catch::Contains("head count") &&
                                  !Catch::Contains(" desk "));
  // Mistakes: a group that is not there, a pattern file with an error.
  CHECK(run("roster " + common + " --group nobody") == 256);
  std::ofstream(d / "bad.yaml") << "patterns:\n  - {name: x, start: \"08:00\", end: \"12:00\", days: [Mon]}\n";
  CHECK(run("roster " + (d / "centre.yaml").string() + " --shifts " + (d / "bad.yaml").string() +
            " --target sl=0.8") == 256);
  CHECK_THAT(read(d / "err"), Catch::Contains("bad.yaml:2:") && Catch::Contains("no day labelled 'Mon'"));
  fs::remove_all(d);
}
