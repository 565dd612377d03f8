// ccsim run: simulate every policy of a scenario, write the results file, print summaries.
#include <filesystem>
#include <iostream>
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

namespace ccsim::cli {

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts("ccsim run SCENARIO [options]");
  opts.add_options()("help,h", "this help")("output,o", po::value<std::string>(),
                                            "results file (default results/<scenario name>.h5)")(
      "replications,r", po::value<int>(), "replications per policy (default: the scenario's, else 10)")(
      "seed,s", po::value<std::uint64_t>(), "master seed (default: the scenario's, else 1)")(
      "threads,t", po::value<int>()->default_value(0),
      "worker threads (0: all cores); results do not depend on it")(
      "until-ci", po::value<std::string>(),
      "MEASURE:HALFWIDTH, e.g. sl:0.01 — add replications until every policy's 95% CI half-width of the "
      "day measure (sl, asa, abandon, mean_wait, occupancy) is at most HALFWIDTH")(
      "max-replications", po::value<int>()->default_value(1000), "the most replications --until-ci may run")(
      "json", "print the summary as JSON instead of tables")("quiet,q",
                                                             "print nothing on success (no progress either)")(
      "check-invariants", "check the model's invariants after every event (slower; for testing)");
  auto parsed = parse_with_file(args, opts, "run");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  const scenario::Study study = scenario::load_study(path);
  const scenario::Scenario& base = study.policies[static_cast<std::size_t>(study.baseline)];
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    for (const auto& w : model::unstaffed_skills(model::build_model(study.policies[p]), study.policies[p]))
      std::cerr << "warning: " << (study.policies.size() > 1 ? "policy '" + study.names[p] + "': " : "") << w
                << "\n";

  model::RunOptions o;
  o.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : base.seed;
  o.replications = vm.count("replications") ? vm["replications"].as<int>() : base.replications;
  o.threads = vm["threads"].as<int>();
  o.max_replications = vm["max-replications"].as<int>();
  o.check_invariants = vm.count("check-invariants") > 0;
  if (o.replications < 1) throw InputError("command line: --replications must be at least 1");
  if (o.threads < 0) throw InputError("command line: --threads must be 0 (all cores) or more");
  if (vm.count("until-ci")) {
    const std::string spec = vm["until-ci"].as<std::string>();
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
      throw InputError("command line: --until-ci expects MEASURE:HALFWIDTH, e.g. sl:0.01");
    o.until_measure = parse_measures(spec.substr(0, colon)).front();
    try {
      o.until_half_width = std::stod(spec.substr(colon + 1));
    } catch (...) {
      throw InputError("command line: --until-ci: '" + spec.substr(colon + 1) + "' is not a number");
    }
    if (!(o.until_half_width > 0.0)) throw InputError("command line: --until-ci: the half-width must be > 0");
    if (o.max_replications < 2) throw InputError("command line: --max-replications must be at least 2");
  }

  std::string out = vm.count("output") ? vm["output"].as<std::string>()
                                       : "results/" + std::filesystem::path(path).stem().string() + ".h5";
  // Fail on an unusable target before spending the run.
  auto dir = std::filesystem::path(out).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (!dir.empty() && !std::filesystem::is_directory(dir))
    throw InputError("command line: --output: cannot create directory '" + dir.string() + "'");

  const bool quiet = vm.count("quiet") > 0;
  Progress progress(!quiet);
  o.progress = [&](int done, int total) { progress(done, total); };
  const std::atomic<bool>* interrupted = catch_interrupts();
  o.cancel = interrupted;
  const std::vector<model::Results> results = model::run_study(study, o);
  if (*interrupted) throw Interrupted("interrupted: no results written");
  output::write_results(out, study, results, {CCSIM_VERSION, command_line});
  release_interrupts();

  const std::vector<std::string> measures = {"sl", "asa", "abandon", "occupancy"};
  if (!o.until_measure.empty() && !quiet)
    std::cerr << (results.front().precision_met ? "ccsim: precision reached: "
                                                : "ccsim: precision NOT reached: ")
              << o.until_measure << " half-width <= " << o.until_half_width << " for every policy "
              << (results.front().precision_met ? "after " : "at the maximum of ")
              << results.front().replications << " replications\n";
  if (quiet) return kOk;
  if (vm.count("json")) {
    std::cout << "{\"policies\": [";
    for (std::size_t p = 0; p < results.size(); ++p) {
      std::cout << (p ? ",\n" : "\n") << "{\"policy\": " << json_string(study.names[p]) << ", \"summary\": ";
      print_summary_json(std::cout, study.policies[p], results[p]);
      std::cout << "}";
    }
    std::cout << "],\n\"comparison\": ";
    print_comparison(std::cout, comparison_of(study, results, measures), measures, TableFormat::json);
    std::cout << "}\n";
    return kOk;
  }
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
