// analysis: analytic queueing models (Erlang B/C/A, staffing) and statistics (Student-t CIs, paired
// differences). Depends on nothing in sim/: inputs are rates and counts, outputs plain structs.
#pragma once

#include <optional>
#include <vector>

namespace ccsim::analysis {

// Stationary M/M/c(+M) input. Rates are per second; patience_rate 0 means callers never abandon.
struct QueueInput {
  double arrival_rate = 0.0;   // lambda
  double service_rate = 0.0;   // mu, per agent (1 / mean handle time)
  double patience_rate = 0.0;  // theta (1 / mean patience); 0: M/M/c
  int agents = 0;              // c
  double tau = 20.0;           // service-level threshold, seconds
};

// Measures a caller sees in steady state (PASTA). `stable` is false for M/M/c with load >= agents, where
// waits grow without bound; the other fields are then meaningless (NaN or infinity).
struct QueueMeasures {
  bool stable = true;
  double p_wait = 0.0;                // P(all agents busy on arrival)
  double service_level = 0.0;         // P(answered within tau), over all offered
  double p_abandon_within_tau = 0.0;  // P(abandons within tau), for the alternative SL definitions
  double asa = 0.0;                   // mean wait of answered callers
  double mean_wait = 0.0;             // mean wait of all callers (abandoners: until they hang up)
  double p_abandon = 0.0;
  double occupancy = 0.0;   // busy agents / agents
  double mean_queue = 0.0;  // E[number waiting]
};

double erlang_b(double offered_load, int agents);  // blocking probability M/M/c/c
double erlang_c(double offered_load, int agents);  // P(wait > 0) in M/M/c; 1 when load >= agents

// M/M/c: closed forms. M/M/c+M (Erlang A): the birth-death chain's product form, truncated where the tail
// carries no mass a double can hold; SL(tau) in closed form per queue position (incomplete beta functions,
// from Boost.Math); ASA and P(abandon) by exact recursions over that position.
QueueMeasures erlang_c_measures(const QueueInput& q);
QueueMeasures erlang_a_measures(const QueueInput& q);
// M/M/c/c: callers who find every agent busy leave at once (patience 0, patience_rate infinite).
QueueMeasures erlang_b_measures(const QueueInput& q);
// Dispatches on patience_rate: 0 gives Erlang C, finite > 0 Erlang A, infinite Erlang B. An Erlang-A chain
// too long to solve (erlang_a_tractable false: a load far beyond the agents with patience far beyond the
// handle time, queues of millions) gives every measure NaN and stable false: no answer rather than minutes.
QueueMeasures queue_measures(const QueueInput& q);

// The Erlang-A chain is truncated at most here (80 MB of weights, about a second of CPU); erlang_a_measures
// throws beyond it.
inline constexpr int kMaxErlangAStates = 10'000'000;
// Whether the Erlang-A chain of q ends within kMaxErlangAStates, known in constant time.
bool erlang_a_tractable(const QueueInput& q);

// Stationary distribution of the number in system of M/M/c+M (index n = 0..truncation).
std::vector<double> erlang_a_distribution(const QueueInput& q);

// Stationary distribution of a birth-death chain on 0..n with birth[i] (i -> i+1, i < n) and death[i]
// (i -> i-1, i >= 1; death[0] unused), solved as a sparse linear system with Eigen.
std::vector<double> birth_death_stationary(const std::vector<double>& birth,
                                           const std::vector<double>& death);

// M/G/1 (one server, any service law, nobody abandons): the Pollaczek–Khinchine mean wait in queue,
// lambda E[S^2] / (2 (1 - rho)) with rho = lambda E[S]; infinity when rho >= 1.
double pollaczek_khinchine_wait(double arrival_rate, double mean_service, double service_second_moment);

enum class TargetKind { service_level, asa, p_abandon };
struct StaffingTarget {
  TargetKind kind = TargetKind::service_level;
  double value = 0.8;  // SL at least value; ASA (s) or P(abandon) at most value
};
// Smallest number of agents meeting the target, searching up to max_agents.
std::optional<int> required_agents(QueueInput q, const StaffingTarget& target, int max_agents = 100000);

}  // namespace ccsim::analysis
