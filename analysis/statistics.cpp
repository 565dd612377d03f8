#include "statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace ccsim::analysis {

double student_t_quantile(double confidence, std::size_t dof) {
  // A summary asks for the same few (confidence, dof) pairs for every cell and measure, and boost's inverse
  // incomplete beta costs tens of microseconds: the last few answers are kept (per thread; exact, as they are
  // the same function's values).
  struct Known {
    double confidence;
    std::size_t dof;
    double value;
  };
  thread_local Known known[8] = {};
  thread_local std::size_t filled = 0, next = 0;
  for (std::size_t i = 0; i < filled; ++i)
    if (known[i].dof == dof && known[i].confidence == confidence) return known[i].value;
  boost::math::students_t dist(static_cast<double>(dof));
  const double value = boost::math::quantile(boost::math::complement(dist, (1.0 - confidence) / 2.0));
  known[next] = {confidence, dof, value};
  next = (next + 1) % 8;
  filled = std::max(filled, next == 0 ? std::size_t{8} : next);
  return value;
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

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Ratio {
  double r = kNaN, x_mean = kNaN;
  std::size_t n = 0;
};

// Replications where y or x is NaN are left out of both sums: `keep` says which count.
Ratio ratio_of(std::span<const double> y, std::span<const double> x, const std::vector<bool>& keep) {
  double sy = 0.0, sx = 0.0;
  Ratio out;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (keep[i]) {
      sy += y[i];
      sx += x[i];
      ++out.n;
    }
  if (out.n == 0) return out;
  out.x_mean = sx / static_cast<double>(out.n);
  out.r = sx != 0.0 ? sy / sx : kNaN;
  return out;
}

void require_same_length(std::size_t a, std::size_t b) {
  if (a != b) throw std::invalid_argument("ratio estimators need equally long numerators and denominators");
}

}  // namespace

Estimate ratio_of_totals(std::span<const double> y, std::span<const double> x, double confidence) {
  require_same_length(y.size(), x.size());
  std::vector<bool> keep(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) keep[i] = !std::isnan(y[i]) && !std::isnan(x[i]);
  const Ratio q = ratio_of(y, x, keep);
  Estimate e{q.r, kNaN, q.n};
  if (q.n < 2 || std::isnan(q.r)) return e;
  double ss = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (keep[i]) ss += (y[i] - q.r * x[i]) * (y[i] - q.r * x[i]);
  const auto n = static_cast<double>(q.n);
  e.half_width = student_t_quantile(confidence, q.n - 1) * std::sqrt(ss / (n - 1.0) / n) / std::abs(q.x_mean);
  return e;
}

Estimate paired_ratio_difference(std::span<const double> y_baseline, std::span<const double> x_baseline,
                                 std::span<const double> y_other, std::span<const double> x_other,
                                 double confidence) {
  require_same_length(y_baseline.size(), x_baseline.size());
  require_same_length(y_other.size(), x_other.size());
  require_same_length(y_baseline.size(), y_other.size());
  std::vector<bool> keep(y_baseline.size());
  for (std::size_t i = 0; i < keep.size(); ++i)
    keep[i] = !std::isnan(y_baseline[i]) && !std::isnan(x_baseline[i]) && !std::isnan(y_other[i]) &&
              !std::isnan(x_other[i]);
  const Ratio b = ratio_of(y_baseline, x_baseline, keep), o = ratio_of(y_other, x_other, keep);
  Estimate e{o.r - b.r, kNaN, b.n};
  if (b.n < 2 || std::isnan(e.mean)) return e;
  double ss = 0.0;
  for (std::size_t i = 0; i < keep.size(); ++i)
    if (keep[i]) {
      const double d =
          (y_other[i] - o.r * x_other[i]) / o.x_mean - (y_baseline[i] - b.r * x_baseline[i]) / b.x_mean;
      ss += d * d;  // the residuals sum to zero, so this is the sum of squared deviations
    }
  const auto n = static_cast<double>(b.n);
  e.half_width = student_t_quantile(confidence, b.n - 1) * std::sqrt(ss / (n - 1.0) / n);
  return e;
}

Estimate ratio_contrast(const std::vector<std::span<const double>>& y, const std::vector<std::span<const double>>& x,
                        std::span<const double> weights, double confidence) {
  require_same_length(y.size(), x.size());
  require_same_length(y.size(), weights.size());
  if (y.empty()) return {kNaN, kNaN, 0};
  std::vector<bool> keep(y.front().size(), true);
  for (std::size_t j = 0; j < y.size(); ++j) {
    require_same_length(y[j].size(), keep.size());
    require_same_length(x[j].size(), keep.size());
    for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = keep[i] && !std::isnan(y[j][i]) && !std::isnan(x[j][i]);
  }
  // The positive and negative terms are summed apart and subtracted last: two sides built from the same
  // ratios in the same order (a factor that changes nothing) then differ by exactly 0, not by rounding.
  std::vector<Ratio> r;
  double plus = 0.0, minus = 0.0;
  for (std::size_t j = 0; j < y.size(); ++j) {
    r.push_back(ratio_of(y[j], x[j], keep));
    (weights[j] >= 0.0 ? plus : minus) += std::abs(weights[j]) * r.back().r;
  }
  Estimate e{plus - minus, kNaN, 0};
  e.n = r.front().n;
  if (e.n < 2 || std::isnan(e.mean)) return e;
  double ss = 0.0;
  for (std::size_t i = 0; i < keep.size(); ++i)
    if (keep[i]) {
      double up = 0.0, down = 0.0;
      for (std::size_t j = 0; j < y.size(); ++j)
        (weights[j] >= 0.0 ? up : down) += std::abs(weights[j]) * (y[j][i] - r[j].r * x[j][i]) / r[j].x_mean;
      ss += (up - down) * (up - down);  // each ratio's residuals sum to zero, so d does too
    }
  const auto n = static_cast<double>(e.n);
  e.half_width = student_t_quantile(confidence, e.n - 1) * std::sqrt(ss / (n - 1.0) / n);
  return e;
}

void RatioAccumulator::add(double y, double x) {
  if (!std::isnan(y) && !std::isnan(x)) {
    ++n_;
    sy_ += y;
    sx_ += x;
    const double n = static_cast<double>(n_);
    const double dy = y - my_, dx = x - mx_;
    my_ += dy / n;
    mx_ += dx / n;
    myy_ += dy * (y - my_);
    mxx_ += dx * (x - mx_);
    mxy_ += dx * (y - my_);
  }
  const double v = x > 0.0 ? y / x : kNaN;  // Fraction::value()
  if (!std::isnan(v)) {
    ++nv_;
    sv_ += v;
    const double dv = v - mv_;
    mv_ += dv / static_cast<double>(nv_);
    mvv_ += dv * (v - mv_);
  }
}

Estimate RatioAccumulator::ratio_of_totals(double confidence) const {
  const double r = n_ > 0 && sx_ != 0.0 ? sy_ / sx_ : kNaN;
  Estimate e{r, kNaN, n_};
  if (n_ < 2 || std::isnan(r)) return e;
  const auto n = static_cast<double>(n_);
  const double ss = std::max(0.0, myy_ - 2.0 * r * mxy_ + r * r * mxx_);
  e.half_width = student_t_quantile(confidence, n_ - 1) * std::sqrt(ss / (n - 1.0) / n) / std::abs(sx_ / n);
  return e;
}

Estimate RatioAccumulator::mean_of_values(double confidence) const {
  if (nv_ == 0) return {kNaN, kNaN, 0};
  const auto n = static_cast<double>(nv_);
  Estimate e{sv_ / n, kNaN, nv_};
  if (nv_ < 2) return e;
  e.half_width =
      student_t_quantile(confidence, nv_ - 1) * std::sqrt(std::max(0.0, mvv_) / (n - 1.0)) / std::sqrt(n);
  return e;
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
