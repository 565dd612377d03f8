// ccsim run: simulate every policy of a scenario, write the results file, print summaries.
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/comparison_table.hpp"
#include "cli/summary.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "model/results.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario.hpp"
#include "scenario/work_limits.hpp"

namespace ccsim::cli {
namespace {

// The results file -o names (or the default), checked before the run so that a mistake costs nothing.
std::string output_target(const po::variables_map& vm, const std::string& scenario_path) {
  const std::string out =
      vm.count("output")
          ? vm["output"].as<std::string>()
          : "results/" +
                std::filesystem::path(scenario_path == "-" ? "stdin" : scenario_path).stem().string() + ".h5";
  output::check_target(out);
  return out;
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts("ccsim run SCENARIO [options]");
  opts.add_options()("help,h", "this help")("output,o", po::value<std::string>(),
                                            "results file (default results/<scenario name>.h5)")(
      "replications,r", po::value<std::string>(),
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
      "day measure (sl, asa, abandon, mean_wait, occupancy) is at most HALFWIDTH")(
      "max-replications", po::value<std::string>()->default_value("1000"),
      "the most replications --until-ci may run")("json", "print the summary as JSON instead of tables")(
      "quiet,q", "print nothing on success but --json (no progress either)")(
      "check-invariants", "check the model's invariants after every event (slower; for testing)");
  auto parsed = parse_with_file(args, opts, "run");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  // Everything the command line says is checked before the scenario is read, and the target before the run.
  model::RunOptions o;
  if (vm.count("seed"))
    o.seed = static_cast<std::uint64_t>(option_integer(vm, "seed", 0, 9'000'000'000'000'000'000LL));
  if (vm.count("replications"))
    o.replications = static_cast<int>(option_integer(vm, "replications", 1, 1'000'000));
  o.threads = static_cast<int>(option_integer(vm, "threads", 0, 1024));
  o.max_replications = static_cast<int>(option_integer(vm, "max-replications", 1, 1'000'000));
  const scenario::WorkLimits limits{option_number(vm, "max-contacts", 1.0, 1e15),
                                    option_number(vm, "max-load", 1.0, 1e9)};
  const std::string out = output_target(vm, path);
  const scenario::Study study = scenario::load_study(path);
  const scenario::Scenario& base = study.policies[static_cast<std::size_t>(study.baseline)];
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    scenario::check_work(study.policies[p], limits, study.policies.size() > 1 ? study.names[p] : "");
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    for (const auto& w : model::unstaffed_skills(model::build_model(study.policies[p]), study.policies[p]))
      std::cerr << "warning: " << (study.policies.size() > 1 ? "policy '" + study.names[p] + "': " : "") << w
                << "\n";

  if (!vm.count("seed")) o.seed = base.seed;
  if (!vm.count("replications")) o.replications = base.replications;
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

  const bool quiet = vm.count("quiet") > 0;
  Progress progress(!quiet);
  o.progress = [&](int done, int total) { progress(done, total); };
  const std::atomic<bool>* interrupted = catch_interrupts();
  o.cancel = interrupted;
  const std::vector<model::Results> results = model::run_study(study, o);
  if (*interrupted) throw Interrupted("interrupted: no results written");
  output::write_results(out, study, results, {CCSIM_VERSION, command_line}, interrupted);
  if (*interrupted) throw Interrupted("interrupted: no results written");
  release_interrupts();

  const std::vector<std::string> measures = {"sl", "asa", "abandon", "occupancy"};
  if (!o.until_measure.empty() && !quiet)
    std::cerr << (results.front().precision_met ? "ccsim: precision reached: "
                                                : "ccsim: precision NOT reached: ")
              << o.until_measure << " half-width <= " << o.until_half_width << " for every policy "
              << (results.front().precision_met ? "after " : "at the maximum of ")
              << results.front().replications << " replications\n";
  // --json is what a script asked for: -q silences the progress and the tables, never the JSON.
  if (vm.count("json")) {
    Json policies = Json::array();
    for (std::size_t p = 0; p < results.size(); ++p)
      policies.push_back(
          Json{{"policy", study.names[p]}, {"summary", summary_json(study.policies[p], results[p])}});
    std::ostringstream table;
    print_comparison(table, comparison_of(study, results, measures), measures, TableFormat::json);
    print_json(std::cout, Json{{"policies", std::move(policies)}, {"comparison", Json::parse(table.str())}});
    return kOk;
  }
  if (quiet) return kOk;
  for (std::size_t p = 0; p < results.size(); ++p) {
    if (results.size() > 1) std::cout << (p ? "\n" : "") << "=== Policy '" << study.names[p] << "' ===\n";
    const auto& sp = study.policies[p];
    print_summary(std::cout, sp, results[p], sp.run_intervals() <= 48 && results.size() == 1);
  }
  if (results.size() > 1) {
    std::cout << "\n";
    print_comparison(std::cout, comparison_of(study, results, measures), measures, TableFormat::text);
    std::cout << "(per-interval figures of every policy: ccsim compare " << out << " --by interval)\n";
  } else if (base.run_intervals() > 48) {
    std::cout << "(" << base.run_intervals() << " intervals: per-interval figures are in the results file)\n";
  }
  std::cout << "results: " << out << "\n";
  return kOk;
}

}  // namespace ccsim::cli
