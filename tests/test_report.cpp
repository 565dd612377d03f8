// The manager's report (ccsim report): words decided by the paired interval, the factors' main effects in
// the first paragraph, every policy drawn distinguishably, day and window totals, no jargon outside the
// "how to read this" note. Its rendering in Chromium is checked by report_in_chromium.sh (label browser).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "analysis/statistics.hpp"
#include "cli/report_text.hpp"
#include "cli_fixtures.hpp"

using namespace ccsim;

TEST_CASE("a change is put in words by its paired interval, not by rounded means", "[report]") {
  // The issue's case: -0.0 ± 0.1 s reads as no difference, whatever the means rounded to.
  CHECK(cli::change_words(cli::kAsa, {-0.04, 0.1, 40}, "the average wait") ==
        "no measurable difference in the average wait (between −0.1 and +0.1 s)");
  CHECK(cli::change_words(cli::kAsa, {3.5, 0.6, 40}, "the average wait") ==
        "the average wait rises by 3.5 s (between 2.9 and 4.1)");
  CHECK(cli::change_words(cli::kAbandon, {-0.012, 0.004, 40}, "the share who hang up") ==
        "the share who hang up falls by 1.2 percentage points (between 0.8 and 1.6)");
  // A small difference whose interval excludes 0 is one, and its bounds do not print as zero.
  CHECK(cli::change_words(cli::kAsa, {0.05, 0.03, 40}, "the wait") == "the wait rises by 0.05 s (between 0.02 and 0.08)");
  // A bound that rounds to zero prints without a sign, never as "−0.0".
  CHECK(cli::change_words(cli::kAsa, {0.2, 0.24, 40}, "the wait") ==
        "no measurable difference in the wait (between 0.0 and +0.4 s)");
  // An interval touching 0 holds it.
  CHECK_THAT(cli::change_words(cli::kAsa, {0.1, 0.1, 40}, "the wait"), Catch::StartsWith("no measurable difference"));
  CHECK_THAT(cli::change_words(cli::kAsa, {1.0, NAN, 1}, "the wait"), Catch::Contains("cannot be compared"));
}

TEST_CASE("a factor's main effect is the mean of its paired differences", "[report]") {
  // Two factors, 2 x 2 policies; ASA per replication = y / x. home adds 10 s at the office's message and
  // 20 s with the message: the main effect of home is 15 s.
  output::ReportData d;
  d.policies = {"office silent", "office message", "home silent", "home message"};
  d.factors = {{{"home", "0"}, {"message", "none"}},
               {{"home", "0"}, {"message", "yes"}},
               {{"home", "1"}, {"message", "none"}},
               {{"home", "1"}, {"message", "yes"}}};
  output::ComparisonData days;
  days.policies = d.policies;
  const std::vector<double> base{100, 110, 90, 120};  // waits per answered caller, by replication
  const std::vector<double> add{0, 0, 10, 20};       // what each policy adds
  for (std::size_t m = 0; m < cli::report_measures().size(); ++m) {
    days.numerators.emplace_back();
    days.denominators.emplace_back();
    for (std::size_t p = 0; p < 4; ++p) {
      std::vector<double> y, x;
      for (std::size_t r = 0; r < base.size(); ++r) {
        y.push_back((base[r] + add[p] + static_cast<double>(r)) * 10.0);
        x.push_back(10.0);
      }
      days.numerators.back().push_back({y});
      days.denominators.back().push_back({x});
    }
  }
  const auto effects = cli::factor_effects(d, days);
  REQUIRE(effects.size() == 2);
  CHECK(effects[0].factor == "home");
  CHECK(effects[0].level == "1");
  CHECK(effects[0].reference == "0");
  CHECK(effects[0].at_level == std::vector<int>{2, 3});
  CHECK(effects[0].at_reference == std::vector<int>{0, 1});
  CHECK(effects[0].asa.mean == Approx(15.0));
  CHECK(effects[0].asa.half_width == 0.0);  // the same difference in every replication
  CHECK(effects[1].factor == "message");
  CHECK(effects[1].asa.mean == Approx(5.0));  // (0 + 10) / 2
  // The contrast of a single pair is the paired difference.
  const auto pair = analysis::ratio_contrast({days.numerators[1][0][0], days.numerators[1][2][0]},
                                             {days.denominators[1][0][0], days.denominators[1][2][0]},
                                             std::vector<double>{-1.0, 1.0});
  const auto direct = analysis::paired_ratio_difference(days.numerators[1][0][0], days.denominators[1][0][0],
                                                        days.numerators[1][2][0], days.denominators[1][2][0]);
  CHECK(pair.mean == Approx(direct.mean));
  CHECK(pair.half_width == Approx(direct.half_width).margin(1e-12));
}

namespace {

// Two days; "more staff" changes the wait, "relabelled" only the label: its effect is exactly nothing.
const char* kFactorScenario = R"(name: factor check
seed: 5
replications: 6
day: {open: "08:00", interval: 60min, intervals: 4}
days: {count: 2, labels: [Mon, Tue]}
service_level: {tau: 20s, target: 0.8}
contact_types:
  - {name: calls, calls_per_hour: [100, 200, 150, 120], handle_time: {distribution: exponential, mean: 4min},
     patience: {distribution: exponential, mean: 3min}}
  - {name: mail_line, calls_per_hour: 20, handle_time: {distribution: exponential, mean: 4min},
     patience: {distribution: exponential, mean: 5min}}
agent_groups:
  - {name: desk, agents: 11}
policies:
  - name: eleven
    factors: {staff: 11, label: plain}
  - name: eleven relabelled
    factors: {staff: 11, label: fancy}
  - name: fifteen
    factors: {staff: 15, label: plain}
    overrides: {agent_groups.desk.agents: 15}
  - name: fifteen relabelled
    factors: {staff: 15, label: fancy}
    overrides: {agent_groups.desk.agents: 15}
)";

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the report's first paragraph states each factor's paired effect", "[report][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = testing::work_dir("report");
  std::ofstream(d / "f.yaml") << kFactorScenario;
  REQUIRE(testing::run_ccsim("run f.yaml -q -o f.h5", d).code == 0);
  const auto page = testing::run_ccsim("report f.h5 -o - --window 'Mon 09:00-Tue 10:00'", d);
  REQUIRE(page.code == 0);
  const std::string& html = page.out;
  const auto lead_at = html.find("<p class='lead'>");
  REQUIRE(lead_at != std::string::npos);
  CHECK(lead_at < html.find("<table"));  // the first thing after the title
  const std::string lead = html.substr(lead_at, html.find("</ul>", lead_at) - lead_at);
  CHECK_THAT(lead, Catch::Contains("<b>staff 15</b> instead of 11: the average wait of answered callers falls by") &&
                       Catch::Contains("(2 pairs of policies)"));
  // Relabelling changes nothing: the interval is exactly 0, and the words say so.
  CHECK_THAT(lead, Catch::Contains("<b>label fancy</b> instead of plain: no measurable difference in the average "
                                   "wait of answered callers (between 0.0 and 0.0 s), and no measurable difference "
                                   "in the share who hang up"));
  // Per day and per window, each with its paired differences; days labelled on the charts.
  CHECK_THAT(html, Catch::Contains("<h2>Day by day</h2>") && Catch::Contains("<h3>Mon</h3>") &&
                       Catch::Contains("<h3>Tue</h3>") && Catch::Contains("<h2>Time windows</h2>") &&
                       Catch::Contains("<h3>Mon 09:00-Tue 10:00</h3>") && Catch::Contains("class='dl'>Tue</text>") &&
                       Catch::Contains("class='day'") && Catch::Contains("class='target'") &&
                       Catch::Contains("target 80%") && Catch::Contains("class='band'"));
  // A chart per contact type beside the pooled ones.
  CHECK_THAT(html, Catch::Contains("<h2>Per contact type</h2>") && Catch::Contains("mail_line: average wait"));
  // Every policy's line has its own colour and dash pattern.
  const std::regex line("<polyline fill='none' stroke='(#[0-9a-f]{6})' stroke-width='[0-9.]+'( stroke-dasharray='([0-9 ]+)')?");
  std::set<std::pair<std::string, std::string>> styles;
  const auto first_chart = html.find("<figure class='chart'>");
  const std::string chart = html.substr(first_chart, html.find("</figure>", first_chart) - first_chart);
  for (std::sregex_iterator it(chart.begin(), chart.end(), line), end; it != end; ++it)
    styles.insert({(*it)[1], (*it)[3]});
  CHECK(styles.size() == 4);
  std::set<std::string> colours, dashes;
  for (const auto& [c, dash] : styles) {
    colours.insert(c);
    dashes.insert(dash);
  }
  CHECK(colours.size() == 4);
  CHECK(dashes.size() == 4);
  // No jargon before the note that explains it.
  const auto note = html.find("<h2>How to read this</h2>");
  REQUIRE(note != std::string::npos);
  CHECK(html.substr(0, note).find("common random numbers") == std::string::npos);
  CHECK(html.substr(0, note).find("ratio of totals") == std::string::npos);
  CHECK(count(html, "figure,table,.lead{break-inside:avoid") == 1);  // printed: no chart split over two pages
  // A window outside the run is a located error.
  const auto bad = testing::run_ccsim("report f.h5 -o - --window 'Wed 09:00-10:00'", d);
  CHECK(bad.code == 1);
  CHECK_THAT(bad.err, Catch::Contains("command line: --window Wed 09:00-10:00: no day 'Wed'"));
  fs::remove_all(d);
}

TEST_CASE("without factors each policy is compared with the baseline", "[report][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = testing::work_dir("report_plain");
  std::string text = kFactorScenario;
  text = std::regex_replace(text, std::regex("    factors: \\{[^}]*\\}\n"), "");
  std::ofstream(d / "p.yaml") << text;
  REQUIRE(testing::run_ccsim("run p.yaml -q -o p.h5", d).code == 0);
  const auto page = testing::run_ccsim("report p.h5 -o -", d);
  REQUIRE(page.code == 0);
  CHECK_THAT(page.out, Catch::Contains("Each policy against the baseline <b>eleven</b>") &&
                           Catch::Contains("<li><b>eleven relabelled</b>: no measurable difference in the average") &&
                           Catch::Contains("<li><b>fifteen</b>: the average wait of answered callers falls by"));
  fs::remove_all(d);
}

TEST_CASE("a scenario without policies leads with its own figures", "[report][cli]") {
  namespace fs = std::filesystem;
  const fs::path d = testing::work_dir("report_single");
  std::string text = kFactorScenario;
  text = text.substr(0, text.find("policies:"));
  std::ofstream(d / "s.yaml") << text;
  REQUIRE(testing::run_ccsim("run s.yaml -q -o s.h5", d).code == 0);
  const auto page = testing::run_ccsim("report s.h5 -o -", d);
  REQUIRE(page.code == 0);
  CHECK(std::regex_search(page.out, std::regex("<p class='lead'>[0-9.]+% of callers are answered within 20 s "
                                               "\\(between [0-9.]+ and [0-9.]+%\\); answered callers wait")));
  fs::remove_all(d);
}
