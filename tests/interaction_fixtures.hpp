// What the interaction tests share (test_interactions.cpp, test_interactions_measures.cpp): a scenario from
// its text, a run of it with the invariant checks, a day cell.
#pragma once

#include <string>

#include "sim_fixtures.hpp"

namespace ccsim::testing::interactions {

inline scenario::Scenario parse(const std::string& text) {
  return scenario::parse_scenario(text, "interactions.yaml");
}

inline model::Results run_yaml(const std::string& text, int replications, std::uint64_t seed = 7) {
  return testing::run(parse(text), replications, seed);
}

// The replication's day cell of a contact-type series.
inline const model::ContactCounts& day_counts(const model::ReplicationResult& rep, std::size_t series) {
  return rep.contacts_by_day[series].counts;
}

}  // namespace ccsim::testing::interactions
