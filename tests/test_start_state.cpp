// Starting from a live state (--start-state) and saving one (--save-state): the empty state is the normal
// run bit for bit, tiny states have certain answers, residual times follow the conditional laws, a day
// split at noon and continued agrees with the unsplit day, and mistakes are told with their places.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "analysis/statistics.hpp"
#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "result_compare.hpp"
#include "scenario/start_state.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using Catch::Contains;

namespace {


std::vector<scenario::StartState> states(const std::string& yaml, const scenario::Scenario& s) {
  return scenario::parse_start_states(yaml, "state.yaml", s);
}

// One agent from 08:00 to 12:00 in one-hour intervals, no arrivals: only what the state brings happens.
scenario::Scenario quiet_desk(engine::Distribution handle, engine::Distribution patience) {
  scenario::Scenario s = testing::stationary(0.0, handle, 1, patience, 4, 0);
  s.open_s = 8 * 3600.0;
  return s;
}

}  // namespace

TEST_CASE("an empty state at the opening is the normal run, bit for bit", "[start_state]") {
  for (const char* file : {"municipal_service.yaml", "home_work_line.yaml", "erlang_a_textbook.yaml"}) {
    scenario::Study study = scenario::load_study(std::string(CCSIM_SOURCE_DIR) + "/scenarios/" + file);
    const scenario::Scenario& s = study.policies.front();
    const std::string open = scenario::format_clock(s.open_s);
    const auto empty = states("time: \"" + (s.days > 1 ? (s.day_labels.empty() ? std::string("day 1") : s.day_labels[0]) + " " : "") + open + "\"\n", s);
    const model::Results plain = testing::run_from(s, {}, 3, 11);
    const model::Results started = testing::run_from(s, empty, 3, 11);
    for (std::size_t r = 0; r < plain.by_replication.size(); ++r) {
      testing::Differ d;
      d.all(plain.by_replication[r], started.by_replication[r]);
      INFO(file << " replication " << r << ": " << d.first());
      CHECK(d.first().empty());
    }
  }
}

TEST_CASE("a busy agent with 60 s left answers the caller waiting at 60 s", "[start_state]") {
  const scenario::Scenario s =
      quiet_desk(engine::Distribution::deterministic(100.0), engine::Distribution::never());
  SECTION("remaining") {
    const auto st = states(
        "time: \"09:00\"\nwaiting: [{type: calls, waited: 0s}]\n"
        "agents: [{group: agents, state: busy, type: calls, remaining: 60s}]\n",
        s);
    const model::Results r = testing::run_from(s, st, 2, 1);
    for (const auto& rep : r.by_replication) {
      const auto& c = rep.contacts_by_interval[1].counts;  // 09:00, where callers waiting at the state count
      CHECK(c.offered == 1);
      CHECK(c.answered == 1);
      CHECK(c.wait_answered_s == 60.0);
      CHECK(c.handle_s == 100.0);
      CHECK(rep.contacts_by_interval[0].counts.offered == 0);  // nothing before the state's time
      CHECK(rep.agents_by_interval[0].staffed_s == 0.0);
      // Busy 60 s with the call in hand, then 100 s with the caller.
      CHECK(rep.agents_by_interval[1].busy_s == 160.0);
      CHECK(rep.agents_by_day[0].staffed_s == 3 * 3600.0);
    }
  }
  SECTION("elapsed on a deterministic law leaves the rest; a caller who waited 45 s has waited since 08:59:15") {
    const auto st = states(
        "time: \"09:00\"\nwaiting: [{type: calls, waited: 45s, count: 2}]\n"
        "agents: [{group: agents, state: busy, type: calls, elapsed: 40s}]\n",
        s);
    const model::Results r = testing::run_from(s, st, 1, 1);
    const auto& c = r.by_replication[0].contacts_by_day[0].counts;
    CHECK(c.offered == 2);
    CHECK(c.answered == 2);
    CHECK(c.wait_answered_s == (45.0 + 60.0) + (45.0 + 160.0));
  }
  SECTION("a patience of 30 s of which 10 have passed ends 20 s after the state's time") {
    const scenario::Scenario impatient =
        quiet_desk(engine::Distribution::deterministic(100.0), engine::Distribution::deterministic(30.0));
    const auto st = states(
        "time: \"09:00\"\nwaiting: [{type: calls, waited: 10s}]\n"
        "agents: [{group: agents, state: break, until: \"09:30\"}]\n",
        impatient);
    const model::Results r = testing::run_from(impatient, st, 1, 1);
    const auto& c = r.by_replication[0].contacts_by_day[0].counts;
    CHECK(c.abandoned == 1);
    CHECK(c.wait_abandoned_s == 30.0);
    CHECK(r.by_replication[0].agents_by_day[0].break_s == 1800.0);
  }
  SECTION("an absent agent leaves the caller unserved; the state's day draws no absence") {
    const auto st = states(
        "time: \"09:00\"\nwaiting: [{type: calls, waited: 0s}]\nagents: [{group: agents, state: absent}]\n", s);
    const model::Results r = testing::run_from(s, st, 1, 1);
    const auto& c = r.by_replication[0].contacts_by_day[0].counts;
    CHECK(c.unserved == 1);
    CHECK(r.by_replication[0].agents_by_day[0].staffed_s == 0.0);
  }
}

TEST_CASE("five callers waiting for two free agents with 60 s calls wait 0, 0, 60, 60 and 120 s", "[start_state]") {
  scenario::Scenario s = quiet_desk(engine::Distribution::deterministic(60.0), engine::Distribution::never());
  s.agent_groups[0].agents = 2;
  const auto st = states("time: \"10:30\"\nwaiting: [{type: calls, waited: 0s, count: 5}]\n", s);
  const model::Results r = testing::run_from(s, st, 1, 3);
  const auto& c = r.by_replication[0].contacts_by_interval[2].counts;
  CHECK(c.offered == 5);
  CHECK(c.answered == 5);
  CHECK(c.wait_answered_s == 240.0);
  CHECK(c.answered_within_tau == 2);
}

TEST_CASE("callers of a state are customers and hold their trunk group's lines", "[start_state]") {
  scenario::Scenario s = quiet_desk(engine::Distribution::deterministic(60.0), engine::Distribution::never());
  s.lines.push_back({"trunk", 3, {0}, ""});
  // One in service, two waiting: the three lines are taken; the waiting two are this day's customers.
  const auto full = states("time: \"10:30\"\nwaiting: [{type: calls, waited: 10s, count: 2}]\n"
                           "agents: [{group: agents, state: busy, type: calls, remaining: 30s}]\n",
                           s);
  const model::Results r = testing::run_from(s, full, 1, 3);  // invariants checked: lines never overfull
  const auto& c = r.by_replication[0].contacts_by_interval[2].counts;
  CHECK(c.offered == 2);
  CHECK(c.answered == 2);
  CHECK(c.customers == 2);
  CHECK(c.customers_served == 2);
  CHECK(c.wait_answered_s == 10.0 + 30.0 + 10.0 + 90.0);
  const auto over = states("time: \"10:30\"\nwaiting: [{type: calls, waited: 10s, count: 3}]\n"
                           "agents: [{group: agents, state: busy, type: calls, remaining: 30s}]\n",
                           s);
  CHECK_THROWS_WITH(model::compile_start_states(over, model::build_model(s), ""),
                    Contains("4 callers waiting or in service hold lines of trunk group 1, which has 3 lines"));
}

TEST_CASE("a caller holding no line (a chat or walk-in transferred to voice) is read, run and written so",
          "[start_state]") {
  scenario::Scenario s = quiet_desk(engine::Distribution::deterministic(60.0), engine::Distribution::never());
  s.lines.push_back({"trunk", 1, {0}, ""});
  // The one line is held by the call in service; the three waiting came in without one.
  const std::string text = "time: \"10:30\"\nwaiting: [{type: calls, waited: 10s, count: 3, line: none}]\n"
                           "agents: [{group: agents, state: busy, type: calls, remaining: 30s}]\n";
  const auto held = states(text, s);
  REQUIRE(held[0].waiting[0].line == -1);
  const model::Results r = testing::run_from(s, held, 1, 3);  // invariants checked: lines never overfull
  CHECK(r.by_replication[0].contacts_by_interval[2].counts.answered == 3);
  const std::string written = scenario::write_start_states(held, s, " test");
  CHECK_THAT(written, Contains("line: none"));
  CHECK(scenario::write_start_states(states(written, s), s, " test") == written);
  // A line of its own type's group is not written; an unknown trunk group is told where it stands.
  const std::string own = "time: \"10:30\"\nwaiting: [{type: calls, waited: 10s, line: trunk}]\n";
  CHECK_THAT(scenario::write_start_states(states(own, s), s, " test"), !Contains("line"));
  CHECK_THROWS_WITH(states("time: \"10:30\"\nwaiting: [{type: calls, waited: 10s, line: trunc}]\n", s),
                    Contains("state.yaml:2:44: waiting[0].line: unknown trunk group 'trunc' (did you mean "
                             "'trunk'?)"));
}

TEST_CASE("state times over days, one time per list, skills and chats checked", "[start_state]") {
  scenario::Scenario s = quiet_desk(engine::Distribution::deterministic(60.0), engine::Distribution::never());
  s.days = 2;
  s.day_labels = {"Mon", "Tue"};
  CHECK(scenario::parse_state_time("Tue 11:00", s) == 86400.0 + 3 * 3600.0);
  CHECK(scenario::parse_state_time("08:00:30.5", s) == 30.5);
  CHECK_THROWS_WITH(scenario::parse_state_time("Wed 11:00", s), Contains("unknown day 'Wed'"));
  CHECK_THROWS_WITH(scenario::parse_state_time("12:00", s), Contains("outside the day's opening hours"));
  const auto two = states("- {time: \"Mon 09:00\"}\n- {time: \"Tue 09:00\"}\n", s);
  CHECK_THROWS_WITH(model::compile_start_states(two, model::build_model(s), ""),
                    Contains("state.yaml:2:3") && Contains("every state of a list starts at one time"));
  scenario::ContactType chat = s.contact_types[0];
  chat.name = "chat";
  chat.channel = scenario::Channel::chat;
  chat.concurrency = 2;
  s.contact_types.push_back(chat);
  CHECK_THROWS_WITH(states("time: \"Mon 09:00\"\nagents: [{group: agents, state: busy, chats: [{type: chat, "
                           "elapsed: 1s}]}]\n",
                           s),
                    Contains("has no skill for contact type 'chat'"));
  s.agent_groups[0].skills.push_back({1, 1, 0.0, 1.0, ""});
  CHECK_THROWS_WITH(states("time: \"Mon 09:00\"\nagents: [{group: agents, state: busy, chats: [{type: chat, "
                           "elapsed: 1s}, {type: chat, elapsed: 1s}, {type: chat, remaining: 1s}]}]\n",
                           s),
                    Contains("holds 3 chats, more than their concurrency (2)"));
  CHECK_THROWS_WITH(states("time: \"Mon 09:00\"\nagents: [{group: agents, state: busy, chats: [{type: calls, "
                           "elapsed: 1s}]}]\n",
                           s),
                    Contains("'calls' is not a chat"));
}

TEST_CASE("state files: mistakes told at once with their places, saved states read back", "[start_state][cli]") {
  const auto dir = testing::work_dir("start_state");
  const std::string scenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml";
  {
    std::ofstream f(dir / "bad.yaml");
    f << "time: \"11:00\"\n"
         "waiting:\n"
         "  - {type: genral, waited: 45s}\n"
         "agents:\n"
         "  - {group: nobody, state: idle}\n"
         "  - {group: agents, state: busy, type: general}\n"
         "  - {group: agents, state: lunch}\n";
  }
  const auto bad = testing::run_ccsim("run " + scenario + " -r 2 -q --start-state bad.yaml -o x.h5", dir);
  CHECK(bad.code == 1);
  CHECK_THAT(bad.err, Contains("bad.yaml:3:") && Contains("unknown contact type 'genral'"));
  CHECK_THAT(bad.err, Contains("bad.yaml:5:") && Contains("unknown agent group 'nobody'"));
  CHECK_THAT(bad.err, Contains("bad.yaml:6:") && Contains("either elapsed"));
  CHECK_THAT(bad.err, Contains("bad.yaml:7:") && Contains("lunch"));
  CHECK(!std::filesystem::exists(dir / "x.h5"));
  {
    std::ofstream f(dir / "late.yaml");
    f << "time: \"24:30\"\n";
  }
  const auto late = testing::run_ccsim("validate " + scenario + " --start-state late.yaml", dir);
  CHECK(late.code == 1);
  CHECK_THAT(late.err, Contains("late.yaml:1:") && Contains("outside the day's opening hours"));
  {
    std::ofstream f(dir / "crowd.yaml");
    f << "time: \"09:00\"\nagents:\n  - {group: agents, state: idle}\n"
         "  - {group: agents, state: busy, type: general, elapsed: 1min, count: 200}\n";
  }
  const auto crowd = testing::run_ccsim("validate " + scenario + " --start-state crowd.yaml", dir);
  CHECK(crowd.code == 1);
  CHECK_THAT(crowd.err, Contains("crowd.yaml:4:") && Contains("201 agents of this group are listed") &&
                           Contains("on shift at 09:00"));
  const auto bad_time = testing::run_ccsim("run " + scenario + " -r 2 -q --save-state 25:00 -o y.h5", dir);
  CHECK(bad_time.code == 1);
  CHECK_THAT(bad_time.err, Contains("command line: --save-state 25:00"));

  // Saved at noon, then continued from the saved states: one per replication, readable back.
  const auto saved = testing::run_ccsim("run " + scenario + " -r 3 -q --save-state 12:00 -o day.h5", dir);
  REQUIRE(saved.code == 0);
  // Two policies: a file for each, named after it.
  REQUIRE(std::filesystem::exists(dir / "day.25 agents.state.yaml"));
  REQUIRE(std::filesystem::exists(dir / "day.27 agents.state.yaml"));
  const auto continued =
      testing::run_ccsim("run " + scenario + " -r 3 -q --start-state 'day.25 agents.state.yaml' -o afternoon.h5", dir);
  CHECK(continued.code == 0);
  CHECK(continued.err.empty());
  const auto too_few =
      testing::run_ccsim("run " + scenario + " -r 5 -q --start-state 'day.25 agents.state.yaml' -o more.h5", dir);
  CHECK(too_few.code == 1);
  CHECK_THAT(too_few.err, Contains("holds 3 states"));
  // One state for every replication of every sweep point.
  {
    std::ofstream f(dir / "noon.yaml");
    f << "time: \"12:00\"\nwaiting: [{type: general, waited: 30s, count: 3}]\n"
         "agents: [{group: agents, state: busy, type: general, elapsed: 2min}]\n";
  }
  const auto swept = testing::run_ccsim("sweep " + scenario +
                                            " --grid 'agent_groups.agents.agents=[25, 26]' -r 2 -q "
                                            "--start-state noon.yaml -o sweep.h5",
                                        dir);
  CHECK(swept.code == 0);
  CHECK(swept.err.empty());
  const auto validated = testing::run_ccsim("validate " + scenario + " --start-state 'day.25 agents.state.yaml'", dir);
  CHECK(validated.code == 0);
}

namespace {

// quiet_desk with callbacks (ring 20 s, talk 100 s, every try reaching the customer unless `success` says
// otherwise, 2 tries 5 minutes apart) and redials (every caller who hangs up calls again 20 minutes later,
// up to 3 attempts).
scenario::Scenario callback_desk(engine::Distribution patience, double success = 1.0) {
  scenario::Scenario s = quiet_desk(engine::Distribution::deterministic(100.0), patience);
  scenario::Callback& b = s.contact_types[0].callback;
  b.offer_over_s = 60.0;
  b.accept = 1.0;
  b.success = success;
  b.attempts = 2;
  b.retry_after_s = 300.0;
  b.handle_time = engine::Distribution::deterministic(100.0);
  b.ring_s = 20.0;
  scenario::Redial& r = s.contact_types[0].redial;
  r.probability[static_cast<int>(scenario::RedialCause::abandoned)] = {1.0};
  r.delay = engine::Distribution::deterministic(1200.0);
  r.max_attempts = 3;
  return s;
}

}  // namespace

TEST_CASE("a callback waiting for one idle agent is made at once and completes", "[start_state][callbacks]") {
  const scenario::Scenario s = callback_desk(engine::Distribution::never());
  const auto st = states("time: \"09:00\"\ncallbacks: [{type: calls, requested: 12min}]\n", s);
  const model::Results r = testing::run_from(s, st, 2, 1);  // invariants on: callbacks carried in end
  for (const auto& rep : r.by_replication) {
    const auto& c = rep.contacts_by_interval[1].counts;
    CHECK(c.offered == 0);
    CHECK(c.callbacks_accepted == 0);  // accepted before the state
    CHECK(c.callbacks_completed == 1);
    CHECK(c.callback_delay_s == 12 * 60.0 + 20.0);  // from the request to the answer, the ring included
    CHECK(c.customers == 1);
    CHECK(c.customers_served == 1);
    CHECK(rep.agents_by_interval[1].busy_s == 120.0);
  }
}

TEST_CASE("a callback's next try and an agent's call-out carry on from the state", "[start_state][callbacks]") {
  scenario::Scenario s = callback_desk(engine::Distribution::never());
  s.lines.push_back({"trunk", 1, {0}, ""});
  SECTION("a try due at 09:10 after one that failed") {
    const auto st = states("time: \"09:00\"\ncallbacks: [{type: calls, requested: 12min, tries: 1, next_try: \"09:10\"}]\n", s);
    const model::Results r = testing::run_from(s, st, 1, 1);
    const auto& c = r.by_replication[0].contacts_by_interval[1].counts;
    CHECK(c.callbacks_completed == 1);
    CHECK(c.callback_delay_s == 22 * 60.0 + 20.0);
  }
  SECTION("a call-out that will not reach the customer is tried again 5 minutes later, holding no line") {
    // The caller waiting holds the only line: the call-out holds none.
    const auto st = states("time: \"09:00\"\nwaiting: [{type: calls, waited: 0s}]\n"
                           "agents: [{group: agents, state: busy, type: calls, remaining: 40s, "
                           "callback: {requested: 20min, tries: 1, reaches: false}}]\n",
                           s);
    const model::Results r = testing::run_from(s, st, 1, 1);
    const auto& rep = r.by_replication[0];
    const auto& c = rep.contacts_by_interval[1].counts;
    CHECK(c.answered == 1);
    CHECK(c.wait_answered_s == 40.0);          // the caller, when the failed try ends
    CHECK(c.callbacks_failed == 0);
    CHECK(c.callbacks_completed == 1);         // the second try, at 09:05:40, the agent free since 09:02:20
    CHECK(c.callback_delay_s == 20 * 60.0 + 340.0 + 20.0);
    CHECK(rep.agents_by_interval[1].busy_s == 40.0 + 100.0 + 120.0);
  }
  SECTION("a last try that fails: the callback fails, its customer lost") {
    const auto st = states("time: \"09:00\"\nagents: [{group: agents, state: busy, type: calls, elapsed: 5s, "
                           "callback: {requested: 20min, tries: 2, reaches: false}}]\n",
                           s);
    const model::Results r = testing::run_from(s, st, 1, 1);
    const auto& c = r.by_replication[0].contacts_by_interval[1].counts;
    CHECK(c.callbacks_failed == 1);
    CHECK(c.customers_lost == 1);
  }
}

TEST_CASE("a pending redial calls at its time, as the attempt the state gives", "[start_state][redials]") {
  scenario::Scenario s = callback_desk(engine::Distribution::deterministic(30.0));
  s.contact_types[0].callback = {};  // no callback offered: the caller waits
  // The agent is on a break until 11:06: the redial at 11:05 waits 30 s and hangs up; it was attempt 2 and
  // calls again (attempt 3) at 11:25:30, answered at once; no attempt after the third.
  const auto st = states("time: \"11:00\"\nredials: [{type: calls, at: \"11:05\", attempt: 2}]\n"
                         "agents: [{group: agents, state: break, until: \"11:06\"}]\n",
                         s);
  const model::Results r = testing::run_from(s, st, 1, 1);
  const auto& rep = r.by_replication[0];
  const auto& c = rep.contacts_by_interval[3].counts;
  CHECK(c.redials == 2);
  CHECK(c.offered == 2);
  CHECK(c.abandoned == 1);
  CHECK(c.wait_abandoned_s == 30.0);
  CHECK(c.answered == 1);
  CHECK(c.customers == 1);
  CHECK(c.customers_served == 1);
  CHECK(c.first_offered == 0);  // no first call in this run
  // Without the break, it is answered at 11:05 at once.
  const auto free = states("time: \"11:00\"\nredials: [{type: calls, in: 5min, attempt: 3}]\n", s);
  const model::Results rf = testing::run_from(s, free, 1, 1);
  const auto& d = rf.by_replication[0].contacts_by_interval[3].counts;
  CHECK(d.answered == 1);
  CHECK(d.wait_answered_s == 0.0);
  CHECK(rf.by_replication[0].agents_by_interval[3].busy_s == 100.0);
}

TEST_CASE("redials and callbacks in a state file: every mistake told at once with its place", "[start_state]") {
  scenario::Scenario s = callback_desk(engine::Distribution::never());
  scenario::ContactType plain = s.contact_types[0];
  plain.name = "plain";
  plain.callback = {};
  plain.redial = {};
  s.contact_types.push_back(plain);
  auto error = [&](const std::string& text) {
    try {
      model::compile_start_states(states(text, s), model::build_model(s), "");
    } catch (const InputError& x) {
      return std::string(x.what());
    }
    return std::string();
  };
  // Mistakes of the file itself, told when it is read.
  const std::string read = error(
      "time: \"10:00\"\n"
      "redials:\n"
      "  - {type: cals, at: \"10:05\"}\n"                          // 3: unknown type
      "  - {type: calls, at: \"09:55\"}\n"                         // 4: before the state
      "  - {type: calls, in: 3h}\n"                                // 5: after the closing
      "  - {type: calls, at: \"10:05\", attempt: 1}\n"             // 6: a redial is attempt 2 or later
      "callbacks:\n"
      "  - {type: calls, requested: 5min, tries: 1, next_try: \"09:30\"}\n"  // 8: before the state
      "  - {type: calls, requested: 5min, next_try: \"10:30\"}\n"            // 9: no try made
      "  - {type: calls, requested: 5min, queued: 6min}\n"         // 10: queued before requested
      "  - {type: calls, requested: 5min, tries: 1, next_try: \"10:30\", next_try_in: 1min}\n"  // 11: both
      "agents:\n"
      "  - {group: agents, state: break, until: \"10:30\", callback: {requested: 1min}}\n"  // 13
      "  - {group: agents, state: busy, type: calls, remaining: 1s, callback: {requested: 1min, reaches: 2}}\n");
  CHECK_THAT(read, Contains("state.yaml:3:") && Contains("unknown contact type 'cals'"));
  CHECK_THAT(read, Contains("state.yaml:4:") && Contains("must not be before the state's time (10:00)"));
  CHECK_THAT(read, Contains("state.yaml:5:") && Contains("after the closing"));
  CHECK_THAT(read, Contains("state.yaml:6:") && Contains("attempt"));
  CHECK_THAT(read, Contains("state.yaml:8:") && Contains("must not be before the state's time"));
  CHECK_THAT(read, Contains("state.yaml:9:") && Contains("a next try follows a try made"));
  CHECK_THAT(read, Contains("state.yaml:10:") && Contains("joins the queue when requested or later"));
  CHECK_THAT(read, Contains("state.yaml:11:") && Contains("give either next_try"));
  CHECK_THAT(read, Contains("state.yaml:13:") && Contains("not read for an agent in state break"));
  CHECK_THAT(read, Contains("state.yaml:14:") && Contains("reaches"));
  // Mistakes against the scenario (each policy's), told before anything runs.
  const std::string model = error(
      "time: \"10:00\"\n"
      "waiting: [{type: plain, waited: 1min, attempt: 2}]\n"        // 2: no redial
      "redials:\n"
      "  - {type: plain, at: \"10:05\"}\n"                         // 4: no redial
      "  - {type: calls, at: \"10:05\", attempt: 4}\n"             // 5: beyond max_attempts
      "callbacks:\n"
      "  - {type: plain, requested: 5min}\n"                       // 7: no callback
      "  - {type: calls, requested: 5min, tries: 2}\n"             // 8: tries >= attempts
      "agents:\n"
      "  - {group: agents, state: busy, type: calls, remaining: 1s, callback: {requested: 1min, tries: 3}}\n");
  CHECK_THAT(model, Contains("state.yaml:2:") && Contains("the contact type has no redial"));
  CHECK_THAT(model, Contains("state.yaml:4:") && Contains("the contact type has no redial"));
  CHECK_THAT(model, Contains("state.yaml:5:") && Contains("attempt: 4 is beyond the 3 of the type's redial.max_attempts"));
  CHECK_THAT(model, Contains("state.yaml:7:") && Contains("the contact type offers no callback"));
  CHECK_THAT(model, Contains("state.yaml:8:") && Contains("2 tries made and more to come") &&
                        Contains("makes at most 2 (callback.attempts)"));
  CHECK_THAT(model, Contains("state.yaml:10:") && Contains("3 tries made, but the type makes at most 2"));
}

TEST_CASE("a state with callbacks and redials saved and read back continues exactly", "[start_state][callbacks]") {
  // Everything after the state is certain (no arrivals, deterministic laws, every try's outcome given or
  // sure): a run saved at 09:05 and continued from there reaches 10:20 in the state the whole run has then,
  // and the hours after 10:00 agree to the last bit.
  scenario::Scenario s = callback_desk(engine::Distribution::deterministic(600.0));
  s.intervals = 6;
  s.contact_types[0].volume.assign(6, 0.0);
  const auto start = states(
      "time: \"09:00\"\n"
      "waiting: [{type: calls, waited: 0s}, {type: calls, waited: 100s, attempt: 2}, {type: calls, waited: 200s}]\n"
      "callbacks:\n"
      "  - {type: calls, requested: 20min}\n"
      "  - {type: calls, requested: 15min, tries: 1, queued: 4min}\n"
      "  - {type: calls, requested: 10min}\n"
      "  - {type: calls, requested: 5min}\n"
      "  - {type: calls, requested: 30min, tries: 1, next_try: \"09:40\"}\n"
      "redials: [{type: calls, at: \"09:30\"}, {type: calls, in: 95min, attempt: 3}]\n"
      "agents: [{group: agents, state: busy, type: calls, remaining: 100s, "
      "callback: {requested: 25min, tries: 1, reaches: false}}]\n",
      s);
  const model::Results later = testing::run_from(s, start, 1, 4, 2 * 3600.0 + 1200.0, "10:20");
  const model::Results split = testing::run_from(s, start, 1, 4, 3600.0 + 300.0, "09:05");
  REQUIRE(split.saved_states.size() == 1);
  const std::string saved = scenario::write_start_states(split.saved_states, s, " test");
  const auto& mid = split.saved_states[0];
  // The saved state holds what is pending (else the test could not fail).
  CHECK(!mid.redials.empty());
  CHECK(!mid.callbacks.empty());
  INFO(saved);
  const model::Results continued = testing::run_from(s, states(saved, s), 1, 5, 2 * 3600.0 + 1200.0, "10:20");
  CHECK(scenario::write_start_states(continued.saved_states, s, "") ==
        scenario::write_start_states(later.saved_states, s, ""));
  const auto& a = later.by_replication[0];
  const auto& b = continued.by_replication[0];
  for (int k = 2; k < 6; ++k) {
    testing::Differ d;
    const auto i = static_cast<std::size_t>(k);
    d.cell("contacts", a.contacts_by_interval[i], b.contacts_by_interval[i]);
    d.time("agents", a.agents_by_interval[i], b.agents_by_interval[i]);
    INFO("interval " << k << ": " << d.first());
    CHECK(d.first().empty());
  }
  std::uint64_t completed = 0, redials = 0;
  for (int k = 2; k < 6; ++k) {
    completed += a.contacts_by_interval[static_cast<std::size_t>(k)].counts.callbacks_completed;
    redials += a.contacts_by_interval[static_cast<std::size_t>(k)].counts.redials;
  }
  CHECK(completed + redials > 0);
}
