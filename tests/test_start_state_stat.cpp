// Live states, statistically: residual times follow the conditional laws, and a day split at noon with
// --save-state and continued with --start-state agrees with the unsplit day within confidence intervals.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "analysis/statistics.hpp"
#include "scenario/start_state.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;

TEST_CASE("residual times follow the law given the time elapsed", "[start_state][stat]") {
  const double elapsed = 120.0;
  for (const auto& law :
       {engine::Distribution::gamma(180.0, 0.7), engine::Distribution::lognormal(180.0, 150.0),
        engine::Distribution::weibull(1.6, 200.0), engine::Distribution::exponential(180.0),
        engine::Distribution::uniform(60.0, 300.0), engine::Distribution::normal(200.0, 50.0),
        engine::Distribution::empirical({30.0, 60.0, 60.0, 95.0, 200.0, 410.0, 600.0})}) {
    engine::Stream s(7, 0, 1);
    const int n = 40000;
    std::vector<double> x(n);
    for (double& v : x) v = law.residual(elapsed, s);
    for (double r : {20.0, 60.0, 150.0, 300.0}) {
      const double expected = law.survival(elapsed + r) / law.survival(elapsed);
      const double seen =
          static_cast<double>(std::count_if(x.begin(), x.end(), [&](double v) { return v > r; })) / n;
      INFO(law.describe() << " P(rest > " << r << ")");
      CHECK(std::abs(seen - expected) <= 4.5 * std::sqrt(expected * (1 - expected) / n) + 1e-9);
    }
  }
  // The empirical law's survival function is that of its own draws (not only of its residuals).
  const auto observed = engine::Distribution::empirical({30.0, 60.0, 60.0, 95.0, 200.0, 410.0, 600.0});
  engine::Stream fresh(11, 0, 1);
  std::vector<double> draws(40000);
  for (double& v : draws) v = observed.sample(fresh);
  for (double r : {20.0, 45.0, 60.0, 150.0, 500.0, 700.0}) {
    const double expected = observed.survival(r);
    const double seen = static_cast<double>(std::count_if(draws.begin(), draws.end(), [&](double v) {
                          return v > r;
                        })) / static_cast<double>(draws.size());
    INFO("empirical P(X > " << r << ")");
    CHECK(std::abs(seen - expected) <= 4.5 * std::sqrt(expected * (1 - expected) / 40000.0) + 1e-9);
  }
  bool beyond = false;
  engine::Stream s(1, 0, 1);
  CHECK(observed.residual(600.0, s, &beyond) == 0.0);
  CHECK(beyond);
  beyond = false;
  CHECK(engine::Distribution::deterministic(30.0).residual(45.0, s, &beyond) == 0.0);
  CHECK(beyond);
  beyond = false;
  CHECK(engine::Distribution::uniform(10.0, 20.0).residual(25.0, s, &beyond) == 0.0);
  CHECK(beyond);
}

TEST_CASE("a day split at noon and continued agrees with the unsplit afternoon", "[start_state][stat]") {
  // Ten agents, 8 hours from 08:00, about 90% loaded, impatient callers: the state at noon has a queue.
  scenario::Scenario s = testing::stationary(170.0, engine::Distribution::exponential(180.0), 9,
                                             engine::Distribution::exponential(300.0), 8, 0);
  s.open_s = 8 * 3600.0;
  s.contact_types[0].wrap_up = engine::Distribution::deterministic(10.0);
  const int n = 300;
  const model::Results whole = testing::run_from(s, {}, n, 5, 4 * 3600.0, "12:00");
  REQUIRE(whole.saved_states.size() == static_cast<std::size_t>(n));
  // The states read back as --start-state reads them, from the text --save-state writes.
  const auto read_back =
      scenario::parse_start_states(scenario::write_start_states(whole.saved_states, s, " test"), "saved.yaml", s);
  const model::Results afternoon = testing::run_from(s, read_back, n, 6);
  // Compared: occupancy from noon, and the contacts arriving after 13:00 (the state's callers count in the
  // noon interval of the continued run but in their own intervals of the whole one).
  auto occupancy = [](const model::Results& r, std::vector<double>& out) {
    for (const auto& rep : r.by_replication) {
      double busy = 0, available = 0;
      for (int k = 4; k < 8; ++k) busy += rep.agents_by_interval[k].busy_s, available += rep.agents_by_interval[k].available_s();
      out.push_back(busy / available);
    }
  };
  auto late_abandon = [](const model::Results& r, std::vector<double>& out) {
    for (const auto& rep : r.by_replication) {
      double ab = 0, off = 0;
      for (int k = 5; k < 8; ++k) ab += static_cast<double>(rep.contacts_by_interval[k].counts.abandoned), off += static_cast<double>(rep.contacts_by_interval[k].counts.offered);
      out.push_back(ab / off);
    }
  };
  auto noon_occupancy = [](const model::Results& r, std::vector<double>& out) {
    for (const auto& rep : r.by_replication) out.push_back(rep.agents_by_interval[4].occupancy());
  };
  for (auto measure : {+occupancy, +late_abandon, +noon_occupancy}) {
    std::vector<double> a, b;
    measure(whole, a);
    measure(afternoon, b);
    const auto ea = analysis::estimate(a), eb = analysis::estimate(b);
    INFO("whole " << ea.mean << " +- " << ea.half_width << ", continued " << eb.mean << " +- " << eb.half_width);
    CHECK(std::abs(ea.mean - eb.mean) <= 1.6 * std::hypot(ea.half_width, eb.half_width));
    CHECK(ea.half_width < 0.02);  // precise enough to tell a lost queue or lost busy agents
  }
  // The noon state is not empty: callers wait and agents are busy (else the test could not fail).
  std::size_t waiting = 0, busy = 0;
  for (const auto& st : whole.saved_states) {
    waiting += st.waiting.size();
    for (const auto& a : st.agents) busy += a.activity == scenario::AgentActivity::busy;
  }
  CHECK(waiting > static_cast<std::size_t>(n));
  CHECK(busy > static_cast<std::size_t>(7 * n));
}


TEST_CASE("M/M/c with everyone busy and n waiting: the k-th waits k/(c mu) on average", "[start_state][stat]") {
  // No arrivals, three agents busy for 5 minutes already on exponential calls (memoryless: what is left is
  // a fresh draw), six callers waiting who never hang up: caller k waits for k departures at rate 3/180 s.
  scenario::Scenario s = testing::stationary(0.0, engine::Distribution::exponential(180.0), 3,
                                             engine::Distribution::never(), 2, 0);
  const auto st = scenario::parse_start_states(
      "time: \"00:00\"\nwaiting: [{type: calls, waited: 0s, count: 6}]\nagents:\n"
      "  - {group: agents, state: busy, type: calls, elapsed: 5min}\n"
      "  - {group: agents, state: busy, type: calls, elapsed: 5min}\n"
      "  - {group: agents, state: busy, type: calls, elapsed: 5min}\n",
      "state.yaml", s);
  const model::Results r = testing::run_from(s, st, 2000, 9);
  std::vector<double> total;
  for (const auto& rep : r.by_replication) total.push_back(rep.contacts_by_day[0].counts.wait_answered_s);
  const auto e = analysis::estimate(total);
  INFO(e.mean << " +- " << e.half_width);
  CHECK(std::abs(e.mean - 6.0 * 7.0 / 2.0 * 60.0) <= 1.6 * e.half_width);  // 1260 s
  CHECK(e.half_width < 40.0);
}
