// Callbacks (virtual hold, a voice type's `callback`): acceptance 0 changes nothing, acceptance 1 takes
// every caller who would wait off the line, conservation of callbacks, a tiny scenario with certain
// answers, the records' outcome, and located errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "common/error.hpp"
#include "record_relations.hpp"
#include "result_compare.hpp"
#include "scenario_text.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using testing::day_counts;
using testing::error_of;
using testing::with;

namespace {

scenario::Callback callback(double over_s, double accept) {
  scenario::Callback b;
  b.offer_over_s = over_s;
  b.accept = accept;
  b.handle_time = Distribution::exponential(150);
  b.ring_s = 20.0;
  return b;
}

}  // namespace

TEST_CASE("callbacks accepted by nobody change nothing, bit for bit", "[callbacks]") {
  const scenario::Scenario base = testing::busy_line();
  scenario::Scenario same = base;
  same.contact_types[0].callback = callback(60.0, 0.0);
  const auto a = testing::run(base, 3, 42), b = testing::run(same, 3, 42);
  REQUIRE(a.by_replication.size() == b.by_replication.size());
  for (std::size_t i = 0; i < a.by_replication.size(); ++i) {
    model::ReplicationResult r = b.by_replication[i];
    CHECK(day_counts(r).callbacks_offered > 0);  // offered, never taken
    CHECK(day_counts(r).callbacks_accepted == 0);
    for (auto* cells : {&r.contacts_by_interval, &r.contacts_by_day, &r.contacts_per_day})
      for (auto& c : *cells) c.counts.callbacks_offered = 0;
    testing::Differ d;
    d.all(a.by_replication[i], r);
    INFO(d.first());
    CHECK(d.first().empty());
  }
}

TEST_CASE("callbacks accepted by all: nobody who would wait stays on the line; every callback ends",
          "[callbacks]") {
  scenario::Scenario s = testing::busy_line();
  // Threshold 0: the queue-length prediction of a caller who finds no agent free is positive, so every
  // such caller is offered a callback and takes it.
  scenario::Callback b = callback(0.0, 1.0);
  b.success = 0.7;
  b.attempts = 3;
  b.retry_after_s = 600.0;
  s.contact_types[0].callback = b;
  const auto res = testing::run(s, 3, 7, 2);  // invariants checked at every instant
  for (const auto& rep : res.by_replication) {
    const model::ContactCounts n = day_counts(rep);
    CHECK(n.callbacks_offered > 0);
    CHECK(n.callbacks_accepted == n.callbacks_offered);
    CHECK(n.abandoned == 0);  // nobody waited
    CHECK(n.answered == n.offered);
    CHECK(n.wait_answered_s == 0.0);
    CHECK(n.callbacks_accepted == n.callbacks_completed + n.callbacks_failed + n.callbacks_unserved);
    CHECK(n.callbacks_completed > 0);
    CHECK(n.callbacks_failed > 0);
    CHECK(n.callback_delay_s >= 20.0 * static_cast<double>(n.callbacks_completed));  // the ring at least
    CHECK(n.customers == n.customers_served + n.customers_lost);
    CHECK(n.customers_served == n.answered + n.callbacks_completed);
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

namespace {

// One agent, talk 10 min, every caller who finds the agent busy takes a callback (ring 30 s, talk 5 min, or
// with success 0 never answered). Calls come in the first two hours only, so all work ends long before the
// closing and the agent's busy time is its whole work.
const std::string kTiny = R"(name: tiny callbacks
day: {open: "08:00", interval: 1h, intervals: 6}
contact_types:
  - name: calls
    volume: [5, 5, 0, 0, 0, 0]
    handle_time: {distribution: deterministic, value: 10min}
    callback:
      offer_when_predicted_over: 0s
      accept: 1
      ring_time: 30s
      handle_time: {distribution: deterministic, value: 5min}
agent_groups:
  - name: agents
    agents: 1
)";

// One replication with every record kept, its records checked against its tables.
model::Results run_with_records(const scenario::Scenario& s, std::uint64_t seed) {
  model::RunOptions o;
  o.seed = seed;
  o.replications = 1;
  o.check_invariants = true;
  o.keep_replications = true;
  o.records = {true, true};
  model::Results res = model::run(s, o);
  REQUIRE(res.records);
  for (const auto& b : testing::record_relations(model::build_model(s), res, 0))
    FAIL_CHECK(b.relation << ": " << b.detail);
  return res;
}

}  // namespace

TEST_CASE("one agent, deterministic times: the agent's busy time is talk and callbacks, exactly",
          "[callbacks]") {
  for (const bool answered : {true, false}) {
    const std::string text =
        answered ? kTiny : with(kTiny, "ring_time: 30s", "ring_time: 30s\n      success: 0");
    const scenario::Scenario s = scenario::parse_scenario(text, "tiny.yaml");
    const auto res = testing::run(s, 4, 11);
    for (const auto& rep : res.by_replication) {
      const model::ContactCounts n = day_counts(rep);
      const double busy = rep.agents_by_day[0].busy_s;
      const auto answered_d = static_cast<double>(n.answered);
      const auto completed_d = static_cast<double>(n.callbacks_completed);
      const auto failed_d = static_cast<double>(n.callbacks_failed);
      INFO("success " << answered << ", offered " << n.offered << ", callbacks " << n.callbacks_accepted);
      CHECK(n.callbacks_accepted > 0);
      CHECK(n.answered == n.offered);
      CHECK(n.callbacks_unserved == 0);  // the agent stays until nothing waits
      if (answered) {
        CHECK(n.callbacks_completed == n.callbacks_accepted);
        CHECK(busy == Approx(600.0 * answered_d + 330.0 * completed_d));
        CHECK(n.callback_delay_s >= 30.0 * completed_d);
      } else {
        CHECK(n.callbacks_failed == n.callbacks_accepted);  // one try each
        CHECK(busy == Approx(600.0 * answered_d + 30.0 * failed_d));
        CHECK(n.customers_lost == n.callbacks_failed);
      }
    }
  }
}

TEST_CASE("a caller who takes a callback is recorded as callback_accepted", "[callbacks]") {
  const scenario::Scenario s = scenario::parse_scenario(kTiny, "tiny.yaml");
  const auto res = testing::run_recording_contacts(s, 5);
  REQUIRE(res.records);
  std::uint64_t accepted = 0;
  res.records->for_each_contacts([&](int, const std::vector<model::ContactRecord>& batch) {
    for (const auto& c : batch) accepted += c.outcome == model::Outcome::callback_accepted;
  });
  CHECK(accepted > 0);
  CHECK(accepted == day_counts(res.by_replication[0]).callbacks_accepted);
}

// Each try of a callback is a leg of its own: the agent dialling, ringing 30 s, then 5 min of talk when the
// customer answers; a try that is not answered is followed 10 min later by the next, at most three.
TEST_CASE("call-outs are records: one per try, continuing the caller's callback_accepted leg",
          "[callbacks]") {
  const std::string text =
      with(kTiny, "ring_time: 30s",
           "ring_time: 30s\n      success: 0.5\n      attempts: 3\n      retry_after: 10min");
  const scenario::Scenario s = scenario::parse_scenario(text, "tiny.yaml");
  std::uint64_t completed_rows = 0, not_reached_rows = 0;
  for (const std::uint64_t seed : {1, 2, 3, 4}) {
    const model::Results res = run_with_records(s, seed);
    std::map<std::int64_t, model::ContactRecord> accepted;
    std::map<std::int64_t, int> tries;
    std::set<std::int64_t> ids;
    std::uint64_t completed = 0, not_reached = 0;
    res.records->for_each_contacts([&](int, const std::vector<model::ContactRecord>& batch) {
      for (const auto& c : batch) {
        CHECK(ids.insert(c.contact).second);
        if (c.outcome == model::Outcome::callback_accepted) accepted[c.contact] = c;
        if (c.outcome != model::Outcome::callback_completed &&
            c.outcome != model::Outcome::callback_not_reached)
          continue;
        INFO("call-out " << c.contact << " of " << c.parent);
        REQUIRE(accepted.count(c.parent) == 1);
        CHECK(c.customer == accepted[c.parent].customer);
        CHECK(c.group == 0);
        CHECK(c.agent == 0);
        CHECK(++tries[c.parent] <= 3);
        if (c.outcome == model::Outcome::callback_completed) {
          ++completed;
          CHECK(c.handle_s == 330.0);
          CHECK(c.wait_s >= 30.0);  // the request to the customer's answer: at least the ring
        } else {
          ++not_reached;
          CHECK(c.handle_s == 30.0);
          CHECK(std::isnan(c.wait_s));
        }
        CHECK(c.queued_s >= c.arrival_s);  // queued at the request (or a later try's due time)
        // A try after the first joins the queue when it falls due, 10 minutes after the last ended.
        if (tries[c.parent] > 1) CHECK(c.queued_s >= c.arrival_s + 600.0);
      }
    });
    const model::ContactCounts n = day_counts(res.by_replication[0]);
    CHECK(completed == n.callbacks_completed);
    CHECK(not_reached >= 3 * n.callbacks_failed);
    completed_rows += completed;
    not_reached_rows += not_reached;
  }
  CHECK(completed_rows > 0);
  CHECK(not_reached_rows > 0);
}

// A callback not made by the closing ends with a row of its own: left queued when the only agent's shift
// ends (09:00, with an hour of calls of 10 min each waiting), or its next try due after the closing (every
// try unanswered, the next 3 h after the last: the third would fall after 14:00).
TEST_CASE("a callback given up at the closing is a callback_unserved record, as the tables count it",
          "[callbacks]") {
  const std::string shift_ends =
      with(kTiny, "agents: 1", "shifts: [{start: \"08:00\", end: \"09:00\", agents: 1}]");
  const std::string retry_late = with(
      kTiny, "ring_time: 30s", "ring_time: 30s\n      success: 0\n      attempts: 3\n      retry_after: 3h");
  for (const bool queued : {true, false}) {
    const scenario::Scenario s = scenario::parse_scenario(queued ? shift_ends : retry_late, "tiny.yaml");
    std::uint64_t rows = 0, table = 0;
    for (const std::uint64_t seed : {1, 2, 3, 4}) {
      const model::Results res = run_with_records(s, seed);
      std::map<std::int64_t, model::ContactRecord> accepted;
      std::map<std::int64_t, int> tries;
      res.records->for_each_contacts([&](int, const std::vector<model::ContactRecord>& batch) {
        for (const auto& c : batch) {
          if (c.outcome == model::Outcome::callback_accepted) accepted[c.contact] = c;
          if (c.outcome == model::Outcome::callback_not_reached) ++tries[c.parent];
          if (c.outcome != model::Outcome::callback_unserved) continue;
          INFO("callback " << c.contact << " of " << c.parent << (queued ? ", queued" : ", after a try"));
          ++rows;
          REQUIRE(accepted.count(c.parent) == 1);
          CHECK(c.customer == accepted[c.parent].customer);
          CHECK(c.arrival_s >= accepted[c.parent].arrival_s);  // the request
          CHECK(c.group == -1);
          CHECK(c.agent == -1);
          CHECK(std::isnan(c.wait_s));
          if (queued) {
            CHECK(c.queued_s >= c.arrival_s);
          } else {
            CHECK(std::isnan(c.queued_s));
            CHECK(tries[c.parent] == 2);  // the third try would come after the closing
          }
        }
      });
      const model::ContactCounts n = day_counts(res.by_replication[0]);
      table += n.callbacks_unserved;
      if (!queued) CHECK(n.callbacks_completed == 0);
    }
    CHECK(rows == table);
    CHECK(rows > 0);
  }
}

TEST_CASE("callbacks are read from a scenario; bad ones are located errors", "[callbacks][scenario]") {
  const std::string text = with(kTiny, "accept: 1",
                                "accept: 0.4\n      success: 0.8\n      attempts: 3\n"
                                "      retry_after: 15min");
  const scenario::Callback& b = scenario::parse_scenario(text, "ok.yaml").contact_types[0].callback;
  CHECK(b.offer_over_s == 0.0);
  CHECK(b.accept == 0.4);
  CHECK(b.success == 0.8);
  CHECK(b.attempts == 3);
  CHECK(b.retry_after_s == 900.0);
  CHECK(b.ring_s == 30.0);
  CHECK(b.handle_time.mean() == Approx(300.0));
  CHECK(b.any());
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1.5")),
             Catch::Contains("contact_types[0].callback.accept: must be a probability in [0, 1], got 1.5"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1\n      attempts: 33\n      retry_after: 1min")),
             Catch::Contains("contact_types[0].callback.attempts: must be between 1 and 32, got 33"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1\n      attempts: 2")),
             Catch::Contains("contact_types[0].callback: give retry_after"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1\n      keep: 1")), Catch::Contains("keep"));
  CHECK_THAT(error_of(with(kTiny, "    volume: [5", "    channel: chat\n    volume: [5")),
             Catch::Contains("only callers waiting on the phone are offered a callback"));
}

TEST_CASE(
    "an acceptance table by predicted wait: a step over every prediction takes nobody; one step from "
    "zero is acceptance of that probability, bit for bit",
    "[callbacks]") {
  scenario::Scenario flat = testing::busy_line();
  flat.contact_types[0].callback = callback(0.0, 0.6);
  scenario::Scenario table = flat;
  table.contact_types[0].callback.accept = 0.0;
  table.contact_types[0].callback.accept_by_wait = {{0.0, 0.6}};
  scenario::Scenario never = flat;
  never.contact_types[0].callback.accept_by_wait = {{0.0, 0.0}, {86400.0, 1.0}};
  const auto a = testing::run(flat, 2, 9), b = testing::run(table, 2, 9), c = testing::run(never, 2, 9);
  for (std::size_t i = 0; i < a.by_replication.size(); ++i) {
    testing::Differ d;
    d.all(a.by_replication[i], b.by_replication[i]);
    INFO(d.first());
    CHECK(d.first().empty());
    CHECK(day_counts(a.by_replication[i]).callbacks_accepted > 0);
    CHECK(day_counts(c.by_replication[i]).callbacks_offered > 0);
    CHECK(day_counts(c.by_replication[i]).callbacks_accepted == 0);
  }
  const scenario::Callback& step = table.contact_types[0].callback;
  CHECK(never.contact_types[0].callback.accept_at(3600.0) == 0.0);
  CHECK(never.contact_types[0].callback.accept_at(90000.0) == 1.0);
  CHECK(step.accept_at(0.0) == 0.0);  // "over": a prediction of exactly the step is not over it
  CHECK(step.accept_at(1.0) == 0.6);
}

TEST_CASE("callbacks of their own queue: priority -1 calls back before the line's callers, 1 after them",
          "[callbacks]") {
  scenario::Scenario s = testing::busy_line();
  scenario::Callback b = callback(0.0, 0.5);
  b.keep_place = false;
  b.priority = -1;
  s.contact_types[0].callback = b;
  scenario::Scenario after = s;
  after.contact_types[0].callback.priority = 1;
  const auto first = testing::run(s, 4, 3, 2), last = testing::run(after, 4, 3, 2);  // invariants on
  model::ContactCounts f, l;
  for (const auto& r : first.by_replication) f.add(day_counts(r));
  for (const auto& r : last.by_replication) l.add(day_counts(r));
  // Same callers and the same offers' draws: only the order in which agents take the work differs.
  CHECK(f.customers == l.customers);
  REQUIRE(f.callbacks_completed > 100);
  REQUIRE(l.callbacks_completed > 100);
  const double delay_first = f.callback_delay_s / static_cast<double>(f.callbacks_completed);
  const double delay_last = l.callback_delay_s / static_cast<double>(l.callbacks_completed);
  const double asa_first = f.wait_answered_s / static_cast<double>(f.answered);
  const double asa_last = l.wait_answered_s / static_cast<double>(l.answered);
  INFO("callback delay " << delay_first << " vs " << delay_last << "; ASA " << asa_first << " vs "
                         << asa_last);
  CHECK(delay_first < 0.5 * delay_last);
  CHECK(asa_first > asa_last);
  for (const auto& r : first.by_replication) {
    const model::ContactCounts n = day_counts(r);
    CHECK(n.callbacks_accepted == n.callbacks_completed + n.callbacks_failed + n.callbacks_unserved);
  }
}

TEST_CASE("keep_place, priority and an acceptance table are read; mistakes are located",
          "[callbacks][scenario]") {
  const std::string table = with(kTiny, "accept: 1",
                                 "accept: [{over: 1min, probability: 0.2}, {over: 5min, probability: 0.7}]\n"
                                 "      keep_place: false\n      priority: -1");
  const scenario::Callback& b = scenario::parse_scenario(table, "ok.yaml").contact_types[0].callback;
  REQUIRE(b.accept_by_wait.size() == 2);
  CHECK(b.accept_by_wait[1].first == 300.0);
  CHECK(b.accept_by_wait[1].second == 0.7);
  CHECK_FALSE(b.keep_place);
  CHECK(b.priority == -1);
  CHECK(scenario::parse_scenario(kTiny, "ok.yaml").contact_types[0].callback.keep_place);
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1\n      priority: 2")),
             Catch::Contains("contact_types[0].callback.priority: a callback that keeps its caller's place"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1",
                           "accept: [{over: 5min, probability: 0.2}, {over: 1min, probability: 0.7}]")),
             Catch::Contains("contact_types[0].callback.accept[1].over: steps must be in increasing order"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: []")),
             Catch::Contains("contact_types[0].callback.accept: give at least one step"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: [{over: 1min, probability: 2}]")),
             Catch::Contains("probability: must be a probability in [0, 1], got 2"));
  CHECK_THAT(error_of(with(kTiny, "accept: 1", "accept: 1\n      keep_place: maybe")),
             Catch::Contains("keep_place"));
}
