#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ccsim::analysis {

// Mean of independent replications with a Student-t confidence interval. With fewer than two values
// the half-width is NaN: one replication says nothing about its own precision.
struct Estimate {
  double mean = 0.0;
  double half_width = 0.0;
  std::size_t n = 0;
  [[nodiscard]] double low() const { return mean - half_width; }
  [[nodiscard]] double high() const { return mean + half_width; }
  [[nodiscard]] bool contains(double x) const { return low() <= x && x <= high(); }
};

// NaN values (a replication in which a measure is undefined, e.g. ASA with nobody answered) are skipped.
Estimate estimate(std::span<const double> values, double confidence = 0.95);

// Paired difference other - baseline over replications that faced the same customers (common random
// numbers): the mean of the per-replication differences with its Student-t interval. Pairs with a NaN on
// either side are skipped. The two spans must be equally long.
Estimate paired_difference(std::span<const double> baseline, std::span<const double> other,
                           double confidence = 0.95);

// The same difference as if the two samples were independent (Welch): what common random numbers save.
Estimate unpaired_difference(std::span<const double> baseline, std::span<const double> other,
                             double confidence = 0.95);

// The ratio of totals over replications, R = sum(y) / sum(x): the long-run value of a ratio measure
// (SL = answered in time / offered, ASA = summed waits / answered...), which is what stationary formulas
// such as Erlang A predict. The 95% interval is the delta method's:
//   half-width = t_{n-1} * sqrt( sum (y_i - R x_i)^2 / (n-1) / n ) / mean(x).
// With x_i = 1 this is the plain mean with its Student-t interval. Pairs with a NaN are skipped; a zero
// total of x gives NaN.
Estimate ratio_of_totals(std::span<const double> y, std::span<const double> x, double confidence = 0.95);

// Paired difference R_other - R_baseline of two ratios of totals over replications that faced the same
// customers, by the delta method on the pair: per replication the residual
//   d_i = (y_i^o - R_o x_i^o) / mean(x^o) - (y_i^b - R_b x_i^b) / mean(x^b)
// and half-width = t_{n-1} * sd(d) / sqrt(n). Replications with a NaN on either side are skipped.
Estimate paired_ratio_difference(std::span<const double> y_baseline, std::span<const double> x_baseline,
                                 std::span<const double> y_other, std::span<const double> x_other,
                                 double confidence = 0.95);

// A contrast sum_j c_j R_j of ratios of totals over replications that faced the same customers — a factor's
// main effect is the mean of its paired differences, c = +1/K and -1/K — by the delta method as above:
//   d_i = sum_j c_j (y_ji - R_j x_ji) / mean(x_j),  half-width = t_{n-1} * sd(d) / sqrt(n).
// With c = (-1, +1) it is paired_ratio_difference. Replications with a NaN in any ratio are skipped.
Estimate ratio_contrast(const std::vector<std::span<const double>>& y, const std::vector<std::span<const double>>& x,
                        std::span<const double> weights, double confidence = 0.95);

// The ratio-of-totals and mean-of-values estimators accumulated one replication at a time, in O(1)
// memory: plain sums of y and x in the order given (so the ratio R = sum(y) / sum(x) and the means are
// those of ratio_of_totals and estimate to the last bit) and Welford's centred second moments of (y, x) and
// of v = y / x, from which the delta-method residual sum of squares is
//   sum (y_i - R x_i)^2 = Myy - 2 R Mxy + R^2 Mxx   (the mean residual is 0 at R = mean(y) / mean(x)),
// without the cancellation of raw sums of squares. Half-widths agree with the two-pass functions to
// rounding. Replications with a NaN are skipped as there (y or x for the ratio; y / x for the values).
class RatioAccumulator {
 public:
  void add(double y, double x);
  [[nodiscard]] Estimate ratio_of_totals(double confidence = 0.95) const;
  // The mean of the replications' own values y / x (NaN when x <= 0) with its Student-t interval.
  [[nodiscard]] Estimate mean_of_values(double confidence = 0.95) const;

 private:
  std::size_t n_ = 0, nv_ = 0;
  double sy_ = 0.0, sx_ = 0.0, my_ = 0.0, mx_ = 0.0, myy_ = 0.0, mxx_ = 0.0, mxy_ = 0.0;
  double sv_ = 0.0, mv_ = 0.0, mvv_ = 0.0;
};

// Two-sided Student-t quantile t_{1-(1-confidence)/2, dof}.
double student_t_quantile(double confidence, std::size_t dof);

}  // namespace ccsim::analysis
