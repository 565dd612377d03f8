#include "cli/run_options.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>

#include "cli/comparison_table.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "output/target_file.hpp"
#include "scenario/start_state.hpp"
#include "scenario/sweep.hpp"

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
      "the most replications --until-ci may run")("quiet,q",
                                                  "print nothing on success but --json (no progress either)")(
      "check-invariants", "check the model's invariants after every event (slower; for testing)");
  add_output_limit_option(opts);
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

void add_output_limit_option(po::options_description& opts) {
  opts.add_options()("max-output", po::value<std::string>()->default_value("2GiB"),
                     "refuse a run whose results file would hold more bytes of tables before compression "
                     "(a typo guard; e.g. 8GiB, 500MiB)");
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
  scenario::WorkLimits limits{option_number(vm, "max-contacts", 1.0, 1e15),
                              option_number(vm, "max-load", 1.0, 1e9)};
  limits.max_output = option_size(vm, "max-output", 1.0, 0x1p60);
  return limits;
}

void scenario_defaults(const po::variables_map& vm, const scenario::Scenario& base, model::RunOptions& o) {
  if (!vm.count("seed")) o.seed = base.seed;
  if (!vm.count("replications")) o.replications = base.replications;
}

output::OutputRequest output_request(const po::variables_map& vm, const model::RunOptions& o,
                                     const scenario::Study& study) {
  output::OutputRequest request;
  const scenario::Scenario& base = study.policies.at(static_cast<std::size_t>(study.baseline));
  request.replications = !o.until_measure.empty()   ? o.max_replications
                         : vm.count("replications") ? o.replications
                                                    : base.replications;
  request.records = o.records;
  request.records_replications = o.records_replications;
  return request;
}

output::PointColumns point_columns(const scenario::Sweep& sweep) {
  output::PointColumns columns{sweep.paths, {}};
  for (const auto& p : sweep.points) {
    columns.values.emplace_back();
    for (const auto& v : p) columns.values.back().push_back(v.value);
  }
  return columns;
}

std::string output_size_note(const output::ResultsSize& size, const output::OutputRequest& request,
                             const scenario::WorkLimits& limits, std::size_t policies) {
  return "about " + output::format_bytes(size.total()) + " of tables before compression for " +
         std::to_string(request.replications) + " replication(s)" +
         (policies > 1 ? " of each of " + std::to_string(policies) + " policies" : "") + " (limit " +
         output::format_bytes(limits.max_output) + ", --max-output)";
}

void check_output_size(const output::ResultsSize& size, const scenario::WorkLimits& limits,
                       const po::variables_map& vm, const model::RunOptions& o,
                       const scenario::Study& study) {
  if (size.total() <= limits.max_output) return;
  const output::OutputRequest request = output_request(vm, o, study);
  const std::string largest = size.largest();
  const scenario::Scenario& base = study.policies.at(static_cast<std::size_t>(study.baseline));
  // Blamed on what the user most likely mistyped: what multiplies the largest table.
  std::string where = "command line: --max-output " + vm["max-output"].as<std::string>();
  if (largest.rfind("/records/", 0) == 0)
    where = vm.count("records-replications")
                ? "command line: --records-replications " + vm["records-replications"].as<std::string>()
                : "command line: --records " + vm["records"].as<std::string>();
  else if (largest.rfind("/replications/", 0) == 0 && !o.until_measure.empty())
    where = "command line: --max-replications " + vm["max-replications"].as<std::string>();
  else if (largest.rfind("/replications/", 0) == 0 && vm.count("replications"))
    where = "command line: --replications " + vm["replications"].as<std::string>();
  else if (largest.rfind("/replications/", 0) == 0 && !base.replications_where.empty())
    where = base.replications_where;
  // The least whole number of GiB (or MiB) that holds it, as the user would type it.
  const double unit = size.total() >= 0x1p30 ? 0x1p30 : 0x1p20;
  const std::string raised = std::to_string(static_cast<long long>(std::ceil(size.total() / unit))) +
                             (unit == 0x1p30 ? "GiB" : "MiB");
  throw InputError(where + ": the results file would hold " +
                   output_size_note(size, request, limits, study.policies.size()) + "; " + largest +
                   " alone " + output::format_bytes(size.tables.at(largest)) +
                   ": a typo? if not, raise the limit with --max-output SIZE, e.g. --max-output " + raised);
}

void check_study(const scenario::Study& study, const scenario::WorkLimits& limits) {
  const bool several = study.policies.size() > 1;
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    scenario::check_work(study.policies[p], limits, several ? study.names[p] : "");
}

void warn_unstaffed(const scenario::Study& study, const std::string& where) {
  const bool several = study.policies.size() > 1;
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    for (const auto& w : model::unstaffed_skills(model::build_model(study.policies[p]), study.policies[p]))
      std::cerr << "warning: " << where << (several ? "policy '" + study.names[p] + "': " : "") << w << "\n";
}

}  // namespace ccsim::cli
