// A scenario that validates is run: one replication of each policy with the model's invariant checks after
// every event. Validation is the gate before any simulation, so whatever passes it must play out without
// a crash, a sanitizer report or a broken invariant (a SimulationError escapes: libFuzzer reports it).
// Inputs are kept small (a few thousand contacts, a few hundred agents) so that each runs in milliseconds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "model/model.hpp"
#include "model/replication.hpp"
#include "scenario/scenario.hpp"
#include "scenario/work_limits.hpp"

namespace {

// Bounds on one input's work, all policies together: beyond them an input is skipped, not run.
constexpr double kMaxContacts = 3000.0;
constexpr std::size_t kMaxRosterAgents = 400;
constexpr int kMaxIntervals = 2000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The fuzzer reads from memory only: a scenario naming a forecast file would read the disk.
  if (text.find("forecast") != std::string::npos) return -1;
  ccsim::scenario::Study study;
  try {
    study = ccsim::scenario::parse_study(text, "fuzz.yaml");
    ccsim::scenario::WorkLimits limits;
    limits.max_contacts = kMaxContacts;
    limits.max_load = 1000.0;
    double contacts = 0.0;  // over all policies: each is run
    for (const auto& s : study.policies) {
      ccsim::scenario::check_work(s, limits);
      for (const double v : ccsim::scenario::expected_contacts(s)) contacts += v;
    }
    if (contacts > kMaxContacts) return -1;
  } catch (const ccsim::InputError&) {
    return -1;  // refused before any simulation, as it should be, or more work than a fuzz input may ask
  }
  std::size_t agent_days = 0;
  for (const auto& s : study.policies) {
    ccsim::model::Model m;
    try {
      m = ccsim::model::build_model(s);
    } catch (const ccsim::InputError&) {
      continue;  // `ccsim run` stops here too, with the message
    }
    agent_days += m.roster.size() * static_cast<std::size_t>(m.days);
    if (agent_days > kMaxRosterAgents || m.intervals > kMaxIntervals) break;
    ccsim::model::Replication replication(m, /*check_invariants=*/true);
    (void)replication.run(2026, 0);
  }
  return 0;
}
