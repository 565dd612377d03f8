#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/random.hpp"

namespace ccsim::engine {

// A continuous distribution as value type (non-negative except normal and uniform, which serve offsets
// such as an appointment's punctuality): a kind and up to three parameters, and for an empirical law its
// sorted data, shared between copies. Sampling dispatches on the kind with a switch (no virtual call on the
// hot path). Factories validate their parameters and throw InputError with a sentence the scenario parser
// prefixes with the place in the file.
class Distribution {
 public:
  enum class Kind : std::uint8_t {
    deterministic,
    exponential,
    lognormal,
    gamma,
    weibull,
    never,
    normal,
    uniform,
    empirical
  };

  static Distribution deterministic(double value);
  static Distribution exponential(double mean);
  static Distribution lognormal(double mean, double sd);  // given the mean and sd of the variable itself
  static Distribution gamma(double mean, double cv);
  static Distribution weibull(double shape, double scale);
  static Distribution never();               // +infinity: e.g. patience of callers who never abandon
  static Distribution offset(double value);  // deterministic, any sign
  static Distribution normal(double mean, double sd);    // any sign
  static Distribution uniform(double low, double high);  // any sign
  // The law of observed values (each finite, >= 0; at least one): sampled by inversion with linear
  // interpolation between the order statistics, so its quantile at u is x(i) + (u (n-1) - i)(x(i+1) - x(i))
  // and its mean is the trapezoid's, (sum - (min + max) / 2) / (n - 1), which tends to the data's mean.
  static Distribution empirical(std::vector<double> values);

  Distribution() = default;

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] double mean() const;
  [[nodiscard]] double variance() const;
  // The values an empirical law was made of, in ascending order (empty for the other kinds).
  [[nodiscard]] const std::vector<double>& observations() const;
  [[nodiscard]] bool is_finite() const { return kind_ != Kind::never; }
  [[nodiscard]] std::string describe() const;
  // The same distribution with every value multiplied by `factor` (> 0).
  [[nodiscard]] Distribution scaled(double factor) const;
  // P(X > x).
  [[nodiscard]] double survival(double x) const;
  // What is left of a value known to exceed `elapsed`: X - elapsed drawn given X > elapsed, by inverting
  // the conditional survival function (a memoryless exponential draws as sample() does). An `elapsed` at or
  // past the end of the law's support (deterministic, uniform, or a tail too thin for a double) leaves
  // nothing: 0 is returned and *beyond set, so that the caller can warn.
  double residual(double elapsed, Stream& s, bool* beyond = nullptr) const;

  // The two common laws inline on the per-contact path; the others through the switch.
  double sample(Stream& s) const {
    if (kind_ == Kind::exponential) return s.exponential(a_);
    if (kind_ == Kind::deterministic) return a_;
    return sample_other(s);
  }

 private:
  double sample_other(Stream& s) const;
  Distribution(Kind k, double a, double b = 0.0, double c = 0.0) : kind_(k), a_(a), b_(b), c_(c) {}
  double sample_lognormal(Stream& s) const;
  double sample_gamma(Stream& s) const;
  double sample_weibull(Stream& s) const;
  double sample_empirical(Stream& s) const;
  // The interpolated law's quantile at u in [0, 1].
  double empirical_quantile(double u) const;

  Kind kind_ = Kind::deterministic;
  // deterministic: a = value; exponential: a = mean; lognormal: a = mu, b = sigma (of the log), c = mean;
  // gamma: a = shape, b = scale; weibull: a = shape, b = scale; empirical: a = mean, b = variance.
  double a_ = 0.0, b_ = 0.0, c_ = 0.0;
  // empirical: the sorted values, shared by the copies every policy and thread makes of the scenario.
  std::shared_ptr<const std::vector<double>> sorted_;
};

}  // namespace ccsim::engine
