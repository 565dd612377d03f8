// Skills-based routing against queueing theory, and the routing graph's validation and capacity check.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/erlang.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using model::Measure;
using scenario::ContactSelection;

namespace {

// Types "a" and "b" (calls per hour each), exponential handle time, no abandonment, long stationary day.
scenario::Scenario two_types(double cph_a, double cph_b, double aht, int hours = 205, int warmup = 5) {
  auto s =
      testing::stationary(cph_a, Distribution::exponential(aht), 1, Distribution::never(), hours, warmup);
  s.contact_types[0].name = "a";
  scenario::ContactType b = s.contact_types[0];
  b.name = "b";
  b.volume.assign(static_cast<std::size_t>(hours), cph_b);
  s.contact_types.push_back(b);
  s.agent_groups.clear();
  return s;
}

scenario::AgentGroup group(const std::string& name, int agents, std::vector<scenario::Skill> skills) {
  scenario::AgentGroup g;
  g.name = name;
  g.agents = agents;
  g.skills = std::move(skills);
  return g;
}

scenario::Skill skill(int type, int priority = 1, double overflow_s = 0.0) {
  return {type, priority, overflow_s, 1.0, ""};
}

analysis::QueueMeasures erlang_c(double cph, double aht, int agents) {
  analysis::QueueInput q;
  q.arrival_rate = cph / 3600;
  q.service_rate = 1 / aht;
  q.agents = agents;
  q.tau = 20;
  return analysis::erlang_c_measures(q);
}

// Bonferroni as in test_theory: k checks at 1 - 0.01/k each.
void check_contains(const std::vector<std::pair<std::vector<double>, double>>& checks,
                    double max_rel_half_width) {
  for (const auto& [values, exact] : checks) {
    auto e = analysis::estimate(values, 1.0 - 0.01 / static_cast<double>(checks.size()));
    INFO("simulated " << e.mean << " ± " << e.half_width << ", exact " << exact);
    CHECK(e.contains(exact));
    CHECK(e.half_width <= max_rel_half_width * std::abs(exact) + 1e-9);
  }
}

}  // namespace

TEST_CASE("one group with every skill is the single pool M/M/c on the combined load", "[routing][theory]") {
  auto s = two_types(300, 200, 120);  // 500 calls/h x 120 s = 16.7 Erlang on 20 agents
  s.agent_groups.push_back(group("all", 20, {skill(0), skill(1)}));
  s.routing.contact_selection = ContactSelection::longest_waiting;  // FCFS across both queues
  auto r = testing::run(s, 30, 11);
  auto exact = erlang_c(500, 120, 20);
  check_contains({{testing::day_values_of(r, 2, Measure::service_level), exact.service_level},
                  {testing::day_values_of(r, 2, Measure::asa), exact.asa},
                  {testing::day_occupancy(r), exact.occupancy}},
                 0.08);
}

TEST_CASE("pooling: two groups sharing both types act as M/M/2c; never overflowing, as two M/M/c",
          "[routing][theory]") {
  const double cph = 500, aht = 120;  // 16.7 Erlang per type, 20 agents per group
  auto pooled = two_types(cph, cph, aht);
  pooled.agent_groups.push_back(group("g1", 20, {skill(0, 1), skill(1, 2)}));
  pooled.agent_groups.push_back(group("g2", 20, {skill(1, 1), skill(0, 2)}));
  pooled.routing.contact_selection = ContactSelection::longest_waiting;
  auto separate = pooled;
  separate.agent_groups[0].skills[1].overflow_s = 1e12;
  separate.agent_groups[1].skills[1].overflow_s = 1e12;

  auto rp = testing::run(pooled, 30, 21), rs = testing::run(separate, 30, 21);
  auto mm2c = erlang_c(2 * cph, aht, 40), mmc = erlang_c(cph, aht, 20);
  check_contains({{testing::day_values_of(rp, 2, Measure::asa), mm2c.asa},
                  {testing::day_values_of(rp, 2, Measure::service_level), mm2c.service_level},
                  {testing::day_values_of(rs, 0, Measure::asa), mmc.asa},
                  {testing::day_values_of(rs, 1, Measure::service_level), mmc.service_level}},
                 0.12);
  // Pooling lowers the wait, beyond the noise: the paired difference's interval lies below zero.
  std::vector<double> diff;
  auto a = testing::day_values_of(rp, 2, Measure::asa), b = testing::day_values_of(rs, 2, Measure::asa);
  for (std::size_t i = 0; i < a.size(); ++i) diff.push_back(a[i] - b[i]);
  CHECK(analysis::estimate(diff, 0.99).high() < 0.0);
  // Never overflowing really means never: no group answers the other's type.
  for (const auto& rep : rs.by_replication) {
    CHECK(rep.served_by_day[1].answered == 0);
    CHECK(rep.served_by_day[3].answered == 0);
  }
}

TEST_CASE("two priority classes match the non-preemptive priority M/M/c waiting times", "[routing][theory]") {
  // Cobham (1954), equal service rate mu in both classes, c agents, sigma_k = sum_{i<=k} lambda_i / (c mu):
  //   W_1 = C / (c mu (1 - sigma_1)),  W_2 = C / (c mu (1 - sigma_1)(1 - sigma_2)),
  // where C is Erlang C's P(wait > 0) for the total load.
  const double l1 = 240, l2 = 300, aht = 120;
  const int c = 20;
  auto s = two_types(l1, l2, aht);
  s.agent_groups.push_back(group("pool", c, {skill(0, 1), skill(1, 2)}));
  s.routing.contact_selection = ContactSelection::priority_then_longest_waiting;
  auto r = testing::run(s, 30, 31);
  const double cmu = c / aht, sigma1 = l1 / 3600 / cmu, sigma2 = (l1 + l2) / 3600 / cmu;
  const double pw = analysis::erlang_c((l1 + l2) / 3600 * aht, c);
  const double w1 = pw / (cmu * (1 - sigma1)), w2 = pw / (cmu * (1 - sigma1) * (1 - sigma2));
  check_contains(
      {{testing::day_values_of(r, 0, Measure::asa), w1}, {testing::day_values_of(r, 1, Measure::asa), w2}},
      0.1);
  CHECK(w2 > 2 * w1);  // the case is sharp: the classes really differ
}

TEST_CASE("a transfer with probability p brings p of the first line's contacts to the second line",
          "[routing]") {
  auto s = testing::stationary(300, Distribution::exponential(180), 20, Distribution::never(), 10, 0);
  scenario::ContactType second = s.contact_types[0];
  second.name = "second_line";
  second.volume.assign(10, 0.0);
  second.handle_time = Distribution::exponential(600);
  s.contact_types.push_back(second);
  s.contact_types[0].transfers.push_back({1, 0.3, ""});
  s.agent_groups[0].skills = {skill(0)};
  s.agent_groups.push_back(group("specialists", 8, {skill(1)}));
  auto r = testing::run(s, 40, 41);
  std::vector<double> ratio;
  for (const auto& rep : r.by_replication) {
    const auto& first = rep.contacts_by_day[0].counts;
    const auto& second_counts = rep.contacts_by_day[1].counts;
    REQUIRE(rep.transfers_by_day[0] == second_counts.offered);
    ratio.push_back(static_cast<double>(second_counts.offered) / static_cast<double>(first.answered));
    // Specialists only ever serve second-line contacts, and their handle time is second-line's.
    REQUIRE(rep.served_by_day[1].answered == second_counts.answered);
  }
  auto e = analysis::estimate(ratio, 0.99);
  INFO(e.mean << " ± " << e.half_width);
  CHECK(e.contains(0.3));
  CHECK(e.half_width < 0.01);
}

TEST_CASE("preferred group takes the arrival when both have idle agents", "[routing]") {
  // Light load: with preferred_group, the priority-1 group answers almost everything; with longest_idle the
  // work spreads over both groups.
  auto s = testing::stationary(60, Distribution::exponential(60), 1, Distribution::never(), 8, 0);
  s.agent_groups = {group("backup", 5, {skill(0, 2)}), group("preferred", 5, {skill(0, 1)})};
  s.routing.agent_selection = scenario::AgentSelection::preferred_group;
  auto pref = testing::run(s, 5, 51);
  s.routing.agent_selection = scenario::AgentSelection::longest_idle;
  auto spread = testing::run(s, 5, 51);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& p = pref.by_replication[i].served_by_day;  // edge 0: backup, edge 1: preferred
    CHECK(p[0].answered * 20 < p[1].answered);
    const auto& l = spread.by_replication[i].served_by_day;
    CHECK(l[0].answered * 3 > l[1].answered);
  }
}

TEST_CASE("an overflow edge serves only contacts that waited past its delay", "[routing]") {
  // Mortgage calls go to the mortgage team first; general agents take them only after 60 s of waiting.
  auto s = two_types(100, 400, 300, 12, 0);
  s.contact_types[0].name = "mortgage";
  s.agent_groups.push_back(group("mortgage_team", 6, {skill(0)}));
  s.agent_groups.push_back(group("general", 36, {skill(1, 1), skill(0, 2, 60)}));
  auto r = testing::run(s, 10, 61);
  std::uint64_t overflowed = 0;
  for (const auto& rep : r.by_replication) overflowed += rep.served_by_day[2].answered;
  CHECK(overflowed > 0);  // the edge is used...
  for (const auto& rep : r.by_replication) {
    // ...and every mortgage call answered within 60 s was answered by the mortgage team: answered within
    // tau (20 s) never exceeds what the team answered.
    CHECK(rep.contacts_by_day[0].counts.answered_within_tau <= rep.served_by_day[0].answered);
  }
}

TEST_CASE("invalid routing graphs are rejected with their place in the file", "[routing][errors]") {
  const std::string base = R"(name: routing
day: {interval: 30min, intervals: 2}
contact_types:
  - name: general
    calls_per_hour: 100
    handle_time: {distribution: exponential, mean: 120}
  - name: second_line
    handle_time: {distribution: exponential, mean: 300}
)";
  auto error_of = [](const std::string& text) -> std::string {
    try {
      scenario::parse_scenario(text, "r.yaml");
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  SECTION("a type no group serves") {
    auto msg = error_of(base + "agent_groups:\n  - {name: a, agents: 3, skills: [general]}\n");
    CHECK_THAT(
        msg, Catch::Contains(
                 "r.yaml:7:5: contact_types[1]: no agent group has a skill for contact type 'second_line'"));
  }
  SECTION("a type that never arrives") {
    auto msg = error_of(base + "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_line]}\n");
    CHECK_THAT(msg, Catch::Contains("contact_types[1]: contact type 'second_line' never arrives"));
  }
  SECTION("a group no contact reaches") {
    auto msg = error_of(base +
                        "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_line]}\n  - {name: "
                        "idle, agents: 2}\n");
    CHECK_THAT(
        msg, Catch::Contains("r.yaml:11:5: agent_groups[1]: with several agent groups each needs 'skills'"));
  }
  SECTION("an unknown type in a skill, with a suggestion") {
    auto msg = error_of(base + "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_lien]}\n");
    CHECK_THAT(
        msg,
        Catch::Contains(
            "agent_groups[0].skills[1]: unknown contact type 'second_lien' (did you mean 'second_line'?)"));
  }
  SECTION("a transfer cycle no contact leaves") {
    std::string text = base;
    text.insert(text.find("  - name: second_line"), "    transfers: [{to: second_line, probability: 1.0}]\n");
    text += "    transfers: [{to: general, probability: 1}]\n";
    auto msg = error_of(text + "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_line]}\n");
    CHECK_THAT(msg, Catch::Contains(
                        "transfers between 'general', 'second_line' form a cycle no contact ever leaves"));
    CHECK_THAT(msg, Catch::Contains("r.yaml:7:17: contact_types[0].transfers[0]"));
  }
  SECTION("a cycle with a way out is fine") {
    std::string text = base;
    text.insert(text.find("  - name: second_line"), "    transfers: [{to: second_line, probability: 0.5}]\n");
    text += "    transfers: [{to: general, probability: 0.2}]\n";
    CHECK(error_of(text + "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_line]}\n") ==
          "no error");
  }
  SECTION("transfer probabilities above one") {
    std::string text = base;
    text.insert(text.find("  - name: second_line"),
                "    transfers: [{to: second_line, probability: 0.7}, {to: general, probability: 0.5}]\n");
    auto msg = error_of(text + "agent_groups:\n  - {name: a, agents: 3, skills: [general, second_line]}\n");
    CHECK_THAT(msg, Catch::Contains("transfer probabilities of 'general' add up to more than 1"));
  }
}

TEST_CASE("the max-flow capacity check flags an infeasible interval and not a feasible one",
          "[routing][capacity]") {
  // Interval 0: 10 agent-hours of "a" work for a group of 12 that serves a, and 2 of "b" for 4 agents:
  // feasible. Interval 1: 14 agent-hours of "a" — more than the 12 agents who may take it, although all
  // 16 agents together would have enough time: only the skills make it infeasible.
  auto s = two_types(1, 1, 3600, 2, 0);
  s.contact_types[0].volume = {10, 14};
  s.contact_types[1].volume = {2, 1};
  s.agent_groups.push_back(group("a_team", 12, {skill(0)}));
  s.agent_groups.push_back(group("b_team", 4, {skill(1)}));
  auto cap = model::capacity_check(model::build_model(s));
  REQUIRE(cap.size() == 2);
  CHECK_FALSE(cap[0].overloaded);
  CHECK(cap[1].overloaded);
  CHECK(cap[1].offered_agent_hours == Approx(15));
  CHECK(cap[1].available_agent_hours == Approx(16));
  CHECK(cap[1].servable_agent_hours == Approx(13));
  // Letting b_team also take "a" makes interval 1 feasible.
  s.agent_groups[1].skills.push_back(skill(0, 2));
  CHECK_FALSE(model::capacity_check(model::build_model(s))[1].overloaded);
}

TEST_CASE("a skill no staffed agent has is a warning that names the intervals", "[routing][capacity]") {
  auto s = two_types(10, 10, 60, 3, 0);
  s.open_s = 9 * 3600;
  s.agent_groups.push_back(group("a_team", 3, {skill(0)}));
  s.agent_groups.push_back(group("b_team", 0, {skill(1)}));
  auto w = model::unstaffed_skills(model::build_model(s), s);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::Contains("contact type 'b' in 3 interval(s): 09:00, 10:00, 11:00"));
}
