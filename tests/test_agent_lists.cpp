// `agents` as a list: one available-agent count per interval of a day or of the run (issue 13).
#include <catch2/catch.hpp>
#include <string>

#include "common/error.hpp"
#include "model/model.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
using engine::Distribution;

namespace {

const std::string kList = R"(name: list centre
day:
  interval: 30min
  intervals: 4
days: {count: 2}
contact_types:
  - name: general
    calls_per_hour: 120
    handle_time: {distribution: exponential, mean: 180s}
agent_groups:
  - name: agents
    agents: [2, 5, 3, 0]
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
  try {
    scenario::parse_scenario(text, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no error for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("a list of agents is read per interval of a day or of the run", "[agent_lists]") {
  auto s = scenario::parse_scenario(kList, "ok.yaml");
  CHECK(s.agent_groups[0].agents_by_interval == std::vector<int>{2, 5, 3, 0});
  CHECK(s.agent_groups[0].agents == 5);  // the head count
  s = scenario::parse_scenario(replace(kList, "[2, 5, 3, 0]", "[1, 2, 3, 4, 5, 6, 7, 8]"), "ok.yaml");
  CHECK(s.agent_groups[0].agents_by_interval.size() == 8);
}

TEST_CASE("a wrong list of agents is reported where it stands", "[agent_lists]") {
  using Catch::Matchers::Contains;
  CHECK_THAT(error_of(replace(kList, "[2, 5, 3, 0]", "[2, 5, 3]")),
             Contains("bad.yaml:12:13") && Contains("4 (a day, repeated) or 8 (the whole run), not 3"));
  CHECK_THAT(error_of(replace(kList, "[2, 5, 3, 0]", "[2, -5, 3, 0]")), Contains("bad.yaml:12:17"));
  CHECK_THAT(error_of(replace(kList, "[2, 5, 3, 0]", "[]")), Contains("not 0"));
  CHECK_THAT(
      error_of(replace(kList, "    agents: [2, 5, 3, 0]\n", "    agents: [2, 5, 3, 0]\n    absence: 0.1\n")),
      Contains("bad.yaml:13:14") && Contains("'absence' does not apply"));
  CHECK_THAT(error_of(replace(kList, "    agents: [2, 5, 3, 0]\n",
                              "    agents: [2, 5, 3, 0]\n    shrinkage: [{start: \"00:00\", end: \"01:00\", "
                              "agents: 1}]\n")),
             Contains("'shrinkage' does not apply"));
}

TEST_CASE("planned available agents follow the list, day by day", "[agent_lists]") {
  auto s = scenario::parse_scenario(replace(kList, "[2, 5, 3, 0]", "[2, 5, 3, 0, 4, 0, 4, 1]"), "ok.yaml");
  const model::Model m = model::build_model(s);
  const std::vector<int> expected{2, 5, 3, 0, 4, 0, 4, 1};
  for (int k = 0; k < m.intervals; ++k)
    CHECK(model::planned_agents(m, k)[0] == Approx(expected[static_cast<std::size_t>(k)]));
  // Rostered time is the plan too: the run's agent-hours are the sum of the counts.
  const std::vector<double> scheduled = model::scheduled_seconds(m);
  for (int k = 0; k < m.intervals; ++k)
    CHECK(scheduled[static_cast<std::size_t>(k)] == Approx(expected[static_cast<std::size_t>(k)] * 1800.0));
  CHECK(m.agents[0] == 8);  // day 2: four agents back after a gap count twice, as on two shifts
}

TEST_CASE("a constant list is the same roster as agents: N", "[agent_lists]") {
  auto flat =
      testing::stationary(200, Distribution::exponential(240), 14, Distribution::exponential(120), 4, 0);
  auto list = flat;
  list.agent_groups[0].agents_by_interval.assign(4, 14);
  const auto a = testing::run(flat, 4, 3), b = testing::run(list, 4, 3);
  for (std::size_t r = 0; r < a.by_replication.size(); ++r) {
    const auto& x = a.by_replication[r].contacts_by_day[0].counts;
    const auto& y = b.by_replication[r].contacts_by_day[0].counts;
    CHECK(x.offered == y.offered);
    CHECK(x.answered_within_tau == y.answered_within_tau);
    CHECK(x.abandoned == y.abandoned);
    CHECK(a.by_replication[r].agents_by_day[0].busy_s == Approx(b.by_replication[r].agents_by_day[0].busy_s));
  }
}

TEST_CASE("agents on the list are staffed as counted; those who leave busy finish first", "[agent_lists]") {
  auto s = testing::stationary(300, Distribution::exponential(300), 0, Distribution::never(), 6, 0);
  s.agent_groups[0].agents_by_interval = {10, 30, 12, 0, 25, 25};
  const auto r = testing::run(s, 5, 11);  // the invariants are checked after every event
  for (const auto& rep : r.by_replication)
    for (int k = 0; k < s.intervals; ++k) {
      const double count = s.agent_groups[0].agents_by_interval[static_cast<std::size_t>(k)];
      const model::AgentTime& t = rep.agents_by_interval[static_cast<std::size_t>(k)];
      CHECK(t.scheduled_s == Approx(count * 3600.0));
      // Never fewer than counted; more only while those who leave finish a contact (minutes, not hours).
      CHECK(t.staffed_s >= count * 3600.0 - 1e-6);
      CHECK(t.staffed_s <= count * 3600.0 + 20 * 3600.0 * 0.5);
    }
}
