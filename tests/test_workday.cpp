// The workday: rosters, breaks, absence, shrinkage, wrap-up and home-work capacity. Each test would fail
// if its feature were ignored.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/erlang.hpp"
#include "common/error.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using model::Measure;

namespace {

model::Results run_yaml(const std::string& text, int replications, std::uint64_t seed) {
  return testing::run(scenario::parse_scenario(text, "workday.yaml"), replications, seed);
}

std::vector<double> per_rep(const model::Results& r,
                            const std::function<double(const model::ReplicationResult&)>& f) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication) v.push_back(f(rep));
  return v;
}

// One type at `cph` calls per hour, 15-minute intervals from 08:00 to 12:00, deterministic 60 s calls.
std::string centre(double cph, const std::string& groups, const std::string& extra_type = "") {
  return "name: workday\nday: {open: \"08:00\", interval: 15min, close: \"12:00\"}\n"
         "contact_types:\n  - name: calls\n    calls_per_hour: " +
         std::to_string(cph) + "\n    handle_time: {distribution: deterministic, value: 60}\n" + extra_type +
         groups;
}

}  // namespace

TEST_CASE("with every agent on break 10:00-10:15 nobody is answered then, and busy agents break late",
          "[workday][breaks]") {
  // 5 agents, 240 calls/h of 60 s: 4 Erlang, so most agents are busy when the break falls due.
  auto r = run_yaml(centre(240, R"(agent_groups:
  - name: desk
    shifts:
      - {start: "08:00", end: "12:00", agents: 5, breaks: [{start: "10:00", duration: 15min}]}
)"),
                    30, 7);
  const int k = 8;  // the 10:00 interval
  for (const auto& rep : r.by_replication) {
    const auto& at = rep.agents_by_interval[k];
    // Only contacts in hand at 10:00 are worked during the break interval: at most one minute per agent.
    REQUIRE(at.busy_s <= 5 * 60.0 + 1e-6);
    // Every break lasts its full 15 minutes, however late it started.
    REQUIRE(rep.agents_by_day[0].break_s == Approx(5 * 900.0));
    const auto& b = rep.breaks_by_day[0];
    REQUIRE(b.planned == 5);
    REQUIRE(b.taken == 5);
    // A late break starts when the contact in hand ends: never more than one handle time late.
    REQUIRE(b.delay_s <= static_cast<double>(b.late) * 60.0 + 1e-6);
    // Callers arriving during the break wait for its end: the interval's ASA is at least half of it.
    REQUIRE(model::value(rep.contacts_by_interval[k], Measure::asa,
                         scenario::ServiceLevelDefinition::offered) > 400.0);
  }
  std::uint64_t late = 0;
  for (const auto& rep : r.by_replication) late += rep.breaks_by_day[0].late;
  CHECK(late > 30);  // at this load most agents are busy at 10:00
}

TEST_CASE("breaks still pending when a long contact outlasts the shift are forfeited and counted",
          "[workday][breaks]") {
  // 600 calls/h of two hours each: the agent's first call comes within seconds of 08:00 and ends after
  // its shift (08:00-09:00), so both breaks fall due while it is busy and are never taken.
  auto r = run_yaml(R"(name: forfeited breaks
day: {open: "08:00", interval: 15min, close: "12:00"}
contact_types:
  - name: calls
    calls_per_hour: 600
    handle_time: {distribution: deterministic, value: 2h}
  - name: quick
    calls_per_hour: 20
    handle_time: {distribution: deterministic, value: 1min}
agent_groups:
  - name: desk
    shifts:
      - {start: "08:00", end: "09:00", agents: 1, breaks: [{start: "08:30", duration: 5min}, {start: "08:45", duration: 5min}]}
    skills: [calls]
  - name: short
    shifts:
      - {start: "08:00", end: "09:00", agents: 1, breaks: [{start: "08:30", duration: 5min}]}
    skills: [quick]
)",
                    5, 3);
  for (const auto& rep : r.by_replication) {
    const auto& b = rep.breaks_by_day[0];
    REQUIRE(b.planned == 2);
    REQUIRE(b.taken == 0);
    REQUIRE(b.forfeited == 2);
    REQUIRE(rep.agents_by_day[0].break_s == 0.0);
    // One-minute contacts only delay a break: nothing forfeited.
    const auto& idle = rep.breaks_by_day[1];
    REQUIRE(idle.planned == 1);
    REQUIRE(idle.taken == 1);
    REQUIRE(idle.forfeited == 0);
  }
  // The summary's share of breaks forfeited, per group: all of the desk's, none of the other's.
  REQUIRE(r.groups_by_day.size() == 2);
  CHECK(r.groups_by_day[0].forfeited_break_share.mean == 1.0);
  CHECK(r.groups_by_day[1].forfeited_break_share.mean == 0.0);
}

TEST_CASE("staggered breaks spread over the window", "[workday][breaks]") {
  auto r = run_yaml(centre(60, R"(agent_groups:
  - name: desk
    shifts:
      - {start: "08:00", end: "12:00", agents: 4, breaks: [{window: ["09:00", "11:00"], duration: 30min}]}
)"),
                    3, 1);
  // Starts at 09:00, 09:30, 10:00, 10:30: each of the eight intervals 09:00-11:00 holds 15 min of break.
  for (const auto& rep : r.by_replication)
    for (int k = 4; k < 12; ++k)
      CHECK(rep.agents_by_interval[static_cast<std::size_t>(k)].break_s == Approx(900.0).margin(60.0));
}

TEST_CASE("a home-work handle-time factor of 1.5 raises the handle time by 1.5", "[workday][home]") {
  const std::string text = R"(name: home factor
day: {interval: 60min, intervals: 8}
locations:
  home: {handle_time_factor: 1.5}
contact_types:
  - name: calls
    calls_per_hour: 100
    handle_time: {distribution: exponential, mean: 200s}
agent_groups:
  - name: agents
    agents: 40
    home_share: SHARE
)";
  auto with_share = [&](const char* share) {
    std::string t = text;
    t.replace(t.find("SHARE"), 5, share);
    return run_yaml(t, 30, 3);
  };
  auto office = with_share("0"), home = with_share("1");
  std::vector<double> ratio;
  for (std::size_t i = 0; i < office.by_replication.size(); ++i)
    ratio.push_back(model::value(home.by_replication[i].contacts_by_day[0], Measure::aht,
                                 scenario::ServiceLevelDefinition::offered) /
                    model::value(office.by_replication[i].contacts_by_day[0], Measure::aht,
                                 scenario::ServiceLevelDefinition::offered));
  // The same callers (common random numbers) and plenty of agents: the ratio is 1.5 in every replication.
  for (double x : ratio) CHECK(x == Approx(1.5).epsilon(1e-9));
  auto e = analysis::estimate(testing::day_values(home, Measure::aht), 0.99);
  CHECK(e.contains(300.0));
  // Half at home: the measured handle time lies in between.
  auto half = analysis::estimate(testing::day_values(with_share("0.5"), Measure::aht), 0.99);
  CHECK(half.contains(250.0));
}

TEST_CASE("interruptions remove rate x mean duration of idle time", "[workday][home]") {
  // Interruptions come at a rate while the agent is idle. Renewal reward: idle spells average 1/rate, each
  // followed by an interruption of mean d, so interrupted time / idle time = rate x d = 4/h x 3 min = 0.2.
  auto r = run_yaml(R"(name: interruptions
day: {interval: 60min, intervals: 10}
locations:
  home:
    interruptions: {per_hour: 4, duration: {distribution: exponential, mean: 3min}}
contact_types:
  - name: calls
    calls_per_hour: 10
    handle_time: {distribution: exponential, mean: 120s}
agent_groups:
  - name: agents
    agents: 20
    home_share: 1
)",
                    40, 5);
  auto share = analysis::estimate(per_rep(r,
                                          [](const model::ReplicationResult& rep) {
                                            const auto& t = rep.agents_by_day[0];
                                            return t.interrupted_s / (t.available_s() - t.busy_s);
                                          }),
                                  0.99);
  INFO(share.mean << " ± " << share.half_width);
  CHECK(share.contains(0.2));
  CHECK(share.half_width < 0.01);
}

TEST_CASE("absence removes its share of the rostered time", "[workday][absence]") {
  auto r = run_yaml(centre(30, R"(agent_groups:
  - name: desk
    absence: 0.2
    shifts:
      - {start: "08:00", end: "12:00", agents: 25}
)"),
                    60, 9);
  auto shown =
      analysis::estimate(per_rep(r,
                                 [](const model::ReplicationResult& rep) {
                                   return rep.agents_by_day[0].staffed_s / rep.agents_by_day[0].scheduled_s;
                                 }),
                         0.99);
  INFO(shown.mean << " ± " << shown.half_width);
  CHECK(shown.contains(0.8));
  for (const auto& rep : r.by_replication) CHECK(rep.agents_by_day[0].scheduled_s == Approx(25 * 4 * 3600.0));
}

TEST_CASE("shrinkage takes its agents for the block; wrap-up counts as busy and as handle time",
          "[workday]") {
  auto r = run_yaml(centre(60, R"(agent_groups:
  - name: desk
    shrinkage: [{name: team meeting, start: "09:00", end: "09:30", agents: 3}]
    shifts:
      - {start: "08:00", end: "12:00", agents: 6}
)",
                           "    wrap_up: {distribution: deterministic, value: 30}\n"),
                    5, 2);
  for (const auto& rep : r.by_replication) {
    // Agents busy at 09:00 join when free, so the meeting loses at most a call's length per agent.
    CHECK(rep.agents_by_day[0].shrinkage_s <= 3 * 1800.0 + 1e-6);
    CHECK(rep.agents_by_day[0].shrinkage_s >= 3 * (1800.0 - 90.0));
    CHECK(model::value(rep.contacts_by_day[0], Measure::aht, scenario::ServiceLevelDefinition::offered) ==
          Approx(90.0));
    // Wrap-up still running at closing (one per agent at most) falls outside the day.
    CHECK(rep.agents_by_day[0].wrap_s <=
          30.0 * static_cast<double>(rep.contacts_by_day[0].counts.answered) + 1e-6);
    CHECK(rep.agents_by_day[0].wrap_s >=
          30.0 * static_cast<double>(rep.contacts_by_day[0].counts.answered) - 6 * 30.0);
  }
}

TEST_CASE("agents leave at the end of their shift and contacts left waiting are unserved",
          "[workday][shifts]") {
  // The only shift ends at 10:00 but calls keep coming until 12:00 and nobody abandons.
  auto r = run_yaml(centre(60, R"(agent_groups:
  - name: desk
    shifts:
      - {start: "08:00", end: "10:00", agents: 2}
)"),
                    5, 4);
  for (const auto& rep : r.by_replication) {
    const auto& c = rep.contacts_by_day[0].counts;
    CHECK(c.unserved > 0);
    CHECK(c.offered == c.answered + c.abandoned + c.unserved);
    for (int k = 8; k < 16; ++k)
      CHECK(rep.agents_by_interval[static_cast<std::size_t>(k)].staffed_s <= 2 * 60.0 + 1e-6);
  }
}

TEST_CASE("long piecewise-constant intervals converge to each interval's Erlang A", "[workday][theory]") {
  // Handle 30 s and patience 60 s are tiny against hour-long intervals: each interval is near steady state.
  const std::vector<double> cph = {2400, 4200, 3000, 1800};
  std::string volumes;
  for (double v : cph) volumes += (volumes.empty() ? "" : ", ") + std::to_string(v);
  auto s = scenario::parse_scenario(R"(name: piecewise
day: {interval: 60min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: [)" + volumes + R"(]
    handle_time: {distribution: exponential, mean: 30s}
    patience: {distribution: exponential, mean: 60s}
agent_groups:
  - {name: agents, agents: 34}
)",
                                    "piecewise.yaml");
  auto r = testing::run(s, 60, 13);
  for (int k = 0; k < 4; ++k) {
    analysis::QueueInput q{cph[static_cast<std::size_t>(k)] / 3600, 1.0 / 30, 1.0 / 60, 34, 20};
    auto exact = analysis::erlang_a_measures(q);
    std::vector<double> sl, ab;
    for (const auto& rep : r.by_replication) {
      sl.push_back(model::value(rep.contacts_by_interval[static_cast<std::size_t>(k)], Measure::service_level,
                                scenario::ServiceLevelDefinition::offered));
      ab.push_back(model::value(rep.contacts_by_interval[static_cast<std::size_t>(k)], Measure::abandon_rate,
                                scenario::ServiceLevelDefinition::offered));
    }
    // 8 checks in all: each at 1 - 0.01/8. The transient after each rate change lasts about a minute of
    // an hour: a bias well inside the interval.
    auto es = analysis::estimate(sl, 1 - 0.01 / 8), ea = analysis::estimate(ab, 1 - 0.01 / 8);
    INFO("interval " << k << ": SL " << es.mean << " ± " << es.half_width << " vs " << exact.service_level
                     << "; abandon " << ea.mean << " ± " << ea.half_width << " vs " << exact.p_abandon);
    CHECK(std::abs(es.mean - exact.service_level) <= es.half_width + 1e-4);
    CHECK(std::abs(ea.mean - exact.p_abandon) <= ea.half_width + 1e-4);
    CHECK(es.half_width < 0.02);
  }
}

TEST_CASE("roster mistakes are rejected with their place in the file", "[workday][errors]") {
  auto error_of = [](const std::string& groups, const std::string& top = "") {
    try {
      scenario::parse_scenario(top + centre(60, groups), "roster.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(
      error_of("agent_groups:\n  - name: d\n    shifts: [{start: \"08:00\", end: \"07:30\", agents: 2}]\n"),
      Catch::Contains("roster.yaml:9:36: agent_groups[0].shifts[0].end: end 07:30 is before start 08:00"));
  CHECK_THAT(
      error_of(
          "agent_groups:\n  - name: d\n    shifts:\n      - {start: \"08:00\", end: \"10:00\", agents: 2, "
          "breaks: [{start: \"10:30\", duration: 15min}]}\n"),
      Catch::Contains(
          "agent_groups[0].shifts[0].breaks[0]: break 10:30-10:45 lies outside its shift 08:00-10:00"));
  CHECK_THAT(
      error_of(
          "agent_groups:\n  - name: d\n    shifts:\n      - {agent: Anna, start: \"08:00\", end: \"11:00\"}\n"
          "      - {agent: Anna, start: \"10:00\", end: \"12:00\"}\n"),
      Catch::Contains(
          "agent_groups[0].shifts[1]: agent 'Anna' already works 08:00-11:00, which overlaps 10:00-12:00"));
  CHECK_THAT(error_of("agent_groups:\n  - {name: d, agents: 3, absence: 1.5}\n"),
             Catch::Contains("agent_groups[0].absence: must be a probability in [0, 1], got 1.5"));
  CHECK_THAT(error_of("agent_groups:\n  - {name: d, agents: 3, home_share: 0.5}\n"),
             Catch::Contains("home_share needs a location named 'home'"));
  CHECK_THAT(error_of("agent_groups:\n  - name: d\n    shifts: [{start: \"08:00\", end: \"12:00\", agents: "
                      "2, location: hom}]\n",
                      "locations:\n  home: {handle_time_factor: 1.2}\n"),
             Catch::Contains("unknown location 'hom' (did you mean 'home'?)"));
  CHECK_THAT(error_of("agent_groups:\n  - {name: d, agents: 3, shifts: [{start: \"08:00\", end: \"12:00\", "
                      "agents: 2}]}\n"),
             Catch::Contains("give 'agents' (on duty all day) or 'shifts' (a roster), not both"));
}
