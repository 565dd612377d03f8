// Features that meet in a real workday: chat with overflow and breaks, shifts across midnight, closing time,
// breaks at a shift's first instant, daily busyness (the measures' side: test_interactions_measures.cpp).
// Each test failed before the fix it names (issue 10); the invariant checks run in all of them
// (tests/sim_fixtures.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/erlang.hpp"
#include "interaction_fixtures.hpp"
#include "model/capacity.hpp"

using namespace ccsim;
using namespace ccsim::testing::interactions;
using model::Measure;

TEST_CASE("a chat overflowing to a group that takes voice never over-commits its agent (item 1)",
          "[interactions][chat]") {
  // One mixed agent, 10-minute calls and chats (concurrency 2), chats overflow to it after 10 s. In two
  // hours it can give at most 2 h of agent time: calls + chats / 2 <= 12 (+1 in hand at the shift's end).
  auto r = run_yaml(R"(name: chat overflow
day: {open: "09:00", interval: 60min, intervals: 2}
contact_types:
  - name: calls
    calls_per_hour: 4
    handle_time: {distribution: deterministic, value: 10min}
  - name: chat
    channel: chat
    concurrency: 2
    calls_per_hour: 120
    handle_time: {distribution: deterministic, value: 10min}
agent_groups:
  - name: chat_team
    agents: 1
    skills: [chat]
  - name: mixed
    shifts: [{start: "09:00", end: "11:00", agents: 1}]
    skills:
      - {contact_type: calls, priority: 1}
      - {contact_type: chat, priority: 2, overflow_after: 10s}
)",
                    5);
  for (const auto& rep : r.by_replication) {
    const double calls = static_cast<double>(rep.served_by_day[1].answered);
    const double chats = static_cast<double>(rep.served_by_day[2].answered);
    CHECK(chats > 0.0);
    CHECK(calls + chats / 2.0 <= 13.0);
  }
}

TEST_CASE("breaks and meetings at a shift's first instant are taken (item 2); all-day groups hold meetings",
          "[interactions][breaks]") {
  SECTION("a staggered window opening at shift start") {
    auto r = run_yaml(R"(name: first instant
day: {open: "09:00", interval: 30min, intervals: 6}
contact_types:
  - name: calls
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 4min}
agent_groups:
  - name: desk
    shifts:
      - {start: "09:00", end: "12:00", agents: 3, breaks: [{window: ["09:00", "10:30"], duration: 30min}]}
    skills: [calls]
)",
                      3);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.breaks_by_day[0].planned == 3);
      CHECK(rep.breaks_by_day[0].taken == 3);
      CHECK(rep.agents_by_interval[0].break_s == Approx(1800.0));  // the first agent's, at 09:00
    }
  }
  SECTION("a briefing for everyone at opening") {
    auto r = run_yaml(R"(name: briefing
day: {open: "08:00", interval: 30min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: 60
    handle_time: {distribution: deterministic, value: 2min}
agent_groups:
  - name: desk
    agents: 3
    shrinkage: [{name: briefing, start: "08:00", end: "08:30", agents: 3}]
    skills: [calls]
)",
                      3);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.agents_by_interval[0].shrinkage_s == Approx(3 * 1800.0));
      CHECK(rep.agents_by_interval[0].busy_s == 0.0);
    }
  }
}

TEST_CASE("a chat agent stops opening chats when its break, meeting or shift end falls due (item 3)",
          "[interactions][chat]") {
  // One agent holding up to 3 chats of 5 minutes, far more chats than it can take.
  auto centre = [](const std::string& extra) {
    return R"(name: chat workday
day: {open: "09:00", interval: 60min, intervals: 3}
contact_types:
  - name: chat
    channel: chat
    concurrency: 3
    calls_per_hour: 60
    handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: chat_team
    shifts: [{start: "09:00", end: "11:00", agents: 1)" +
           extra;
  };
  SECTION("a break starts once the chats in hand are done") {
    auto r = run_yaml(centre(R"(, breaks: [{start: "10:00", duration: 30min}]}]
    skills: [chat]
)"),
                      3);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.breaks_by_day[0].taken == 1);
      CHECK(rep.breaks_by_day[0].delay_s <= 300.0 + 1e-6);
      CHECK(rep.agents_by_interval[1].break_s >= 1500.0 - 1e-6);
    }
  }
  SECTION("a meeting takes its half hour") {
    auto r = run_yaml(centre(R"(}]
    shrinkage: [{name: coaching, start: "10:00", end: "10:30", agents: 1}]
    skills: [chat]
)"),
                      3);
    for (const auto& rep : r.by_replication) CHECK(rep.agents_by_interval[1].shrinkage_s >= 1500.0 - 1e-6);
  }
  SECTION("nothing is answered after the shift, and the chats in hand end within one handle time") {
    auto r = run_yaml(centre(R"(}]
    skills: [chat]
)"),
                      3);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.contacts_by_interval[2].counts.answered == 0);
      CHECK(rep.agents_by_interval[2].staffed_s <= 300.0 + 1e-6);
    }
  }
}

TEST_CASE("a chat's wrap-up counts once in its handle time (item 4)", "[interactions][chat]") {
  auto r = run_yaml(R"(name: chat wrap-up
day: {open: "09:00", interval: 60min, intervals: 2}
contact_types:
  - name: chat
    channel: chat
    concurrency: 1
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 60s}
    wrap_up: {distribution: deterministic, value: 30s}
agent_groups:
  - name: chat_team
    agents: 5
    skills: [chat]
)",
                    2);
  for (const auto& rep : r.by_replication) {
    CHECK(model::value(rep.contacts_by_day[0], Measure::aht, scenario::ServiceLevelDefinition::offered) ==
          Approx(90.0));
    CHECK(rep.served_by_day[0].handle_s == Approx(90.0 * static_cast<double>(rep.served_by_day[0].answered)));
  }
}

TEST_CASE("a shift crossing midnight is scheduled, planned and checked in the next day's hours (item 5)",
          "[interactions][roster]") {
  const auto s = parse(R"(name: night shift
day: {open: "00:00", interval: 60min, intervals: 24}
days: {count: 2}
contact_types:
  - name: calls
    calls_per_hour: 4
    handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: nights
    shifts: [{start: "18:00", end: "30:00", agents: 2}]
    skills: [calls]
)");
  const model::Model m = model::build_model(s);
  CHECK(model::planned_agents(m, 0)[0] == 0.0);        // day 1 00:00: nobody came the night before
  CHECK(model::planned_agents(m, 24 + 2)[0] == 2.0);   // day 2 02:00: the night shift of day 1
  CHECK(model::planned_agents(m, 24 + 20)[0] == 2.0);  // day 2 20:00
  CHECK(model::erlang_a_input(m, 24 + 2).agents == 2);
  CHECK(model::capacity_check(m)[24 + 2].available_agent_hours == Approx(2.0));
  CHECK(model::unstaffed_skills(m, s).size() == 1);  // only day 1's early hours are unstaffed
  auto r = testing::run(s, 2, 3);
  for (const auto& rep : r.by_replication) {
    CHECK(rep.agents_by_interval[2].scheduled_s == 0.0);
    CHECK(rep.agents_by_interval[26].scheduled_s == Approx(7200.0));
    CHECK(rep.agents_by_interval[26].staffed_s == Approx(7200.0));
  }
}

TEST_CASE("the busyness factor is drawn once per day, not once per run (item 6)", "[interactions][days]") {
  // 1000 calls a day: Poisson alone varies days by ~3%; a gamma factor with cv 0.3 by ~30%.
  auto r = run_yaml(R"(name: busy weeks
day: {open: "08:00", interval: 60min, intervals: 10, busyness_cv: 0.3}
days: {count: 30}
contact_types:
  - name: calls
    calls_per_hour: 100
    handle_time: {distribution: deterministic, value: 1min}
agent_groups:
  - name: desk
    agents: 30
    skills: [calls]
)",
                    1);
  std::vector<double> offered;
  const auto& rep = r.by_replication[0];
  for (int d = 0; d < 30; ++d)
    offered.push_back(static_cast<double>(rep.contacts_per_day[static_cast<std::size_t>(d)].counts.offered));
  double mean = 0.0, sq = 0.0;
  for (double x : offered) mean += x / 30.0;
  for (double x : offered) sq += (x - mean) * (x - mean) / 29.0;
  CHECK(std::sqrt(sq) / mean > 0.15);
}

TEST_CASE("all-day agents stay after closing for what waits or is on its way (item 7)",
          "[interactions][closing]") {
  SECTION("contacts transferred after closing are served") {
    auto r = run_yaml(R"(name: transfers at closing
day: {open: "09:00", interval: 60min, intervals: 2}
contact_types:
  - name: general
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 6min}
    transfers: [{to: second_line, probability: 0.5}]
  - name: second_line
    handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: front
    agents: 1
    skills: [general]
  - name: back
    agents: 1
    skills: [second_line]
)",
                      5);
    for (const auto& rep : r.by_replication) {
      CHECK(day_counts(rep, 0).unserved == 0);
      CHECK(day_counts(rep, 1).unserved == 0);
      CHECK(day_counts(rep, 1).answered > 0);
    }
  }
  SECTION("contacts inside an overflow delay at closing are served") {
    auto r = run_yaml(R"(name: overflow at closing
day: {open: "09:00", interval: 60min, intervals: 1}
contact_types:
  - name: calls
    calls_per_hour: 40
    handle_time: {distribution: deterministic, value: 4min}
agent_groups:
  - name: first
    shifts: [{start: "09:00", end: "10:00", agents: 1}]
    skills: [calls]
  - name: backup
    agents: 2
    skills: [{contact_type: calls, priority: 2, overflow_after: 5min}]
)",
                      5);
    for (const auto& rep : r.by_replication) CHECK(day_counts(rep, 0).unserved == 0);
  }
  SECTION("callers dropped at closing hold nobody overnight") {
    // Nobody takes `general` on day 1: its callers wait until closing, when they are dropped. They would have
    // reached `back` by transfer, but once dropped nothing holds back's agent: it goes home that night and
    // the list's empty first hour of day 2 has nobody on duty.
    auto r = run_yaml(R"(name: dropped at closing
day: {open: "09:00", interval: 60min, intervals: 2}
days: {count: 2}
contact_types:
  - name: general
    calls_per_hour: 30
    handle_time: {distribution: deterministic, value: 6min}
    transfers: [{to: second_line, probability: 1}]
  - name: second_line
    handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: front
    shifts: [{start: "09:00", end: "11:00", agents: 1, days: [2]}]
    skills: [general]
  - name: back
    agents: [0, 1]
    skills: [second_line]
)",
                      3);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.agents_by_interval[2 * 2 + 1].staffed_s == 0.0);  // day 2, 09:00-10:00, group back
      CHECK(rep.agents_by_interval[3 * 2 + 1].staffed_s == 3600.0);
    }
  }
  SECTION("an e-mail transferred after closing waits for the morning") {
    // After closing `back` stays for second-line calls still to come; an e-mail reaching it meanwhile (by
    // transfer) is no work for an agent past its shift: it queues (the invariant checks fail otherwise).
    auto r = run_yaml(R"(name: e-mail at night
day: {open: "09:00", interval: 60min, intervals: 1}
days: {count: 2}
contact_types:
  - name: general
    calls_per_hour: 60
    handle_time: {distribution: deterministic, value: 4min}
    transfers: [{to: second_line, probability: 0.5}, {to: letters, probability: 0.5}]
  - name: second_line
    handle_time: {distribution: deterministic, value: 1min}
  - name: letters
    channel: email
    handle_time: {distribution: deterministic, value: 1min}
agent_groups:
  - name: front
    agents: 3
    skills: [general]
  - name: back
    agents: 1
    skills: [second_line, letters]
)",
                      10);
    std::uint64_t letters = 0;
    for (const auto& rep : r.by_replication) letters += day_counts(rep, 2).answered;
    CHECK(letters > 0);
  }
  SECTION("one held past its shift goes home once nothing holds it, opening hours or not") {
    // A round-the-clock day: backup's last-hour agent stays past midnight for callers inside its overflow
    // delay, though the next day opens at once. Calls come only in each day's first and last hours: once the
    // queue empties after 01:00 it goes home, and nobody of backup is on duty at 10:00 of day 2.
    std::string zeros = "0";
    for (int k = 1; k < 22; ++k) zeros += ", 0";
    const std::string volume = "[28, " + zeros + ", 28]", list = "[0, " + zeros + ", 1]";
    auto r = run_yaml(R"(name: round the clock
day: {open: "00:00", interval: 60min, intervals: 24}
days: {count: 2}
contact_types:
  - name: calls
    calls_per_hour: )" + volume +
                          R"(
    handle_time: {distribution: deterministic, value: 6min}
agent_groups:
  - name: first
    agents: 3
    skills: [calls]
  - name: backup
    agents: )" + list + R"(
    skills: [{contact_type: calls, priority: 2, overflow_after: 5min}]
)",
                      100);
    for (const auto& rep : r.by_replication) {
      CHECK(rep.agents_by_interval[23 * 2 + 1].staffed_s == 3600.0);
      CHECK(rep.agents_by_interval[(24 + 10) * 2 + 1].staffed_s == 0.0);
    }
  }
}
