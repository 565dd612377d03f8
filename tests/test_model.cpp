// Exact properties of the model that hold in every replication, whatever the random numbers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/random.hpp"
#include "model/entities.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using model::Measure;

namespace {

scenario::Scenario two_types() {
  auto s = testing::stationary(200, Distribution::exponential(240), 14, Distribution::exponential(120), 8, 0);
  scenario::ContactType t;
  t.name = "complaints";
  t.volume.assign(8, 60.0);
  t.handle_time = Distribution::lognormal(400, 200);
  t.patience = Distribution::weibull(1.5, 300);
  s.contact_types.push_back(t);
  s.agent_groups[0].skills.push_back({1, 1, 0.0, 1.0, ""});
  return s;
}

}  // namespace

TEST_CASE("every offered contact is answered, abandoned or left unserved, per cell and pooled", "[model]") {
  auto s = two_types();
  auto r = testing::run(s, 10, 5);
  REQUIRE(r.series_names == std::vector<std::string>{"calls", "complaints", "all"});
  for (const auto& rep : r.by_replication) {
    for (int k = 0; k < s.intervals; ++k) {
      model::ContactCounts sum;
      for (int t = 0; t < 3; ++t) {
        const auto& c = rep.contacts_by_interval[static_cast<std::size_t>(k * 3 + t)].counts;
        REQUIRE(c.offered == c.answered + c.abandoned + c.unserved);
        REQUIRE(c.unserved == 0);  // all-day agents stay until the queue is empty
        REQUIRE(c.answered_within_tau <= c.answered);
        REQUIRE(c.short_abandoned <= c.abandoned);
        if (t < 2) sum.add(c);
      }
      const auto& all = rep.contacts_by_interval[static_cast<std::size_t>(k * 3 + 2)].counts;
      REQUIRE(all.offered == sum.offered);
      REQUIRE(all.answered_within_tau == sum.answered_within_tau);
      REQUIRE(all.wait_answered_s == Approx(sum.wait_answered_s));
    }
    for (int k = 0; k < s.intervals; ++k) {
      const auto& a = rep.agents_by_interval[static_cast<std::size_t>(k)];
      REQUIRE(a.staffed_s == Approx(14 * 3600.0).epsilon(1e-12));
      REQUIRE(a.busy_s >= 0.0);
      REQUIRE(a.busy_s <= a.staffed_s + 1e-6);
    }
  }
}

TEST_CASE("with far more agents than calls nobody waits", "[model]") {
  auto s = testing::stationary(60, Distribution::exponential(300), 200, Distribution::exponential(30), 4, 0);
  auto r = testing::run(s, 5, 9);
  for (const auto& rep : r.by_replication) {
    const auto& day = rep.contacts_by_day[0];
    REQUIRE(day.counts.offered > 0);
    REQUIRE(day.counts.abandoned == 0);
    REQUIRE(model::value(day, Measure::service_level, scenario::ServiceLevelDefinition::offered) == 1.0);
    REQUIRE(model::value(day, Measure::asa, scenario::ServiceLevelDefinition::offered) == 0.0);
    REQUIRE(day.wait.p95 == 0.0);
  }
}

TEST_CASE("a deterministic handle time is measured exactly", "[model]") {
  auto s = testing::stationary(100, Distribution::deterministic(150), 3, Distribution::never(), 3, 0);
  auto r = testing::run(s, 3, 1);
  for (const auto& rep : r.by_replication)
    REQUIRE(model::value(rep.contacts_by_day[0], Measure::aht, scenario::ServiceLevelDefinition::offered) ==
            Approx(150.0).epsilon(1e-12));
}

TEST_CASE("arrivals follow the per-interval volume, quiet intervals included", "[model]") {
  auto s = testing::stationary(1, Distribution::exponential(60), 50, Distribution::never(), 4, 0);
  s.interval_s = 1800;
  s.contact_types[0].volume = {40, 0, 200, 10};
  auto r = testing::run(s, 200, 17);
  for (int k = 0; k < 4; ++k) {
    std::vector<double> offered;
    for (const auto& rep : r.by_replication)
      offered.push_back(
          static_cast<double>(rep.contacts_by_interval[static_cast<std::size_t>(k)].counts.offered));
    auto e = analysis::estimate(offered, 0.999);
    INFO("interval " << k << ": " << e.mean << " ± " << e.half_width);
    if (k == 1) {
      REQUIRE(e.mean == 0.0);
    } else {
      CHECK(e.contains(s.contact_types[0].volume[static_cast<std::size_t>(k)]));
      // Poisson: variance equals the mean.
      double var = 0.0;
      for (double x : offered) var += (x - e.mean) * (x - e.mean);
      var /= static_cast<double>(offered.size() - 1);
      CHECK(var == Approx(e.mean).epsilon(0.35));
    }
  }
}

TEST_CASE("results do not depend on the number of threads", "[model][determinism]") {
  auto s = two_types();
  auto one = testing::run(s, 9, 77, 1), two = testing::run(s, 9, 77, 2), three = testing::run(s, 9, 77, 3);
  for (std::size_t i = 0; i < 9; ++i)
    for (std::size_t c = 0; c < one.by_replication[i].contacts_by_interval.size(); ++c) {
      const auto& a = one.by_replication[i].contacts_by_interval[c].counts;
      for (const auto* other : {&two, &three}) {
        const auto& b = other->by_replication[i].contacts_by_interval[c].counts;
        REQUIRE(a.offered == b.offered);
        REQUIRE(a.answered == b.answered);
        REQUIRE(a.wait_answered_s == b.wait_answered_s);
        REQUIRE(a.handle_s == b.handle_s);
      }
    }
}

TEST_CASE("the same customers arrive whatever the staffing (common random numbers)", "[model][crn]") {
  auto s = two_types();
  auto few = testing::run(s, 5, 31);
  s.agent_groups[0].agents = 20;
  auto many = testing::run(s, 5, 31);
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t c = 0; c < few.by_replication[i].contacts_by_interval.size(); ++c)
      REQUIRE(few.by_replication[i].contacts_by_interval[c].counts.offered ==
              many.by_replication[i].contacts_by_interval[c].counts.offered);
  // With nobody abandoning, every caller is answered in both, so the total handle time is the same work.
  s = testing::stationary(300, Distribution::gamma(200, 0.7), 20, Distribution::never(), 4, 0);
  auto a = testing::run(s, 3, 8);
  s.agent_groups[0].agents = 30;
  auto b = testing::run(s, 3, 8);
  for (std::size_t i = 0; i < 3; ++i)
    REQUIRE(a.by_replication[i].contacts_by_day[0].counts.handle_s ==
            Approx(b.by_replication[i].contacts_by_day[0].counts.handle_s).epsilon(1e-12));
}

TEST_CASE("different replications and seeds see different days", "[model]") {
  auto s = two_types();
  auto r = testing::run(s, 2, 1), q = testing::run(s, 1, 2);
  CHECK(r.by_replication[0].contacts_by_day[0].counts.offered !=
        r.by_replication[1].contacts_by_day[0].counts.offered);
  CHECK(r.by_replication[0].contacts_by_day[0].counts.wait_answered_s !=
        q.by_replication[0].contacts_by_day[0].counts.wait_answered_s);
}

// The day clock caches the interval of the last time asked with the exact range it holds for; every answer
// must be the one computing it afresh gives, to the last bit — at interval and day boundaries and the
// doubles next to them, at night, before opening and after the last closing.
TEST_CASE("the day clock's cached interval is the computed one", "[model][clock]") {
  for (const char* text :
       {"name: c\nday: {open: \"08:00\", interval: 15min, intervals: 11}\ndays: {count: 3}\n"
        "contact_types: [{name: a, calls_per_hour: 1, handle_time: {distribution: "
        "exponential, mean: 60}}]\nagent_groups: [{name: g, agents: 1}]\n",
        "name: c\nday: {open: \"08:00\", interval: 30min, intervals: 13}\n"
        "contact_types: [{name: a, calls_per_hour: 1, handle_time: {distribution: "
        "exponential, mean: 60}}]\nagent_groups: [{name: g, agents: 1}]\n"}) {
    const model::Model m = model::build_model(scenario::parse_scenario(text, "c.yaml"));
    const model::DayClock shared(m);
    std::vector<double> times = {-1.0, 0.0, 1e9};
    for (int d = 0; d <= m.days; ++d)
      for (int i = 0; i <= m.intervals_per_day; ++i) {
        double t = d * model::Model::kDayPeriod + i * m.interval_s;
        for (int s = 0; s < 4; ++s) t = std::nextafter(t, -1e300);
        for (int s = 0; s < 8; ++s, t = std::nextafter(t, 1e300)) times.push_back(t);
        times.push_back(d * model::Model::kDayPeriod + m.day_length_s + 100.0);  // at night
      }
    engine::Stream u(3, 0, 1);
    for (int k = 0; k < 2000; ++k) times.push_back(u.uniform() * m.days * model::Model::kDayPeriod);
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    times.insert(times.end(), sorted.begin(), sorted.end());  // forward in time, as a run asks
    for (double t : times) {
      const model::DayClock fresh(m);
      INFO("t = " << t);
      REQUIRE(shared.interval_of(t) == fresh.interval_of(t));
      const model::DayClock fresh2(m);
      REQUIRE(shared.past_closing(t) == fresh2.past_closing(t));
    }
  }
}
