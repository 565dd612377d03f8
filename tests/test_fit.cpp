// Fitting laws to data and sampling the data's own law (label stat: fixed seeds, bounds a correct program
// passes with overwhelming probability). Maximum-likelihood estimates are asymptotically normal about the
// truth with the standard errors the fit reports, so each lies within 4 of them; the precision checks make
// sure those errors are small enough for the check to mean something.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "analysis/erlang.hpp"
#include "analysis/fit.hpp"
#include "analysis/statistics.hpp"
#include "engine/distribution.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using analysis::Family;
using engine::Distribution;

namespace {

std::vector<double> draw(const Distribution& d, std::size_t n, std::uint64_t stream) {
  engine::Stream s(2026, 0, stream);
  std::vector<double> out(n);
  for (double& x : out) x = d.sample(s);
  return out;
}

void check_recovers(const analysis::Fit& f, const std::vector<double>& truth) {
  REQUIRE(f.converged);
  REQUIRE(f.parameters.size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto& p = f.parameters[i];
    INFO(analysis::family_name(f.family)
         << " " << p.name << ": " << p.value << " ± " << p.se << ", true " << truth[i]);
    CHECK(std::abs(p.value - truth[i]) <= 4.0 * p.se);
    CHECK(p.se > 0.0);
    CHECK(p.se <= 0.08 * truth[i]);
  }
}

// Quantile of sorted data with linear interpolation between order statistics (the empirical law's own).
double quantile(const std::vector<double>& sorted, double u) {
  const double position = u * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(position);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (position - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

}  // namespace

TEST_CASE("fit recovers each family's parameters within 4 standard errors", "[fit]") {
  struct Case {
    Family family;
    Distribution law;
    std::vector<double> truth;  // in the scenario's terms
  };
  const std::vector<Case> cases = {
      {Family::exponential, Distribution::exponential(180.0), {180.0}},
      {Family::lognormal, Distribution::lognormal(200.0, 150.0), {200.0, 150.0}},
      {Family::gamma, Distribution::gamma(300.0, 0.6), {300.0, 0.6}},
      {Family::weibull, Distribution::weibull(1.5, 240.0), {1.5, 240.0}},
      {Family::gamma, Distribution::gamma(50.0, 1.6), {50.0, 1.6}},  // shape below 1
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const analysis::Observations data{draw(cases[c].law, 3000, 10 + c), {}};
    const analysis::Fit f = analysis::fit(cases[c].family, data);
    check_recovers(f, cases[c].truth);
    CHECK(f.ks < 0.03);  // the true family is close to the data everywhere
    // Among all four the true law fits best or nearly so (AIC within 10 of the best: nested families tie).
    const auto all = analysis::fit_all(data);
    CHECK(all.front().aic <= f.aic + 1e-9);
    CHECK(f.aic - all.front().aic < 10.0);
  }
  // A wrong family is told apart: log-normal data are far from exponential.
  const analysis::Observations skewed{draw(Distribution::lognormal(200.0, 400.0), 3000, 20), {}};
  const auto ranked = analysis::fit_all(skewed);
  CHECK(ranked.front().family == Family::lognormal);
  CHECK(ranked.back().family == Family::exponential);
  CHECK(ranked.back().ks > 0.1);
}

TEST_CASE("censored fits recover exponential and Weibull patience from waits", "[fit][censored]") {
  // A caller's patience is seen only if it runs out before they are answered: the observed value is
  // min(patience, time to answer), censored when the answer came first.
  const std::vector<std::pair<Family, Distribution>> laws = {
      {Family::exponential, Distribution::exponential(240.0)},
      {Family::weibull, Distribution::weibull(0.8, 300.0)},
      {Family::weibull, Distribution::weibull(2.0, 200.0)},
  };
  const std::vector<std::vector<double>> truth = {{240.0}, {0.8, 300.0}, {2.0, 200.0}};
  for (std::size_t c = 0; c < laws.size(); ++c) {
    const auto patience = draw(laws[c].second, 4000, 30 + c);
    const auto answer = draw(Distribution::exponential(150.0), 4000, 40 + c);
    analysis::Observations data, naive;
    std::size_t censored = 0;
    for (std::size_t i = 0; i < patience.size(); ++i) {
      data.values.push_back(std::min(patience[i], answer[i]));
      data.censored.push_back(answer[i] < patience[i]);
      censored += answer[i] < patience[i];
      if (patience[i] <= answer[i]) naive.values.push_back(patience[i]);
    }
    REQUIRE(censored > 1000);  // censoring matters here
    check_recovers(analysis::fit(laws[c].first, data), truth[c]);
    // Ignoring the censoring (fitting the abandoners only) is far off: the test can tell.
    const analysis::Fit wrong = analysis::fit(laws[c].first, naive);
    const auto scale = laws[c].first == Family::exponential ? 0 : 1;
    CHECK(std::abs(wrong.parameters[scale].value - truth[c][scale]) > 4.0 * wrong.parameters[scale].se);
  }
  // Every family fits censored data (gamma and log-normal through their survival functions).
  const auto patience = draw(Distribution::gamma(200.0, 0.7), 3000, 50);
  const auto answer = draw(Distribution::exponential(150.0), 3000, 51);
  analysis::Observations data;
  for (std::size_t i = 0; i < patience.size(); ++i) {
    data.values.push_back(std::min(patience[i], answer[i]));
    data.censored.push_back(answer[i] < patience[i]);
  }
  check_recovers(analysis::fit(Family::gamma, data), {200.0, 0.7});
  for (const auto& f : analysis::fit_all(data)) CHECK(f.converged);
}

TEST_CASE("an empirical law reproduces its data's quantiles and mean", "[empirical]") {
  const auto data = draw(Distribution::lognormal(180.0, 120.0), 500, 60);
  const Distribution law = Distribution::empirical(data);
  std::vector<double> sorted = data;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = 200000;
  const auto sample = draw(law, n, 61);
  std::vector<double> drawn = sample;
  std::sort(drawn.begin(), drawn.end());
  for (double u : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    // The drawn u-quantile is within 4 binomial sds of rank of the law's own.
    const double slack = 4.0 * std::sqrt(u * (1.0 - u) / static_cast<double>(n));
    INFO("u " << u << ": drawn " << quantile(drawn, u) << ", data " << quantile(sorted, u));
    CHECK(quantile(drawn, u - slack) <= quantile(sorted, u));
    CHECK(quantile(drawn, u + slack) >= quantile(sorted, u));
  }
  const auto e = analysis::estimate(sample, 0.9999);
  const double data_mean = std::accumulate(data.begin(), data.end(), 0.0) / static_cast<double>(data.size());
  INFO("drawn mean " << e.mean << " ± " << e.half_width << ", law " << law.mean() << ", data " << data_mean);
  CHECK(e.contains(law.mean()));
  // The interpolated law's mean differs from the data's by (mean - (min + max) / 2) / (n - 1) only.
  CHECK(std::abs(law.mean() - data_mean) < 1.0);
  CHECK(e.half_width < 2.0);
}

TEST_CASE("M/G/1 with an empirical handle time matches the Pollaczek-Khinchine mean wait",
          "[empirical][theory]") {
  // Handle times from data with cv about 1.5: P-K's wait is well above M/M/1's, so the law's second moment
  // matters and is the one the simulation uses.
  const Distribution handle = Distribution::empirical(draw(Distribution::gamma(60.0, 1.5), 400, 70));
  const double rho = 0.7, lambda = rho / handle.mean();
  const double second = handle.variance() + handle.mean() * handle.mean();
  const double exact = analysis::pollaczek_khinchine_wait(lambda, handle.mean(), second);
  REQUIRE(exact > 1.3 * analysis::pollaczek_khinchine_wait(lambda, handle.mean(),
                                                           2.0 * handle.mean() * handle.mean()));
  auto s = testing::stationary(lambda * 3600.0, handle, 1, Distribution::never(), 405, 5);
  const auto r = testing::run(s, 40, 404);
  const auto e = analysis::estimate(testing::day_values(r, model::Measure::asa), 0.99);
  INFO("simulated " << e.mean << " ± " << e.half_width << ", Pollaczek-Khinchine " << exact);
  CHECK(e.contains(exact));
  CHECK(e.half_width < 0.08 * exact);
}
