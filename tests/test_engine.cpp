#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "common/error.hpp"
#include "engine/calendar.hpp"
#include "engine/distribution.hpp"
#include "engine/fifo.hpp"
#include "engine/random.hpp"

using namespace ccsim::engine;

TEST_CASE("calendar pops events in time order", "[calendar]") {
  Calendar cal;
  Stream s(7, 0, 1);
  std::vector<double> times;
  for (int i = 0; i < 5000; ++i) {
    times.push_back(s.uniform() * 1000.0);
    cal.schedule(times.back(), 0, static_cast<std::uint32_t>(i));
  }
  std::sort(times.begin(), times.end());
  for (double t : times) {
    REQUIRE_FALSE(cal.empty());
    Event e = cal.pop();
    REQUIRE(e.time == t);
    REQUIRE(cal.now() == t);
  }
  REQUIRE(cal.empty());
}

TEST_CASE("same-instant events run by kind, then in insertion order", "[calendar]") {
  Calendar cal;
  // kind 2 (say, an arrival) scheduled before kind 0 (a departure) at the same instant: the departure runs
  // first, so the agent it frees is there for the arrival.
  cal.schedule(5.0, 2, 100);
  cal.schedule(5.0, 0, 200);
  cal.schedule(5.0, 2, 101);
  cal.schedule(5.0, 0, 201);
  cal.schedule(4.0, 9, 300);
  std::vector<std::uint32_t> order;
  while (!cal.empty()) order.push_back(cal.pop().subject);
  REQUIRE(order == std::vector<std::uint32_t>{300, 200, 201, 100, 101});
}

TEST_CASE("calendar interleaves pushes and pops like a sorted list", "[calendar]") {
  Calendar cal;
  std::vector<std::pair<double, std::uint64_t>> reference;  // (time, seq) of pending events
  Stream s(11, 0, 2);
  std::uint64_t seq = 0;
  for (int round = 0; round < 20000; ++round) {
    if (reference.empty() || s.uniform() < 0.55) {
      double t = cal.now() + std::floor(s.uniform() * 50.0);  // many exact ties
      cal.schedule(t, 1, 0, static_cast<std::uint32_t>(seq));
      reference.emplace_back(t, seq++);
    } else {
      auto it = std::min_element(reference.begin(), reference.end());
      Event e = cal.pop();
      REQUIRE(e.time == it->first);
      REQUIRE(e.token == static_cast<std::uint32_t>(it->second));
      reference.erase(it);
    }
  }
}

TEST_CASE("renumbering the sequence keeps the order of ties", "[calendar]") {
  // A sequence of 64 numbers is renumbered hundreds of times in this run; the order must be the one a
  // sorted list of (time, kind, insertion) gives.
  Calendar cal(64);
  std::vector<std::tuple<double, std::uint8_t, std::uint64_t>> reference;
  Stream s(13, 0, 2);
  std::uint64_t seq = 0;
  for (int round = 0; round < 20000; ++round) {
    if (reference.empty() || (reference.size() < 40 && s.uniform() < 0.55)) {
      const double t = cal.now() + std::floor(s.uniform() * 5.0);  // many exact ties
      const auto kind = static_cast<std::uint8_t>(s.uniform() * 3.0);
      cal.schedule(t, kind, 0, static_cast<std::uint32_t>(seq));
      reference.emplace_back(t, kind, seq++);
    } else {
      auto it = std::min_element(reference.begin(), reference.end());
      Event e = cal.pop();
      REQUIRE(e.time == std::get<0>(*it));
      REQUIRE(e.kind() == std::get<1>(*it));
      REQUIRE(e.token == static_cast<std::uint32_t>(std::get<2>(*it)));
      reference.erase(it);
    }
  }
  Calendar tiny(4);
  for (std::uint32_t i = 0; i < 4; ++i) tiny.schedule(1.0, 0, i);
  REQUIRE_THROWS_AS(tiny.schedule(1.0, 0, 4), std::length_error);
}

TEST_CASE("streams are reproducible and distinct per seed, replication and purpose", "[random]") {
  auto draw = [](Stream s) {
    std::vector<std::uint64_t> v;
    for (int i = 0; i < 8; ++i) v.push_back(s.bits());
    return v;
  };
  REQUIRE(draw(Stream(1, 0, 5)) == draw(Stream(1, 0, 5)));
  REQUIRE(draw(Stream(1, 0, 5)) != draw(Stream(2, 0, 5)));
  REQUIRE(draw(Stream(1, 0, 5)) != draw(Stream(1, 1, 5)));
  REQUIRE(draw(Stream(1, 0, 5)) != draw(Stream(1, 0, 6)));
}

TEST_CASE("neighbouring streams are uncorrelated", "[random]") {
  // Sample correlation of n independent uniform pairs has sd 1/sqrt(n); 5 sd is far outside chance.
  const int n = 200000;
  for (std::uint64_t id : {1ull, 2ull, (1ull << 32) | 1ull}) {
    Stream a(42, 3, id), b(42, 3, id + 1);
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; ++i) {
      double x = a.uniform(), y = b.uniform();
      sa += x, sb += y, sab += x * y, saa += x * x, sbb += y * y;
    }
    double cov = sab / n - (sa / n) * (sb / n);
    double r = cov / std::sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
    CHECK(std::abs(r) < 5.0 / std::sqrt(n));
  }
}

TEST_CASE("uniforms stay inside their intervals", "[random]") {
  Stream s(3, 0, 0);
  for (int i = 0; i < 100000; ++i) {
    double u = s.uniform_open0();
    REQUIRE(u > 0.0);
    REQUIRE(u <= 1.0);
    double v = s.uniform();
    REQUIRE(v >= 0.0);
    REQUIRE(v < 1.0);
  }
}

TEST_CASE("every distribution's sample moments match mean() and variance()", "[distribution]") {
  struct Case {
    const char* name;
    Distribution d;
  };
  const std::vector<Case> cases = {
      {"deterministic", Distribution::deterministic(42.0)},
      {"exponential", Distribution::exponential(180.0)},
      {"lognormal", Distribution::lognormal(240.0, 120.0)},
      {"gamma cv 0.5", Distribution::gamma(300.0, 0.5)},
      {"gamma cv 2 (shape < 1)", Distribution::gamma(60.0, 2.0)},
      {"weibull shape 0.8", Distribution::weibull(0.8, 100.0)},
      {"weibull shape 2.5", Distribution::weibull(2.5, 100.0)},
      {"exponential scaled 1.5", Distribution::exponential(100.0).scaled(1.5)},
      {"lognormal scaled 2", Distribution::lognormal(100.0, 50.0).scaled(2.0)},
  };
  const int n = 400000;
  for (const auto& c : cases) {
    SECTION(c.name) {
      Stream s(2026, 0, 9);
      double sum = 0.0, sum2 = 0.0;
      for (int i = 0; i < n; ++i) {
        double x = c.d.sample(s);
        REQUIRE(x >= 0.0);
        sum += x;
        sum2 += x * x;
      }
      double mean = sum / n, var = sum2 / n - mean * mean;
      double se = std::sqrt(c.d.variance() / n);
      CHECK(std::abs(mean - c.d.mean()) <= 5.0 * se + 1e-9);
      // The sample variance of these moderately-tailed laws is within 3% at this n (its own sd is < 0.6%).
      CHECK(var == Approx(c.d.variance()).epsilon(0.03).margin(1e-9));
    }
  }
}

TEST_CASE("distribution parameters are validated", "[distribution]") {
  REQUIRE_THROWS_AS(Distribution::exponential(0.0), ccsim::InputError);
  REQUIRE_THROWS_AS(Distribution::exponential(-1.0), ccsim::InputError);
  REQUIRE_THROWS_AS(Distribution::lognormal(10.0, 0.0), ccsim::InputError);
  REQUIRE_THROWS_AS(Distribution::gamma(10.0, -1.0), ccsim::InputError);
  REQUIRE_THROWS_AS(Distribution::weibull(0.0, 1.0), ccsim::InputError);
  REQUIRE_THROWS_AS(Distribution::deterministic(-2.0), ccsim::InputError);
  REQUIRE(std::isinf(Distribution::never().sample(*std::make_unique<Stream>(1, 0, 0))));
}

TEST_CASE("fifo keeps order across growth and wrap-around", "[fifo]") {
  Fifo<int> q;
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < round % 37; ++i) q.push(next_in++);
    for (int i = 0; i < round % 29 && !q.empty(); ++i) {
      REQUIRE(q.front() == next_out++);
      q.pop();
    }
  }
  REQUIRE(q.size() == static_cast<std::size_t>(next_in - next_out));
}

TEST_CASE("exponential draws follow e^-t in the body, the wedges and the tail", "[random][distribution]") {
  // The ziggurat sampler has three paths (rectangles, wedges, the tail beyond 7.7): the survival function
  // P(X > t) = e^-t is checked across all of them, within 5 binomial standard errors.
  Stream s(99, 0, 3);
  const int n = 2'000'000;
  const std::vector<double> points = {0.05, 0.3, 1.0, 2.0, 3.5, 5.0, 7.0, 7.7, 8.5, 10.0};
  std::vector<int> above(points.size(), 0);
  for (int i = 0; i < n; ++i) {
    const double x = s.exponential(1.0);
    REQUIRE(x >= 0.0);
    for (std::size_t j = 0; j < points.size(); ++j) above[j] += x > points[j];
  }
  for (std::size_t j = 0; j < points.size(); ++j) {
    const double p = std::exp(-points[j]), se = std::sqrt(p * (1 - p) / n);
    INFO("t = " << points[j] << ": " << above[j] / static_cast<double>(n) << " vs " << p);
    CHECK(std::abs(above[j] / static_cast<double>(n) - p) <= 5 * se + 1e-12);
  }
}
