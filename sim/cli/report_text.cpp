#include "cli/report_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "cli/text_format.hpp"

namespace ccsim::cli {
namespace {

// Enough decimals that a bound away from zero does not print as zero (at least one, at most three).
int decimals_for(double a, double b) {
  const double smallest = std::min(std::abs(a), std::abs(b));
  if (!(smallest > 0.0)) return 1;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(smallest))), 1, 3);
}

std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string signed_fixed(double x, int decimals) {
  const std::string s = fixed(x, decimals);
  if (std::strtod(s.c_str(), nullptr) == 0.0) return fixed(0.0, decimals);  // no "−0.0" for a tiny value
  return x > 0.0 || (x == 0.0 && !std::signbit(x)) ? "+" + s : "−" + s.substr(1);
}

bool is_share(ReportMeasure m) {
  return m == kSl || m == kAbandon || m == kAnnounced;
}

const char* unit_of(ReportMeasure m) {
  return is_share(m) ? " percentage points" : m == kHungUp ? " callers" : " s";
}

// The value of an entry for one policy over a set of weights: the contrast of ratios of totals.
analysis::Estimate contrast(const output::ComparisonData& data, ReportMeasure m, const std::vector<int>& policies,
                            const std::vector<double>& weights, std::size_t k = 0) {
  std::vector<std::span<const double>> y, x;
  for (int p : policies) {
    y.emplace_back(data.numerators[m][static_cast<std::size_t>(p)][k]);
    x.emplace_back(data.denominators[m][static_cast<std::size_t>(p)][k]);
  }
  return analysis::ratio_contrast(y, x, weights);
}

}  // namespace

const std::vector<std::string>& report_measures() {
  static const std::vector<std::string> names{"sl", "asa", "abandon", "mean_wait", "announced_share",
                                              "balked_announced"};
  return names;
}

std::string change_words(ReportMeasure m, const analysis::Estimate& d, const std::string& subject) {
  const double scale = is_share(m) ? 100.0 : 1.0;
  const double low = d.low() * scale, high = d.high() * scale, mean = d.mean * scale;
  if (std::isnan(d.half_width) || std::isnan(d.mean))
    return subject + " cannot be compared (too few replications for an interval)";
  if (d.low() <= 0.0 && d.high() >= 0.0) {
    // Decimals for the wider bound: the range is what matters here, not telling a bound from zero.
    const double widest = std::max(std::abs(low), std::abs(high));
    const int dec = widest > 0.0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(widest))), 1, 3) : 1;
    return "no measurable difference in " + subject + " (between " + signed_fixed(low, dec) + " and " +
           signed_fixed(high, dec) + unit_of(m) + ")";
  }
  const int dec = decimals_for(low, high);
  const bool up = mean > 0.0;
  return subject + (up ? " rises by " : " falls by ") + fixed(std::abs(mean), dec) + unit_of(m) + " (between " +
         fixed(std::min(std::abs(low), std::abs(high)), dec) + " and " +
         fixed(std::max(std::abs(low), std::abs(high)), dec) + ")";
}

analysis::Estimate paired(const output::ComparisonData& data, ReportMeasure m, std::size_t p, std::size_t k) {
  return contrast(data, m, {data.baseline, static_cast<int>(p)}, {-1.0, 1.0}, k);
}

std::vector<FactorEffect> factor_effects(const output::ReportData& d, const output::ComparisonData& days) {
  std::vector<FactorEffect> out;
  if (d.factors.size() != d.policies.size() || d.factors.empty()) return out;
  const auto base = static_cast<std::size_t>(d.baseline);
  auto value = [&](std::size_t p, const std::string& factor) {
    for (const auto& [k, v] : d.factors[p])
      if (k == factor) return v;
    return std::string();
  };
  for (const auto& [factor, reference] : d.factors[base]) {
    std::vector<std::string> levels;  // in policy order, the reference left out
    for (std::size_t p = 0; p < d.policies.size(); ++p) {
      const std::string v = value(p, factor);
      if (v != reference && std::find(levels.begin(), levels.end(), v) == levels.end()) levels.push_back(v);
    }
    for (const auto& level : levels) {
      FactorEffect e;
      e.factor = factor;
      e.level = level;
      e.reference = reference;
      // Pairs: a policy at the level and one at the reference agreeing in every other factor.
      for (std::size_t p = 0; p < d.policies.size(); ++p) {
        if (value(p, factor) != level) continue;
        for (std::size_t q = 0; q < d.policies.size(); ++q) {
          if (value(q, factor) != reference) continue;
          bool same = true;
          for (const auto& [other, v] : d.factors[p]) same = same && (other == factor || value(q, other) == v);
          if (same) {
            e.at_level.push_back(static_cast<int>(p));
            e.at_reference.push_back(static_cast<int>(q));
            break;
          }
        }
      }
      if (e.at_level.empty()) continue;
      std::vector<int> both = e.at_level;
      both.insert(both.end(), e.at_reference.begin(), e.at_reference.end());
      const double k = static_cast<double>(e.at_level.size());
      std::vector<double> weights(e.at_level.size(), 1.0 / k);
      weights.resize(both.size(), -1.0 / k);
      e.sl = contrast(days, kSl, both, weights);
      e.asa = contrast(days, kAsa, both, weights);
      e.abandon = contrast(days, kAbandon, both, weights);
      const std::vector<double> mean(e.at_level.size(), 1.0 / k);
      e.announced = contrast(days, kAnnounced, e.at_level, mean);
      e.hung_up = contrast(days, kHungUp, e.at_level, mean);
      e.announced_at_reference = contrast(days, kAnnounced, e.at_reference, mean).mean;
      out.push_back(e);
    }
  }
  return out;
}

std::string lead_paragraph(const output::ReportData& d, const output::ComparisonData& totals, int days) {
  std::ostringstream o;
  const std::string per = days > 1 ? " callers per " + std::to_string(days) + "-day run" : " callers a day";
  const auto effects = factor_effects(d, totals);
  auto hearing = [&](const analysis::Estimate& announced, const analysis::Estimate& hung_up) {
    if (!(announced.mean > 0.0)) return std::string();
    return "; " + fixed(100.0 * announced.mean, 1) + "% of callers heard the message and " +
           fixed(hung_up.mean, 1) + per + " hung up on hearing it";
  };
  if (!effects.empty()) {
    o << "<p class='lead'>";
    std::string factors;
    for (const auto& [k, v] : d.factors[static_cast<std::size_t>(d.baseline)])
      factors += (factors.empty() ? "" : " and ") + std::string("<b>") + html_escape(k) + "</b>";
    o << "What " << factors << " do to the wait and to the callers who hang up, each against the baseline's "
      << "setting and averaged over the policies that differ in that alone:</p>\n<ul class='lead'>\n";
    for (const auto& e : effects) {
      o << "<li><b>" << html_escape(e.factor) << " " << html_escape(e.level) << "</b> instead of "
        << html_escape(e.reference) << ": " << change_words(kAsa, e.asa, "the average wait of answered callers")
        << ", and " << change_words(kAbandon, e.abandon, "the share who hang up")
        << (e.announced_at_reference == 0.0 ? hearing(e.announced, e.hung_up) : std::string()) << " (" << e.at_level.size() << " pair"
        << (e.at_level.size() == 1 ? "" : "s") << " of policies).</li>\n";
    }
    o << "</ul>\n";
    return o.str();
  }
  if (d.policies.size() == 1) {
    // Nothing to compare: the figures themselves.
    const std::vector<double> one{1.0};
    const auto sl = contrast(totals, kSl, {0}, one), asa = contrast(totals, kAsa, {0}, one),
               abandon = contrast(totals, kAbandon, {0}, one);
    o << "<p class='lead'>" << fixed(100.0 * sl.mean, 1) << "% of callers are answered within "
      << fixed(d.tau_s, 0) << " s (between " << fixed(100.0 * sl.low(), 1) << " and " << fixed(100.0 * sl.high(), 1)
      << "%); answered callers wait " << fixed(asa.mean, 1) << " s on average (between " << fixed(asa.low(), 1)
      << " and " << fixed(asa.high(), 1) << " s) and " << fixed(100.0 * abandon.mean, 1)
      << "% hang up before an answer (between " << fixed(100.0 * abandon.low(), 1) << " and "
      << fixed(100.0 * abandon.high(), 1) << "%).</p>\n";
    return o.str();
  }
  o << "<p class='lead'>Each policy against the baseline <b>" << html_escape(d.policies[static_cast<std::size_t>(d.baseline)])
    << "</b>:</p>\n<ul class='lead'>\n";
  for (std::size_t p = 0; p < d.policies.size(); ++p) {
    if (static_cast<int>(p) == d.baseline) continue;
    const std::vector<double> one{1.0};
    o << "<li><b>" << html_escape(d.policies[p]) << "</b>: "
      << change_words(kAsa, paired(totals, kAsa, p), "the average wait of answered callers") << ", and "
      << change_words(kAbandon, paired(totals, kAbandon, p), "the share who hang up")
      << hearing(contrast(totals, kAnnounced, {static_cast<int>(p)}, one),
                 contrast(totals, kHungUp, {static_cast<int>(p)}, one))
      << ".</li>\n";
  }
  o << "</ul>\n";
  return o.str();
}

}  // namespace ccsim::cli
