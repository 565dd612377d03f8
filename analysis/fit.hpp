// Maximum-likelihood fits of the four parametric families a scenario can name (exponential, log-normal,
// gamma, Weibull) to observed durations, right-censored or not: what `ccsim fit` prints. Depends on nothing
// in sim/: the data come in as numbers, the fits go out in the scenario's own parameters.
#pragma once

#include <string>
#include <vector>

namespace ccsim::analysis {

enum class Family { exponential, lognormal, gamma, weibull };
const char* family_name(Family f);  // as a scenario names it: "exponential", "lognormal", ...

// Durations in seconds. `censored` is empty (every value observed) or one flag per value: true when the
// value is only a lower bound (patience of a caller answered after that wait: they would have waited longer).
struct Observations {
  std::vector<double> values;
  std::vector<bool> censored;
};

struct Parameter {
  std::string name;  // as the scenario's syntax names it: mean, sd, cv, shape, scale; or mu, sigma
  double value = 0.0;
  double se = 0.0;  // standard error: inverse observed information, by the delta method for derived ones
};

struct Fit {
  Family family = Family::exponential;
  bool converged = false;
  // In the scenario's terms: exponential {mean}; lognormal {mean, sd}; gamma {mean, cv}; weibull {shape,
  // scale}.
  std::vector<Parameter> parameters;
  // The family's own: exponential {mean}; lognormal {mu, sigma} of the log; gamma and Weibull {shape, scale}.
  std::vector<Parameter> natural;
  double log_likelihood = 0.0;  // with densities per second
  double aic = 0.0;             // 2 k - 2 log-likelihood
  // Kolmogorov–Smirnov distance between the fitted CDF and the data's empirical CDF (Kaplan–Meier's with
  // censoring, over the observed values).
  double ks = 0.0;
};

// What a fit needs, checked by the caller so that it can locate the offending data: at least two
// uncensored values, not all equal, each > 0 (a density at 0 is 0 or infinite for three of the families).
// Returns "" when the data can be fitted, else why not.
std::string unfittable(const Observations& data);

// One family's fit (Newton's method on the log-likelihood in log parameters, started from the moments).
Fit fit(Family family, const Observations& data);
// Every family's fit, best first by AIC (the non-converged last).
std::vector<Fit> fit_all(const Observations& data);

// The fitted law's CDF at x, from its natural parameters.
double fitted_cdf(const Fit& f, double x);

}  // namespace ccsim::analysis
