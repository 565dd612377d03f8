// The options `run` and `sweep` share: replications, seed, threads, work limits, --until-ci, --set; read
// and checked like every command-line value before the scenario is read.
#pragma once

#include "cli/command_line.hpp"
#include "model/results.hpp"
#include "scenario/scenario.hpp"
#include "scenario/work_limits.hpp"

namespace ccsim::cli {

void add_run_options(po::options_description& opts);
// --start-state FILE (run, sweep, validate).
void add_start_state_option(po::options_description& opts);
// Reads --start-state against the study's baseline (its names, days and opening hours) into o.start_states,
// every mistake of the file located; then checks them against every policy's roster (and their number
// against o's replications) and prints their warnings (with `where` before each) when `warn`.
void read_start_states(const po::variables_map& vm, const scenario::Study& study, model::RunOptions& o);
void check_start_states(const scenario::Study& study, const model::RunOptions& o, const std::string& where,
                        bool warn);
// The results file -o names (or results/<scenario file name>.h5), checked before the run so that a
// mistake costs nothing.
std::string output_target(const po::variables_map& vm, const std::string& scenario_path);
// Everything but the seed and replications a scenario gives when the command line does not.
model::RunOptions read_run_options(const po::variables_map& vm);
scenario::WorkLimits read_work_limits(const po::variables_map& vm);
// The seed and replications of the scenario where the command line gave none.
void scenario_defaults(const po::variables_map& vm, const scenario::Scenario& base, model::RunOptions& o);
// Work limits for every policy, then the warnings of skills nobody staffs (on stderr); `where` is put
// before each message ("" or "in sweep point 3: ").
void check_study(const scenario::Study& study, const scenario::WorkLimits& limits, const std::string& where,
                 bool warn);

}  // namespace ccsim::cli
