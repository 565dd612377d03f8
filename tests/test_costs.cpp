// Costs: paid hours at the group's rate plus the location's, lost contacts at their type's price, per
// policy in the run, compare (paired differences), JSON and HDF5; and the errors a price can have.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "common/error.hpp"
#include "model/results.hpp"
#include "cli_fixtures.hpp"
#include "scenario/scenario.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

// Two agents all day for eight hours at 20 an hour (320 a day), 5 per abandoned call, 7 per unserved one.
const std::string kTiny = R"(name: tiny costs
replications: 6
day: {open: "08:00", interval: 60min, intervals: 8}
costs: {per_abandoned: 5}
contact_types:
  - name: general
    calls_per_hour: 30
    handle_time: {distribution: exponential, mean: 240s}
    patience: {distribution: exponential, mean: 60s}
    cost_per_unserved: 7
agent_groups:
  - {name: agents, agents: 2, cost_per_hour: 20}
)";

std::vector<model::Results> run(const scenario::Study& study) {
  model::RunOptions o;
  o.seed = 3;
  o.replications = 6;
  o.threads = 2;
  o.check_invariants = true;
  o.keep_replications = true;
  return model::run_study(study, o);
}

using testing::Outcome;

Outcome run_ccsim(const std::string& args) {
  return testing::run_ccsim(args, testing::work_dir("test_costs"));
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path d = testing::work_dir("test_costs");
  std::ofstream(d / name) << text;
  return d / name;
}

}  // namespace

TEST_CASE("a day's cost is the rate times the paid hours plus the price of each lost call", "[costs]") {
  const auto study = scenario::parse_study(kTiny, "tiny.yaml");
  const auto results = run(study);
  for (const auto& rep : results[0].by_replication) {
    const model::CostCell& c = rep.costs_by_day;
    CHECK(c.paid_s == 2 * 8 * 3600.0);
    CHECK(c.staff == 320.0);
    CHECK(c.abandon == 5.0 * static_cast<double>(rep.contacts_by_day[0].counts.abandoned));
    CHECK(c.unserved == 7.0 * static_cast<double>(rep.contacts_by_day[0].counts.unserved));
    CHECK(model::pooled_fraction(rep, model::Measure::cost, -1, {}).value() == c.staff + c.abandon + c.unserved);
    CHECK(rep.costs_by_interval.size() == 8);
    CHECK(rep.costs_by_interval[3].staff == 40.0);  // 2 agents x 1 h x 20
  }
  // Some calls abandon, so the price of abandonment shows.
  double abandoned = 0.0;
  for (const auto& rep : results[0].by_replication) abandoned += rep.costs_by_day.abandon;
  CHECK(abandoned > 0.0);
  const model::SummaryRow* staff = nullptr;
  for (const auto& row : results[0].costs_by_day)
    if (row.measure == model::Measure::staff_cost) staff = &row;
  REQUIRE(staff);
  CHECK(staff->estimate.mean == Approx(320.0));
  CHECK(staff->estimate.half_width == Approx(0.0).margin(1e-9));
}

TEST_CASE("a location's rate adds to the group's, and absence is paid unless the scenario says not",
          "[costs]") {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  SECTION("half at home, where an hour costs 3 more") {
    const std::string text =
        replace(replace(kTiny, "agent_groups:", "locations:\n  home: {cost_per_hour: 3}\nagent_groups:"),
                "cost_per_hour: 20}", "cost_per_hour: 20, home_share: 0.5}");
    const auto results = run(scenario::parse_study(text, "home.yaml"));
    for (const auto& rep : results[0].by_replication) {
      CHECK(rep.costs_by_day.staff == 8 * 20.0 + 8 * 23.0);
      CHECK(rep.paid_by_day == std::vector<double>{8 * 3600.0, 8 * 3600.0});  // [office, home]
    }
  }
  SECTION("absent agents") {
    const std::string ten = replace(kTiny, "agents: 2, cost_per_hour: 20}", "agents: 10, cost_per_hour: 20, absence: 0.5}");
    const auto paid = run(scenario::parse_study(ten, "paid.yaml"));
    const auto unpaid = run(scenario::parse_study(replace(ten, "costs: {", "costs: {absence_paid: false, "), "x.yaml"));
    bool someone_absent = false;
    for (std::size_t r = 0; r < paid[0].by_replication.size(); ++r) {
      const auto& a = paid[0].by_replication[r];
      const auto& b = unpaid[0].by_replication[r];
      CHECK(a.costs_by_day.staff == 10 * 8 * 20.0);
      // Not paid: only the agents who came, whole days each; the same people stay away in both runs.
      const double present = b.costs_by_day.paid_s / (8 * 3600.0);
      CHECK(present == std::round(present));
      CHECK(b.costs_by_day.staff == present * 8 * 20.0);
      CHECK(b.costs_by_day.paid_s == Approx(b.agents_by_day[0].staffed_s).margin(1e-6));
      someone_absent = someone_absent || present < 10.0;
    }
    CHECK(someone_absent);
  }
}

TEST_CASE("policies change prices, and compare shows the paired cost difference", "[costs][cli]") {
  const fs::path file = write("policies.yaml", kTiny + R"(policies:
  - name: as written
  - name: dearer
    overrides: {agent_groups.agents.cost_per_hour: 25, costs.per_abandoned: 6}
)");
  const fs::path h5 = file.parent_path() / "policies.h5";
  const Outcome ran = run_ccsim("run " + file.string() + " -q -o " + h5.string());
  REQUIRE(ran.code == 0);
  const Outcome cmp = run_ccsim("compare " + h5.string() + " --json -m cost,staff_cost,abandon_cost,paid_hours");
  REQUIRE(cmp.code == 0);
  const auto rows = nlohmann::json::parse(cmp.out);
  std::map<std::string, nlohmann::json> dearer;
  for (const auto& row : rows)
    if (row["policy"] == "dearer") dearer[row["measure"].get<std::string>()] = row;
  // Same customers, same abandons: the staff cost differs by exactly 2 x 8 h x 5 a day, the abandon cost
  // by exactly one per abandoned call.
  CHECK(dearer["staff_cost"]["difference"].get<double>() == Approx(80.0));
  CHECK(dearer["staff_cost"]["difference_half_width"].get<double>() == Approx(0.0).margin(1e-9));
  CHECK(dearer["staff_cost"]["significant"] == true);
  CHECK(dearer["paid_hours"]["difference"].get<double>() == Approx(0.0).margin(1e-12));
  const double abandoned = dearer["abandon_cost"]["mean"].get<double>() / 6.0;  // calls per day
  CHECK(abandoned > 0.0);
  CHECK(dearer["abandon_cost"]["difference"].get<double>() == Approx(abandoned));
  CHECK(dearer["cost"]["difference"].get<double>() ==
        Approx(80.0 + dearer["abandon_cost"]["difference"].get<double>()));
  CHECK(dearer["cost"]["unit"] == "money");
  // The default measures add the cost when the scenario has prices, and the run's JSON carries them too.
  const Outcome plain = run_ccsim("compare " + h5.string());
  CHECK(plain.out.find("cost") != std::string::npos);
  const Outcome json_out = run_ccsim("run " + file.string() + " --json -o " + h5.string());
  REQUIRE(json_out.code == 0);
  const auto j = nlohmann::json::parse(json_out.out);
  CHECK(j["policies"][0]["summary"]["day"]["costs"]["staff_cost"]["mean"].get<double>() == Approx(320.0));
  CHECK(j["policies"][1]["summary"]["intervals"][0]["costs"]["staff_cost"]["mean"].get<double>() ==
        Approx(50.0));
  CHECK(j["comparison"].dump().find("\"cost\"") != std::string::npos);
}

TEST_CASE("a negative or non-finite cost is a located error, every one at once", "[costs][errors]") {
  const std::string text = R"(name: bad prices
day: {open: "08:00", interval: 60min, intervals: 2}
costs: {per_abandoned: -1}
locations:
  home: {cost_per_hour: .inf}
contact_types:
  - {name: general, calls_per_hour: 10, handle_time: {distribution: exponential, mean: 60s}, cost_per_unserved: nan}
agent_groups:
  - {name: agents, agents: 2, cost_per_hour: -20}
)";
  try {
    scenario::parse_study(text, "bad.yaml");
    FAIL("expected an input error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("bad.yaml:3:24: costs.per_abandoned: a cost is a finite number from 0 to "
                                     "1e9, got -1"));
    CHECK_THAT(what, Catch::Contains("bad.yaml:5:25: locations.home.cost_per_hour: a cost is a finite number from 0 to 1e9, got .inf"));
    CHECK_THAT(what, Catch::Contains("bad.yaml:7:113: contact_types[0].cost_per_unserved: a cost is a finite"));
    CHECK_THAT(what, Catch::Contains("bad.yaml:9:46: agent_groups[0].cost_per_hour: a cost is a finite number"));
  }
  // A policy's price is checked like the scenario's own, naming the override.
  try {
    scenario::parse_study(kTiny + "policies:\n  - name: p\n    overrides: {agent_groups.agents.cost_per_hour: -3}\n",
                          "p.yaml");
    FAIL("expected an input error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("cost_per_hour: a cost is a finite number from 0 to 1e9, "
                                                      "got -3 (in policy 'p'"));
  }
}
