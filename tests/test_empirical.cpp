// Empirical distributions (inline values or a CSV column beside the scenario) and `ccsim fit`: what they
// read, the errors they locate, and the same results for the same seed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "engine/distribution.hpp"
#include "scenario/data_column.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;
namespace fs = std::filesystem;

namespace {

const char* kScenario = R"(name: empirical
day: {open: "08:00", close: "10:00", interval: 60min}
contact_types:
  - name: calls
    calls_per_hour: 30
    handle_time: HANDLE
    patience: {distribution: empirical, values: [30, 1min, 90s, 240]}
agent_groups:
  - {name: agents, agents: 3, skills: [calls]}
)";

std::string scenario_with(const std::string& handle) {
  std::string s = kScenario;
  return s.replace(s.find("HANDLE"), 6, handle);
}

// Writes `files` (name, text) into a fresh folder and parses the scenario there; the error text or "".
std::string error_of(const std::string& handle,
                     const std::vector<std::pair<std::string, std::string>>& files) {
  static int call = 0;  // a folder per call: no file of an earlier case is left
  const fs::path d = testing::work_dir("empirical" + std::to_string(++call));
  for (const auto& [name, text] : files) std::ofstream(d / name) << text;
  try {
    scenario::parse_scenario(scenario_with(handle), (d / "s.yaml").string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("an empirical law: interpolated quantiles, exact moments, one uniform per draw", "[empirical]") {
  const Distribution d = Distribution::empirical({30.0, 10.0, 20.0});
  CHECK(d.kind() == Distribution::Kind::empirical);
  CHECK(d.observations() == std::vector<double>{10.0, 20.0, 30.0});
  // Two uniforms of weight 1/2 on [10, 20] and [20, 30]: mean 20, variance 100/3.
  CHECK(d.mean() == Approx(20.0));
  CHECK(d.variance() == Approx(100.0 / 3.0));
  // Uneven gaps: [0, 10] and [10, 100]; mean (5 + 55) / 2 = 30, E[X^2] = (100/3 + 3700) / 2.
  const Distribution skew = Distribution::empirical({0.0, 10.0, 100.0});
  CHECK(skew.mean() == Approx(30.0));
  CHECK(skew.variance() == Approx((100.0 / 3.0 + 3700.0) / 2.0 - 900.0));
  CHECK(Distribution::empirical({42.0}).mean() == 42.0);
  CHECK(Distribution::empirical({42.0}).variance() == 0.0);
  CHECK(d.scaled(2.0).mean() == Approx(40.0));
  CHECK(d.describe() == "empirical(3 values, mean 20)");
  // Inversion: the draw is the quantile of the stream's uniform, and within the data's range.
  engine::Stream a(7, 0, 1), b(7, 0, 1);
  for (int i = 0; i < 1000; ++i) {
    const double u = b.uniform(), x = d.sample(a);
    CHECK(x == Approx(10.0 + 20.0 * u).margin(1e-9));
  }
  engine::Stream one(7, 0, 2);
  CHECK(Distribution::empirical({5.0}).sample(one) == 5.0);
  CHECK_THROWS_AS(Distribution::empirical({}), InputError);
  CHECK_THROWS_AS(Distribution::empirical({1.0, -1.0}), InputError);
  CHECK_THROWS_AS(Distribution::empirical({1.0, std::nan("")}), InputError);
}

TEST_CASE("an empirical handle time from a CSV column beside the scenario", "[empirical][scenario]") {
  const fs::path d = testing::work_dir("empirical_ok");
  std::ofstream(d / "talk.csv") << "agent,talk_s\n# a comment\nann,100\nbob,200\n\ncid,300\n";
  const auto s = scenario::parse_scenario(
      scenario_with("{distribution: empirical, file: talk.csv, column: talk_s}"), (d / "s.yaml").string());
  CHECK(s.contact_types[0].handle_time.observations() == std::vector<double>{100.0, 200.0, 300.0});
  CHECK(s.contact_types[0].handle_time.mean() == Approx(200.0));
  CHECK(s.contact_types[0].patience.observations() == std::vector<double>{30.0, 60.0, 90.0, 240.0});
  // Same seed, same results, whatever the threads; the Erlang column uses the law's mean.
  const auto one = testing::run(s, 8, 99, 1), four = testing::run(s, 8, 99, 4);
  CHECK(testing::day_values(one, model::Measure::aht) == testing::day_values(four, model::Measure::aht));
  CHECK(testing::day_values(one, model::Measure::asa) == testing::day_values(four, model::Measure::asa));
  for (double aht : testing::day_values(one, model::Measure::aht)) {
    CHECK(aht >= 100.0);
    CHECK(aht <= 300.0);
  }
}

TEST_CASE("bad data for an empirical law: every error at once, at the CSV's place and the field's",
          "[empirical][errors]") {
  const std::string handle = "{distribution: empirical, file: talk.csv, column: talk_s}";
  const std::string e = error_of(handle, {{"talk.csv",
                                           "agent,talk_s\nann,abc\nbob,-5\ncid,nan\ndee,\neve,60\n"
                                           "fay,1,2\n"}});
  INFO(e);
  CHECK(has(e, "talk.csv:2:5: talk_s: expected a number of seconds, got 'abc'"));
  CHECK(has(e, "talk.csv:3:5: talk_s: must be >= 0, got -5"));
  CHECK(has(e, "talk.csv:4:5: talk_s: expected a number of seconds, got 'nan'"));
  CHECK(has(e, "talk.csv:5:5: talk_s: no value"));
  CHECK(has(e, "talk.csv:7:1: row: has 3 columns, the header has 2"));
  CHECK(has(e, "(read for "));
  CHECK(has(e, "s.yaml:6:18: contact_types[0].handle_time)"));
  const std::string missing = error_of(handle, {{"talk.csv", "agent,talk\nann,5\n"}});
  CHECK(has(missing,
            "talk.csv:1:1: header: no column 'talk_s' (did you mean 'talk'?); the columns are agent, talk"));
  CHECK(has(error_of(handle, {{"talk.csv", "talk_s\n"}}), "talk.csv:1:1: talk_s: no values"));
  CHECK(has(error_of(handle, {{"talk.csv", ""}}), "no column 'talk_s'"));
  CHECK(has(error_of(handle, {}), "talk.csv: cannot open data file"));
  CHECK(has(error_of("{distribution: empirical, file: ., column: x}", {}), "is a directory"));
  // Inline values: each bad one at its place; the field's own mistakes.
  const std::string inline_errors = error_of("{distribution: empirical, values: [10, -3, abc, 2min]}", {});
  CHECK(has(inline_errors, "s.yaml:6:57: contact_types[0].handle_time.values[1]: a duration must be >= 0"));
  CHECK(has(inline_errors, "s.yaml:6:61: contact_types[0].handle_time.values[2]: expected a duration"));
  CHECK(has(error_of("{distribution: empirical, values: []}", {}),
            "handle_time.values: needs at least one value"));
  CHECK(has(error_of("{distribution: empirical}", {}), "takes either values: [...] or file: and column:"));
  CHECK(has(error_of("{distribution: empirical, values: [1], file: a.csv}", {}), "not both"));
  CHECK(has(error_of("{distribution: empirical, file: a.csv}", {}), "missing required field 'column'"));
}

TEST_CASE("ccsim fit prints four fits best first, each pasting into a scenario that validates",
          "[fit][cli]") {
  const fs::path d = testing::work_dir("fit_cli");
  {
    std::ofstream csv(d / "talk.csv");
    csv << "agent,seconds\n";
    engine::Stream s(11, 0, 0);
    const Distribution law = Distribution::gamma(200.0, 0.5);
    for (int i = 0; i < 400; ++i) csv << "a," << law.sample(s) << "\n";
  }
  const auto r = testing::run_ccsim("fit talk.csv --column seconds --json", d);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["ranked_by"] == "aic");
  REQUIRE(j["fits"].size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& f = j["fits"][i];
    INFO(f.dump());
    if (i > 0) CHECK(f["aic"].get<double>() >= j["fits"][i - 1]["aic"].get<double>());
    REQUIRE(f["scenario"].is_string());
    std::ofstream(d / "pasted.yaml") << scenario_with(f["scenario"].get<std::string>());
    const auto v = testing::run_ccsim("validate pasted.yaml", d);
    CHECK(v.code == 0);
    CHECK(v.err.empty());
  }
  const auto text = testing::run_ccsim("fit talk.csv --column seconds", d);
  CHECK(text.code == 0);
  CHECK(has(text.out, "best first by AIC"));
  CHECK(has(text.out, "  {distribution: gamma, mean: "));
}

TEST_CASE("ccsim fit: bad data and options are located errors, exit 1", "[fit][cli][errors]") {
  const fs::path d = testing::work_dir("fit_errors");
  std::ofstream(d / "waits.csv") << "wait,outcome\n12,answered\nx,abandoned\n0,abandoned\n30,maybe\n-1,1\n";
  const auto r = testing::run_ccsim("fit waits.csv --column wait --censored-by outcome", d);
  CHECK(r.code == 1);
  CHECK(has(r.err, "error: waits.csv:3:1: wait: expected a number of seconds, got 'x'"));
  CHECK(has(r.err, "error: waits.csv:5:4: outcome: expected answered, 1, true or yes"));
  CHECK(has(r.err, "error: waits.csv:6:1: wait: must be >= 0, got -1"));
  CHECK(has(r.err, "ccsim: 3 errors"));
  std::ofstream(d / "zero.csv") << "wait\n0\n5\n7\n";
  const auto zero = testing::run_ccsim("fit zero.csv --column wait", d);
  CHECK(zero.code == 1);
  CHECK(has(zero.err, "zero.csv:2:1: wait: 0 cannot be fitted"));
  std::ofstream(d / "same.csv") << "wait\n5\n5\n";
  CHECK(has(testing::run_ccsim("fit same.csv --column wait", d).err, "all equal"));
  CHECK(has(testing::run_ccsim("fit waits.csv --column wiat", d).err,
            "waits.csv:1:1: header: no column 'wiat' (did you mean 'wait'?)"));
  CHECK(has(testing::run_ccsim("fit waits.csv", d).err, "command line: ccsim fit needs --column"));
  CHECK(has(testing::run_ccsim("fit --column wait", d).err, "needs a DATA.csv file"));
  CHECK(testing::run_ccsim("fit missing.csv --column wait", d).code == 1);
}
