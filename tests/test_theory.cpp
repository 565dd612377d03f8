// Simulation against queueing theory. Each case runs independent replications of a long stationary day
// (warm-up excluded) and checks that the exact value lies in the replications' confidence interval. The
// k measures of a case are checked at level 1 - 0.01/k each (Bonferroni), so the case as a whole holds at
// 99%; precision bounds on the half-widths make sure a wrong program cannot hide behind wide intervals.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/erlang.hpp"
#include "model/sweep.hpp"
#include "scenario/sweep.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using model::Measure;

namespace {

struct Check {
  const char* measure;
  std::vector<double> values;
  double exact;
  double max_half_width;  // precision the run must reach for the check to mean something
};

void check_all(const std::vector<Check>& checks) {
  const double level = 1.0 - 0.01 / static_cast<double>(checks.size());
  for (const auto& c : checks) {
    auto e = analysis::estimate(c.values, level);
    INFO(c.measure << ": simulated " << e.mean << " ± " << e.half_width << " (n " << e.n << "), exact "
                   << c.exact);
    CHECK(e.contains(c.exact));
    CHECK(e.half_width <= c.max_half_width);
  }
}

analysis::QueueInput input(double calls_per_hour, double aht, int agents, double patience) {
  analysis::QueueInput q;
  q.arrival_rate = calls_per_hour / 3600.0;
  q.service_rate = 1.0 / aht;
  q.patience_rate = patience > 0.0 ? 1.0 / patience : 0.0;
  q.agents = agents;
  q.tau = 20.0;
  return q;
}

}  // namespace

TEST_CASE("M/M/c matches Erlang C at loads 0.7 and 0.95", "[theory][erlang_c]") {
  // 20 agents, mean handle 120 s: 420 calls/h is load 0.7, 570 calls/h load 0.95.
  for (double cph : {420.0, 570.0}) {
    DYNAMIC_SECTION("calls per hour " << cph) {
      // Near saturation M/M/c forgets its past slowly: the day is 400 hours long.
      auto s = testing::stationary(cph, Distribution::exponential(120), 20, Distribution::never(), 405, 5);
      auto r = testing::run(s, 40, 101);
      auto exact = analysis::erlang_c_measures(input(cph, 120, 20, 0));
      check_all({
          {"service_level", testing::day_values(r, Measure::service_level), exact.service_level, 0.02},
          {"asa", testing::day_values(r, Measure::asa), exact.asa, std::max(0.5, 0.07 * exact.asa)},
          {"occupancy", testing::day_occupancy(r), exact.occupancy, 0.005},
          {"abandon_rate", {0.0, 0.0}, exact.p_abandon, 0.0},
      });
      for (const auto& rep : r.by_replication) REQUIRE(rep.contacts_by_day[0].counts.abandoned == 0);
    }
  }
}

TEST_CASE("M/M/c+M matches Erlang A at loads 0.7, 0.95 and 1.2", "[theory][erlang_a]") {
  // 20 agents, mean handle 120 s, mean patience 240 s; 720 calls/h is 24 Erlang on 20 agents.
  for (double cph : {420.0, 570.0, 720.0}) {
    DYNAMIC_SECTION("calls per hour " << cph) {
      auto s = testing::stationary(cph, Distribution::exponential(120), 20, Distribution::exponential(240),
                                   105, 5);
      auto r = testing::run(s, 40, 202);
      auto exact = analysis::erlang_a_measures(input(cph, 120, 20, 240));
      check_all({
          {"abandon_rate", testing::day_values(r, Measure::abandon_rate), exact.p_abandon, 0.006},
          {"service_level", testing::day_values(r, Measure::service_level), exact.service_level, 0.015},
          {"asa", testing::day_values(r, Measure::asa), exact.asa, std::max(0.5, 0.06 * exact.asa)},
          {"mean_wait", testing::day_values(r, Measure::mean_wait), exact.mean_wait,
           std::max(0.5, 0.06 * exact.mean_wait)},
          {"occupancy", testing::day_occupancy(r), exact.occupancy, 0.005},
      });
    }
  }
}

TEST_CASE("callers who never wait make an Erlang B loss system", "[theory][erlang_b]") {
  // Patience 0: whoever finds every agent busy leaves at once, so P(abandon) is the blocking probability.
  const double cph = 300, aht = 180;  // 15 Erlang on 15 agents
  auto s =
      testing::stationary(cph, Distribution::exponential(aht), 15, Distribution::deterministic(0), 52, 2);
  auto r = testing::run(s, 40, 303);
  const double blocking = analysis::erlang_b(cph * aht / 3600, 15);
  check_all({{"abandon_rate", testing::day_values(r, Measure::abandon_rate), blocking, 0.01},
             {"occupancy", testing::day_occupancy(r), 15.0 * (1 - blocking) / 15.0, 0.01}});
  for (const auto& rep : r.by_replication) {
    const auto& c = rep.contacts_by_day[0].counts;
    REQUIRE(c.wait_answered_s == 0.0);  // nobody waits: answered at once or gone
    REQUIRE(c.short_abandoned == c.abandoned);
  }
}

namespace {

// M/M/c/K: a birth-death chain on 0..c+K callers, p_n proportional to a^n / n! up to c and a^c / c!
// (a/c)^(n-c) beyond; an arrival finding c+K is blocked, so P(block) = p_{c+K}, and by Little's law the mean
// wait of those who got in is Lq / (lambda (1 - P(block))).
struct FiniteQueue {
  double blocking, mean_wait;
};
FiniteQueue mmck(double load, int agents, int places, double aht) {
  std::vector<double> p{1.0};
  for (int n = 1; n <= agents + places; ++n) p.push_back(p.back() * load / std::min(n, agents));
  double total = 0.0, queue = 0.0;
  for (double x : p) total += x;
  for (int n = agents + 1; n <= agents + places; ++n)
    queue += (n - agents) * p[static_cast<std::size_t>(n)] / total;
  const double blocking = p.back() / total;
  return {blocking, queue / (load / aht * (1.0 - blocking))};
}

}  // namespace

TEST_CASE("a queue limit on M/M/c matches M/M/c/K, and so do lines for c + K callers",
          "[theory][finite_lines]") {
  // 9 Erlang on 10 agents with 5 waiting places: P(block) 0.0613, mean wait 15.2 s.
  const double cph = 270, aht = 120;
  const FiniteQueue exact = mmck(cph * aht / 3600, 10, 5, aht);
  for (const bool by_lines : {false, true}) {
    DYNAMIC_SECTION((by_lines ? "lines: 15" : "queue_limit: 5")) {
      auto s = testing::stationary(cph, Distribution::exponential(aht), 10, Distribution::never(), 42, 2);
      if (by_lines)
        s.lines.push_back({"trunk", 15, {0}, ""});
      else
        s.contact_types[0].queue_limit = 5;
      auto r = testing::run(s, 30, 505);
      check_all({{"blocked_share", testing::day_values(r, Measure::blocked_share), exact.blocking, 0.006},
                 {"asa", testing::day_values(r, Measure::asa), exact.mean_wait, 0.07 * exact.mean_wait}});
      for (const auto& rep : r.by_replication) REQUIRE(rep.contacts_by_day[0].counts.abandoned == 0);
    }
  }
}

TEST_CASE("queue_limit 0 and lines for c callers are Erlang B", "[theory][finite_lines]") {
  const double cph = 300, aht = 180;  // 15 Erlang on 15 agents: P(block) 0.180
  const double blocking = analysis::erlang_b(cph * aht / 3600, 15);
  for (const bool by_lines : {false, true}) {
    DYNAMIC_SECTION((by_lines ? "lines: 15" : "queue_limit: 0")) {
      auto s = testing::stationary(cph, Distribution::exponential(aht), 15, Distribution::never(), 27, 2);
      if (by_lines)
        s.lines.push_back({"trunk", 15, {0}, ""});
      else
        s.contact_types[0].queue_limit = 0;
      auto r = testing::run(s, 30, 606);
      check_all({{"blocked_share", testing::day_values(r, Measure::blocked_share), blocking, 0.01},
                 {"occupancy", testing::day_occupancy(r), 1.0 - blocking, 0.01}});
      for (const auto& rep : r.by_replication) {
        const auto& c = rep.contacts_by_day[0].counts;
        REQUIRE(c.wait_answered_s == 0.0);  // answered at once or busy
        REQUIRE(c.answered == c.offered);
      }
    }
  }
}

TEST_CASE("wait percentiles match the Erlang C wait distribution", "[theory][percentiles]") {
  // M/M/c: P(W > t) = C e^{-(c mu - lambda) t}, so the p-quantile is ln(C / (1 - p)) / (c mu - lambda) for
  // p > 1 - C. The histogram reports it rounded up to the whole second.
  const double cph = 570, aht = 120;
  auto s = testing::stationary(cph, Distribution::exponential(aht), 20, Distribution::never(), 405, 5);
  auto r = testing::run(s, 40, 404);
  const double c = analysis::erlang_c(cph * aht / 3600, 20), gap = 20 / aht - cph / 3600;
  std::vector<Check> checks;
  for (auto [m, p] :
       {std::pair{Measure::wait_p80, 0.80}, {Measure::wait_p90, 0.90}, {Measure::wait_p95, 0.95}}) {
    REQUIRE(p > 1 - c);
    const double exact = std::ceil(std::log(c / (1 - p)) / gap);
    checks.push_back({model::to_string(m), testing::day_values(r, m), exact, 0.07 * exact});
  }
  // p50 falls in the atom at zero when fewer than half the callers wait.
  if (c < 0.5) checks.push_back({"wait_p50", testing::day_values(r, Measure::wait_p50), 0.0, 0.0});
  check_all(checks);
}

TEST_CASE("the shipped textbook scenario reproduces the Erlang-A values in its header",
          "[theory][scenario]") {
  auto s = scenario::load_scenario(std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml");
  // The header states: P(wait > 0) 0.4178  SL(20 s) 0.7321  ASA 11.31 s  mean wait 12.22 s  P(abandon) 0.0679
  // occupancy 0.8948. Read them back from the file so the comment cannot drift from the truth.
  auto number_after = [&](const std::string& key) {
    auto at = s.source_text.find(key);
    REQUIRE(at != std::string::npos);
    return std::stod(s.source_text.substr(at + key.size()));
  };
  const double sl = number_after("SL(20 s) "), asa = number_after("ASA "), ab = number_after("P(abandon) "),
               occ = number_after("occupancy "), mean_wait = number_after("mean wait ");
  auto exact = analysis::erlang_a_measures(input(360, 240, 25, 180));
  CHECK(sl == Approx(exact.service_level).margin(5e-5));
  CHECK(asa == Approx(exact.asa).margin(5e-3));
  CHECK(ab == Approx(exact.p_abandon).margin(5e-5));
  CHECK(occ == Approx(exact.occupancy).margin(5e-5));
  CHECK(mean_wait == Approx(exact.mean_wait).margin(5e-3));

  auto r = testing::run(s, s.replications, s.seed);
  check_all({{"service_level", testing::day_values(r, Measure::service_level), exact.service_level, 0.01},
             {"asa", testing::day_values(r, Measure::asa), exact.asa, 1.0},
             {"abandon_rate", testing::day_values(r, Measure::abandon_rate), exact.p_abandon, 0.005},
             {"occupancy", testing::day_occupancy(r), exact.occupancy, 0.005}});
}

TEST_CASE("a 2 x 2 sweep of M/M/c+M points matches Erlang A at every point", "[theory][sweep]") {
  // Agents 18 and 22 x mean patience 120 s and 480 s, 570 calls/h of 120 s (19 Erlang): each point is its
  // own Erlang A queue, run as one sweep (common random numbers across points).
  const std::string text = R"(name: mmc+m sweep
day: {interval: 60min, intervals: 45, warmup: 5}
contact_types:
  - name: calls
    calls_per_hour: 570
    handle_time: {distribution: exponential, mean: 120s}
    patience: {distribution: exponential, mean: 240s}
agent_groups:
  - name: agents
    agents: 20
)";
  const auto sweep =
      scenario::combine({scenario::grid_axis("agent_groups.agents.agents=[18, 22]"),
                         scenario::grid_axis("contact_types.calls.patience.mean=[120s, 480s]")},
                        false);
  model::RunOptions o;
  o.seed = 505;
  o.replications = 30;
  o.check_invariants = true;
  o.keep_replications = true;
  int points = 0;
  model::run_sweep(
      0, 4,
      [&](int i) {
        return scenario::point_study(text, "sweep.yaml", {}, sweep, static_cast<std::size_t>(i));
      },
      o,
      [&](int point, const scenario::Study& study, std::vector<model::Results>& r) {
        ++points;
        const auto& s = study.policies[0];
        const double patience = s.contact_types[0].patience.mean();
        INFO("point " << point << ": " << sweep.label(static_cast<std::size_t>(point)));
        REQUIRE(s.agent_groups[0].agents == (point < 2 ? 18 : 22));
        REQUIRE(patience == (point % 2 == 0 ? 120.0 : 480.0));
        const auto exact = analysis::erlang_a_measures(input(570, 120, s.agent_groups[0].agents, patience));
        check_all({
            {"abandon_rate", testing::day_values(r[0], Measure::abandon_rate), exact.p_abandon, 0.008},
            {"service_level", testing::day_values(r[0], Measure::service_level), exact.service_level, 0.02},
            {"asa", testing::day_values(r[0], Measure::asa), exact.asa, std::max(0.5, 0.08 * exact.asa)},
            {"occupancy", testing::day_occupancy(r[0]), exact.occupancy, 0.006},
        });
      });
  CHECK(points == 4);
}
