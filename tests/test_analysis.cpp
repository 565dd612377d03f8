#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <unsupported/Eigen/MatrixFunctions>
#include <vector>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"

using namespace ccsim::analysis;

namespace {

// Erlang B straight from its definition, a^c/c! / sum_k a^k/k!, in long double: a different formula
// from the library's recursion.
double erlang_b_direct(double a, int c) {
  long double term = 1.0L, sum = 1.0L;
  for (int k = 1; k <= c; ++k) {
    term *= static_cast<long double>(a) / k;
    sum += term;
  }
  return static_cast<double>(term / sum);
}

QueueInput input(double calls_per_hour, double aht, int agents, double patience = 0.0, double tau = 20.0) {
  QueueInput q;
  q.arrival_rate = calls_per_hour / 3600.0;
  q.service_rate = 1.0 / aht;
  q.patience_rate = patience > 0.0 ? 1.0 / patience : 0.0;
  q.agents = agents;
  q.tau = tau;
  return q;
}

// SL(tau) and P(abandon by tau) of Erlang A by the matrix exponential of the tagged caller's absorbing
// chain (positions 1..K, then "answered" and "abandoned"), started from the arrival distribution.
std::pair<double, double> erlang_a_sl_by_expm(const QueueInput& q) {
  const std::vector<double> pi = erlang_a_distribution(q);
  const int c = q.agents, top = static_cast<int>(pi.size()) - 1, k_max = top - c + 1;
  const int n = k_max + 2, answered = k_max, abandoned = k_max + 1;
  Eigen::MatrixXd gen = Eigen::MatrixXd::Zero(n, n);
  for (int k = 1; k <= k_max; ++k) {
    double ahead = c * q.service_rate + (k - 1) * q.patience_rate;
    int here = k - 1;
    gen(here, k == 1 ? answered : here - 1) += ahead;
    gen(here, abandoned) += q.patience_rate;
    gen(here, here) -= ahead + q.patience_rate;
  }
  Eigen::MatrixXd p = (gen * q.tau).exp();
  Eigen::RowVectorXd start = Eigen::RowVectorXd::Zero(n);
  double p_no_wait = 0.0;
  for (int m = 0; m <= top; ++m) {
    if (m < c)
      p_no_wait += pi[static_cast<std::size_t>(m)];
    else
      start(m - c) = pi[static_cast<std::size_t>(m)];
  }
  Eigen::RowVectorXd end = start * p;
  return {p_no_wait + end(answered), end(abandoned)};
}

}  // namespace

TEST_CASE("Erlang B and C match exact rational values", "[erlang]") {
  // B(2, 3) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19; C(2, 3) = B / (1 - rho (1 - B)) = 4/9.
  CHECK(erlang_b(2.0, 3) == Approx(4.0 / 19.0).margin(1e-12));
  CHECK(erlang_c(2.0, 3) == Approx(4.0 / 9.0).margin(1e-12));
  // B(1, 2) = 1/5, C(1, 2) = 1/3; B(a, 0) = 1.
  CHECK(erlang_b(1.0, 2) == Approx(0.2).margin(1e-12));
  CHECK(erlang_c(1.0, 2) == Approx(1.0 / 3.0).margin(1e-12));
  CHECK(erlang_b(5.0, 0) == 1.0);
}

TEST_CASE("Erlang B matches its definition and the published table value", "[erlang]") {
  CHECK(erlang_b(10.0, 10) == Approx(0.2145823431).margin(1e-6));  // the classic table entry
  for (double a : {0.5, 7.3, 24.0, 95.5, 180.0})
    for (int c : {1, 5, 20, 30, 100, 190})
      CHECK(erlang_b(a, c) == Approx(erlang_b_direct(a, c)).margin(1e-9));
}

TEST_CASE("Erlang C measures follow the closed forms", "[erlang]") {
  // a = 2, c = 3, mu = 1/s: C = 4/9, ASA = C / (c mu - lambda) = 4/9 s, SL(tau) = 1 - C e^-(c mu - lambda)
  // tau.
  QueueInput q;
  q.arrival_rate = 2.0;
  q.service_rate = 1.0;
  q.agents = 3;
  q.tau = 0.5;
  auto m = erlang_c_measures(q);
  CHECK(m.p_wait == Approx(4.0 / 9.0).margin(1e-12));
  CHECK(m.asa == Approx(4.0 / 9.0).margin(1e-12));
  CHECK(m.service_level == Approx(1.0 - 4.0 / 9.0 * std::exp(-0.5)).margin(1e-12));
  CHECK(m.occupancy == Approx(2.0 / 3.0).margin(1e-12));
  CHECK(m.p_abandon == 0.0);
  q.agents = 2;
  CHECK_FALSE(erlang_c_measures(q).stable);
}

TEST_CASE("Erlang A's stationary distribution agrees with an Eigen sparse solve of the chain", "[erlang]") {
  QueueInput q = input(360, 240, 25, 180);
  std::vector<double> pi = erlang_a_distribution(q);
  const auto n = pi.size();
  std::vector<double> birth(n, q.arrival_rate), death(n, 0.0);
  for (std::size_t k = 1; k < n; ++k)
    death[k] = std::min<double>(static_cast<double>(k), q.agents) * q.service_rate +
               std::max<double>(static_cast<double>(k) - q.agents, 0.0) * q.patience_rate;
  std::vector<double> solved = birth_death_stationary(birth, death);
  double total = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    CHECK(pi[k] == Approx(solved[k]).margin(1e-12));
    total += pi[k];
  }
  CHECK(total == Approx(1.0).margin(1e-12));
}

TEST_CASE("Erlang A service level agrees with the matrix exponential of the tagged caller", "[erlang]") {
  for (auto q : {input(360, 240, 25, 180), input(3600, 180, 190, 300), input(720, 120, 20, 240, 30),
                 input(100, 300, 5, 60, 10)}) {
    auto m = erlang_a_measures(q);
    auto [sl, ab] = erlang_a_sl_by_expm(q);
    CHECK(m.service_level == Approx(sl).margin(1e-8));
    CHECK(m.p_abandon_within_tau == Approx(ab).margin(1e-8));
  }
}

TEST_CASE("Erlang A is self-consistent: Little's law and flow balance", "[erlang]") {
  for (auto q : {input(360, 240, 25, 180), input(720, 120, 20, 240), input(5000, 300, 300, 120)}) {
    auto m = erlang_a_measures(q);
    // Abandonments per second = theta E[Lq]; mean wait of all = E[Lq] / lambda; busy = lambda (1 - P_ab) /
    // mu.
    CHECK(m.p_abandon == Approx(q.patience_rate * m.mean_queue / q.arrival_rate).margin(1e-9));
    CHECK(m.mean_wait == Approx(m.mean_queue / q.arrival_rate).margin(1e-7));
    CHECK(m.occupancy ==
          Approx(q.arrival_rate * (1 - m.p_abandon) / (q.service_rate * q.agents)).margin(1e-9));
  }
}

TEST_CASE("Erlang A with patience equal to handle time is the M/M/infinity Poisson law", "[erlang]") {
  // theta = mu makes every state's death rate n mu, so the number in system is Poisson(a) exactly.
  const double a = 12.0;
  const int c = 10;
  QueueInput q = input(a * 3600 / 100, 100, c, 100);
  auto m = erlang_a_measures(q);
  double p_below = 0.0, term = std::exp(-a), excess = 0.0;
  for (int k = 0; k < 200; ++k) {
    if (k < c) p_below += term;
    if (k > c) excess += (k - c) * term;
    term *= a / (k + 1);
  }
  CHECK(m.p_wait == Approx(1.0 - p_below).margin(1e-10));
  CHECK(m.p_abandon == Approx(excess / a).margin(1e-10));  // theta E[(N-c)+] / lambda, theta/lambda = 1/a
}

TEST_CASE("Erlang A tends to Erlang C as patience grows", "[erlang]") {
  QueueInput a = input(360, 240, 27, 1e9);
  QueueInput c = input(360, 240, 27);
  auto ma = erlang_a_measures(a), mc = erlang_c_measures(c);
  CHECK(ma.p_wait == Approx(mc.p_wait).margin(1e-5));
  CHECK(ma.service_level == Approx(mc.service_level).margin(1e-5));
  CHECK(ma.asa == Approx(mc.asa).margin(1e-4));
}

TEST_CASE("Erlang A handles loads of thousands of Erlang and overload", "[erlang]") {
  auto big = erlang_a_measures(input(36000 * 4, 180, 7300, 300));  // 7200 Erlang
  CHECK(big.stable);
  CHECK(big.p_wait > 0.0);
  CHECK(big.p_wait < 1.0);
  auto over = erlang_a_measures(input(720, 120, 20, 240));  // load 24 on 20 agents
  CHECK(over.p_abandon > 1.0 - 20.0 / 24.0);                // at least the excess load abandons
  CHECK(over.occupancy < 1.0);
}

TEST_CASE("staffing finds the fewest agents meeting the target", "[erlang][staffing]") {
  QueueInput q = input(360, 240, 0, 180);
  for (auto target : {StaffingTarget{TargetKind::service_level, 0.8}, StaffingTarget{TargetKind::asa, 15.0},
                      StaffingTarget{TargetKind::p_abandon, 0.03}}) {
    auto n = required_agents(q, target);
    REQUIRE(n.has_value());
    auto meets = [&](int c) {
      QueueInput x = q;
      x.agents = c;
      auto m = queue_measures(x);
      return target.kind == TargetKind::service_level ? m.service_level >= target.value
             : target.kind == TargetKind::asa         ? m.asa <= target.value
                                                      : m.p_abandon <= target.value;
    };
    CHECK(meets(*n));
    CHECK_FALSE(meets(*n - 1));
  }
  // Erlang C: 360 calls/h x 240 s = 24 Erlang needs more than 24 agents whatever the target.
  auto c = required_agents(input(360, 240, 0), {TargetKind::service_level, 0.8});
  REQUIRE(c.has_value());
  CHECK(*c > 24);
}

TEST_CASE("Student-t intervals use the right quantiles", "[statistics]") {
  CHECK(student_t_quantile(0.95, 10) == Approx(2.228138852).margin(1e-8));
  CHECK(student_t_quantile(0.99, 5) == Approx(4.032142984).margin(1e-8));
  std::vector<double> v = {1, 2, 3, 4, 5};
  auto e = estimate(v);
  CHECK(e.mean == Approx(3.0));
  CHECK(e.half_width == Approx(2.776445105 * std::sqrt(2.5) / std::sqrt(5.0)).margin(1e-8));
  std::vector<double> with_nan = {1, NAN, 3};
  CHECK(estimate(with_nan).n == 2);
  std::vector<double> one = {4};
  CHECK(std::isnan(estimate(one).half_width));
}

TEST_CASE("Pollaczek-Khinchine: M/M/1 as Erlang C with one agent, M/D/1 half of it", "[analysis][mg1]") {
  QueueInput q;
  q.arrival_rate = 0.7 / 60.0;
  q.service_rate = 1.0 / 60.0;
  q.agents = 1;
  const double mm1 = pollaczek_khinchine_wait(q.arrival_rate, 60.0, 2.0 * 60.0 * 60.0);
  CHECK(mm1 == Approx(erlang_c_measures(q).mean_wait));
  CHECK(mm1 == Approx(0.7 * 60.0 / 0.3));
  CHECK(pollaczek_khinchine_wait(q.arrival_rate, 60.0, 60.0 * 60.0) == Approx(mm1 / 2.0));
  CHECK(std::isinf(pollaczek_khinchine_wait(1.0 / 60.0, 60.0, 3600.0)));
}
