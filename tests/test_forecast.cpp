// Forecasts: CSV import as WFM tools export it, AHT per interval, day-level busyness.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using model::Measure;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(CCSIM_SOURCE_DIR) + "/tests/data/";

std::string csv_error(const std::string& csv) {
  fs::path dir = fs::temp_directory_path() / ("ccsim_forecast_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "f.csv") << csv;
  std::ifstream in(kData + "forecast.yaml");
  std::stringstream yaml;
  yaml << in.rdbuf();
  try {
    std::string text = yaml.str();
    text.replace(text.find("forecast: forecast.csv"), 22, "forecast: f.csv");
    scenario::parse_scenario(text, (dir / "s.yaml").string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a forecast CSV round trip: simulated volume and AHT per interval match it", "[forecast]") {
  auto s = scenario::load_scenario(kData + "forecast.yaml");
  REQUIRE(s.contact_types[0].volume == std::vector<double>{40, 90, 150, 120});
  REQUIRE(s.contact_types[1].aht == std::vector<double>{400, 420, 420, 500});
  auto r = testing::run(s, 100, 3);
  for (int t = 0; t < 2; ++t)
    for (int k = 0; k < 4; ++k) {
      const auto cell = static_cast<std::size_t>(k * 3 + t);
      std::vector<double> offered, aht;
      for (const auto& rep : r.by_replication) {
        offered.push_back(static_cast<double>(rep.contacts_by_interval[cell].counts.offered));
        aht.push_back(model::value(rep.contacts_by_interval[cell], Measure::aht,
                                   scenario::ServiceLevelDefinition::offered));
      }
      const auto& ct = s.contact_types[static_cast<std::size_t>(t)];
      auto e = analysis::estimate(offered, 1 - 0.01 / 16);
      INFO(ct.name << " interval " << k << ": offered " << e.mean << " ± " << e.half_width);
      CHECK(std::abs(e.mean - ct.volume[static_cast<std::size_t>(k)]) <= e.half_width + 1e-9);
      if (ct.volume[static_cast<std::size_t>(k)] >= 10) {
        auto a = analysis::estimate(aht, 1 - 0.01 / 16);
        INFO("AHT " << a.mean << " ± " << a.half_width);
        CHECK(a.contains(ct.aht[static_cast<std::size_t>(k)]));
      }
    }
}

TEST_CASE("a day-level busyness factor spreads daily volumes as a gamma-mixed Poisson", "[forecast]") {
  // N | B ~ Poisson(B v), B ~ gamma(mean 1, cv): Var N = v + cv^2 v^2. With v = 1000, cv = 0.2: 41000
  // instead of Poisson's 1000.
  auto s = testing::stationary(1000, engine::Distribution::exponential(60), 40, engine::Distribution::never(),
                               1, 0);
  s.busyness_cv = 0.2;
  auto r = testing::run(s, 400, 8);
  std::vector<double> n;
  for (const auto& rep : r.by_replication)
    n.push_back(static_cast<double>(rep.contacts_by_day[0].counts.offered));
  auto e = analysis::estimate(n, 0.99);
  double var = 0.0;
  for (double x : n) var += (x - e.mean) * (x - e.mean);
  var /= static_cast<double>(n.size() - 1);
  CHECK(e.contains(1000.0));
  // The sample variance of 400 such days is within about 15% of the truth (its sd is ~9%).
  CHECK(var == Approx(41000.0).epsilon(0.3));
  s.busyness_cv = 0.0;
  auto plain = testing::run(s, 400, 8);
  double pvar = 0.0, pmean = 0.0;
  for (const auto& rep : plain.by_replication)
    pmean += static_cast<double>(rep.contacts_by_day[0].counts.offered) / 400.0;
  for (const auto& rep : plain.by_replication)
    pvar += std::pow(static_cast<double>(rep.contacts_by_day[0].counts.offered) - pmean, 2) / 399.0;
  CHECK(pvar == Approx(1000.0).epsilon(0.3));
}

TEST_CASE("forecast CSV mistakes name the file, line and column", "[forecast][errors]") {
  const std::string header = "interval_start,contact_type,volume,aht\n";
  const std::string billing =
      "08:00,billing,1,400\n08:30,billing,1,400\n09:00,billing,1,400\n09:30,billing,1,400\n";
  CHECK_THAT(
      csv_error(header + "08:00,general,40,180\n08:30,general,90,200\n09:30,general,1,200\n" + billing),
      Catch::Contains("f.csv:8:1: contact_type: 'general' has no row for interval 09:00"));
  CHECK_THAT(csv_error(header + "08:00,general,40,180\n08:00,general,90,200\n"),
             Catch::Contains(
                 "f.csv:3:1: interval_start: interval 08:00 of 'general' is given twice (first on line 2)"));
  CHECK_THAT(
      csv_error(header + "08:00,genral,40,180\n"),
      Catch::Contains("f.csv:2:7: contact_type: unknown contact type 'genral' (did you mean 'general'?)"));
  CHECK_THAT(csv_error(header + "08:00,general,lots,180\n"),
             Catch::Contains("f.csv:2:15: volume: expected a number, got 'lots'"));
  CHECK_THAT(csv_error(header + "08:00,general,-3,180\n"),
             Catch::Contains("f.csv:2:15: volume: must be >= 0, got -3"));
  CHECK_THAT(
      csv_error(header + "08:10,general,3,180\n"),
      Catch::Contains("f.csv:2:1: interval_start: '08:10' is not the start of one of the day's intervals"));
  CHECK_THAT(csv_error("interval_start,contact_type,volumes\n"),
             Catch::Contains("f.csv:1:29: header: unknown column 'volumes' (did you mean 'volume'?)"));
  CHECK_THAT(csv_error(header + "08:00,general,3\n"),
             Catch::Contains("f.csv:2:1: row: has 3 columns, the header has 4"));
}

TEST_CASE("a type given both inline and in the forecast file is an error", "[forecast][errors]") {
  std::ifstream in(kData + "forecast.yaml");
  std::stringstream yaml;
  yaml << in.rdbuf();
  std::string text = yaml.str();
  text.insert(text.find("    handle_time: {distribution: exponential"), "    calls_per_hour: 100\n");
  REQUIRE_THROWS_WITH(scenario::parse_scenario(text, kData + "x.yaml"),
                      Catch::Contains("contact_types[0].calls_per_hour: 'general' also has rows in"));
}

TEST_CASE("e-mail left at closing is worked the next morning; waiting callers are gone overnight",
          "[forecast][days]") {
  auto s = scenario::parse_scenario(R"(name: two days
day: {open: "08:00", interval: 60min, intervals: 4}
days: {count: 2, profile: [1, 0], labels: [Mon, Tue]}
contact_types:
  - name: calls
    calls_per_hour: 30
    handle_time: {distribution: exponential, mean: 4min}
  - name: mail
    channel: email
    calls_per_hour: 10
    handle_time: {distribution: exponential, mean: 10min}
agent_groups:
  - name: team
    shifts: [{start: "08:00", end: "12:00", agents: 3}]
)",
                                    "days.yaml");
  auto r = testing::run(s, 20, 12);
  for (const auto& rep : r.by_replication) {
    const auto& mon_mail =
        rep.contacts_per_day[1].counts;  // [day * series + series]: series calls, mail, all
    const auto& tue_mail = rep.contacts_per_day[3 + 1].counts;
    CHECK(tue_mail.offered == 0);  // Tuesday has no arrivals (profile 0)...
    CHECK(mon_mail.backlog > 0);   // ...but Monday left e-mail at closing,
    CHECK(tue_mail.backlog == 0);  // which Tuesday's shift worked off:
    CHECK(mon_mail.answered == mon_mail.offered);
    CHECK(rep.agents_per_day[1].busy_s > 0.0);
    // Callers still waiting when the shift ended are gone by the morning.
    const auto& mon_calls = rep.contacts_per_day[0].counts;
    CHECK(mon_calls.offered == mon_calls.answered + mon_calls.abandoned + mon_calls.unserved);
  }
  // Day labels name the intervals of the run.
  CHECK(scenario::interval_label(s, 5) == "Tue 09:00");
}

TEST_CASE("a weekday profile scales each day's volume", "[forecast][days]") {
  auto s = testing::stationary(200, engine::Distribution::exponential(60), 20, engine::Distribution::never(),
                               2, 0);
  s.days = 3;
  s.day_profile = {1.5, 1.0, 0.5};
  auto r = testing::run(s, 60, 4);
  for (int d = 0; d < 3; ++d) {
    std::vector<double> offered;
    for (const auto& rep : r.by_replication)
      offered.push_back(
          static_cast<double>(rep.contacts_per_day[static_cast<std::size_t>(d)].counts.offered));
    auto e = analysis::estimate(offered, 1 - 0.01 / 3);
    INFO("day " << d << ": " << e.mean << " ± " << e.half_width);
    CHECK(e.contains(400.0 * s.day_profile[static_cast<std::size_t>(d)]));
  }
}

TEST_CASE("a forecast with a day column gives every day its own volumes", "[forecast][days]") {
  fs::path dir = fs::temp_directory_path() / ("ccsim_days_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "week.csv")
      << "day,interval_start,contact_type,volume\n"
         "Mon,08:00,calls,100\nMon,09:00,calls,80\n2,08:00,calls,10\n2,09:00,calls,5\n";
  const std::string yaml = R"(name: week
day: {open: "08:00", interval: 60min, intervals: 2}
days: {count: 2, labels: [Mon, Tue]}
forecast: week.csv
contact_types:
  - name: calls
    handle_time: {distribution: exponential, mean: 60}
agent_groups:
  - {name: team, agents: 10}
)";
  auto s = scenario::parse_scenario(yaml, (dir / "w.yaml").string());
  CHECK(s.contact_types[0].volume_by_day == std::vector<double>{100, 80, 10, 5});
  std::ofstream(dir / "week.csv", std::ios::trunc)
      << "day,interval_start,contact_type,volume\nMon,08:00,calls,1\nWed,08:00,calls,1\n";
  REQUIRE_THROWS_WITH(
      scenario::parse_scenario(yaml, (dir / "w.yaml").string()),
      Catch::Contains("week.csv:3:1: day: expected a day number 1 to 2 or a day label, got 'Wed'"));
}
