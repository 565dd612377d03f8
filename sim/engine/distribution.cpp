#include "engine/distribution.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/error.hpp"

namespace ccsim::engine {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw InputError(what);
}

bool positive_finite(double x) {
  return std::isfinite(x) && x > 0.0;
}

std::string num(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

}  // namespace

Distribution Distribution::deterministic(double value) {
  require(std::isfinite(value) && value >= 0.0, "value must be a finite number >= 0, got " + num(value));
  return {Kind::deterministic, value};
}

Distribution Distribution::exponential(double mean) {
  require(positive_finite(mean), "mean must be > 0, got " + num(mean));
  return {Kind::exponential, mean};
}

Distribution Distribution::lognormal(double mean, double sd) {
  require(positive_finite(mean), "mean must be > 0, got " + num(mean));
  require(positive_finite(sd), "sd must be > 0, got " + num(sd) + " (use deterministic for sd 0)");
  double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return {Kind::lognormal, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2), mean};
}

Distribution Distribution::gamma(double mean, double cv) {
  require(positive_finite(mean), "mean must be > 0, got " + num(mean));
  require(positive_finite(cv), "cv must be > 0, got " + num(cv) + " (use deterministic for cv 0)");
  double shape = 1.0 / (cv * cv);
  return {Kind::gamma, shape, mean / shape};
}

Distribution Distribution::weibull(double shape, double scale) {
  require(positive_finite(shape), "shape must be > 0, got " + num(shape));
  require(positive_finite(scale), "scale must be > 0, got " + num(scale));
  return {Kind::weibull, shape, scale};
}

Distribution Distribution::never() {
  return {Kind::never, 0.0};
}

Distribution Distribution::offset(double value) {
  require(std::isfinite(value), "value must be a finite number");
  return {Kind::deterministic, value};
}

Distribution Distribution::normal(double mean, double sd) {
  require(std::isfinite(mean), "mean must be a finite number");
  require(std::isfinite(sd) && sd >= 0.0, "sd must be >= 0, got " + num(sd));
  return {Kind::normal, mean, sd};
}

Distribution Distribution::uniform(double low, double high) {
  require(std::isfinite(low) && std::isfinite(high) && low <= high,
          "needs low <= high, got " + num(low) + " and " + num(high));
  return {Kind::uniform, low, high};
}

Distribution Distribution::empirical(std::vector<double> values) {
  require(!values.empty(), "needs at least one value");
  for (double x : values)
    require(std::isfinite(x) && x >= 0.0, "values must be finite numbers >= 0, got " + num(x));
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  double mean = values.front(), variance = 0.0;
  if (n > 1) {
    // The interpolated law is a mixture of n - 1 uniforms on [x(i), x(i+1)], each of weight 1 / (n - 1).
    double sum = 0.0, square = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double a = values[i], b = values[i + 1];
      sum += 0.5 * (a + b);
      square += (a * a + a * b + b * b) / 3.0;
    }
    const double m = static_cast<double>(n - 1);
    mean = sum / m;
    variance = std::max(0.0, square / m - mean * mean);
  }
  Distribution d{Kind::empirical, mean, variance};
  d.sorted_ = std::make_shared<const std::vector<double>>(std::move(values));
  return d;
}

const std::vector<double>& Distribution::observations() const {
  static const std::vector<double> none;
  return sorted_ ? *sorted_ : none;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::deterministic:
    case Kind::exponential:
      return a_;
    case Kind::lognormal:
      return c_;
    case Kind::gamma:
      return a_ * b_;
    case Kind::weibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case Kind::never:
      return std::numeric_limits<double>::infinity();
    case Kind::normal:
      return a_;
    case Kind::uniform:
      return 0.5 * (a_ + b_);
    case Kind::empirical:
      return a_;
  }
  return 0.0;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::deterministic:
      return 0.0;
    case Kind::exponential:
      return a_ * a_;
    case Kind::lognormal:
      return std::expm1(b_ * b_) * c_ * c_;
    case Kind::gamma:
      return a_ * b_ * b_;
    case Kind::weibull: {
      double g1 = std::tgamma(1.0 + 1.0 / a_);
      return b_ * b_ * (std::tgamma(1.0 + 2.0 / a_) - g1 * g1);
    }
    case Kind::never:
      return std::numeric_limits<double>::infinity();
    case Kind::normal:
      return b_ * b_;
    case Kind::uniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::empirical:
      return b_;
  }
  return 0.0;
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::deterministic:
      return "deterministic(" + num(a_) + ")";
    case Kind::exponential:
      return "exponential(mean " + num(a_) + ")";
    case Kind::lognormal:
      return "lognormal(mean " + num(c_) + ", sd " + num(std::sqrt(variance())) + ")";
    case Kind::gamma:
      return "gamma(mean " + num(mean()) + ", cv " + num(1.0 / std::sqrt(a_)) + ")";
    case Kind::weibull:
      return "weibull(shape " + num(a_) + ", scale " + num(b_) + ")";
    case Kind::never:
      return "none";
    case Kind::normal:
      return "normal(mean " + num(a_) + ", sd " + num(b_) + ")";
    case Kind::uniform:
      return "uniform(" + num(a_) + ", " + num(b_) + ")";
    case Kind::empirical:
      return "empirical(" + std::to_string(sorted_->size()) + " values, mean " + num(a_) + ")";
  }
  return "?";
}

Distribution Distribution::scaled(double factor) const {
  switch (kind_) {
    case Kind::deterministic:
    case Kind::exponential:
      return {kind_, a_ * factor};
    case Kind::lognormal:
      return {kind_, a_ + std::log(factor), b_, c_ * factor};
    case Kind::gamma:
    case Kind::weibull:
      return {kind_, a_, b_ * factor};
    case Kind::never:
      return *this;
    case Kind::normal:
    case Kind::uniform:
      return {kind_, a_ * factor, b_ * factor};
    case Kind::empirical: {
      std::vector<double> values = *sorted_;
      for (double& x : values) x *= factor;
      return empirical(std::move(values));
    }
  }
  return *this;
}

double Distribution::survival(double x) const {
  switch (kind_) {
    case Kind::deterministic:
      return x < a_ ? 1.0 : 0.0;
    case Kind::exponential:
      return x <= 0.0 ? 1.0 : std::exp(-x / a_);
    case Kind::lognormal:
      return x <= 0.0 ? 1.0 : 0.5 * std::erfc((std::log(x) - a_) / (b_ * std::sqrt(2.0)));
    case Kind::gamma:
      return x <= 0.0 ? 1.0 : boost::math::gamma_q(a_, x / b_);
    case Kind::weibull:
      return x <= 0.0 ? 1.0 : std::exp(-std::pow(x / b_, a_));
    case Kind::never:
      return 1.0;
    case Kind::normal:
      if (b_ == 0.0) return x < a_ ? 1.0 : 0.0;
      return 0.5 * std::erfc((x - a_) / (b_ * std::sqrt(2.0)));
    case Kind::uniform:
      if (x < a_) return 1.0;
      return x >= b_ ? 0.0 : (b_ - x) / (b_ - a_);
    case Kind::empirical: {
      const std::vector<double>& v = *sorted_;
      if (x < v.front()) return 1.0;
      if (x >= v.back()) return 0.0;
      // x(i) <= x < x(i+1): the interpolated distribution function is (i + (x - x(i)) / (x(i+1) - x(i))) / (n - 1).
      const auto i = static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), x) - v.begin()) - 1;
      const double within = (x - v[i]) / (v[i + 1] - v[i]);
      return 1.0 - (static_cast<double>(i) + within) / static_cast<double>(v.size() - 1);
    }
  }
  return 0.0;
}

// Conditional inversion: with S the survival function, X given X > e is S^-1(S(e) U), U uniform on (0, 1].
// The Weibull's is written in logarithms so that far tails keep their precision.
double Distribution::residual(double elapsed, Stream& s, bool* beyond) const {
  auto nothing_left = [&] {
    if (beyond) *beyond = true;
    return 0.0;
  };
  switch (kind_) {
    case Kind::exponential:
      return s.exponential(a_);  // memoryless: the same draw as a fresh value
    case Kind::never:
      return std::numeric_limits<double>::infinity();
    case Kind::deterministic:
      return elapsed < a_ ? a_ - elapsed : nothing_left();
    case Kind::uniform:
      if (elapsed >= b_) return nothing_left();
      if (elapsed < a_) return a_ - elapsed + (b_ - a_) * s.uniform();
      return (b_ - elapsed) * s.uniform_open0();
    case Kind::weibull: {
      const double used = elapsed <= 0.0 ? 0.0 : std::pow(elapsed / b_, a_);  // -log S(elapsed)
      const double x = b_ * std::pow(used - std::log(s.uniform_open0()), 1.0 / a_);
      return std::isfinite(x) ? std::max(0.0, x - elapsed) : nothing_left();
    }
    case Kind::empirical: {
      const double left = survival(elapsed);
      if (!(left > 0.0)) return nothing_left();
      // The quantile at a uniform point of (F(elapsed), 1), as sample_empirical inverts.
      const double u = 1.0 - left * s.uniform_open0();
      return std::max(0.0, empirical_quantile(u) - elapsed);
    }
    case Kind::lognormal:
    case Kind::gamma:
    case Kind::normal: {
      const double left = survival(elapsed);
      if (!(left > 0.0)) return nothing_left();
      const double q = left * s.uniform_open0();
      double x = 0.0;
      try {
        if (kind_ == Kind::gamma)
          x = b_ * boost::math::gamma_q_inv(a_, q);
        else if (kind_ == Kind::lognormal)
          x = std::exp(a_ + b_ * std::sqrt(2.0) * boost::math::erfc_inv(2.0 * q));
        else
          x = a_ + b_ * std::sqrt(2.0) * boost::math::erfc_inv(2.0 * q);
      } catch (const std::exception&) {  // Boost's overflow: no double holds the quantile
        return nothing_left();
      }
      return std::isfinite(x) ? std::max(0.0, x - elapsed) : nothing_left();
    }
  }
  return nothing_left();
}

double Distribution::sample_other(Stream& s) const {
  switch (kind_) {
    case Kind::deterministic:
      return a_;
    case Kind::exponential:
      return s.exponential(a_);
    case Kind::lognormal:
      return sample_lognormal(s);
    case Kind::gamma:
      return sample_gamma(s);
    case Kind::weibull:
      return sample_weibull(s);
    case Kind::never:
      return std::numeric_limits<double>::infinity();
    case Kind::normal:
      return a_ + b_ * s.normal();
    case Kind::uniform:
      return a_ + (b_ - a_) * s.uniform();
    case Kind::empirical:
      return sample_empirical(s);
  }
  return a_;
}

double Distribution::sample_lognormal(Stream& s) const {
  return std::exp(a_ + b_ * s.normal());
}

double Distribution::sample_weibull(Stream& s) const {
  return b_ * std::pow(-std::log(s.uniform_open0()), 1.0 / a_);
}

// Inversion: one uniform per draw, so a stream's n-th draw depends only on n, whatever the data.
double Distribution::sample_empirical(Stream& s) const {
  return empirical_quantile(s.uniform());
}

double Distribution::empirical_quantile(double u) const {
  const std::vector<double>& x = *sorted_;
  const std::size_t last = x.size() - 1;
  const double position = u * static_cast<double>(last);
  const auto i = static_cast<std::size_t>(position);
  if (i >= last) return x[last];  // n = 1, or u (n - 1) rounded up to n - 1
  return x[i] + (position - static_cast<double>(i)) * (x[i + 1] - x[i]);
}

// Marsaglia & Tsang (2000); for shape < 1 the boost G(a) = G(a+1) * U^(1/a).
double Distribution::sample_gamma(Stream& s) const {
  double shape = a_ < 1.0 ? a_ + 1.0 : a_;
  double d = shape - 1.0 / 3.0;
  double c = 1.0 / std::sqrt(9.0 * d);
  double x = 0.0;
  for (;;) {
    double z = s.normal();
    double v = 1.0 + c * z;
    if (v <= 0.0) continue;
    v = v * v * v;
    double u = s.uniform_open0();
    if (u < 1.0 - 0.0331 * z * z * z * z || std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) {
      x = d * v;
      break;
    }
  }
  if (a_ < 1.0) x *= std::pow(s.uniform_open0(), 1.0 / a_);
  return x * b_;
}

}  // namespace ccsim::engine
