// The measure table and the two estimators of a ratio: the ratio of totals over replications (the default,
// with a delta-method interval) and the mean of each replication's own ratio.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "analysis/erlang.hpp"
#include "analysis/statistics.hpp"
#include "model/replication.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
using model::Measure;

TEST_CASE("every measure has one entry: unique names, a definition, a unit", "[measures]") {
  std::set<std::string> names;
  for (std::size_t i = 0; i < model::measure_table().size(); ++i) {
    const auto& m = model::measure_table()[i];
    CHECK(static_cast<std::size_t>(m.measure) == i);
    CHECK(names.insert(m.name).second);
    if (m.alias) CHECK(names.insert(m.alias).second);
    CHECK(std::string(m.definition).size() > 10);
    CHECK(std::string(m.unit).size() > 0);
    if (m.pooling == model::Pooling::ratio) CHECK(std::string(m.denominator).size() > 0);
    CHECK(model::find_measure(m.name) == &m);
  }
  CHECK(model::find_measure("sl")->measure == Measure::service_level);
  CHECK(model::format_value(Measure::service_level, 0.8123) == "81.2");
  CHECK(model::format_value(model::Display::clock, 0, 95.0) == "1:35");
  CHECK(model::heading_with_unit(Measure::asa) == "ASA s");
  // Occupancy is busy over available time, never over staffed time.
  model::AgentTime t;
  t.staffed_s = 1000.0;
  t.break_s = 100.0;
  t.shrinkage_s = 50.0;
  t.interrupted_s = 50.0;
  t.busy_s = 600.0;
  CHECK(model::fraction(t).value() == Approx(0.75));
}

TEST_CASE("the ratio of totals is sum y / sum x with the delta-method half-width", "[measures][statistics]") {
  const std::vector<double> y{8, 3, 10, 6}, x{10, 5, 12, 9};
  const analysis::Estimate e = analysis::ratio_of_totals(y, x);
  CHECK(e.mean == 27.0 / 36.0);
  CHECK(e.n == 4);
  // Residuals y - R x with R = 0.75: 0.5, -0.75, 1, -0.75; squares sum to 2.375; mean x = 9;
  // t_{3, 0.975} = 3.182446305284263.
  CHECK(e.half_width == Approx(3.182446305284263 * std::sqrt(2.375 / 3.0 / 4.0) / 9.0).epsilon(1e-12));
  // With x = 1 it is the plain mean and its Student-t interval.
  const std::vector<double> ones(4, 1.0);
  const analysis::Estimate plain = analysis::estimate(y), as_ratio = analysis::ratio_of_totals(y, ones);
  CHECK(as_ratio.mean == Approx(plain.mean).epsilon(1e-15));
  CHECK(as_ratio.half_width == Approx(plain.half_width).epsilon(1e-12));
  // Paired difference: residual pairs d_i = r^o_i / mean x^o - r^b_i / mean x^b.
  const std::vector<double> y2{9, 4, 10, 8}, x2{10, 5, 12, 9};  // R = 31/36
  const analysis::Estimate d = analysis::paired_ratio_difference(y, x, y2, x2);
  CHECK(d.mean == Approx(31.0 / 36.0 - 27.0 / 36.0).epsilon(1e-14));
  double ss = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const double di = (y2[i] - 31.0 / 36.0 * x2[i]) / 9.0 - (y[i] - 0.75 * x[i]) / 9.0;
    ss += di * di;
  }
  CHECK(d.half_width == Approx(3.182446305284263 * std::sqrt(ss / 3.0 / 4.0)).epsilon(1e-12));
}

namespace {

// A replication's result with everything empty but the day's counts and occupancy.
model::ReplicationResult hand_made(const model::Model& m, std::uint64_t offered, std::uint64_t in_time,
                                   double waits, std::uint64_t answered, double busy, double available) {
  model::ReplicationResult r;
  r.series = 1;
  const auto k = static_cast<std::size_t>(m.intervals);
  r.contacts_by_interval.resize(k);
  r.contacts_per_day.resize(static_cast<std::size_t>(m.days));
  r.agents_by_interval.resize(k);
  r.agents_per_day.resize(static_cast<std::size_t>(m.days));
  r.breaks_by_day.resize(1);
  r.served_by_interval.resize(k * m.skills.size());
  r.served_by_day.resize(m.skills.size());
  model::ContactCell day;
  day.counts.offered = offered;
  day.counts.answered_within_tau = in_time;
  day.counts.answered = answered;
  day.counts.wait_answered_s = waits;
  r.contacts_by_day.push_back(day);
  model::AgentTime t;
  t.staffed_s = available;
  t.busy_s = busy;
  r.agents_by_day.push_back(t);
  return r;
}

const model::SummaryRow& day_row(const model::Results& r, Measure m) {
  for (const auto& row : r.contacts_by_day)
    if (row.measure == m) return row;
  FAIL("no day row for " << model::to_string(m));
  return r.contacts_by_day.front();
}

}  // namespace

TEST_CASE("summaries pool hand-made replications by the ratio of totals; mean_of_days beside it",
          "[measures]") {
  const auto s = testing::stationary(100, Distribution::exponential(100), 3, Distribution::never(), 2, 0);
  const model::Model m = model::build_model(s);
  model::Results r;
  r.series_names = {"calls"};
  // A quiet day serves well, a busy day badly: per-day SL 0.9 and 0.5.
  r.by_replication.push_back(hand_made(m, 10, 9, 20.0, 10, 300.0, 1000.0));
  r.by_replication.push_back(hand_made(m, 100, 50, 4000.0, 80, 950.0, 1000.0));
  r.by_replication.push_back(hand_made(m, 40, 30, 600.0, 40, 700.0, 1000.0));
  model::summarise(s, m, r);
  const auto& sl = day_row(r, Measure::service_level);
  CHECK(sl.estimate.mean == 89.0 / 150.0);
  CHECK(sl.of_days.mean == Approx((0.9 + 0.5 + 0.75) / 3.0));
  CHECK(sl.estimate.mean < sl.of_days.mean);  // the busy day weighs more in the ratio of totals
  const auto& asa = day_row(r, Measure::asa);
  CHECK(asa.estimate.mean == 4620.0 / 130.0);
  CHECK(asa.of_days.mean == Approx((2.0 + 50.0 + 15.0) / 3.0));
  const auto& offered = day_row(r, Measure::offered);
  CHECK(offered.estimate.mean == Approx(50.0));
  CHECK(offered.of_days.mean == Approx(50.0));
  CHECK(r.occupancy_by_day[0].estimate.mean == Approx(1950.0 / 3000.0));
  CHECK(r.occupancy_all_by_day[0].estimate.mean == Approx(1950.0 / 3000.0));
  // The estimator's own interval, by hand: residuals y - R x over mean x.
  std::vector<double> y{9, 50, 30}, x{10, 100, 40};
  CHECK(sl.estimate.half_width == analysis::ratio_of_totals(y, x).half_width);
}

TEST_CASE("on M/M/c+M the ratio-of-totals interval of each steady interval covers Erlang A",
          "[measures][theory]") {
  // 360 calls/h, AHT 4 min, 26 agents, mean patience 5 min: offered load 24 Erlang.
  const auto s =
      testing::stationary(360, Distribution::exponential(240), 26, Distribution::exponential(300), 4, 1);
  const model::Results r = testing::run(s, 200, 2024);
  analysis::QueueInput q;
  q.arrival_rate = 0.1;
  q.service_rate = 1.0 / 240.0;
  q.patience_rate = 1.0 / 300.0;
  q.agents = 26;
  q.tau = s.tau_s;
  const analysis::QueueMeasures exact = analysis::queue_measures(q);
  // 3 intervals x 3 measures, each at 1 - 0.01/9 so the case holds at 99%.
  const double level = 1.0 - 0.01 / 9.0;
  for (int k = 1; k < 4; ++k)
    for (auto [m, value, max_half_width] : {std::tuple{Measure::service_level, exact.service_level, 0.04},
                                            std::tuple{Measure::asa, exact.asa, 3.0},
                                            std::tuple{Measure::abandon_rate, exact.p_abandon, 0.01}}) {
      std::vector<double> y, x;
      for (const auto& rep : r.by_replication) {
        const model::Fraction f = model::pooled_fraction(rep, m, k, s.sl_definition);
        y.push_back(f.numerator);
        x.push_back(f.denominator);
      }
      const analysis::Estimate e = analysis::ratio_of_totals(y, x, level);
      INFO(model::to_string(m) << " in interval " << k << ": " << e.mean << " ± " << e.half_width
                               << ", Erlang A " << value);
      CHECK(e.contains(value));
      CHECK(e.half_width <= max_half_width);
      // The summary row holds the same estimator, and the Erlang column beside it.
      for (const auto& row : r.contacts_by_interval)
        if (row.interval == k && row.measure == m) {
          CHECK(row.estimate.mean == e.mean);
          CHECK(row.erlang_a == Approx(value).epsilon(1e-9));
        }
    }
}

TEST_CASE("where day-level load varies, busy days weigh more in the ratio of totals", "[measures][theory]") {
  // A random busyness factor per day: busy days have a lower SL and a longer ASA, and more contacts.
  auto s = testing::stationary(360, Distribution::exponential(240), 26, Distribution::exponential(300), 3, 1);
  s.busyness_cv = 0.3;
  const model::Results r = testing::run(s, 100, 7);
  const auto& sl = day_row(r, Measure::service_level);
  const auto& asa = day_row(r, Measure::asa);
  INFO("SL " << sl.estimate.mean << " vs mean of days " << sl.of_days.mean << "; ASA " << asa.estimate.mean
             << " vs " << asa.of_days.mean);
  CHECK(sl.of_days.mean - sl.estimate.mean > 0.01);
  CHECK(asa.estimate.mean - asa.of_days.mean > 1.0);
  // Percentiles: pooled over all waits, no interval; the mean of days beside it has one.
  const auto& p90 = day_row(r, Measure::wait_p90);
  CHECK(std::isnan(p90.estimate.half_width));
  CHECK(std::isfinite(p90.estimate.mean));
  CHECK(std::isfinite(p90.of_days.half_width));
}

TEST_CASE("pooled percentiles do not depend on the number of threads", "[measures]") {
  const auto s =
      testing::stationary(360, Distribution::exponential(240), 25, Distribution::exponential(300), 2, 0);
  const model::Results one = testing::run(s, 12, 3, 1), two = testing::run(s, 12, 3, 2);
  for (std::size_t i = 0; i < one.contacts_by_interval.size(); ++i) {
    const double u = one.contacts_by_interval[i].estimate.mean, v = two.contacts_by_interval[i].estimate.mean;
    CHECK((u == v || (std::isnan(u) && std::isnan(v))));
    const double a = one.contacts_by_interval[i].estimate.half_width,
                 b = two.contacts_by_interval[i].estimate.half_width;
    CHECK((a == b || (std::isnan(a) && std::isnan(b))));
  }
}

TEST_CASE("a predictor's relative error divides by the real wait with a floor of 30 s", "[measures]") {
  model::PredictionStats s;
  s.add(25.0, 5.0);    // 20 s off a 5 s wait: 20 / 30, not 400%
  s.add(100.0, 60.0);  // 40 s off a 60 s wait: 40 / 60
  s.add(10.0, 0.0);    // a caller answered at once counts too: 10 / 30
  CHECK(s.n_relative == 3);
  CHECK(s.relative_error() == Approx((20.0 / 30 + 40.0 / 60 + 10.0 / 30) / 3));
  CHECK(s.bias() == Approx((20.0 + 40.0 + 10.0) / 3));
}

// Nearest-rank percentiles in whole seconds, read in one pass; a histogram cleared for the next replication
// keeps no waits of the last, and the compact copy a replication hands on pools to the same figures.
TEST_CASE("wait histogram: percentiles by nearest rank, clear, compact and pool", "[measures]") {
  model::WaitHistogram h;
  CHECK(std::isnan(h.percentile(0.5)));
  for (const double w : {0.0, 0.0, 0.4, 1.0, 2.5, 3.0, 7.2, 7.9, 40.0, 1000.0}) h.add(w);
  // Bins: 0 (x2), 1 (0.4 and 1.0), 3 (2.5, 3.0), 8 (7.2, 7.9), 40, 1000.
  const double shares[4] = {0.1, 0.5, 0.8, 0.95};
  double at[4];
  h.percentiles(shares, at, 4);
  CHECK(at[0] == 0.0);
  CHECK(at[1] == 3.0);  // 5th of 10
  CHECK(at[2] == 8.0);  // 8th
  CHECK(at[3] == 1000.0);
  for (int i = 0; i < 4; ++i) CHECK(h.percentile(shares[i]) == at[i]);
  CHECK(h.used() == 1001);

  model::WaitHistogram copy = h.compact();
  CHECK(copy.bins().size() == 1001);
  CHECK(copy.percentile(0.5) == 3.0);

  h.clear();
  CHECK(h.used() == 0);
  CHECK(std::isnan(h.percentile(0.5)));
  h.add(5.0);
  CHECK(h.used() == 6);
  CHECK(h.percentile(0.99) == 5.0);
  CHECK(h.compact().bins() == std::vector<std::uint64_t>{0, 0, 0, 0, 0, 1});

  model::WaitHistogram pooled;
  pooled.add(copy);
  pooled.add(h.compact());
  CHECK(pooled.used() == 1001);
  CHECK(pooled.percentile(0.5) == 3.0);  // 6th of 11: bins 0,0,1,1,3,3 -> 3
  CHECK(pooled.percentile(0.6) == 5.0);  // 7th
  CHECK(model::WaitHistogram::of_bins(pooled.bins()).percentile(0.6) == 5.0);
}
