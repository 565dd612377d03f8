// Wait predictors and announcements.
#include <catch2/catch.hpp>
#include <cmath>

#include "sim_fixtures.hpp"

using namespace ccsim;

namespace {

// M/M/20 near saturation, predictors measured; `extra` adds announcement settings.
std::string line(const std::string& announcement, const std::string& patience = "") {
  return R"(name: predictors
day: {interval: 60min, intervals: 12}
contact_types:
  - name: calls
    calls_per_hour: 560
    handle_time: {distribution: exponential, mean: 120s}
)" + patience +
         R"(agent_groups:
  - {name: agents, agents: 20}
announcement:
)" + announcement;
}

model::Results run_text(const std::string& text, int reps, std::uint64_t seed) {
  return testing::run(scenario::parse_scenario(text, "a.yaml"), reps, seed);
}

std::vector<double> predictor_values(const model::Results& r, scenario::Predictor p,
                                     double (model::PredictionStats::*f)() const) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication)
    v.push_back((rep.predictions_by_day[static_cast<std::size_t>(p)].*f)());
  return v;
}

}  // namespace

TEST_CASE("on M/M/c the queue-length predictor is unbiased and beats head-of-line",
          "[announcements][predictors]") {
  // Without abandonment the wait of a caller finding k ahead and all c agents busy is a sum of k + 1
  // exponential(c mu) times: its mean, (k + 1) / (c mu), is exactly the queue-length prediction, so the
  // bias is 0; head-of-line (the wait so far of the first in line) is known to be noisier (Whitt 1999,
  // Ibrahim & Whitt 2009): its RMSE is larger.
  auto r = run_text(line("  predictor: queue_length\n"), 40, 1);
  auto bias = analysis::estimate(
      predictor_values(r, scenario::Predictor::queue_length, &model::PredictionStats::bias), 0.99);
  INFO("queue-length bias " << bias.mean << " ± " << bias.half_width);
  CHECK(bias.contains(0.0));
  CHECK(bias.half_width < 2.0);
  auto ql = predictor_values(r, scenario::Predictor::queue_length, &model::PredictionStats::rmse);
  auto hol = predictor_values(r, scenario::Predictor::head_of_line, &model::PredictionStats::rmse);
  auto diff = analysis::paired_difference(hol, ql, 0.99);  // ql - hol
  INFO("RMSE queue-length minus head-of-line " << diff.mean << " ± " << diff.half_width);
  CHECK(diff.high() < 0.0);
  auto les = predictor_values(r, scenario::Predictor::last_to_enter_service, &model::PredictionStats::rmse);
  CHECK(analysis::paired_difference(les, ql, 0.99).high() < 0.0);
}

TEST_CASE("with no reaction configured an announcement changes nothing", "[announcements]") {
  const std::string patience = "    patience: {distribution: exponential, mean: 3min}\n";
  auto silent = run_text(line("  message: none\n", patience), 8, 2);
  auto told = run_text(line("  message: predicted_wait\n", patience), 8, 2);
  auto usual = run_text(line("  message: longer_than_usual\n  threshold: 30s\n", patience), 8, 2);
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t c = 0; c < silent.by_replication[i].contacts_by_interval.size(); ++c)
      for (const auto* other : {&told, &usual}) {
        const auto& a = silent.by_replication[i].contacts_by_interval[c].counts;
        const auto& b = other->by_replication[i].contacts_by_interval[c].counts;
        REQUIRE(a.answered == b.answered);
        REQUIRE(a.abandoned == b.abandoned);
        REQUIRE(a.wait_answered_s == b.wait_answered_s);
        REQUIRE(a.wait_abandoned_s == b.wait_abandoned_s);
      }
  std::uint64_t announced = 0;
  for (const auto& rep : told.by_replication) announced += rep.contacts_by_day[0].counts.announced;
  CHECK(announced > 0);  // the announcement was made; it just changed nothing
}

TEST_CASE("balking with probability 1 above a threshold leaves nobody told a longer wait in the queue",
          "[announcements]") {
  // Announced waits are whole minutes: callers told 3 minutes or more all hang up at once.
  auto r =
      run_text(line("  message: predicted_wait\n  reaction:\n    balk: {table: [[2min, 0], [2.01min, 1]]}\n",
                    "    patience: {distribution: exponential, mean: 5min}\n"),
               10, 3);
  std::uint64_t balked = 0;
  for (const auto& rep : r.by_replication) {
    for (const auto& cell : rep.contacts_by_interval) CHECK(cell.counts.longest_announced_stayed_s <= 120.0);
    balked += rep.contacts_by_day[0].counts.balked_announced;
  }
  CHECK(balked > 0);  // the load is high enough that some were told more than 2 minutes
}

TEST_CASE("a patience factor and hang-ups when the announced wait passes change abandonment as configured",
          "[announcements]") {
  const std::string patience = "    patience: {distribution: exponential, mean: 2min}\n";
  auto plain = run_text(line("  message: predicted_wait\n", patience), 20, 4);
  auto patient =
      run_text(line("  message: predicted_wait\n  reaction: {patience_factor: 2}\n", patience), 20, 4);
  auto strict =
      run_text(line("  message: predicted_wait\n  reaction: {abandon_when_passed: 1}\n", patience), 20, 4);
  auto ab = [](const model::Results& r) { return testing::day_values(r, model::Measure::abandon_rate); };
  CHECK(analysis::paired_difference(ab(plain), ab(patient)).high() < 0.0);  // more patient: fewer abandon
  CHECK(analysis::paired_difference(ab(plain), ab(strict)).low() > 0.0);  // hang up when passed: more abandon
}
