// The options `run` and `sweep` share: replications, seed, threads, work limits, --until-ci, --set; read
// and checked like every command-line value before the scenario is read.
#pragma once

#include "cli/command_line.hpp"
#include "model/results.hpp"
#include "output/results_size.hpp"
#include "scenario/scenario.hpp"
#include "scenario/sweep.hpp"
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
// The --max-output option, for `validate` (run and sweep have it with add_run_options).
void add_output_limit_option(po::options_description& opts);
// What a run of `study` asks of its results file: the replications (the most --until-ci may run; the
// scenario's when the command line gives none) and the records.
output::OutputRequest output_request(const po::variables_map& vm, const model::RunOptions& o,
                                     const scenario::Study& study);
// Refuses a results file of more than limits.max_output bytes of tables before anything runs, located at
// what drives its largest table (the replications or records asked for, where they were given; else
// `command line: --max-output`) and saying how to raise the limit.
void check_output_size(const output::ResultsSize& size, const scenario::WorkLimits& limits,
                       const po::variables_map& vm, const model::RunOptions& o, const scenario::Study& study);
// A sweep's /points: its paths and every point's values as given.
output::PointColumns point_columns(const scenario::Sweep& sweep);
// "about 3.1 MiB of tables before compression for 10 replication(s) of each of 2 policies (limit 2 GiB,
// --max-output)".
std::string output_size_note(const output::ResultsSize& size, const output::OutputRequest& request,
                             const scenario::WorkLimits& limits, std::size_t policies);
// Work limits for every policy (scenario::check_work, naming the policy when there are several).
void check_study(const scenario::Study& study, const scenario::WorkLimits& limits);
// The warnings of skills nobody staffs (on stderr), once a run is sure to go ahead; `where` is put before
// each message ("" or "sweep point 0: ").
void warn_unstaffed(const scenario::Study& study, const std::string& where);

}  // namespace ccsim::cli
