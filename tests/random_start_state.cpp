#include "random_start_state.hpp"

#include <cmath>

#include "common/error.hpp"
#include "model/results.hpp"
#include "result_compare.hpp"
#include "scenario/start_state.hpp"

namespace ccsim::testing {

std::vector<StartStateFailure> check_start_states(const scenario::Study& study, std::uint64_t seed) {
  std::vector<StartStateFailure> failures;
  scenario::Study one;
  one.policies.push_back(study.policies[static_cast<std::size_t>(study.baseline)]);
  one.names.push_back("base");
  const scenario::Scenario& s = one.policies[0];
  // A whole second of a random day of the run, inside its opening hours.
  const std::uint64_t mix = seed * 0x9E3779B97F4A7C15ull;
  const int day = static_cast<int>((mix >> 20) % static_cast<std::uint64_t>(s.days));
  const double into = std::floor(static_cast<double>((mix >> 40) % 10007) / 10007.0 * s.day_length_s());
  const std::string label =
      s.days > 1 ? (static_cast<std::size_t>(day) < s.day_labels.size() ? s.day_labels[static_cast<std::size_t>(day)]
                                                                       : "day " + std::to_string(day + 1)) +
                       " "
                 : "";
  const std::string text = label + scenario::format_clock(s.open_s + into);
  model::RunOptions o;
  o.seed = s.seed;
  o.replications = 2;
  o.check_invariants = true;
  o.keep_replications = true;
  try {
    o.save_state_at = scenario::parse_state_time(text, s);
    o.save_state_text = text;
    const auto whole = model::run_study(one, o);
    const std::string yaml = scenario::write_start_states(whole[0].saved_states, s, " random");
    model::RunOptions from = o;
    from.save_state_at = NAN;
    from.start_states = scenario::parse_start_states(yaml, "saved.yaml", s);
    // Read back, every pending redial, callback and call-out is what was saved: written again, the same text.
    if (scenario::write_start_states(from.start_states, s, " random") != yaml)
      failures.push_back({"a saved state reads back as it was written", "at " + text});
    const auto continued = model::run_study(one, from);
    for (const auto& rep : continued[0].by_replication)
      for (const auto& cell : rep.contacts_by_day) {
        const auto& n = cell.counts;
        if (n.offered != n.answered + n.abandoned + n.unserved)
          failures.push_back({"a run continued from a saved state conserves contacts",
                              "at " + text + ": offered " + std::to_string(n.offered)});
      }
    // An empty state at the first opening changes nothing.
    model::RunOptions empty = o;
    empty.save_state_at = NAN;
    empty.start_states = scenario::parse_start_states(
        "time: \"" + (s.days > 1 ? (s.day_labels.empty() ? std::string("day 1") : s.day_labels[0]) + " " : "") +
            scenario::format_clock(s.open_s) + "\"\n",
        "empty.yaml", s);
    model::RunOptions plain = empty;
    plain.start_states.clear();
    const auto a = model::run_study(one, plain), b = model::run_study(one, empty);
    for (std::size_t r = 0; r < a[0].by_replication.size(); ++r) {
      Differ d;
      d.all(a[0].by_replication[r], b[0].by_replication[r]);
      if (!d.first().empty())
        failures.push_back({"an empty state at the opening is the normal run", d.first()});
    }
  } catch (const InputError& e) {
    failures.push_back({"a saved state reads back", "at " + text + ": " + e.what()});
  } catch (const SimulationError& e) {
    failures.push_back({"invariants hold in a run continued from a saved state", "at " + text + ": " + e.what()});
  }
  return failures;
}

}  // namespace ccsim::testing
