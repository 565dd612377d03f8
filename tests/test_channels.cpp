// Appointments, counters and deferrable e-mail.
#include <catch2/catch.hpp>
#include <cmath>

#include "common/error.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using model::Measure;
using SL = scenario::ServiceLevelDefinition;

namespace {

model::Results run_yaml(const std::string& text, int replications, std::uint64_t seed) {
  return testing::run(scenario::parse_scenario(text, "channels.yaml"), replications, seed);
}

std::string branch(const std::string& appointment_extra, const std::string& routing = "",
                   int desk_agents = 2) {
  return R"(name: branch
day: {open: "09:00", interval: 30min, close: "17:00"}
contact_types:
  - name: booked
    channel: counter
    appointments:
      slots: {from: "09:00", to: "16:00", every: 20min, desks: 2}
)" + appointment_extra +
         R"(    handle_time: {distribution: exponential, mean: 15min}
  - name: walk_in
    channel: counter
    calls_per_hour: 4
    handle_time: {distribution: exponential, mean: 10min}
)" + routing +
         "agent_groups:\n  - {name: desk, agents: " + std::to_string(desk_agents) + "}\n";
}

}  // namespace

TEST_CASE("a no-show probability p removes p of the appointments", "[channels][appointments]") {
  auto r = run_yaml(branch("      no_show: 0.15\n"), 200, 1);
  // 21 slot times x 2 desks = 42 appointments a day.
  for (const auto& rep : r.by_replication) REQUIRE(rep.contacts_by_day[0].counts.appointments == 42);
  std::vector<double> served_share;
  for (const auto& rep : r.by_replication) {
    const auto& c = rep.contacts_by_day[0].counts;
    served_share.push_back(static_cast<double>(c.answered) / static_cast<double>(c.appointments));
    REQUIRE(c.offered + c.no_shows == c.appointments);
  }
  auto e = analysis::estimate(served_share, 0.99);
  INFO(e.mean << " ± " << e.half_width);
  CHECK(e.contains(0.85));
  CHECK(e.half_width < 0.01);
}

TEST_CASE("early arrivals wait until their slot only if the policy says so", "[channels][appointments]") {
  // Everyone comes 10 minutes early, with plenty of staff.
  const std::string early = "      punctuality: {distribution: deterministic, value: -10min}\n";
  auto when_free = run_yaml(branch(early, "", 8), 20, 2);
  auto at_slot = run_yaml(branch(early, "routing: {early_appointments: wait_for_slot}\n", 8), 20, 2);
  for (std::size_t i = 0; i < 20; ++i) {
    // The wait counts from the slot either way, so served-early customers show zero wait...
    CHECK(model::value(when_free.by_replication[i].contacts_by_day[0], Measure::asa, SL::offered) ==
          Approx(0.0).margin(1.0));
    // ...and those held until their slot too; but only those are all served on time, at the slot.
    CHECK(model::value(at_slot.by_replication[i].contacts_by_day[0], Measure::on_time_rate, SL::offered) ==
          1.0);
  }
  // Served when free, the agents' busy time starts earlier: the 09:00 interval (slots from 09:00, customers
  // from 08:50 held outside until opening) is identical, but later slots are partly served before they begin.
  double busy_free = 0.0, busy_slot = 0.0;
  for (std::size_t i = 0; i < 20; ++i) {
    busy_free += when_free.by_replication[i].agents_by_interval[15].busy_s;  // 16:30, after the last slot
    busy_slot += at_slot.by_replication[i].agents_by_interval[15].busy_s;
  }
  CHECK(busy_free < busy_slot);
}

TEST_CASE("appointments first puts booked customers ahead of walk-ins", "[channels][appointments]") {
  // One desk clerk, busy: with appointments first the booked customers wait less and walk-ins more.
  auto fcfs = run_yaml(branch("", "", 1), 60, 3);
  auto first = run_yaml(branch("", "routing: {appointments_first: true}\n", 1), 60, 3);
  auto asa = [](const model::Results& r, std::size_t series) {
    return analysis::estimate(testing::day_values_of(r, series, Measure::asa));
  };
  CHECK(asa(first, 0).high() < asa(fcfs, 0).low());
  CHECK(asa(first, 1).low() > asa(fcfs, 1).high());
}

TEST_CASE("walk-ins at a counter balk when the queue they see is too long", "[channels][counter]") {
  auto r = run_yaml(R"(name: counter
day: {interval: 60min, intervals: 8}
contact_types:
  - name: walk_in
    channel: counter
    balk_at_queue: 3
    calls_per_hour: 40
    handle_time: {distribution: exponential, mean: 5min}
agent_groups:
  - {name: clerks, agents: 2}
)",
                    10, 4);
  for (const auto& rep : r.by_replication) {
    const auto& c = rep.contacts_by_day[0].counts;
    CHECK(c.balked > 0);             // 40/h of 5 min on 2 clerks is overload: the queue reaches 3
    CHECK(c.balked == c.abandoned);  // nobody else abandons (no patience)
  }
}

TEST_CASE("back-office work is never started while a real-time contact waits for that agent",
          "[channels][email]") {
  const std::string text = R"(name: back office
day: {interval: 30min, intervals: 16}
contact_types:
  - name: calls
    calls_per_hour: 50
    handle_time: {distribution: exponential, mean: 4min}
  - name: mail
    channel: email
    due_within: 4h
    calls_per_hour: 20
    handle_time: {distribution: exponential, mean: 6min}
agent_groups:
  - name: team
    shifts: [{start: "00:00", end: "08:00", agents: 6}]
)";
  auto r = run_yaml(text, 30, 5);
  // E-mail would be answered first if it were real-time: a check with the tiers reversed (mail as voice).
  std::string as_voice = text;
  as_voice.replace(as_voice.find("    channel: email\n    due_within: 4h\n"), 38, "");
  auto v = run_yaml(as_voice, 30, 5);
  auto calls_asa = analysis::estimate(testing::day_values_of(r, 0, Measure::asa));
  auto calls_asa_v = analysis::estimate(testing::day_values_of(v, 0, Measure::asa));
  CHECK(calls_asa.high() < calls_asa_v.low());
  for (const auto& rep : r.by_replication) {
    const auto& mail = rep.contacts_by_day[1].counts;
    CHECK(mail.abandoned == 0);
    CHECK(mail.offered == mail.answered + mail.unserved);
    // The backlog left at closing is what stayed unserved when the shift ended.
    CHECK(mail.backlog == mail.unserved);
  }
  auto due = analysis::estimate(testing::day_values_of(r, 1, Measure::due_met_rate));
  CHECK(due.mean > 0.5);
}

TEST_CASE("channel and appointment mistakes are rejected", "[channels][errors]") {
  auto error_of = [](const std::string& text) {
    try {
      scenario::parse_scenario(text, "c.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string head =
      "name: x\nday: {open: \"09:00\", interval: 30min, intervals: 4}\ncontact_types:\n  - name: a\n";
  const std::string tail =
      "    handle_time: {distribution: exponential, mean: 60}\nagent_groups:\n  - {name: g, agents: 2}\n";
  CHECK_THAT(
      error_of(
          head +
          "    channel: email\n    calls_per_hour: 3\n    patience: {distribution: exponential, mean: 60}\n" +
          tail),
      Catch::Contains("contact_types[0].patience: e-mail is deferrable and never abandoned"));
  CHECK_THAT(error_of(head + "    balk_at_queue: 3\n    calls_per_hour: 3\n" + tail),
             Catch::Contains("contact_types[0].balk_at_queue: only walk-ins at a counter see the queue"));
  CHECK_THAT(
      error_of(head + "    calls_per_hour: 3\n    appointments: {times: [\"09:30\"]}\n" + tail),
      Catch::Contains("a contact type has walk-ins (volume, calls_per_hour) or appointments, not both"));
  CHECK_THAT(
      error_of(head + "    appointments: {times: [\"09:30\"], no_show: 2}\n" + tail),
      Catch::Contains("contact_types[0].appointments.no_show: must be a probability in [0, 1], got 2"));
  CHECK_THAT(error_of(head +
                      "    appointments: {times: [\"09:30\"], punctuality: {distribution: normal, mean: "
                      "-2min, sd: -1}}\n" +
                      tail),
             Catch::Contains("contact_types[0].appointments.punctuality.sd: a duration must be >= 0"));
  CHECK(error_of(head +
                 "    appointments: {times: [\"09:30\"], punctuality: {distribution: normal, mean: -2min, "
                 "sd: 3min}}\n" +
                 tail) == "no error");
}

namespace {

std::string chat_centre(int concurrency, const std::string& slowdown = "") {
  return R"(name: chat
day: {interval: 60min, intervals: 4}
contact_types:
  - name: chat
    channel: chat
    concurrency: )" +
         std::to_string(concurrency) + "\n" + slowdown + R"(    calls_per_hour: 400
    handle_time: {distribution: exponential, mean: 5min}
agent_groups:
  - name: chat_team
    shifts: [{start: "00:00", end: "04:00", agents: 4}]
)";
}

}  // namespace

TEST_CASE("chat with concurrency k and no slowdown serves about k times as many under saturation",
          "[channels][chat]") {
  // 400 chats an hour for 4 agents of 12 an hour each: the queue never empties, so answered = throughput.
  auto one = run_yaml(chat_centre(1), 40, 6), three = run_yaml(chat_centre(3), 40, 6);
  std::vector<double> ratio;
  for (std::size_t i = 0; i < 40; ++i)
    ratio.push_back(static_cast<double>(three.by_replication[i].contacts_by_day[0].counts.answered) /
                    static_cast<double>(one.by_replication[i].contacts_by_day[0].counts.answered));
  auto e = analysis::estimate(ratio, 0.99);
  INFO(e.mean << " ± " << e.half_width);
  // Saturated, k chats at a time serve k times as many: the ratio's expectation is 3.
  CHECK(e.contains(3.0));
  CHECK(e.half_width < 0.1);
  for (const auto& rep : three.by_replication) CHECK(rep.agents_by_day[0].occupancy() > 0.99);
}

TEST_CASE("a chat slowdown stretches each chat by the factor of its concurrency", "[channels][chat]") {
  // Saturated, agents nearly always start a chat as their third: the mean chat lasts close to 2 x 5 min.
  auto slow = run_yaml(chat_centre(3, "    slowdown: [1.0, 1.5, 2.0]\n"), 20, 7);
  auto aht = analysis::estimate(testing::day_values(slow, Measure::aht));
  INFO(aht.mean);
  CHECK(aht.mean > 1.8 * 300);
  CHECK(aht.mean < 2.0 * 300 + aht.half_width);
  auto errors = [](const std::string& text) {
    try {
      scenario::parse_scenario(text, "chat.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(errors(chat_centre(0)),
             Catch::Contains("contact_types[0].concurrency: must be between 1 and 100, got 0"));
  CHECK_THAT(errors(chat_centre(3, "    slowdown: [1.0, 1.5]\n")),
             Catch::Contains("contact_types[0].slowdown: give one factor per concurrency level: 3 values for "
                             "concurrency 3, got 2"));
}
