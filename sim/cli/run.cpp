// ccsim run: simulate every policy of a scenario, write the results file, print summaries.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/comparison_table.hpp"
#include "cli/run_options.hpp"
#include "cli/summary.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "model/results.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario.hpp"
#include "scenario/start_state.hpp"
#include "scenario/work_limits.hpp"

namespace ccsim::cli {
namespace {

// --records contacts,agents: which records to keep, each kind named once.
model::RecordKinds record_kinds(const po::variables_map& vm) {
  model::RecordKinds kinds;
  if (!vm.count("records")) {
    if (vm.count("records-replications"))
      throw InputError("command line: --records-replications: needs --records contacts, agents or both");
    return kinds;
  }
  const std::string text = vm["records"].as<std::string>();
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = text.find(',', from);
    std::string kind = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    kind.erase(0, kind.find_first_not_of(' '));
    kind.erase(kind.find_last_not_of(' ') + 1);
    bool& wanted = kind == "contacts" ? kinds.contacts : kinds.agents;
    if ((kind != "contacts" && kind != "agents") || wanted)
      throw InputError("command line: --records: " +
                       (wanted && (kind == "contacts" || kind == "agents") ? "'" + kind + "' named twice"
                                                                           : "unknown kind '" + kind + "'") +
                       " (expected contacts, agents or contacts,agents)");
    wanted = true;
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return kinds;
}

// Where --save-state writes: beside the results file, its extension replaced.
std::string state_path(const std::string& results_path, const std::string& policy) {
  std::filesystem::path p(results_path);
  p.replace_extension();
  return p.string() + (policy.empty() ? "" : "." + policy) + ".state.yaml";
}

}  // namespace

int cmd_run(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts("ccsim run SCENARIO [options]");
  opts.add_options()("help,h", "this help")("output,o", po::value<std::string>(),
                                            "results file (default results/<scenario name>.h5)")(
      "json", "print the summary as JSON instead of tables")(
      "records", po::value<std::string>(),
      "contacts, agents or contacts,agents: write a record per contact leg (/records/contacts) and per agent "
      "state change (/records/agents) of the first replications")(
      "records-replications", po::value<std::string>(),
      "how many replications of each policy --records covers, 1 to 1,000,000 (default 1)")(
      "save-state", po::value<std::string>(),
      "TIME (\"12:00\", \"Tue 12:00\"): write each replication's state at that time to <output>.state.yaml "
      "(<output>.<policy>.state.yaml with several policies), readable by --start-state");
  add_run_options(opts);
  auto parsed = parse_with_file(args, opts, "run");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  // Everything the command line says is checked before the scenario is read, and the target before the run.
  model::RunOptions o = read_run_options(vm);
  const scenario::WorkLimits limits = read_work_limits(vm);
  o.records = record_kinds(vm);
  if (vm.count("records-replications"))
    o.records_replications = static_cast<int>(option_integer(vm, "records-replications", 1, 1'000'000));
  const std::string out = output_target(vm, path);
  const scenario::Study study = scenario::load_study(path, set_overrides(vm));
  if (!study.sweep_where.empty())
    throw InputError(study.sweep_where + ": this scenario is a sweep: run it with 'ccsim sweep " + path +
                     "'");
  const scenario::Scenario& base = study.policies[static_cast<std::size_t>(study.baseline)];
  check_study(study, limits);
  scenario_defaults(vm, base, o);
  read_start_states(vm, study, o);
  check_start_states(study, o, "", true);
  if (vm.count("save-state")) {
    o.save_state_text = vm["save-state"].as<std::string>();
    try {
      o.save_state_at = scenario::parse_state_time(o.save_state_text, base);
    } catch (const InputError& e) {
      throw InputError("command line: --save-state " + o.save_state_text + ": " + e.what());
    }
    if (!o.start_states.empty() && o.save_state_at < o.start_states.front().time_s)
      throw InputError("command line: --save-state " + o.save_state_text + ": before the start state's time (" +
                       o.start_states.front().time_text + ")");
  }
  check_output_size(output::results_size(study, output_request(vm, o, study)), limits, vm, o, study);
  warn_unstaffed(study, "");  // once the run is sure to go ahead

  const bool quiet = vm.count("quiet") > 0;
  Progress progress(!quiet);
  o.progress = [&](int done, int total) { progress(done, total); };
  const std::atomic<bool>* interrupted = catch_interrupts();
  o.cancel = interrupted;
  // The file is made now and the first policy's replications are written as they are handed on, beside
  // the simulation; a failure or Ctrl-C removes it.
  output::ResultsWriter writer(out, study, o.seed, {CCSIM_VERSION, command_line});
  o.sink = &writer;
  const std::vector<model::Results> results = model::run_study(study, o);
  if (*interrupted) throw Interrupted("interrupted: no results written");
  writer.finish(results, interrupted);
  if (*interrupted) throw Interrupted("interrupted: no results written");
  release_interrupts();
  if (!std::isnan(o.save_state_at))
    for (std::size_t p = 0; p < results.size(); ++p) {
      const std::string file = state_path(out, results.size() > 1 ? study.names[p] : "");
      std::ofstream f(file);
      f << scenario::write_start_states(results[p].saved_states, study.policies[p],
                                        " ccsim start states at " + o.save_state_text + ", one per replication (" +
                                            std::to_string(results[p].replications) + "), seed " +
                                            std::to_string(o.seed) + ": " + command_line);
      if (!f) throw InputError(file + ": cannot write the states");
      if (!quiet && !vm.count("json")) std::cerr << "states: " << file << "\n";
    }

  std::vector<std::string> measures = {"sl", "asa", "abandon", "occupancy"};
  for (const auto& p : study.policies)
    if (scenario::has_costs(p)) {
      measures.emplace_back("cost");
      break;
    }
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
