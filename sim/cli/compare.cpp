// ccsim compare: the policies of a results file against the baseline, as text, CSV or JSON.
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/comparison_table.hpp"
#include "common/error.hpp"
#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description opts("ccsim compare RESULTS.h5 [options]");
  opts.add_options()("help,h", "this help")(
      "measures,m", po::value<std::string>()->default_value("sl,asa,abandon,occupancy"),
      "comma-separated: sl, asa, abandon, mean_wait, occupancy, cost, staff_cost, abandon_cost, ... (default "
      "adds cost when the scenario has costs)")(
      "by", po::value<std::string>()->default_value("day"), "day or interval")(
      "window", po::value<std::vector<std::string>>()->composing(),
      "\"[DAY ]HH:MM-[DAY ]HH:MM\": the totals of that time window (on interval edges; warm-up left out; "
      "repeatable)")("csv", "CSV output")(
      "json", "JSON output")("points", po::value<std::string>(),
                             "I,J: compare sweep point J against point I (paired by replication, every "
                             "policy at both)");
  auto parsed = parse_with_file(args, opts, "compare", "results");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string by = vm["by"].as<std::string>();
  if (by != "day" && by != "interval") throw InputError("command line: --by must be day or interval");
  if (vm.count("csv") && vm.count("json")) throw InputError("command line: give --csv or --json, not both");
  auto measures = parse_measures(vm["measures"].as<std::string>());
  std::vector<std::string> window_texts;
  if (vm.count("window")) {
    window_texts = vm["window"].as<std::vector<std::string>>();
    if (!vm["by"].defaulted())
      throw InputError("command line: --window totals a window; give it without --by");
  }
  std::vector<int> points;
  if (vm.count("points")) {
    const std::string spec = vm["points"].as<std::string>();
    const auto comma = spec.find(',');
    try {
      std::size_t used = 0, used2 = 0;
      if (comma == std::string::npos) throw std::invalid_argument("no comma");
      points = {std::stoi(spec.substr(0, comma), &used), std::stoi(spec.substr(comma + 1), &used2)};
      if (used != comma || used2 != spec.size() - comma - 1) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw InputError("command line: --points " + spec +
                       ": expected two point indices I,J, e.g. --points 0,3");
    }
  }
  const std::string file = vm["results"].as<std::string>();
  if (vm["measures"].defaulted() && output::results_have_costs(file)) measures.emplace_back("cost");
  auto data = output::read_comparison(file, measures, by == "interval" || !window_texts.empty(), points);
  if (points.empty() && data.points > 1)
    throw InputError("command line: " + file + " is a sweep of " + std::to_string(data.points) +
                     " points: pick two with --points I,J (their values are in /points)");
  const TableFormat format = vm.count("csv")    ? TableFormat::csv
                             : vm.count("json") ? TableFormat::json
                                                : TableFormat::text;
  if (!window_texts.empty()) {
    std::vector<model::Window> windows;
    std::string errors;  // every window's mistake at once
    for (const auto& w : window_texts) try {
        windows.push_back(model::parse_window(w, data.intervals, "command line: --window " + w));
      } catch (const InputError& e) {
        errors += (errors.empty() ? "" : "\n") + std::string(e.what());
      }
    if (!errors.empty()) throw InputError(errors);
    print_comparison(std::cout, comparison_over_windows(data, measures, windows), measures, format, "window");
    return kOk;
  }
  print_comparison(std::cout, data, measures, format);
  return kOk;
}

}  // namespace ccsim::cli
