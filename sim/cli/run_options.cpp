#include "cli/run_options.hpp"

#include <filesystem>
#include <iostream>

#include "cli/comparison_table.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "output/target_file.hpp"
#include "scenario/start_state.hpp"

namespace ccsim::cli {

void add_run_options(po::options_description& opts) {
  opts.add_options()("replications,r", po::value<std::string>(),
                     "replications per policy (default: the scenario's, else 10)")(
      "seed,s", po::value<std::string>(), "master seed, 0 to 9e18 (default: the scenario's, else 1)")(
      "threads,t", po::value<std::string>()->default_value("0"),
      "worker threads, 0 (all cores) to 1024; results do not depend on it")(
      "max-contacts", po::value<std::string>()->default_value("1e8"),
      "refuse a scenario expecting more contacts per replication (a typo guard)")(
      "max-load", po::value<std::string>()->default_value("1e5"),
      "refuse an interval offering more Erlang of one contact type (a typo guard)")(
      "until-ci", po::value<std::string>(),
      "MEASURE:HALFWIDTH, e.g. sl:0.01 — add replications until every policy's 95% CI half-width of the "
      "day measure (sl, asa, abandon, mean_wait, occupancy, cost...) is at most HALFWIDTH")(
      "max-replications", po::value<std::string>()->default_value("1000"),
      "the most replications --until-ci may run")("quiet,q", "print nothing on success but --json (no progress either)")(
      "check-invariants", "check the model's invariants after every event (slower; for testing)");
  add_set_option(opts);
  add_start_state_option(opts);
}

void add_start_state_option(po::options_description& opts) {
  opts.add_options()("start-state", po::value<std::string>(),
                     "start from a live state (YAML: time, waiting callers, agents' doings): one state for "
                     "every replication, or a list with one per replication (as --save-state writes them)");
}

void read_start_states(const po::variables_map& vm, const scenario::Study& study, model::RunOptions& o) {
  if (!vm.count("start-state")) return;
  o.start_states = scenario::load_start_states(vm["start-state"].as<std::string>(),
                                               study.policies[static_cast<std::size_t>(study.baseline)]);
}

void check_start_states(const scenario::Study& study, const model::RunOptions& o, const std::string& where,
                        bool warn) {
  if (o.start_states.empty()) return;
  std::vector<model::Model> models;
  for (const auto& p : study.policies) models.push_back(model::build_model(p));
  std::vector<std::string> warnings;
  model::compile_start_states(study, models, o, &warnings);
  if (warn)
    for (const auto& w : warnings) std::cerr << "warning: " << where << w << "\n";
}

std::string output_target(const po::variables_map& vm, const std::string& scenario_path) {
  const std::string out =
      vm.count("output")
          ? vm["output"].as<std::string>()
          : "results/" +
                std::filesystem::path(scenario_path == "-" ? "stdin" : scenario_path).stem().string() + ".h5";
  output::check_target(out);
  return out;
}

model::RunOptions read_run_options(const po::variables_map& vm) {
  model::RunOptions o;
  if (vm.count("seed"))
    o.seed = static_cast<std::uint64_t>(option_integer(vm, "seed", 0, 9'000'000'000'000'000'000LL));
  if (vm.count("replications"))
    o.replications = static_cast<int>(option_integer(vm, "replications", 1, 1'000'000));
  o.threads = static_cast<int>(option_integer(vm, "threads", 0, 1024));
  o.max_replications = static_cast<int>(option_integer(vm, "max-replications", 1, 1'000'000));
  o.check_invariants = vm.count("check-invariants") > 0;
  if (vm.count("until-ci")) {
    const std::string spec = vm["until-ci"].as<std::string>();
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
      throw InputError("command line: --until-ci expects MEASURE:HALFWIDTH, e.g. sl:0.01");
    try {
      o.until_measure = parse_measures(spec.substr(0, colon)).front();
    } catch (const InputError&) {
      throw InputError("command line: --until-ci: unknown measure '" + spec.substr(0, colon) +
                       "' (expected sl, asa, abandon, mean_wait or occupancy)");
    }
    try {
      o.until_half_width = std::stod(spec.substr(colon + 1));
    } catch (...) {
      throw InputError("command line: --until-ci: '" + spec.substr(colon + 1) + "' is not a number");
    }
    if (!(o.until_half_width > 0.0)) throw InputError("command line: --until-ci: the half-width must be > 0");
    if (o.max_replications < 2) throw InputError("command line: --max-replications must be at least 2");
  }
  return o;
}

scenario::WorkLimits read_work_limits(const po::variables_map& vm) {
  return {option_number(vm, "max-contacts", 1.0, 1e15), option_number(vm, "max-load", 1.0, 1e9)};
}

void scenario_defaults(const po::variables_map& vm, const scenario::Scenario& base, model::RunOptions& o) {
  if (!vm.count("seed")) o.seed = base.seed;
  if (!vm.count("replications")) o.replications = base.replications;
}

void check_study(const scenario::Study& study, const scenario::WorkLimits& limits, const std::string& where,
                 bool warn) {
  const bool several = study.policies.size() > 1;
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    scenario::check_work(study.policies[p], limits, several ? study.names[p] : "");
  if (!warn) return;
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    for (const auto& w : model::unstaffed_skills(model::build_model(study.policies[p]), study.policies[p]))
      std::cerr << "warning: " << where << (several ? "policy '" + study.names[p] + "': " : "") << w << "\n";
}

}  // namespace ccsim::cli
