// Callers who call again and finite lines (`redial`, `queue_limit`, `lines`): what changes nothing,
// conservation across attempts, the records of a customer's attempts, and located errors.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "result_compare.hpp"
#include "scenario_text.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using testing::day_counts;
using testing::error_of;
using testing::with;

namespace {

scenario::Redial redial(std::vector<double> p, int max_attempts) {
  scenario::Redial r;
  r.probability.fill(p);
  r.max_attempts = max_attempts;
  r.delay = Distribution::exponential(300);
  return r;
}

}  // namespace

TEST_CASE("redial probability 0 and limits never reached change nothing, bit for bit", "[redials]") {
  const scenario::Scenario base = testing::busy_line();
  scenario::Scenario same = base;
  same.contact_types[0].redial = redial({0.0}, 5);
  same.contact_types[0].queue_limit = 1'000'000;
  same.lines.push_back({"trunk", 1'000'000, {0}, ""});
  const auto a = testing::run(base, 3, 42), b = testing::run(same, 3, 42);
  REQUIRE(a.by_replication.size() == b.by_replication.size());
  for (std::size_t i = 0; i < a.by_replication.size(); ++i) {
    testing::Differ d;
    d.all(a.by_replication[i], b.by_replication[i]);
    INFO(d.first());
    CHECK(d.first().empty());
    CHECK(day_counts(a.by_replication[i]).abandoned > 0);
    CHECK(day_counts(b.by_replication[i]).redials == 0);
    CHECK(day_counts(b.by_replication[i]).blocked == 0);
  }
}

TEST_CASE("across attempts every customer is served, lost or still trying", "[redials]") {
  scenario::Scenario s = testing::busy_line();
  scenario::Redial r = redial({}, 4);
  r.probability[0] = {0.9, 0.8, 0.7};  // blocked
  r.probability[2] = {0.6};            // abandoned, every attempt
  s.contact_types[0].redial = r;
  s.contact_types[0].queue_limit = 3;
  s.lines.push_back({"trunk", 17, {0}, ""});
  // testing::run checks the invariants at every instant, conservation across attempts among them.
  const auto res = testing::run(s, 3, 7, 2);
  for (const auto& rep : res.by_replication) {
    const model::ContactCounts n = day_counts(rep);
    CHECK(n.blocked > 0);
    CHECK(n.redials > 0);
    CHECK(n.customers == n.customers_served + n.customers_lost);
    // Every attempt is a first call or a redial, and gets in (offered) or hears busy.
    CHECK(n.customers + n.redials == n.offered + n.blocked);
    CHECK(n.first_offered <= n.customers);
    CHECK(n.customers_served == n.answered);  // no transfers: one answer per served customer
    CHECK(n.first_answered_within_tau <= n.answered_within_tau);
  }
  // The same for one and two threads.
  const auto one = testing::run(s, 3, 7, 1);
  for (std::size_t i = 0; i < one.by_replication.size(); ++i) {
    testing::Differ d;
    d.all(one.by_replication[i], res.by_replication[i]);
    INFO(d.first());
    CHECK(d.first().empty());
  }
}

TEST_CASE("records carry the customer and the attempt; nobody calls more than max_attempts", "[redials]") {
  scenario::Scenario s = testing::busy_line();
  s.contact_types[0].redial = redial({1.0}, 3);  // everyone who fails calls again, twice at most
  s.contact_types[0].queue_limit = 0;            // whoever finds every agent busy hears busy
  const auto res = testing::run_recording_contacts(s, 5);
  REQUIRE(res.records);
  std::map<std::int64_t, int> attempts;  // per customer: its attempts
  std::map<std::int64_t, bool> answered;
  std::uint64_t blocked = 0;
  res.records->for_each_contacts([&](int, const std::vector<model::ContactRecord>& batch) {
    for (const auto& c : batch) {
      ++attempts[c.customer];
      CHECK(c.attempt == attempts[c.customer]);  // in the order they were made
      CHECK(!answered[c.customer]);              // a served customer does not call again
      answered[c.customer] = c.outcome == model::Outcome::answered;
      blocked += c.outcome == model::Outcome::blocked;
      CHECK(c.outcome != model::Outcome::abandoned);  // queue_limit 0: nobody waits
    }
  });
  int most = 0;
  for (const auto& [customer, n] : attempts) most = std::max(most, n);
  CHECK(most == 3);
  const model::ContactCounts n = day_counts(res.by_replication[0]);
  CHECK(blocked == n.blocked);
  CHECK(attempts.size() == n.customers);
  CHECK(n.answered == n.offered);  // nobody waits, nobody abandons
  CHECK(n.wait_answered_s == 0.0);
}

namespace {

const std::string kScenario = R"(name: redials
day: {open: "08:00", interval: 1h, intervals: 2}
contact_types:
  - name: calls
    calls_per_hour: 100
    handle_time: {distribution: exponential, mean: 3min}
    patience: {distribution: exponential, mean: 2min}
    queue_limit: 5
    redial:
      probability: {blocked: [0.8, 0.5], abandoned: 0.3}
      delay: {distribution: exponential, mean: 10min}
      as: again
  - name: again
    handle_time: {distribution: exponential, mean: 3min}
    redial: {probability: 0.4, delay: {distribution: deterministic, value: 5min}, max_attempts: 4}
  - name: mail
    channel: email
    calls_per_hour: 10
    handle_time: {distribution: exponential, mean: 5min}
lines:
  - {name: trunk, lines: 12, types: [calls, again]}
agent_groups:
  - name: agents
    agents: 5
)";

}  // namespace

TEST_CASE("redials, queue limits and lines are read from a scenario", "[redials][scenario]") {
  const scenario::Scenario s = scenario::parse_scenario(kScenario, "ok.yaml");
  const scenario::Redial& r = s.contact_types[0].redial;
  using C = scenario::RedialCause;
  CHECK(r.probability[static_cast<int>(C::blocked)] == std::vector<double>{0.8, 0.5});
  CHECK(r.probability[static_cast<int>(C::balked)].empty());
  CHECK(r.probability[static_cast<int>(C::abandoned)] == std::vector<double>{0.3});
  CHECK(r.max_attempts == 3);  // one more than the longest list
  CHECK(r.as == 1);
  CHECK(r.delay.mean() == Approx(600.0));
  CHECK(s.contact_types[0].queue_limit == 5);
  CHECK(s.contact_types[1].redial.max_attempts == 4);
  CHECK(s.contact_types[1].queue_limit == -1);
  REQUIRE(s.lines.size() == 1);
  CHECK(s.lines[0].lines == 12);
  CHECK(s.lines[0].types == std::vector<int>{0, 1});
  // The compiled chances: by attempt, the last value for later attempts, none at max_attempts.
  const model::Model m = model::build_model(s);
  CHECK(m.redial[0].chance(C::blocked, 1) == 0.8);
  CHECK(m.redial[0].chance(C::blocked, 2) == 0.5);
  CHECK(m.redial[0].chance(C::blocked, 3) == 0.0);
  CHECK(m.redial[0].chance(C::balked, 1) == 0.0);
  CHECK(m.redial[1].chance(C::balked, 3) == 0.4);
  CHECK(m.redial[1].chance(C::balked, 4) == 0.0);
  CHECK(m.redial[0].as == 1);
  CHECK(m.redial[1].as == 1);
  CHECK(m.line_group == std::vector<int>{0, 0, -1});
  // It runs, invariants checked.
  const auto res = testing::run(s, 2, 3);
  CHECK(res.by_replication[0].contacts_by_day[1].counts.redials > 0);  // redials arrive as `again`
}

TEST_CASE("bad redials, queue limits and lines: every error at once, located", "[redials][scenario]") {
  std::string text = with(kScenario, "[0.8, 0.5]", "[0.8, 1.5]");
  text = with(text, "max_attempts: 4", "max_attempts: 0");
  text =
      with(text, "name: mail\n    channel: email\n", "name: mail\n    channel: email\n    queue_limit: 3\n");
  text = with(text, "types: [calls, again]", "types: [calls, calls]");
  const std::string e = error_of(text);
  CHECK_THAT(e, Catch::Contains("bad.yaml:10:36: contact_types[0].redial.probability.blocked[1]: must be a "
                                "probability in [0, 1], got 1.5"));
  CHECK_THAT(e, Catch::Contains("bad.yaml:15:97: contact_types[1].redial.max_attempts: must be between 1 and "
                                "100, got 0"));
  CHECK_THAT(e, Catch::Contains("contact_types[2].queue_limit: 'mail' is e-mail"));
  CHECK_THAT(e, Catch::Contains("lines[0].types[1]: 'calls' is listed twice"));
  // A list longer than the attempts allow; max_attempts missing with a single probability.
  CHECK_THAT(error_of(with(kScenario, "as: again", "as: again\n      max_attempts: 2")),
             Catch::Contains("contact_types[0].redial.probability: gives a probability after attempt 2 but "
                             "max_attempts is 2"));
  // A single number holds for every attempt: max_attempts 1 simply means nobody calls again.
  CHECK(scenario::parse_scenario(with(kScenario, "max_attempts: 4", "max_attempts: 1"), "ok.yaml")
            .contact_types[1]
            .redial.max_attempts == 1);
  CHECK_THAT(
      error_of(with(kScenario, "probability: {blocked: [0.8, 0.5], abandoned: 0.3}", "probability: 0.5")),
      Catch::Contains("contact_types[0].redial: give max_attempts"));
  CHECK_THAT(error_of(with(kScenario, "lines: 12", "lines: 0")),
             Catch::Contains("lines[0].lines: must be between 1"));
  CHECK_THAT(error_of(with(kScenario, "as: again", "as: mail")), Catch::Contains("cannot take redials"));
}

TEST_CASE("the shipped home-work line's redial policies: summary and JSON show attempts and customers",
          "[redials][cli]") {
  const std::string scenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/home_work_line.yaml";
  const auto text = testing::run_ccsim("run " + scenario + " -r 3 -t 1");
  INFO(text.err);
  REQUIRE(text.code == 0);
  const auto redial = text.out.find("=== Policy '60% home, callers redial' ===");
  REQUIRE(redial != std::string::npos);
  CHECK(text.out.find("first-call SL %") > redial);  // shown only where callers call again
  CHECK_THAT(text.out, Catch::Contains("customers served %"));
  const auto json = testing::run_ccsim("run " + scenario + " -r 3 -t 1 --json -q");
  REQUIRE(json.code == 0);
  for (const char* key : {"\"blocked\"", "\"blocked_share\"", "\"redials\"", "\"customers\"",
                          "\"customers_served_share\"", "\"first_attempt_service_level\"",
                          "\"first_attempt_abandon_rate\"", "\"service_level_incl_blocked\""})
    CHECK_THAT(json.out, Catch::Contains(key));
}
