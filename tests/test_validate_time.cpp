// `ccsim validate` answers at once on any input (issue 12): the worst cases found by hand, each validated
// with its CPU time measured. A hang guard, not a performance test: before, these took seconds to minutes
// (a million agents over a day: 2 s of CPU, 12 s on a busy machine, as every rostered agent was visited per
// interval several times; 500 types with transfers: a dense solve per type and interval) or, with Erlang-A
// chains of millions of states, minutes or an internal error; now 0.01 to 1 s of CPU. The bound, 3 s of CPU
// (not wall time, which a busy machine stretches), catches only work that grows with the input again, and
// is checked only in an optimised build without sanitizers (CCSIM_CHECK_TIME_BOUND); elsewhere the cases
// still run and must give their answers.
#include <sys/resource.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "cli_fixtures.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

const std::string kHandle = "handle_time: {distribution: exponential, mean: 180}";

double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// 500 types in a ring of transfers, 500 groups of 100 skills each: the largest routing a scenario may hold.
std::string many_types(int intervals) {
  std::string s = "name: many types\nday: {interval: 15min, intervals: " + std::to_string(intervals) +
                  "}\ncontact_types:\n";
  for (int t = 0; t < 500; ++t)
    s += "  - {name: t" + std::to_string(t) + ", calls_per_hour: 1, " + kHandle + ", transfers: [{to: t" +
         std::to_string((t + 1) % 500) + ", probability: 0.5}]}\n";
  s += "agent_groups:\n";
  for (int g = 0; g < 500; ++g) {
    s += "  - {name: g" + std::to_string(g) + ", agents: 3, skills: [";
    for (int k = 0; k < 100; ++k) s += (k ? ", t" : "t") + std::to_string((g + k) % 500);
    s += "]}\n";
  }
  return s;
}

std::string huge_agents() {
  std::string s =
      "name: huge agents\nday: {interval: 60min, intervals: 24}\ncontact_types:\n  - {name: a, "
      "calls_per_hour: 10, " +
      kHandle + ", patience: {distribution: exponential, mean: 1e7}}\nagent_groups:\n";
  for (int g = 0; g < 500; ++g) s += "  - {name: g" + std::to_string(g) + ", agents: 1000000, skills: [a]}\n";
  return s + "announcement: {predictor: planned}\n";
}

}  // namespace

TEST_CASE("validate answers within a bound on worst-case inputs", "[hostile][hang]") {
  struct Case {
    const char* name;
    std::string text;
    const char* expect;  // a line of the answer
    const char* options = "";
  };
  const std::vector<Case> cases = {
      {"huge_rate",
       "name: huge rate\nday: {interval: 60min, intervals: 24}\ncontact_types:\n  - {name: a, "
       "calls_per_hour: "
       "1.99e6, " +
           kHandle +
           ", patience: {distribution: exponential, mean: 300}}\nagent_groups:\n  - {name: g, "
           "agents: 1000000}\nannouncement: {predictor: planned}\n",
       "capacity: not checked: 24 intervals"},
      {"long_patience",
       "name: long patience\nday: {interval: 60min, intervals: 24}\ncontact_types:\n  - {name: a, "
       "calls_per_hour: "
       "100000, handle_time: {distribution: exponential, mean: 1}, patience: {distribution: exponential, "
       "mean: "
       "1e7}}\nagent_groups:\n  - {name: g, agents: 1}\nannouncement: {predictor: planned}\n",
       "capacity: not checked"},
      // Callback offers need the same planned wait as announcements: its work was once left out of the
      // budget, and the scenario fuzzer waited on such a chain.
      {"long_patience_callbacks",
       "name: long patience\nday: {interval: 60min, intervals: 24}\ncontact_types:\n  - {name: a, "
       "calls_per_hour: 100000, handle_time: {distribution: exponential, mean: 1}, patience: {distribution: "
       "exponential, mean: 1e7}, callback: {offer_when_predicted_over: 1min, accept: 0.5}}\nagent_groups:\n"
       "  - {name: g, agents: 1}\n",
       "capacity: not checked"},
      {"many_intervals",
       "name: many intervals\nday: {interval: 15min, intervals: 100000}\ncontact_types:\n  - {name: a, "
       "calls_per_hour: 10, " +
           kHandle + "}\nagent_groups:\n  - {name: g, agents: 1000}\n",
       "capacity: not checked: 100000 intervals"},
      {"staggered_year",
       "name: staggered\nday: {interval: 15min, intervals: 96}\ndays: {count: 366}\ncontact_types:\n  - "
       "{name: a, "
       "calls_per_hour: 1000, " +
           kHandle +
           "}\nagent_groups:\n  - name: g\n    shifts:\n      - {start: \"00:00\", "
           "end: \"23:00\", agents: 1000000, breaks: [{window: [\"01:00\", \"22:00\"], duration: 30min}]}\n",
       "capacity: not checked: 35136 intervals"},
      {"huge_agents", huge_agents(), "500 agent group(s) with 500000000 agents"},
      {"many_types", many_types(1), "capacity: not checked: 1 intervals"},
      // Its results file would hold 6 TiB of tables: validate refuses that unless the limit is raised.
      {"many_types_long_day", many_types(100000), "capacity: not checked: 100000 intervals",
       " --max-output 8TiB"},
      // An ordinary scenario is still checked whole.
      {"ordinary",
       "name: ordinary\nday: {interval: 30min, intervals: 20}\ncontact_types:\n  - {name: a, calls_per_hour: "
       "100, " +
           kHandle + "}\nagent_groups:\n  - {name: g, agents: 6}\n",
       "every interval's offered load can be served by some routing"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const fs::path p = testing::work_dir() / (std::string(c.name) + ".yaml");
    std::ofstream(p, std::ios::trunc) << c.text;
    double before = children_cpu_seconds();
    const testing::Outcome r = testing::run_ccsim("validate " + p.string() + c.options);
    double cpu = children_cpu_seconds() - before;
    // On a loaded virtual machine the CPU time charged stretches too (once past the bound under ctest -j2):
    // a case over the bound is timed once more and the lesser time counts; work that grows with the input
    // exceeds it both times.
    if (cpu >= 3.0) {
      before = children_cpu_seconds();
      (void)testing::run_ccsim("validate " + p.string() + c.options);
      cpu = std::min(cpu, children_cpu_seconds() - before);
    }
    INFO(r.out << r.err << "CPU " << cpu << " s");
    CHECK(r.code == 0);
    CHECK(r.out.find(c.expect) != std::string::npos);
#ifdef CCSIM_CHECK_TIME_BOUND
    CHECK(cpu < 3.0);
#endif
  }
}

TEST_CASE("an Erlang-A chain too long to solve leaves the Erlang column empty, not an internal error",
          "[hostile]") {
  // Calls that wait up to 1e7 s for one agent: at 20,000 an hour a queue of 4.6e7 callers in the chain, whose
  // SL(tau) took minutes; at 100,000 beyond 5e7 states, which was an internal error (exit 2).
  for (const char* calls : {"20000", "100000"}) {
    INFO(calls);
    const fs::path p = testing::work_dir() / "long_chain.yaml", out = testing::work_dir() / "long_chain.h5";
    fs::remove(out);
    std::ofstream(p, std::ios::trunc)
        << "name: long chain\nday: {interval: 15min, intervals: 1}\ncontact_types:\n  - {name: a, "
           "calls_per_hour: "
        << calls
        << ", handle_time: {distribution: exponential, mean: 1}, patience: {distribution: exponential, mean: "
           "1e7}}\nagent_groups:\n  - {name: g, agents: 1}\nannouncement: {predictor: planned}\n";
    const testing::Outcome r = testing::run_ccsim("run " + p.string() + " -r 1 -q -o " + out.string());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(fs::exists(out));
  }
}

TEST_CASE("an overloaded interval with announcements runs in well under a second of CPU", "[hostile][hang]") {
  // The fuzzer's slow input (tests/data/fuzz_slow_announcements.yaml): 7 s of CPU before Erlang-A solutions
  // were remembered per input and the queue-length predictor kept its prefix sums; about 0.8 s after.
  const fs::path out = testing::work_dir() / "slow_announcements.h5";
  const double before = children_cpu_seconds();
  const testing::Outcome r =
      testing::run_ccsim("run " + std::string(CCSIM_SOURCE_DIR) +
                         "/tests/data/fuzz_slow_announcements.yaml -r 1 -t 1 -q -o " + out.string());
  const double cpu = children_cpu_seconds() - before;
  INFO(r.err << "CPU " << cpu << " s");
  CHECK(r.code == 0);
#ifdef CCSIM_CHECK_TIME_BOUND
  CHECK(cpu < 3.0);
#endif
}
