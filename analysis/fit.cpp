#include "fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ccsim::analysis {
namespace {

namespace bm = boost::math;
// Out-of-range arguments (a trial step far off) give NaN or infinity, which the line search refuses, rather
// than exceptions; doubles are computed as doubles (a likelihood needs no long-double digits, and the
// censored gamma's incomplete gamma function is most of a fit's time).
using Quiet = bm::policies::policy<bm::policies::promote_double<false>,
                                   bm::policies::domain_error<bm::policies::ignore_error>,
                                   bm::policies::overflow_error<bm::policies::ignore_error>,
                                   bm::policies::evaluation_error<bm::policies::ignore_error>,
                                   bm::policies::pole_error<bm::policies::ignore_error>>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLog2Pi = 1.8378770664093454835606594728112;

// The data as the likelihoods use them: sufficient statistics of the observed values, and the distinct
// censored values with their counts (data in whole seconds repeat a lot; a value censored at 0 says
// nothing and is left out).
struct Data {
  std::vector<double> events;
  std::vector<std::pair<double, double>> censored;  // (value, how many)
  double d = 0.0, sum = 0.0, sum_log = 0.0, sum_log2 = 0.0, censored_sum = 0.0;
  explicit Data(const Observations& o) {
    std::vector<double> lower_bounds;
    for (std::size_t i = 0; i < o.values.size(); ++i) {
      const double x = o.values[i];
      if (!o.censored.empty() && o.censored[i]) {
        if (x > 0.0) lower_bounds.push_back(x);
        censored_sum += x;
        continue;
      }
      events.push_back(x);
      sum += x;
      sum_log += std::log(x);
      sum_log2 += std::log(x) * std::log(x);
    }
    d = static_cast<double>(events.size());
    std::sort(lower_bounds.begin(), lower_bounds.end());
    for (double x : lower_bounds) {
      if (censored.empty() || censored.back().first != x) censored.emplace_back(x, 0.0);
      censored.back().second += 1.0;
    }
  }
};

// log P(Z > z) for a standard normal, without underflow far in the tail (Mills' ratio's asymptotic series).
double log_normal_survival(double z) {
  if (z < 30.0) return std::log(0.5 * bm::erfc(z / std::sqrt(2.0), Quiet()));
  const double z2 = z * z;
  return -0.5 * z2 - std::log(z) - 0.5 * kLog2Pi + std::log1p(-1.0 / z2 + 3.0 / (z2 * z2));
}

// log Q(k, y), the regularised upper incomplete gamma function; its leading term where Q underflows.
double log_gamma_survival(double k, double y) {
  const double q = bm::gamma_q(k, y, Quiet());
  if (q > 0.0 && std::isfinite(q)) return std::log(q);
  return (k - 1.0) * std::log(y) - y - bm::lgamma(k, Quiet());
}

// The log-likelihood of each family in its working parameters theta (logs of positive parameters, so
// that Newton's steps stay inside the parameter space).
double log_likelihood(Family f, const Data& x, const Eigen::VectorXd& theta) {
  switch (f) {
    case Family::exponential: {
      const double m = std::exp(theta[0]);
      return -x.d * theta[0] - (x.sum + x.censored_sum) / m;
    }
    case Family::lognormal: {
      const double mu = theta[0], sigma = std::exp(theta[1]);
      double ll = -x.sum_log - x.d * (theta[1] + 0.5 * kLog2Pi) -
                  (x.sum_log2 - 2.0 * mu * x.sum_log + x.d * mu * mu) / (2.0 * sigma * sigma);
      for (const auto& [c, n] : x.censored) ll += n * log_normal_survival((std::log(c) - mu) / sigma);
      return ll;
    }
    case Family::gamma: {
      const double k = std::exp(theta[0]), s = std::exp(theta[1]);
      double ll = (k - 1.0) * x.sum_log - x.sum / s - x.d * (bm::lgamma(k, Quiet()) + k * theta[1]);
      for (const auto& [c, n] : x.censored) ll += n * log_gamma_survival(k, c / s);
      return ll;
    }
    case Family::weibull: {
      const double k = std::exp(theta[0]), lambda = std::exp(theta[1]);
      double ll = x.d * (theta[0] - k * theta[1]) + (k - 1.0) * x.sum_log;
      for (double v : x.events) ll -= std::pow(v / lambda, k);
      for (const auto& [c, n] : x.censored) ll -= n * std::pow(c / lambda, k);
      return ll;
    }
  }
  return kNaN;
}

// Starting points from the observed values' moments (the exponential's is its exact estimate; the
// gamma's the exact estimate without censoring, from log k - digamma(k) = log(mean) - mean(log)).
Eigen::VectorXd start(Family f, const Data& x) {
  const double mean = x.sum / x.d, mean_log = x.sum_log / x.d;
  const double var_log = std::max(x.sum_log2 / x.d - mean_log * mean_log, 1e-12);
  double var = 0.0;
  for (double v : x.events) var += (v - mean) * (v - mean);
  var = std::max(var / x.d, 1e-12 * mean * mean);
  Eigen::VectorXd t(f == Family::exponential ? 1 : 2);
  switch (f) {
    case Family::exponential:
      t << std::log((x.sum + x.censored_sum) / x.d);
      break;
    case Family::lognormal:
      t << mean_log, 0.5 * std::log(var_log);
      break;
    case Family::gamma: {
      const double target = std::max(std::log(mean) - mean_log, 1e-12);
      const auto equation = [target](double k) {
        return std::make_pair(std::log(k) - bm::digamma(k, Quiet()) - target,
                              1.0 / k - bm::trigamma(k, Quiet()));
      };
      std::uintmax_t iterations = 100;
      const double k0 = mean * mean / var;
      const double k = bm::tools::newton_raphson_iterate(equation, k0, k0 * 1e-6, k0 * 1e6, 40, iterations);
      t << std::log(k), std::log(mean / k);
      break;
    }
    case Family::weibull: {
      // The log of a Weibull variable is a Gumbel's: sd pi / (k sqrt 6), mean log(scale) - gamma_E / k.
      const double k = bm::constants::pi<double>() / std::sqrt(6.0 * var_log);
      t << std::log(k), mean_log + bm::constants::euler<double>() / k;
      break;
    }
  }
  return t;
}

// Gradient and Hessian of f at t by central differences (the working parameters are logs, so one step
// size suits every scale).
void derivatives(const std::function<double(const Eigen::VectorXd&)>& f, const Eigen::VectorXd& t,
                 Eigen::VectorXd& g, Eigen::MatrixXd& h) {
  const double step = 1e-4, f0 = f(t);
  const auto n = t.size();
  g.resize(n);
  h.resize(n, n);
  auto at = [&](Eigen::Index i, double di, Eigen::Index j, double dj) {
    Eigen::VectorXd u = t;
    u[i] += di;
    u[j] += dj;
    return f(u);
  };
  for (Eigen::Index i = 0; i < n; ++i) {
    const double up = at(i, step, i, 0.0), down = at(i, -step, i, 0.0);
    g[i] = (up - down) / (2.0 * step);
    h(i, i) = (up - 2.0 * f0 + down) / (step * step);
    for (Eigen::Index j = 0; j < i; ++j)
      h(i, j) = h(j, i) =
          (at(i, step, j, step) - at(i, step, j, -step) - at(i, -step, j, step) + at(i, -step, j, -step)) /
          (4.0 * step * step);
  }
}

// The empirical CDF's distance to the fitted one: Kaplan–Meier's estimate at each observed value (with no
// censoring, the ordinary empirical CDF).
double ks_distance(const Fit& fit, const Observations& o) {
  std::vector<std::size_t> order(o.values.size());
  std::iota(order.begin(), order.end(), 0);
  const auto censored = [&](std::size_t i) { return !o.censored.empty() && o.censored[i]; };
  // At equal values the observed come first: the censored were still at risk then.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return o.values[a] != o.values[b] ? o.values[a] < o.values[b] : censored(a) < censored(b);
  });
  double at_risk = static_cast<double>(order.size()), survival = 1.0, distance = 0.0;
  for (std::size_t k = 0; k < order.size();) {
    const double t = o.values[order[k]];
    double events = 0.0, leaving = 0.0;
    for (; k < order.size() && o.values[order[k]] == t; ++k) {
      events += censored(order[k]) ? 0.0 : 1.0;
      leaving += 1.0;
    }
    if (events > 0.0) {
      const double cdf = fitted_cdf(fit, t), before = 1.0 - survival;
      survival *= 1.0 - events / at_risk;
      distance = std::max({distance, std::abs(cdf - before), std::abs(cdf - (1.0 - survival))});
    }
    at_risk -= leaving;
  }
  return distance;
}

// The parameters as the scenario and the family name them, from the working parameters.
std::vector<double> scenario_terms(Family f, const Eigen::VectorXd& t) {
  switch (f) {
    case Family::exponential:
      return {std::exp(t[0])};
    case Family::lognormal: {
      const double s2 = std::exp(2.0 * t[1]), mean = std::exp(t[0] + 0.5 * s2);
      return {mean, mean * std::sqrt(std::expm1(s2))};
    }
    case Family::gamma:
      return {std::exp(t[0] + t[1]), std::exp(-0.5 * t[0])};
    case Family::weibull:
      return {std::exp(t[0]), std::exp(t[1])};
  }
  return {};
}
std::vector<double> natural_terms(Family f, const Eigen::VectorXd& t) {
  if (f == Family::lognormal) return {t[0], std::exp(t[1])};
  std::vector<double> out;
  for (Eigen::Index i = 0; i < t.size(); ++i) out.push_back(std::exp(t[i]));
  return out;
}

// Values with standard errors by the delta method: cov = J (-H)^-1 J^T, J by central differences.
std::vector<Parameter> with_errors(const std::vector<const char*>& names,
                                   const std::function<std::vector<double>(const Eigen::VectorXd&)>& terms,
                                   const Eigen::VectorXd& t, const Eigen::MatrixXd& covariance) {
  const std::vector<double> value = terms(t);
  Eigen::MatrixXd j(static_cast<Eigen::Index>(value.size()), t.size());
  const double step = 1e-6;
  for (Eigen::Index c = 0; c < t.size(); ++c) {
    Eigen::VectorXd up = t, down = t;
    up[c] += step;
    down[c] -= step;
    const std::vector<double> a = terms(up), b = terms(down);
    for (std::size_t r = 0; r < value.size(); ++r)
      j(static_cast<Eigen::Index>(r), c) = (a[r] - b[r]) / (2.0 * step);
  }
  const Eigen::MatrixXd cov = j * covariance * j.transpose();
  std::vector<Parameter> out;
  for (std::size_t r = 0; r < value.size(); ++r) {
    const double v = cov(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(r));
    out.push_back({names[r], value[r], v >= 0.0 ? std::sqrt(v) : kNaN});
  }
  return out;
}

}  // namespace

const char* family_name(Family f) {
  switch (f) {
    case Family::exponential:
      return "exponential";
    case Family::lognormal:
      return "lognormal";
    case Family::gamma:
      return "gamma";
    case Family::weibull:
      return "weibull";
  }
  return "?";
}

std::string unfittable(const Observations& data) {
  std::vector<double> observed;
  for (std::size_t i = 0; i < data.values.size(); ++i)
    if (data.censored.empty() || !data.censored[i]) observed.push_back(data.values[i]);
  if (observed.size() < 2)
    return "needs at least two uncensored values, has " + std::to_string(observed.size());
  if (std::all_of(observed.begin(), observed.end(), [&](double v) { return v == observed.front(); }))
    return "the uncensored values are all equal: a deterministic law, nothing to fit";
  for (double v : observed)
    if (!(v > 0.0) || !std::isfinite(v)) return "uncensored values must be finite and > 0";
  return "";
}

double fitted_cdf(const Fit& f, double x) {
  if (!(x > 0.0)) return 0.0;
  const auto p = [&](std::size_t i) { return f.natural[i].value; };
  switch (f.family) {
    case Family::exponential:
      return -std::expm1(-x / p(0));
    case Family::lognormal:
      return 0.5 * bm::erfc(-(std::log(x) - p(0)) / (p(1) * std::sqrt(2.0)), Quiet());
    case Family::gamma:
      return bm::gamma_p(p(0), x / p(1), Quiet());
    case Family::weibull:
      return -std::expm1(-std::pow(x / p(1), p(0)));
  }
  return kNaN;
}

Fit fit(Family family, const Observations& observations) {
  if (const std::string why = unfittable(observations); !why.empty()) throw std::invalid_argument(why);
  const Data data(observations);
  const auto ll = [&](const Eigen::VectorXd& t) { return log_likelihood(family, data, t); };
  Eigen::VectorXd theta = start(family, data), g;
  Eigen::MatrixXd h;
  // Newton's method with step halving; where the Hessian is not negative definite (far from the top), a
  // gradient step instead. Steps are at most a factor e^2 on any parameter.
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double f0 = ll(theta);
    derivatives(ll, theta, g, h);
    const Eigen::LDLT<Eigen::MatrixXd> curvature(-h);
    Eigen::VectorXd step = curvature.info() == Eigen::Success && (curvature.vectorD().array() > 0.0).all()
                               ? Eigen::VectorXd(curvature.solve(g))
                               : Eigen::VectorXd(g / std::max(1.0, h.diagonal().cwiseAbs().maxCoeff()));
    if (const double largest = step.cwiseAbs().maxCoeff(); largest > 2.0) step *= 2.0 / largest;
    bool moved = false;
    for (double t = 1.0; t > 1e-12; t *= 0.5) {
      const double f1 = ll(theta + t * step);
      if (std::isfinite(f1) && f1 >= f0) {
        theta += t * step;
        moved = (t * step).cwiseAbs().maxCoeff() > 1e-10;
        break;
      }
    }
    if (!moved) break;
  }
  Fit out;
  out.family = family;
  derivatives(ll, theta, g, h);
  const Eigen::LDLT<Eigen::MatrixXd> information(-h);
  const bool definite = information.info() == Eigen::Success && (information.vectorD().array() > 0.0).all();
  const Eigen::MatrixXd covariance =
      definite ? Eigen::MatrixXd(information.solve(Eigen::MatrixXd::Identity(theta.size(), theta.size())))
               : Eigen::MatrixXd::Constant(theta.size(), theta.size(), kNaN);
  // At the top the Newton step left is far below a standard error.
  out.converged = definite && std::isfinite(ll(theta)) && g.dot(covariance * g) < 1e-6;
  const auto scenario = [&](const Eigen::VectorXd& t) { return scenario_terms(family, t); };
  const auto natural = [&](const Eigen::VectorXd& t) { return natural_terms(family, t); };
  switch (family) {
    case Family::exponential:
      out.parameters = with_errors({"mean"}, scenario, theta, covariance);
      out.natural = with_errors({"mean"}, natural, theta, covariance);
      break;
    case Family::lognormal:
      out.parameters = with_errors({"mean", "sd"}, scenario, theta, covariance);
      out.natural = with_errors({"mu", "sigma"}, natural, theta, covariance);
      break;
    case Family::gamma:
      out.parameters = with_errors({"mean", "cv"}, scenario, theta, covariance);
      out.natural = with_errors({"shape", "scale"}, natural, theta, covariance);
      break;
    case Family::weibull:
      out.parameters = with_errors({"shape", "scale"}, scenario, theta, covariance);
      out.natural = out.parameters;
      break;
  }
  out.log_likelihood = ll(theta);
  out.aic = 2.0 * static_cast<double>(theta.size()) - 2.0 * out.log_likelihood;
  out.ks = ks_distance(out, observations);
  return out;
}

std::vector<Fit> fit_all(const Observations& data) {
  std::vector<Fit> fits;
  for (Family f : {Family::exponential, Family::lognormal, Family::gamma, Family::weibull})
    fits.push_back(fit(f, data));
  std::stable_sort(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) {
    if (a.converged != b.converged) return a.converged;
    return a.aic < b.aic;
  });
  return fits;
}

}  // namespace ccsim::analysis
