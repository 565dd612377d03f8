#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "scenario/scenario.hpp"

using ccsim::InputError;
using ccsim::scenario::parse_scenario;

namespace {

// Line numbers below refer to this text (line 1 is "name: ...").
const std::string kValid = R"(name: test centre
replications: 5
day:
  open: "08:00"
  interval: 30min
  intervals: 4
contact_types:
  - name: general
    calls_per_hour: 120
    handle_time: {distribution: exponential, mean: 180s}
    patience: {distribution: lognormal, mean: 3min, sd: 60}
agent_groups:
  - name: agents
    agents: 5
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no error for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("a valid scenario is read into plain data", "[scenario]") {
  auto s = parse_scenario(kValid, "ok.yaml");
  CHECK(s.name == "test centre");
  CHECK(s.replications == 5);
  CHECK(s.open_s == 8 * 3600.0);
  CHECK(s.interval_s == 1800.0);
  CHECK(s.intervals == 4);
  REQUIRE(s.contact_types.size() == 1);
  CHECK(s.contact_types[0].volume == std::vector<double>(4, 60.0));  // 120/h over half an hour
  CHECK(s.contact_types[0].handle_time.mean() == Approx(180.0));
  CHECK(s.contact_types[0].patience.mean() == Approx(180.0));
  CHECK(s.contact_types[0].patience.variance() == Approx(3600.0));
  CHECK(s.agent_groups[0].agents == 5);
  CHECK(s.tau_s == 20.0);
}

TEST_CASE("volumes, close times, warm-up and service-level settings are read", "[scenario]") {
  auto text = replace(kValid, "    calls_per_hour: 120\n", "    volume: [10, 20, 0, 5]\n");
  text = replace(text, "  intervals: 4\n",
                 "  close: \"10:00\"\n  warmup: 30min\nservice_level: {tau: 30s, definition: answered}\n");
  auto s = parse_scenario(text, "ok.yaml");
  CHECK(s.intervals == 4);
  CHECK(s.warmup_intervals == 1);
  CHECK(s.tau_s == 30.0);
  CHECK(s.sl_definition == ccsim::scenario::ServiceLevelDefinition::answered);
  CHECK(s.contact_types[0].volume == std::vector<double>{10, 20, 0, 5});
}

TEST_CASE("each kind of bad input names file, line, column and field", "[scenario][errors]") {
  struct Case {
    const char* what;
    std::string text;
    std::string expected;  // the message must contain this
  };
  const std::vector<Case> cases = {
      {"misspelt top-level key", replace(kValid, "replications:", "replicatoins:"),
       "bad.yaml:2:1: replicatoins: unknown key 'replicatoins' (did you mean 'replications'?)"},
      {"misspelt nested key", replace(kValid, "    handle_time:", "    handle_tme:"),
       "bad.yaml:10:5: contact_types[0].handle_tme: unknown key 'handle_tme' (did you mean 'handle_time'?)"},
      {"wrong type", replace(kValid, "agents: 5", "agents: many"),
       "bad.yaml:14:13: agent_groups[0].agents: expected a whole number, got 'many'"},
      {"negative rate", replace(kValid, "calls_per_hour: 120", "calls_per_hour: -5"),
       "bad.yaml:9:21: contact_types[0].calls_per_hour: must be > 0, got -5"},
      {"zero rate", replace(kValid, "calls_per_hour: 120", "calls_per_hour: 0"),
       "bad.yaml:9:21: contact_types[0].calls_per_hour: must be > 0, got 0"},
      {"negative volume", replace(kValid, "    calls_per_hour: 120", "    volume: [3, -1, 2, 2]"),
       "bad.yaml:9:17: contact_types[0].volume[1]: must be >= 0, got -1"},
      {"all-zero volume", replace(kValid, "    calls_per_hour: 120", "    volume: [0, 0, 0, 0]"),
       "contact_types[0].volume: every value is zero"},
      {"volume of the wrong length", replace(kValid, "    calls_per_hour: 120", "    volume: [1, 2, 3]"),
       "bad.yaml:9:13: contact_types[0].volume: has 3 values but the day has 4 intervals"},
      {"missing field", replace(kValid, "    handle_time: {distribution: exponential, mean: 180s}\n", ""),
       "bad.yaml:8:5: contact_types[0].handle_time: missing required field 'handle_time'"},
      {"unknown distribution", replace(kValid, "distribution: exponential", "distribution: expo"),
       "bad.yaml:10:33: contact_types[0].handle_time.distribution: unknown value 'expo' (did you mean "
       "'exponential'?)"},
      {"invalid distribution parameter", replace(kValid, "mean: 180s", "mean: 0"),
       "bad.yaml:10:18: contact_types[0].handle_time: exponential distribution: mean must be > 0, got 0"},
      {"parameter of another distribution", replace(kValid, "mean: 180s}", "mean: 180s, sd: 20}"),
       "contact_types[0].handle_time.sd: unknown key 'sd'"},
      {"bad duration", replace(kValid, "mean: 180s", "mean: 3 weeks"),
       "bad.yaml:10:52: contact_types[0].handle_time.mean: expected a duration"},
      {"interval not 15/30/60 min", replace(kValid, "interval: 30min", "interval: 20min"),
       "bad.yaml:5:13: day.interval: interval must be 15min, 30min or 60min"},
      {"close before open", replace(kValid, "  intervals: 4", "  close: \"07:00\""),
       "bad.yaml:6:10: day.close: close 07:00 is not after open 08:00"},
      {"bad clock time", replace(kValid, "\"08:00\"", "\"8h\""),
       "bad.yaml:4:9: day.open: expected a clock time HH:MM"},
      {"unknown channel",
       replace(kValid, "    calls_per_hour: 120", "    channel: fax\n    calls_per_hour: 120"),
       "bad.yaml:9:14: contact_types[0].channel: unknown value 'fax'; expected one of voice, counter, email, "
       "chat"},
      {"duplicate contact type", replace(kValid, "agent_groups:", R"(  - name: general
    calls_per_hour: 10
    handle_time: {distribution: deterministic, value: 60}
agent_groups:)"),
       "bad.yaml:12:11: contact_types[1].name: contact type 'general' is defined twice"},
      {"not YAML", replace(kValid, "  open: \"08:00\"", "  open: [08:00"), "bad.yaml:5:"},
      {"warm-up as long as the day", replace(kValid, "  intervals: 4", "  intervals: 4\n  warmup: 2h"),
       "bad.yaml:7:11: day.warmup: warmup must leave at least one interval to measure"},
      {"no agent group", replace(kValid, "  - name: agents\n    agents: 5\n", "  []\n"),
       "bad.yaml:13:3: agent_groups: needs at least one agent group"},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      std::string message = error_of(c.text);
      INFO(message);
      CHECK(message.find(c.expected) != std::string::npos);
    }
  }
}

TEST_CASE("a missing file is a clear input error", "[scenario][errors]") {
  REQUIRE_THROWS_WITH(ccsim::scenario::load_scenario("/nonexistent/x.yaml"),
                      Catch::Contains("/nonexistent/x.yaml: cannot open scenario file"));
}

TEST_CASE("every shipped scenario and benchmark validates", "[scenario]") {
  int seen = 0;
  for (const char* dir : {"/scenarios", "/bench"})
    for (const auto& entry : std::filesystem::directory_iterator(std::string(CCSIM_SOURCE_DIR) + dir))
      if (entry.path().extension() == ".yaml") {
        INFO(entry.path());
        CHECK_NOTHROW(ccsim::scenario::load_scenario(entry.path().string()));
        ++seen;
      }
  CHECK(seen >= 3);
}
