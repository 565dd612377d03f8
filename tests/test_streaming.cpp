// Results that stream: replications are accumulated (and spooled for the per-replication tables) in
// replication order through a bounded reorder buffer, so memory is O(cells) and results do not depend on
// the number of threads.
#include <unistd.h>

#include <bit>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "hdf5_datasets.hpp"
#include "output/hdf5_writer.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using ccsim::testing::same_datasets;
namespace fs = std::filesystem;
using model::Measure;

namespace {

scenario::Scenario short_day() {
  // Two quarter-hours, 3 agents: a short day, so that 10,000 of them run in a second or two.
  auto s = testing::stationary(40.0, engine::Distribution::exponential(240.0), 3,
                               engine::Distribution::exponential(120.0), 2, 0);
  s.interval_s = 900.0;
  s.contact_types[0].volume.assign(2, 10.0);
  return s;
}

model::RunOptions options(int replications, int threads, bool keep) {
  model::RunOptions o;
  o.seed = 11;
  o.replications = replications;
  o.threads = threads;
  o.keep_replications = keep;
  return o;
}

bool same(const analysis::Estimate& a, const analysis::Estimate& b) {
  return std::bit_cast<std::uint64_t>(a.mean) == std::bit_cast<std::uint64_t>(b.mean) &&
         std::bit_cast<std::uint64_t>(a.half_width) == std::bit_cast<std::uint64_t>(b.half_width) &&
         a.n == b.n;
}

void same_summary(const model::Results& a, const model::Results& b) {
  REQUIRE(a.contacts_by_interval.size() == b.contacts_by_interval.size());
  for (std::size_t i = 0; i < a.contacts_by_interval.size(); ++i) {
    INFO(model::to_string(a.contacts_by_interval[i].measure));
    CHECK(same(a.contacts_by_interval[i].estimate, b.contacts_by_interval[i].estimate));
    CHECK(same(a.contacts_by_interval[i].of_days, b.contacts_by_interval[i].of_days));
  }
  for (std::size_t i = 0; i < a.contacts_by_day.size(); ++i) {
    CHECK(same(a.contacts_by_day[i].estimate, b.contacts_by_day[i].estimate));
    CHECK(same(a.contacts_by_day[i].of_days, b.contacts_by_day[i].of_days));
  }
  for (std::size_t i = 0; i < a.occupancy_by_interval.size(); ++i)
    CHECK(same(a.occupancy_by_interval[i].estimate, b.occupancy_by_interval[i].estimate));
}

}  // namespace

TEST_CASE("1 and 2 threads give identical summaries and files with 10,000 streamed days",
          "[streaming][determinism]") {
  const auto s = short_day();
  const auto dir = fs::temp_directory_path() / ("ccsim_streaming_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto one = model::run(s, options(10000, 1, false));
  const auto two = model::run(s, options(10000, 2, false));
  CHECK(one.replications == 10000);
  CHECK(one.spool);
  CHECK(one.spool->size() == 10000);
  same_summary(one, two);
  output::write_results((dir / "one.h5").string(), s, one, {"test", "test"});
  output::write_results((dir / "two.h5").string(), s, two, {"test", "test"});
  same_datasets(dir / "one.h5", dir / "two.h5");
  fs::remove_all(dir);
}

TEST_CASE("streamed and kept replications give the same summary and the same file", "[streaming]") {
  const auto s = short_day();
  const auto dir = fs::temp_directory_path() / ("ccsim_streaming_kept_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto streamed = model::run(s, options(300, 2, false));
  const auto kept = model::run(s, options(300, 2, true));
  CHECK_FALSE(kept.spool);
  same_summary(streamed, kept);
  output::write_results((dir / "streamed.h5").string(), s, streamed, {"test", "test"});
  output::write_results((dir / "kept.h5").string(), s, kept, {"test", "test"});
  same_datasets(dir / "streamed.h5", dir / "kept.h5");
  // Without keep_replications only each replication's day cells stay in memory.
  REQUIRE(streamed.by_replication.size() == 300);
  CHECK(streamed.by_replication[7].contacts_by_interval.empty());
  CHECK(streamed.by_replication[7].contacts_by_day[0].counts.offered ==
        kept.by_replication[7].contacts_by_day[0].counts.offered);
  fs::remove_all(dir);
}

TEST_CASE("rows written during the run: the same file for 1 and 2 threads as written after it, 10,000 days",
          "[streaming][determinism][output]") {
  // Two policies: the first's replications go to the file as they are handed on, the second's are spooled
  // (every table holds the policies one after the other).
  scenario::Study study;
  study.policies = {short_day(), short_day()};
  study.policies[1].agent_groups[0].agents = 4;
  study.names = {"three", "four"};
  const auto dir = fs::temp_directory_path() / ("ccsim_streaming_sink_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto after = model::run_study(study, options(10000, 2, false));
  CHECK_FALSE(after.front().rows_streamed);
  output::write_results((dir / "after.h5").string(), study, after, {"test", "test"});
  for (int threads : {1, 2}) {
    INFO(threads << " threads");
    const auto file = dir / ("during_" + std::to_string(threads) + ".h5");
    output::ResultsWriter writer(file.string(), study, 11, {"test", "test"});
    model::RunOptions o = options(10000, threads, false);
    o.sink = &writer;
    const auto during = model::run_study(study, o);
    CHECK(during[0].rows_streamed);
    CHECK(!during[0].spool);  // nothing spooled for the streamed policy
    CHECK_FALSE(during[1].rows_streamed);
    same_summary(during[0], after[0]);
    writer.finish(during);
    same_datasets(dir / "after.h5", file);
  }
  // A writer given up (a failure, Ctrl-C) leaves no file and no temporary name.
  {
    output::ResultsWriter writer((dir / "given_up.h5").string(), study, 11, {"test", "test"});
    model::RunOptions o = options(50, 2, false);
    o.sink = &writer;
    (void)model::run_study(study, o);
  }
  for (const auto& entry : fs::directory_iterator(dir))
    CHECK(entry.path().filename().string().find("given_up") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("running sums give the two-pass estimators", "[streaming][statistics]") {
  const auto s = short_day();
  const auto r = model::run(s, options(500, 2, true));
  std::vector<double> y, x, v;
  for (const auto& rep : r.by_replication) {
    const model::Fraction f = model::fraction(rep.contacts_by_day[0].counts, Measure::service_level,
                                              scenario::ServiceLevelDefinition::offered);
    y.push_back(f.numerator);
    x.push_back(f.denominator);
    v.push_back(f.value());
  }
  const auto ratio = analysis::ratio_of_totals(y, x), days = analysis::estimate(v);
  const model::SummaryRow* row = nullptr;
  for (const auto& candidate : r.contacts_by_day)
    if (candidate.measure == Measure::service_level) row = &candidate;
  REQUIRE(row);
  CHECK(row->estimate.mean == ratio.mean);  // the same sums in the same order
  CHECK(row->estimate.half_width == Approx(ratio.half_width).epsilon(1e-9));
  CHECK(row->estimate.n == ratio.n);
  CHECK(row->of_days.mean == days.mean);
  CHECK(row->of_days.half_width == Approx(days.half_width).epsilon(1e-9));
  CHECK(row->of_days.n == days.n);
}

TEST_CASE("the ratio accumulator: constant values give a zero half-width, NaN pairs are skipped",
          "[streaming][statistics]") {
  analysis::RatioAccumulator a;
  for (int i = 0; i < 5; ++i) a.add(3.0, 4.0);
  a.add(NAN, 4.0);
  CHECK(a.ratio_of_totals().mean == 0.75);
  CHECK(a.ratio_of_totals().half_width == 0.0);
  CHECK(a.ratio_of_totals().n == 5);
  CHECK(a.mean_of_values().half_width == 0.0);
  analysis::RatioAccumulator empty;
  CHECK(std::isnan(empty.ratio_of_totals().mean));
  CHECK(empty.mean_of_values().n == 0);
}
