// ccsim roster: the set-covering programme (CBC) on cases with a known optimum, infeasible pattern sets, and
// the simulate-and-raise loop.
#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "planning/roster.hpp"

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

planning::ShiftPattern pattern(const char* name, double from_h, double to_h, double cost) {
  planning::ShiftPattern p;
  p.name = name;
  p.start_s = from_h * 3600;
  p.end_s = to_h * 3600;
  p.cost = cost;
  return p;
}

}  // namespace

TEST_CASE("the programme finds the known cheapest cover", "[roster]") {
  const auto s = day4();
  const std::vector<planning::ShiftPattern> patterns{pattern("full", 8, 12, 4), pattern("am", 8, 10, 2.5),
                                                     pattern("pm", 10, 12, 2.5)};
  // Even demand: two full shifts (8) beat two of each half (10).
  CHECK(planning::solve_cover(s, patterns, {2, 2, 2, 2}, 0.0) == std::vector<int>{2, 0, 0});
  // Demand at both ends: three full shifts (12) beat three of each half (15)...
  CHECK(planning::solve_cover(s, patterns, {3, 0, 0, 3}, 0.0) == std::vector<int>{3, 0, 0});
  // ...unless the halves are cheap enough (9).
  const std::vector<planning::ShiftPattern> cheap{pattern("full", 8, 12, 4), pattern("am", 8, 10, 1.5),
                                                  pattern("pm", 10, 12, 1.5)};
  CHECK(planning::solve_cover(s, cheap, {3, 0, 0, 3}, 0.0) == std::vector<int>{0, 3, 3});
  // Absence 0.2: one agent covers 0.8, so 2 available need 3 rostered.
  CHECK(planning::solve_cover(s, patterns, {2, 2, 2, 2}, 0.2) == std::vector<int>{3, 0, 0});
}

TEST_CASE("a pattern set that cannot cover an interval is a clear error", "[roster]") {
  const auto s = day4();
  std::vector<planning::ShiftPattern> patterns{pattern("am", 8, 10, 1)};
  CHECK_THROWS_WITH(planning::solve_cover(s, patterns, {1, 1, 0, 1}, 0.0), Catch::Contains("11:00"));
  patterns = {pattern("full", 8, 12, 4)};
  patterns[0].max_agents = 2;
  CHECK_THROWS_WITH(planning::solve_cover(s, patterns, {3, 1, 1, 1}, 0.0),
                    Catch::Contains("08:00") && Catch::Contains("max_agents"));
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
}

TEST_CASE("the roster is simulated and meets the target", "[roster]") {
  const auto s = day4();
  planning::StaffOptions o;
  planning::Target t;
  t.value = 0.8;
  t.name = "sl";
  o.targets = {t};
  o.replications = 20;
  o.verify_replications = 10;
  const auto plan = planning::staff(s, o);
  const std::vector<planning::ShiftPattern> patterns{pattern("full", 8, 12, 4), pattern("am", 8, 10, 2.2),
                                                     pattern("pm", 10, 12, 2.2), pattern("mid", 9, 11, 2.2)};
  const auto r = planning::build_roster(s, plan, 0, patterns, o);
  CHECK(r.met);
  for (int k = 0; k < s.intervals; ++k)
    CHECK(r.covered[static_cast<std::size_t>(k)] >= plan.at(k, 0).required - 1e-9);
  CHECK_THAT(planning::roster_yaml(patterns, r.agents), Catch::Contains("    shifts:\n      - {name: "));
}
