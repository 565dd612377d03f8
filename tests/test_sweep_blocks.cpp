// The blocks an MPI sweep hands out (sim/cluster): replications played in blocks, in any order, carried as
// bytes and put together by model::PointAssembly give exactly one process's results, with --until-ci too.
#include <catch2/catch.hpp>
#include <algorithm>
#include <random>
#include <string>

#include "model/sweep.hpp"
#include "result_compare.hpp"
#include "scenario/scenario.hpp"

using namespace ccsim;

namespace {

const std::string kPoint = R"(name: blocks
day: {interval: 60min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: 200
    handle_time: {distribution: exponential, mean: 240s}
    patience: {distribution: exponential, mean: 180s}
  - name: chats
    channel: chat
    calls_per_hour: 60
    handle_time: {distribution: exponential, mean: 300s}
agent_groups:
  - name: agents
    agents: 21
policies:
  - name: plain
  - name: fewer
    overrides: {agent_groups.agents.agents: 19}
)";

// Every number of the summary and every replication's whole result the same, bit for bit.
void same_results(const std::vector<model::Results>& a, const std::vector<model::Results>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t p = 0; p < a.size(); ++p) {
    CHECK(a[p].replications == b[p].replications);
    CHECK(a[p].precision_met == b[p].precision_met);
    CHECK(a[p].events == b[p].events);
    testing::Differ d;
    REQUIRE(a[p].contacts_by_interval.size() == b[p].contacts_by_interval.size());
    auto rows = [&](const std::string& name, const std::vector<model::SummaryRow>& x,
                    const std::vector<model::SummaryRow>& y) {
      d.field(name + ".size", x.size(), y.size());
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        const std::string at = name + "[" + std::to_string(i) + "]";
        d.field(at + ".mean", x[i].estimate.mean, y[i].estimate.mean);
        d.field(at + ".half_width", x[i].estimate.half_width, y[i].estimate.half_width);
        d.field(at + ".of_days", x[i].of_days.mean, y[i].of_days.mean);
        d.field(at + ".of_days_half_width", x[i].of_days.half_width, y[i].of_days.half_width);
      }
    };
    rows("contacts_by_interval", a[p].contacts_by_interval, b[p].contacts_by_interval);
    rows("contacts_by_day", a[p].contacts_by_day, b[p].contacts_by_day);
    rows("costs_by_day", a[p].costs_by_day, b[p].costs_by_day);
    for (std::size_t i = 0; i < a[p].occupancy_by_day.size(); ++i)
      d.field("occupancy", a[p].occupancy_by_day[i].estimate.mean, b[p].occupancy_by_day[i].estimate.mean);
    std::vector<model::ReplicationResult> theirs;
    b[p].for_each_replication([&](int, const model::ReplicationResult& r) { theirs.push_back(r); });
    a[p].for_each_replication([&](int i, const model::ReplicationResult& r) {
      REQUIRE(static_cast<std::size_t>(i) < theirs.size());
      d.all(r, theirs[static_cast<std::size_t>(i)]);
    });
    CHECK(d.first() == "");
  }
}

// The point played in blocks of `size` replications, each round's blocks handed on in a shuffled order
// and through bytes, as rank 0 gets them from the ranks.
std::vector<model::Results> in_blocks(const scenario::Study& study, const model::RunOptions& o, int size,
                                      unsigned shuffle) {
  model::PointAssembly point(std::make_shared<const scenario::Study>(study), o);
  model::BlockPlayer player(o);
  std::mt19937 order(shuffle);
  int handed = 0;
  while (!point.done()) {
    std::vector<std::pair<int, int>> round;
    for (; handed < point.round_end(); handed = round.back().second)
      round.emplace_back(handed, std::min(handed + size, point.round_end()));
    REQUIRE_FALSE(round.empty());
    std::shuffle(round.begin(), round.end(), order);
    for (const auto& [from, to] : round) {
      const model::ReplicationBlock block = player.play(3, study, from, to);
      point.add(model::read_block(model::block_bytes(block)));
    }
  }
  return std::move(point.results());
}

}  // namespace

TEST_CASE("replications played in blocks, in any order, equal one process's run", "[sweep][blocks]") {
  const scenario::Study study = scenario::parse_study(kPoint, "blocks.yaml");
  model::RunOptions o;
  o.seed = 11;
  o.replications = 23;
  o.threads = 2;
  const std::vector<model::Results> one = model::run_study(study, o);
  for (const int size : {1, 4, 23}) {
    INFO("blocks of " << size);
    same_results(one, in_blocks(study, o, size, 7U + static_cast<unsigned>(size)));
  }
  SECTION("another seed differs (the comparison can fail)") {
    model::RunOptions other = o;
    other.seed = 12;
    const std::vector<model::Results> b = in_blocks(study, other, 5, 1);
    CHECK(b[0].contacts_by_day[0].estimate.mean != one[0].contacts_by_day[0].estimate.mean);
  }
}

TEST_CASE("the rounds of --until-ci played in blocks equal one process's run", "[sweep][blocks]") {
  const scenario::Study study = scenario::parse_study(kPoint, "blocks.yaml");
  model::RunOptions o;
  o.seed = 5;
  o.replications = 3;
  o.until_measure = "sl";
  o.until_half_width = 0.03;
  o.max_replications = 200;
  const std::vector<model::Results> one = model::run_study(study, o);
  CHECK(one[0].replications > 6);  // several rounds
  same_results(one, in_blocks(study, o, 5, 3));
  o.max_replications = 12;  // stops at the maximum, the precision not met
  const std::vector<model::Results> capped = model::run_study(study, o);
  CHECK_FALSE(capped[0].precision_met);
  same_results(capped, in_blocks(study, o, 2, 9));
}

TEST_CASE("a block out of place is an internal error", "[sweep][blocks]") {
  const scenario::Study study = scenario::parse_study(kPoint, "blocks.yaml");
  model::RunOptions o;
  o.replications = 4;
  model::PointAssembly point(std::make_shared<const scenario::Study>(study), o);
  model::BlockPlayer player(o);
  CHECK_THROWS_AS(point.add(player.play(0, study, 2, 6)), std::logic_error);  // past the replications
  point.add(player.play(0, study, 0, 2));
  CHECK_THROWS_AS(point.add(player.play(0, study, 1, 3)), std::logic_error);  // already taken
  point.add(player.play(0, study, 2, 4));
  CHECK(point.done());
  std::vector<char> bytes = model::block_bytes(player.play(0, study, 0, 1));
  bytes.pop_back();
  CHECK_THROWS(model::read_block(bytes));
}
