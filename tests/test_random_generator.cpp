// The random-scenario generator itself: deterministic for a seed, and its 400 default cases reach every
// feature the checker (test_random_scenarios.cpp) is meant to cover.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "random_scenario.hpp"

using namespace ccsim;

namespace {

// The checker's default range of seeds (test_random_scenarios.cpp).
constexpr std::uint64_t kFirstSeed = 1;
constexpr int kDefaultCases = 400;

}  // namespace

TEST_CASE("the scenario generator is deterministic and reaches every feature", "[random]") {
  REQUIRE(testing::random_scenario(7).yaml == testing::random_scenario(7).yaml);
  std::string all;
  int aligned = 0, identical = 0;
  for (std::uint64_t s = kFirstSeed; s < kFirstSeed + kDefaultCases; ++s) {
    const auto rs = testing::random_scenario(s);
    all += rs.yaml;
    aligned += rs.aligned;
    identical += rs.identical_policies;
  }
  CHECK(aligned >= kDefaultCases / 5);
  CHECK(identical >= kDefaultCases / 3);
  for (const char* feature : {"channel: voice",
                              "channel: chat",
                              "concurrency: 3",
                              "slowdown",
                              "channel: email",
                              "due_within",
                              "channel: counter",
                              "balk_at_queue",
                              "slots:",
                              "times:",
                              "punctuality",
                              "no_show",
                              "overflow_after",
                              "priority: 2",
                              "weight",
                              "transfers",
                              "aht:",
                              "wrap_up",
                              "patience: none",
                              "distribution: empirical, values",
                              "volume:",
                              "calls_per_hour: [",
                              "busyness_cv",
                              "days: {count",
                              "profile",
                              "labels",
                              "warmup",
                              "close:",
                              "intervals:",
                              "interval: 15min",
                              "interval: 30min",
                              "home_share",
                              "interruptions",
                              "location: home",
                              "agent: ",
                              "absence",
                              "briefing",
                              "coaching",
                              "window:",
                              "breaks:",
                              "agents: ",
                              "agents: [",
                              "\"25:",
                              "\"30:",
                              "service_level",
                              "contact_selection",
                              "preferred_group",
                              "weighted_waiting",
                              "appointments_first",
                              "early_appointments",
                              "announcement",
                              "longer_than_usual",
                              "predicted_wait",
                              "planned",
                              "reaction",
                              "logistic",
                              "table:",
                              "policies",
                              "baseline: true",
                              "overrides",
                              "skills: [",
                              "cost_per_hour",
                              "cost_per_abandoned",
                              "cost_per_unserved",
                              "absence_paid: false",
                              "per_abandoned"})
    CHECK_THAT(all, Catch::Contains(feature));
}
