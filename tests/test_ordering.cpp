// Same-instant rules, one case per rank of the model's event kinds (DESIGN.md, engine rules): booked
// customers with exact arrival times and fixed talk times and patience make events coincide on purpose.
#include <catch2/catch.hpp>

#include "sim_fixtures.hpp"

using namespace ccsim;

namespace {

// One counter type with booked customers at `times`, fixed talk time, patience and wrap-up; `groups` follows.
model::ContactCounts day(const std::string& times, const std::string& talk, const std::string& patience,
                         const std::string& groups, const std::string& extra_type = "") {
  const std::string text =
      "name: ordering\nday: {open: \"09:00\", interval: 60min, intervals: 2}\n"
      "contact_types:\n  - name: booked\n    channel: counter\n"
      "    appointments: {times: [" +
      times +
      "], punctuality: {distribution: deterministic, value: 0s}}\n"
      "    handle_time: {distribution: deterministic, value: " +
      talk + "}\n    patience: " + patience + "\n" + extra_type + "agent_groups:\n" + groups;
  const auto r = testing::run(scenario::parse_scenario(text, "ordering.yaml"), 1, 1);
  return r.by_replication[0].contacts_by_day[0].counts;
}

const std::string kTenMinutes = "{distribution: deterministic, value: 10min}";

}  // namespace

TEST_CASE(
    "an agent finishing at the instant a waiter's patience runs out answers it (service_end before "
    "abandonment)",
    "[ordering]") {
  const auto c = day(R"("09:00", "09:00")", "10min", kTenMinutes, "  - {name: desk, agents: 1}\n");
  CHECK(c.answered == 2);
  CHECK(c.abandoned == 0);
  CHECK(c.wait_answered_s == Approx(600.0));
}

TEST_CASE("wrap-up ending as patience runs out still answers the waiter (wrap_end before abandonment)",
          "[ordering]") {
  const auto c = day(R"("09:00", "09:00")", "5min", kTenMinutes, "  - {name: desk, agents: 1}\n",
                     "    wrap_up: {distribution: deterministic, value: 5min}\n");
  CHECK(c.answered == 2);
  CHECK(c.abandoned == 0);
}

TEST_CASE(
    "an agent back from a break or a meeting as patience runs out answers the waiter (break_end and "
    "shrinkage_end before abandonment)",
    "[ordering]") {
  SECTION("break") {
    const auto c =
        day(R"("09:00")", "1min", kTenMinutes,
            "  - name: desk\n    shifts: [{start: \"09:00\", end: \"11:00\", agents: 1, breaks: [{start: "
            "\"09:00\", duration: 10min}]}]\n");
    CHECK(c.answered == 1);
    CHECK(c.wait_answered_s == Approx(600.0));
  }
  SECTION("meeting") {
    const auto c =
        day(R"("09:00")", "1min", kTenMinutes,
            "  - name: desk\n    agents: 1\n    shrinkage: [{name: m, start: \"09:00\", end: \"09:10\", "
            "agents: 1}]\n");
    CHECK(c.answered == 1);
    CHECK(c.wait_answered_s == Approx(600.0));
  }
}

TEST_CASE(
    "a shift end due as the contact in hand ends sends the agent home before the next customer "
    "(shift_end before service_end)",
    "[ordering]") {
  const auto c = day(R"("09:00", "09:00")", "30min", "none",
                     "  - name: desk\n    shifts: [{start: \"09:00\", end: \"09:30\", agents: 1}]\n");
  CHECK(c.answered == 1);
  CHECK(c.unserved == 1);
}

TEST_CASE(
    "a caller whose patience runs out at its overflow instant hangs up before the overflow offers it "
    "(abandonment before overflow)",
    "[ordering]") {
  const auto c =
      day(R"("09:00", "09:00")", "30min", "{distribution: deterministic, value: 60s}",
          "  - {name: first, agents: 1, skills: [booked]}\n"
          "  - name: backup\n    agents: 1\n    skills: [{contact_type: booked, overflow_after: 60s}]\n");
  CHECK(c.answered == 1);
  CHECK(c.abandoned == 1);
}

TEST_CASE("an overflow due at an arrival's instant is served first (overflow before appointment_arrival)",
          "[ordering]") {
  // 09:00 two customers: one to `first`'s agent (30 min), one waits; at 09:01 its overflow to `backup` and a
  // third customer's arrival coincide: the waiter gets the backup agent, the newcomer waits.
  const auto c =
      day(R"("09:00", "09:00", "09:01")", "30min", "none",
          "  - {name: first, agents: 1, skills: [booked]}\n"
          "  - name: backup\n    agents: 1\n    skills: [{contact_type: booked, overflow_after: 60s}]\n");
  CHECK(c.answered == 3);
  // Waits: 0 (first), 60 s (overflowed at 09:01), 29 min (the 09:01 newcomer, answered at 09:30).
  CHECK(c.wait_answered_s == Approx(60.0 + 29 * 60.0));
}
