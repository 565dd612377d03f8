#include "erlang.hpp"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace ccsim::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void check_input(const QueueInput& q) {
  if (!(q.arrival_rate >= 0.0) || !(q.service_rate > 0.0) || !(q.patience_rate >= 0.0) || q.agents < 0 ||
      !(q.tau >= 0.0))
    throw std::invalid_argument(
        "queue input needs arrival_rate >= 0, service_rate > 0, patience_rate >= 0, "
        "agents >= 0, tau >= 0");
}

// Number in system beyond which the Erlang-A distribution carries no mass worth a double: the chain's
// log-weights fall by at least log((c mu + k theta)/lambda) per state past the point where deaths
// outpace births.
int truncation_level(const QueueInput& q) {
  const double lam = q.arrival_rate;
  const int c = q.agents;
  double logw = 0.0, max_logw = 0.0;
  int n = 0;
  for (;;) {
    ++n;
    double death = std::min(n, c) * q.service_rate + std::max(n - c, 0) * q.patience_rate;
    logw += std::log(lam / death);
    max_logw = std::max(max_logw, logw);
    if (n > c && death > lam && logw < max_logw - 40.0) return n;  // e^-40 ~ 4e-18 relative
    if (n > kMaxErlangAStates)
      throw std::runtime_error("Erlang A: truncation beyond " + std::to_string(kMaxErlangAStates) +
                               " states");
  }
}

// I_x(k, b) for k = n, n-1, ..., 1 in turn, from I_x(n + 1, b) by I_x(k, b) = I_x(k + 1, b) + t_k with
// t_k = Gamma(k + b) / (Gamma(k + 1) Gamma(b)) x^k (1 - x)^b: every step adds, so nothing cancels. log t_k
// moves by one ratio per step and is taken afresh from lgamma every 256 steps, so round-off cannot drift.
class IncompleteBetaDown {
 public:
  IncompleteBetaDown(int n, double b, double x, double log_x, double log_rest)
      : k_(n), b_(b), log_x_(log_x), log_rest_(log_rest), sum_(boost::math::ibeta(n + 1.0, b, x)) {
    log_t_ = exact_log_t(k_);
  }
  // I_x(k, b) for the next k down.
  double step() {
    if (k_ % 256 == 0) log_t_ = exact_log_t(k_);
    sum_ += std::exp(log_t_);
    // t_{k-1} = t_k k / (x (k - 1 + b))
    log_t_ += std::log(k_ / (k_ - 1 + b_)) - log_x_;
    --k_;
    return std::min(1.0, sum_);
  }

 private:
  double exact_log_t(int k) const {
    return std::lgamma(k + b_) - std::lgamma(k + 1.0) - std::lgamma(b_) + k * log_x_ + b_ * log_rest_;
  }
  int k_;
  double b_, log_x_, log_rest_, sum_, log_t_ = 0.0;
};
}  // namespace

std::vector<double> erlang_a_distribution(const QueueInput& q) {
  check_input(q);
  if (q.patience_rate <= 0.0) throw std::invalid_argument("erlang_a_distribution needs patience_rate > 0");
  const int top = truncation_level(q);
  // Product form pi_n ~ prod lambda / death_k, in logs so that loads of thousands of Erlang do not overflow.
  std::vector<double> pi(static_cast<std::size_t>(top) + 1, 0.0);
  double logw = 0.0, max_logw = 0.0;
  for (int n = 1; n <= top; ++n) {
    logw += std::log(q.arrival_rate /
                     (std::min(n, q.agents) * q.service_rate + std::max(n - q.agents, 0) * q.patience_rate));
    pi[static_cast<std::size_t>(n)] = logw;
    max_logw = std::max(max_logw, logw);
  }
  double total = 0.0;
  for (double& p : pi) total += (p = std::exp(p - max_logw));
  for (double& p : pi) p /= total;
  return pi;
}

double erlang_b(double offered_load, int agents) {
  if (offered_load < 0.0 || agents < 0)
    throw std::invalid_argument("erlang_b needs load >= 0 and agents >= 0");
  double b = 1.0;  // B(0) = 1; B(n) = a B(n-1) / (n + a B(n-1)) is stable for any size
  for (int n = 1; n <= agents; ++n) b = offered_load * b / (n + offered_load * b);
  return b;
}

double erlang_c(double offered_load, int agents) {
  if (offered_load >= agents) return 1.0;
  double b = erlang_b(offered_load, agents);
  double rho = offered_load / agents;
  return b / (1.0 - rho * (1.0 - b));
}

QueueMeasures erlang_c_measures(const QueueInput& q) {
  check_input(q);
  QueueMeasures m;
  const double a = q.arrival_rate / q.service_rate;
  const double c = q.agents;
  if (q.arrival_rate == 0.0) return m;  // nobody calls: nobody waits
  if (a >= c) {
    m.stable = false;
    m.p_wait = 1.0;
    m.service_level = 0.0;
    m.asa = m.mean_wait = m.mean_queue = kInf;
    m.occupancy = 1.0;
    return m;
  }
  const double gap = c * q.service_rate - q.arrival_rate;  // drain rate of the queue
  m.p_wait = erlang_c(a, q.agents);
  m.service_level = 1.0 - m.p_wait * std::exp(-gap * q.tau);
  m.asa = m.mean_wait = m.p_wait / gap;
  m.mean_queue = q.arrival_rate * m.mean_wait;
  m.occupancy = a / c;
  return m;
}

std::vector<double> birth_death_stationary(const std::vector<double>& birth,
                                           const std::vector<double>& death) {
  const auto n = static_cast<Eigen::Index>(birth.size());
  if (death.size() != birth.size() || n == 0)
    throw std::invalid_argument("birth and death need equal, non-zero size");
  // Balance equations pi Q = 0, written as Q^T pi = 0; the last one is replaced by sum(pi) = 1.
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(static_cast<std::size_t>(4 * n));
  for (Eigen::Index j = 0; j + 1 < n; ++j) {  // row j of Q^T: inflow to j minus outflow from j
    double out = (j + 1 < n ? birth[static_cast<std::size_t>(j)] : 0.0) +
                 (j > 0 ? death[static_cast<std::size_t>(j)] : 0.0);
    t.emplace_back(j, j, -out);
    if (j > 0) t.emplace_back(j, j - 1, birth[static_cast<std::size_t>(j - 1)]);
    t.emplace_back(j, j + 1, death[static_cast<std::size_t>(j + 1)]);
  }
  for (Eigen::Index j = 0; j < n; ++j) t.emplace_back(n - 1, j, 1.0);
  Eigen::SparseMatrix<double> a(n, n);
  a.setFromTriplets(t.begin(), t.end());
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(n - 1) = 1.0;
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) throw std::runtime_error("birth-death chain: factorisation failed");
  Eigen::VectorXd pi = lu.solve(rhs);
  std::vector<double> out(pi.data(), pi.data() + n);
  for (double& p : out) p = std::max(p, 0.0);  // round-off below zero in the far tail
  return out;
}

QueueMeasures erlang_a_measures(const QueueInput& q) {
  check_input(q);
  if (q.patience_rate == 0.0) return erlang_c_measures(q);
  QueueMeasures m;
  if (q.arrival_rate == 0.0) return m;
  const int c = q.agents;
  const double mu = q.service_rate, theta = q.patience_rate;
  const std::vector<double> pi = erlang_a_distribution(q);
  const int top = static_cast<int>(pi.size()) - 1;

  // A caller arriving to n >= c others waits at queue position k = n - c + 1. At position k the queue
  // ahead moves at r_k = c mu + (k-1) theta; the caller leaves at rate q_k = r_k + theta.
  const int positions = top - c + 1;  // k = 1..positions
  double busy = 0.0, p_wait = 0.0, mean_queue = 0.0;
  for (int n = 0; n <= top; ++n) {
    double p = pi[static_cast<std::size_t>(n)];
    busy += std::min(n, c) * p;
    if (n >= c) p_wait += p;
    if (n > c) mean_queue += (n - c) * p;
  }
  // s_k = P(answered | k), w_k = E[wait 1{answered} | k], e_k = E[wait until answer or abandon | k].
  double p_answered = 1.0 - p_wait, wait_answered = 0.0, wait_all = 0.0;
  double s = 1.0, w = 0.0, e = 0.0;
  for (int k = 1; k <= positions; ++k) {
    double r = c * mu + (k - 1) * theta, qk = r + theta;
    w = (r / qk) * (s / qk + w);  // uses s_{k-1}
    s = (r / qk) * s;
    e = 1.0 / qk + (r / qk) * e;
    double p = pi[static_cast<std::size_t>(c + k - 1)];
    p_answered += p * s;
    wait_answered += p * w;
    wait_all += p * e;
  }

  // SL(tau) in closed form. A caller arriving at position k waits for the k-1 ahead to leave and one more
  // answer: V_k = sum_{j<k} Exp(c mu + j theta), rates in arithmetic progression, so
  // P(V_k <= t) = I_{1-e^{-theta t}}(k, alpha) with alpha = c mu / theta (regularised incomplete beta).
  // Their own patience is Exp(theta) apart from V_k; with U = 1 - e^{-theta tau}:
  //   answered by tau  = E[e^{-theta V_k}; V_k <= tau] = alpha / (alpha + k) I_U(k, alpha + 1),
  //   abandoned by tau = U - answered by tau + (1 - U) I_U(k, alpha).
  // One pass over the positions, whatever tau: an uniformised walk cost positions x Lambda tau.
  double answered_by_tau = 0.0, abandoned_by_tau = 0.0;
  if (positions > 0 && q.tau > 0.0) {
    if (c == 0) {  // nobody is answered; each waiting caller's own patience alone decides
      abandoned_by_tau = p_wait * -std::expm1(-theta * q.tau);
    } else {
      const double alpha = c * mu / theta, u = -std::expm1(-theta * q.tau);
      const double log_u = std::log(u), log_rest = -theta * q.tau;  // log(1 - U), exactly
      IncompleteBetaDown a1(positions, alpha + 1.0, u, log_u, log_rest),
          a0(positions, alpha, u, log_u, log_rest);
      for (int k = positions; k >= 1; --k) {  // I_U(k, b) = I_U(k + 1, b) + t_k(b): sums of positive terms
        const double p = pi[static_cast<std::size_t>(c + k - 1)];
        const double i1 = a1.step(), i0 = a0.step();
        const double answered = alpha / (alpha + k) * i1;
        answered_by_tau += p * answered;
        abandoned_by_tau += p * std::max(0.0, u - answered + (1.0 - u) * i0);
      }
    }
  }
  m.p_wait = p_wait;
  m.service_level = (1.0 - p_wait) + answered_by_tau;
  m.p_abandon_within_tau = abandoned_by_tau;
  m.p_abandon = 1.0 - p_answered;
  m.asa = p_answered > 0.0 ? wait_answered / p_answered : kNaN;
  m.mean_wait = wait_all;
  m.mean_queue = mean_queue;
  m.occupancy = c > 0 ? busy / c : 0.0;
  return m;
}

QueueMeasures erlang_b_measures(const QueueInput& q) {
  QueueMeasures m;
  const double a = q.arrival_rate / q.service_rate;
  const double b = erlang_b(a, q.agents);
  m.p_wait = m.p_abandon = m.p_abandon_within_tau = b;
  m.service_level = 1.0 - b;  // everyone answered is answered at once
  m.asa = m.mean_wait = m.mean_queue = 0.0;
  m.occupancy = q.agents > 0 ? a * (1.0 - b) / q.agents : 0.0;
  return m;
}

bool erlang_a_tractable(const QueueInput& q) {
  // The chain's weights peak where deaths catch up with births: below the agents at lambda / mu, else
  // where the abandonments make up the rest; the truncation lies a few standard deviations beyond. Every
  // measure, SL(tau) included, is one pass over the states.
  const double c = q.agents, capacity = c * q.service_rate;
  const double peak = q.arrival_rate <= capacity ? q.arrival_rate / q.service_rate
                                                 : c + (q.arrival_rate - capacity) / q.patience_rate;
  const double top = std::max(c, peak);  // the truncation also runs past every agent
  return top + 20.0 * std::sqrt(top) + 1000.0 < kMaxErlangAStates;
}

QueueMeasures queue_measures(const QueueInput& q) {
  if (std::isinf(q.patience_rate)) return erlang_b_measures(q);
  if (q.patience_rate > 0.0 && !erlang_a_tractable(q)) {
    QueueMeasures m;  // nothing stationary to say (see the header)
    m.stable = false;
    m.p_wait = m.service_level = m.p_abandon_within_tau = m.asa = m.mean_wait = m.p_abandon = m.occupancy =
        m.mean_queue = kNaN;
    return m;
  }
  return q.patience_rate > 0.0 ? erlang_a_measures(q) : erlang_c_measures(q);
}

std::optional<int> required_agents(QueueInput q, const StaffingTarget& target, int max_agents) {
  auto meets = [&](const QueueMeasures& m) {
    if (!m.stable) return false;
    switch (target.kind) {
      case TargetKind::service_level:
        return m.service_level >= target.value;
      case TargetKind::asa:
        return m.asa <= target.value;
      case TargetKind::p_abandon:
        return m.p_abandon <= target.value;
    }
    return false;
  };
  // Every measure improves with each extra agent, so the first c that meets the target is the answer.
  // Without abandonment no c at or below the load is stable: start just above it.
  int start = q.patience_rate > 0.0 ? 1 : static_cast<int>(std::floor(q.arrival_rate / q.service_rate)) + 1;
  for (int c = std::max(start, 1); c <= max_agents; ++c) {
    q.agents = c;
    if (meets(queue_measures(q))) return c;
  }
  return std::nullopt;
}

double pollaczek_khinchine_wait(double arrival_rate, double mean_service, double service_second_moment) {
  const double rho = arrival_rate * mean_service;
  if (rho >= 1.0) return std::numeric_limits<double>::infinity();
  return arrival_rate * service_second_moment / (2.0 * (1.0 - rho));
}

}  // namespace ccsim::analysis
