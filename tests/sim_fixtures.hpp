// Helpers shared by the simulation tests: scenarios built as plain data, and per-replication day values.
#pragma once

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::testing {

// A day's counts of series 0 (the only type) of a replication.
inline model::ContactCounts day_counts(const model::ReplicationResult& r) {
  return r.contacts_by_day[0].counts;
}

// One contact type at a constant rate, one agent pool, `hours` one-hour intervals of which the first
// `warmup_hours` are left out of the day totals.
inline scenario::Scenario stationary(double calls_per_hour, engine::Distribution handle, int agents,
                                     engine::Distribution patience, int hours, int warmup_hours) {
  scenario::Scenario s;
  s.name = "stationary test";
  s.interval_s = 3600.0;
  s.intervals = hours;
  s.warmup_intervals = warmup_hours;
  scenario::ContactType t;
  t.name = "calls";
  t.volume.assign(static_cast<std::size_t>(hours), calls_per_hour);
  t.handle_time = handle;
  t.patience = patience;
  s.contact_types.push_back(t);
  scenario::AgentGroup g;
  g.name = "agents";
  g.agents = agents;
  g.skills.push_back({0, 1, 0.0, 1.0, ""});
  s.agent_groups.push_back(g);
  return s;
}

inline model::Results run(const scenario::Scenario& s, int replications, std::uint64_t seed,
                          int threads = 0) {
  model::RunOptions o;
  o.seed = seed;
  o.replications = replications;
  o.threads = threads;
  o.check_invariants = true;
  o.keep_replications = true;  // the tests look into each replication
  return model::run(s, o);
}

// One replication that writes per-contact records (`--records contacts`), for tests that read them.
inline model::Results run_recording_contacts(const scenario::Scenario& s, std::uint64_t seed) {
  model::RunOptions o;
  o.seed = seed;
  o.replications = 1;
  o.check_invariants = true;
  o.keep_replications = true;
  o.records.contacts = true;
  return model::run(s, o);
}

// A run from live states (none: the day's opening), saving each replication's state at `save_at` if given.
inline model::Results run_from(const scenario::Scenario& s, const std::vector<scenario::StartState>& states,
                               int replications, std::uint64_t seed, double save_at = NAN,
                               const std::string& save_text = "") {
  model::RunOptions o;
  o.seed = seed;
  o.replications = replications;
  o.check_invariants = true;
  o.keep_replications = true;
  o.start_states = states;
  o.save_state_at = save_at;
  o.save_state_text = save_text;
  return model::run(s, o);
}

// The day value of a measure in each replication (series 0).
inline std::vector<double> day_values(
    const model::Results& r, model::Measure m,
    scenario::ServiceLevelDefinition sl = scenario::ServiceLevelDefinition::offered) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication) v.push_back(model::value(rep.contacts_by_day[0], m, sl));
  return v;
}

inline std::vector<double> day_occupancy(const model::Results& r, std::size_t group = 0) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication) v.push_back(rep.agents_by_day[group].occupancy());
  return v;
}

// The day value of a measure for contact-type series `series` in each replication.
inline std::vector<double> day_values_of(const model::Results& r, std::size_t series, model::Measure m) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication)
    v.push_back(model::value(rep.contacts_by_day[series], m, scenario::ServiceLevelDefinition::offered));
  return v;
}

// The ccsim binary run as a user runs it, its standard output and error kept in files of `dir`.
struct Cli {
  std::filesystem::path dir;
  [[nodiscard]] int operator()(const std::string& args) const {
    return std::system((std::string(CCSIM_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                        (dir / "err").string())
                           .c_str());
  }
  [[nodiscard]] static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  [[nodiscard]] std::string out() const { return read(dir / "out"); }
  [[nodiscard]] std::string err() const { return read(dir / "err"); }
};

// Overloaded and impatient callers (700 an hour for 15 agents, talk 2 min, patience 1.5 min, 6 hours): many
// wait and abandon, so redials and callbacks matter.
inline scenario::Scenario busy_line() {
  return stationary(700, engine::Distribution::exponential(120), 15, engine::Distribution::exponential(90), 6,
                    0);
}

}  // namespace ccsim::testing
