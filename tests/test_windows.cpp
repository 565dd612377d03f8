// Time windows of a run (`compare --window`, the report's day and window summaries): which intervals a
// window covers, its mistakes located on the command line, and its totals as the sum of its intervals' rows.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_fixtures.hpp"
#include "common/error.hpp"
#include "model/windows.hpp"

using namespace ccsim;

namespace {

// Two days, Mon and Tue, 08:00-12:00 in hours, the first hour of each day warm-up.
std::vector<model::RunInterval> two_days() {
  std::vector<model::RunInterval> out;
  for (int d = 0; d < 2; ++d)
    for (int k = 0; k < 4; ++k)
      out.push_back({d, d == 0 ? "Mon" : "Tue", 8 * 3600.0 + k * 3600.0, 3600.0, k == 0});
  return out;
}

std::string error_of(const std::string& text, const std::vector<model::RunInterval>& intervals) {
  try {
    model::parse_window(text, intervals, "command line: --window " + text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a window is the run's intervals between two interval edges, warm-up left out", "[windows]") {
  const auto run = two_days();
  CHECK(model::parse_window("Mon 09:00-11:00", run, "w").intervals == std::vector<int>{1, 2});
  CHECK(model::parse_window("Mon 08:00-10:00", run, "w").intervals == std::vector<int>{1});  // 08-09 warm-up
  // Over the night: the rest of Monday and Tuesday's morning (its warm-up hour left out).
  CHECK(model::parse_window("Mon 11:00-Tue 10:00", run, "w").intervals == std::vector<int>{3, 5});
  CHECK(model::parse_window(" Tue 09:00 - 12:00 ", run, "w").name == "Tue 09:00 - 12:00");
  // A one-day run may leave the day out.
  std::vector<model::RunInterval> one(run.begin(), run.begin() + 4);
  for (auto& k : one) k.day_label.clear();
  CHECK(model::parse_window("10:00-12:00", one, "w").intervals == std::vector<int>{2, 3});
  // Whole days.
  const auto days = model::day_windows(run);
  REQUIRE(days.size() == 2);
  CHECK(days[1].name == "Tue");
  CHECK(days[1].intervals == std::vector<int>{5, 6, 7});
}

TEST_CASE("a window off the interval edges or outside the run is a located error", "[windows]") {
  const auto run = two_days();
  CHECK_THAT(error_of("Mon 09:30-11:00", run),
             Catch::StartsWith("command line: --window Mon 09:30-11:00: 09:30 on Mon is not the start of an interval") &&
                 Catch::Contains("08:00 to 12:00"));
  CHECK_THAT(error_of("Mon 09:00-12:30", run), Catch::Contains("12:30 on Mon is not the end of an interval"));
  CHECK_THAT(error_of("Wed 09:00-11:00", run), Catch::Contains("no day 'Wed' in the run (its days: Mon, Tue)"));
  CHECK_THAT(error_of("06:00-07:00", run), Catch::Contains("name one"));
  CHECK_THAT(error_of("Tue 09:00-Mon 11:00", run), Catch::Contains("ends before it starts"));
  CHECK_THAT(error_of("Mon 08:00-09:00", run), Catch::Contains("only warm-up"));
  CHECK_THAT(error_of("Monday morning", run), Catch::Contains("expected [DAY ]HH:MM-[DAY ]HH:MM"));
  CHECK_THAT(error_of("Mon 09:00-noon", run), Catch::Contains("'noon' is not a clock time"));
}

TEST_CASE("window totals sum the intervals per replication; counts keep a denominator of 1", "[windows]") {
  const model::Window w{"w", {1, 3}};
  const std::vector<std::vector<double>> num{{1, 2}, {10, 20}, {100, 200}, {1000, 2000}};
  const std::vector<std::vector<double>> one(4, std::vector<double>{1, 1});
  const auto ratio = model::window_totals(num, num, w, model::Pooling::ratio);
  CHECK(ratio.numerator == std::vector<double>{1010, 2020});
  CHECK(ratio.denominator == std::vector<double>{1010, 2020});
  const auto count = model::window_totals(num, one, w, model::Pooling::total);
  CHECK(count.numerator == std::vector<double>{1010, 2020});
  CHECK(count.denominator == std::vector<double>{1, 1});
  CHECK(model::window_totals(num, one, w, model::Pooling::level).numerator == std::vector<double>{1000, 2000});
}

namespace {

struct Row {
  std::int32_t policy, replication, interval;
  std::uint64_t offered, answered;
  double wait_answered_s;
};

// /replications/contacts_by_interval's columns by name, as any reader of the file would take them (one
// contact type: no "all" rows).
std::vector<Row> interval_rows(const std::filesystem::path& file) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t set = H5Dopen2(f, "/replications/contacts_by_interval", H5P_DEFAULT);
  hid_t space = H5Dget_space(set);
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(Row));
  H5Tinsert(t, "policy", HOFFSET(Row, policy), H5T_NATIVE_INT32);
  H5Tinsert(t, "replication", HOFFSET(Row, replication), H5T_NATIVE_INT32);
  H5Tinsert(t, "interval", HOFFSET(Row, interval), H5T_NATIVE_INT32);
  H5Tinsert(t, "offered", HOFFSET(Row, offered), H5T_NATIVE_UINT64);
  H5Tinsert(t, "answered", HOFFSET(Row, answered), H5T_NATIVE_UINT64);
  H5Tinsert(t, "wait_answered_s", HOFFSET(Row, wait_answered_s), H5T_NATIVE_DOUBLE);
  std::vector<Row> rows(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  REQUIRE(H5Dread(set, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) >= 0);
  H5Tclose(t);
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(f);
  return rows;
}

}  // namespace

TEST_CASE("compare --window: a window's totals are the sums of its intervals' rows in the results file",
          "[windows][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = testing::work_dir("windows");
  std::ofstream(d / "two.yaml") << R"(name: two days
seed: 3
replications: 4
day: {open: "08:00", interval: 60min, intervals: 4, warmup: 1}
days: {count: 2, labels: [Mon, Tue]}
contact_types:
  - {name: calls, calls_per_hour: [100, 200, 150, 120], handle_time: {distribution: exponential, mean: 4min},
     patience: {distribution: exponential, mean: 3min}}
agent_groups:
  - {name: desk, agents: 10}
policies:
  - name: ten
  - name: eleven
    overrides: {agent_groups.desk.agents: 11}
)";
  REQUIRE(testing::run_ccsim("run two.yaml -q -o two.h5", d).code == 0);
  const auto out = testing::run_ccsim(
      "compare two.h5 -m offered,asa --json --window 'Mon 11:00-Tue 10:00' --window 'Tue 08:00-12:00'", d);
  REQUIRE(out.code == 0);
  const auto json = nlohmann::json::parse(out.out);
  // Per policy and window, the sums over replications of offered, answered and the answered waits.
  const std::map<std::string, std::vector<int>> windows{{"Mon 11:00-Tue 10:00", {3, 5}},
                                                        {"Tue 08:00-12:00", {5, 6, 7}}};
  std::map<std::pair<int, std::string>, double> offered, answered, waits;
  for (const Row& r : interval_rows(d / "two.h5"))
    for (const auto& [name, ks] : windows)
      if (std::find(ks.begin(), ks.end(), r.interval) != ks.end()) {
        offered[{r.policy, name}] += static_cast<double>(r.offered);
        answered[{r.policy, name}] += static_cast<double>(r.answered);
        waits[{r.policy, name}] += r.wait_answered_s;
      }
  int checked = 0;
  for (const auto& row : json) {
    const int policy = row["policy"] == "ten" ? 0 : 1;
    const std::pair<int, std::string> key{policy, row["window"].get<std::string>()};
    if (row["measure"] == "offered") CHECK(row["mean"].get<double>() == Approx(offered[key] / 4).epsilon(1e-12));
    if (row["measure"] == "asa") CHECK(row["mean"].get<double>() == Approx(waits[key] / answered[key]).epsilon(1e-12));
    ++checked;
  }
  CHECK(checked == 2 * 2 * 2);
  CHECK(offered[{0, "Tue 08:00-12:00"}] > 0.0);
  // A window outside the run, or off the edges: a located error before anything is printed.
  const auto outside = testing::run_ccsim("compare two.h5 --window 'Wed 09:00-10:00' --window 'Mon 09:15-10:00'", d);
  CHECK(outside.code == 1);
  CHECK(outside.out.empty());
  CHECK_THAT(outside.err, Catch::Contains("error: command line: --window Wed 09:00-10:00: no day 'Wed'") &&
                              Catch::Contains("error: command line: --window Mon 09:15-10:00: 09:15 on Mon"));
  fs::remove_all(d);
}
