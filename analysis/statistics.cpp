#include "statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ccsim::analysis {

double student_t_quantile(double confidence, std::size_t dof) {
  boost::math::students_t dist(static_cast<double>(dof));
  return boost::math::quantile(boost::math::complement(dist, (1.0 - confidence) / 2.0));
}

Estimate estimate(std::span<const double> values, double confidence) {
  Estimate e;
  double sum = 0.0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++e.n;
    }
  if (e.n == 0)
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), 0};
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) {
    e.half_width = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double ss = 0.0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - e.mean) * (v - e.mean);
  double sd = std::sqrt(ss / static_cast<double>(e.n - 1));
  e.half_width = student_t_quantile(confidence, e.n - 1) * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

Estimate paired_difference(std::span<const double> baseline, std::span<const double> other,
                           double confidence) {
  if (baseline.size() != other.size())
    throw std::invalid_argument("paired_difference needs equally long samples");
  std::vector<double> d;
  for (std::size_t i = 0; i < baseline.size(); ++i)
    if (!std::isnan(baseline[i]) && !std::isnan(other[i])) d.push_back(other[i] - baseline[i]);
  return estimate(d, confidence);
}

Estimate unpaired_difference(std::span<const double> baseline, std::span<const double> other,
                             double confidence) {
  const Estimate a = estimate(baseline, confidence), b = estimate(other, confidence);
  Estimate e;
  e.mean = b.mean - a.mean;
  e.n = std::min(a.n, b.n);
  if (a.n < 2 || b.n < 2) {
    e.half_width = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  auto variance_of_mean = [&](const Estimate& x) {
    const double se = x.half_width / student_t_quantile(confidence, x.n - 1);
    return se * se;
  };
  const double va = variance_of_mean(a), vb = variance_of_mean(b);
  // Welch-Satterthwaite degrees of freedom.
  const double dof = (va + vb) * (va + vb) /
                     (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  boost::math::students_t dist(std::max(dof, 1.0));
  e.half_width =
      boost::math::quantile(boost::math::complement(dist, (1.0 - confidence) / 2.0)) * std::sqrt(va + vb);
  return e;
}

}  // namespace ccsim::analysis
