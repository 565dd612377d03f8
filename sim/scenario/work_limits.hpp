// How much work a scenario asks for, estimated before anything runs, and the limits that refuse
// a typo (calls_per_hour: 1e12, a transfer back to itself with probability 0.999999) before it turns
// into a run that never ends.
#pragma once

#include <string>

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

struct WorkLimits {
  // Expected contacts per replication, transfers included (--max-contacts raises it).
  double max_contacts = 1e8;
  // Offered load of one contact type in one interval, in Erlang: beyond it the Erlang-A values shown
  // beside the simulation take longer to compute than a validation may (--max-load raises it).
  double max_load = 1e5;
  // The results file's tables before compression, in bytes (--max-output raises it; checked by the CLI,
  // which knows the replications and records asked for: output/results_size.hpp).
  double max_output = 2.0 * 1024 * 1024 * 1024;
};

// Expected contacts per replication of each contact type, transfers included (v = external + P^T v);
// infinite when a transfer loop never ends.
std::vector<double> expected_contacts(const Scenario& s);

// Throws an InputError at the contact type (or transfer) that breaks a limit, saying how to raise it.
// `policy` names the policy in the message when not empty.
void check_work(const Scenario& s, const WorkLimits& limits, const std::string& policy = "");

}  // namespace ccsim::scenario
