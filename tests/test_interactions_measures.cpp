// Features that meet in a real workday, as the measures see them: the Erlang column with home work,
// interruptions and chat; warm-up on every day; appointment slots and the unserved's waits; the break tie.
// Each test failed before the fix it names (issue 10); the invariant checks run in all of them.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"
#include "interaction_fixtures.hpp"

using namespace ccsim;
using namespace ccsim::testing::interactions;
using model::Measure;

TEST_CASE("the Erlang column counts home work, interruptions and chat concurrency as simulated (item 8)",
          "[interactions][erlang]") {
  SECTION("home handle-time factor") {
    const auto s = parse(R"(name: home
day: {open: "09:00", interval: 60min, intervals: 1}
locations: {home: {handle_time_factor: 2}}
contact_types:
  - name: calls
    calls_per_hour: 60
    handle_time: {distribution: exponential, mean: 4min}
agent_groups:
  - name: desk
    agents: 10
    home_share: 1
    skills: [calls]
)");
    const analysis::QueueInput q = model::erlang_a_input(model::build_model(s), 0);
    CHECK(q.agents == 10);
    CHECK(1.0 / q.service_rate == Approx(480.0));
  }
  SECTION("interruptions take their share of idle time") {
    const auto s = parse(R"(name: interrupted
day: {open: "09:00", interval: 60min, intervals: 1}
locations: {home: {handle_time_factor: 1, interruptions: {per_hour: 6, duration: {distribution: deterministic, value: 10min}}}}
contact_types:
  - name: calls
    calls_per_hour: 1
    handle_time: {distribution: exponential, mean: 1min}
agent_groups:
  - name: desk
    agents: 10
    home_share: 1
    skills: [calls]
)");
    // Nearly idle: r x D = 1, so half of the idle time is interrupted.
    CHECK(model::erlang_a_input(model::build_model(s), 0).agents == 5);
  }
  SECTION("a chat agent at concurrency k counts as k servers with handle time x slowdown") {
    const auto s = parse(R"(name: chat
day: {open: "09:00", interval: 60min, intervals: 1}
contact_types:
  - name: chat
    channel: chat
    concurrency: 3
    slowdown: [1, 1.5, 2]
    calls_per_hour: 30
    handle_time: {distribution: exponential, mean: 60s}
agent_groups:
  - name: chat_team
    agents: 2
    skills: [chat]
)");
    const analysis::QueueInput q = model::erlang_a_input(model::build_model(s), 0);
    CHECK(q.agents == 6);
    CHECK(1.0 / q.service_rate == Approx(120.0));
  }
}

TEST_CASE("warm-up opens every day and leaves the per-day tables (item 11)", "[interactions][days]") {
  auto r = run_yaml(R"(name: warm-up days
day: {open: "09:00", interval: 60min, intervals: 3, warmup: 1}
days: {count: 2}
contact_types:
  - name: calls
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 1min}
agent_groups:
  - name: desk
    agents: 2
    skills: [calls]
)",
                    2);
  for (const auto& rep : r.by_replication) {
    std::uint64_t measured = 0;
    for (int d = 0; d < 2; ++d) {
      std::uint64_t day = 0;
      for (int k = 1; k < 3; ++k)
        day += rep.contacts_by_interval[static_cast<std::size_t>(d * 3 + k)].counts.offered;
      CHECK(rep.contacts_per_day[static_cast<std::size_t>(d)].counts.offered == day);
      measured += day;
    }
    CHECK(rep.contacts_by_day[0].counts.offered == measured);
  }
}

TEST_CASE("slots run from 'from' while before 'to'; mean wait counts the unserved (item 11)",
          "[interactions]") {
  SECTION("slots") {
    const auto s = parse(R"(name: slots
day: {open: "09:00", interval: 60min, intervals: 2}
contact_types:
  - name: booked
    channel: counter
    appointments: {slots: {from: "09:00", to: "10:00", every: 20min, desks: 1}}
    handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: desk
    agents: 1
    skills: [booked]
)");
    CHECK(model::build_model(s).appointments[0].slots_s.size() == 3);  // 09:00, 09:20, 09:40
  }
  SECTION("unserved waits") {
    // The only agent leaves at 09:10 with a 100-minute call in hand; everyone else waits until closing.
    auto r = run_yaml(R"(name: unserved
day: {open: "09:00", interval: 60min, intervals: 1}
contact_types:
  - name: calls
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 100min}
agent_groups:
  - name: desk
    shifts: [{start: "09:00", end: "09:10", agents: 1}]
    skills: [calls]
)",
                      3);
    for (const auto& rep : r.by_replication) {
      const auto& c = day_counts(rep, 0);
      REQUIRE(c.unserved > 0);
      CHECK(c.wait_unserved_s > 0.0);
      CHECK(model::value(rep.contacts_by_day[0], Measure::mean_wait,
                         scenario::ServiceLevelDefinition::offered) ==
            Approx((c.wait_answered_s + c.wait_unserved_s) / static_cast<double>(c.answered + c.unserved)));
    }
  }
}

TEST_CASE(
    "an agent who becomes free when its break falls due takes the break before the next customer (item 11)",
    "[interactions][breaks]") {
  // Two booked customers at 09:00, 30-minute talks, one agent whose break falls due at 09:30 as the first
  // talk ends: the second customer waits until 09:45.
  auto r = run_yaml(R"(name: tie
day: {open: "09:00", interval: 60min, intervals: 2}
contact_types:
  - name: booked
    channel: counter
    appointments: {times: ["09:00", "09:00"], punctuality: {distribution: deterministic, value: 0s}}
    handle_time: {distribution: deterministic, value: 30min}
agent_groups:
  - name: desk
    shifts: [{start: "09:00", end: "11:00", agents: 1, breaks: [{start: "09:30", duration: 15min}]}]
    skills: [booked]
)",
                    1);
  const auto& rep = r.by_replication[0];
  CHECK(rep.breaks_by_day[0].late == 0);
  CHECK(day_counts(rep, 0).answered == 2);
  CHECK(day_counts(rep, 0).wait_answered_s == Approx(45 * 60.0));
}
