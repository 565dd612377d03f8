#include "statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

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

}  // namespace ccsim::analysis
