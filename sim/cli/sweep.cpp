// ccsim sweep: a scenario over a grid of field values (--grid, --range, or its `sweep` section), every point
// a scenario with its overrides, all points facing the same customers; one results file with /points and a
// point column in every table, written point by point into a checkpoint that --resume continues.
#include "model/sweep.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/run_options.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "output/sweep_writer.hpp"
#include "output/target_file.hpp"
#include "scenario/input_file.hpp"
#include "scenario/sweep.hpp"

namespace ccsim::cli {
namespace {

// What --resume must find unchanged in the checkpoint: everything that decides the results.
std::string definition(const std::string& text, const std::vector<scenario::Override>& sets,
                       const scenario::Sweep& sweep, const model::RunOptions& o) {
  Json points = Json::array();
  for (const auto& p : sweep.points) {
    Json values = Json::array();
    for (const auto& v : p) values.push_back(v.value);
    points.push_back(std::move(values));
  }
  Json set_list = Json::array();
  for (const auto& s : sets) set_list.push_back(s.path + "=" + s.value);
  const Json d{{"scenario", text},
               {"set", set_list},
               {"paths", sweep.paths},
               {"points", points},
               {"seed", std::to_string(o.seed)},
               {"replications", o.replications},
               {"until", o.until_measure},
               {"half_width", o.until_half_width},
               {"max_replications", o.max_replications}};
  return d.dump();
}

std::string fmt(double x) {
  std::ostringstream os;
  os << std::setprecision(4) << x;
  return os.str();
}

// One line per (point, policy) as each point is done: the day's pooled measures with their 95% CIs.
void print_point(int point, const scenario::Sweep& sweep, const scenario::Study& study,
                 const std::vector<model::Results>& results) {
  for (std::size_t p = 0; p < results.size(); ++p) {
    const model::Results& r = results[p];
    const int pooled = static_cast<int>(r.series_names.size()) - 1;
    std::cout << std::setw(5) << point << "  " << sweep.label(static_cast<std::size_t>(point));
    if (results.size() > 1) std::cout << "  policy '" << study.names[p] << "'";
    for (const auto& row : r.contacts_by_day) {
      if (row.series != pooled) continue;
      const char* name = row.measure == model::Measure::service_level  ? "sl"
                         : row.measure == model::Measure::asa          ? "asa"
                         : row.measure == model::Measure::abandon_rate ? "abandon"
                                                                       : nullptr;
      if (!name) continue;
      std::cout << "  " << name << " " << fmt(row.estimate.mean) << " ± " << fmt(row.estimate.half_width);
    }
    const auto& occ = r.occupancy_all_by_day.empty() || study.policies[p].agent_groups.size() == 1
                          ? r.occupancy_by_day.front()
                          : r.occupancy_all_by_day.front();
    std::cout << "  occupancy " << fmt(occ.estimate.mean) << " ± " << fmt(occ.estimate.half_width) << "  ("
              << r.replications << " replications)\n";
    std::cout.flush();  // a line per point as it is done, also into a file or a pipe
  }
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts(
      "ccsim sweep SCENARIO --grid 'PATH=[V1, V2, ...]' [--range PATH=FROM,TO,STEP] [--zip] [options]");
  opts.add_options()("help,h", "this help")(
      "grid", po::value<std::vector<std::string>>()->composing(),
      "PATH=[V1, V2, ...]: the values of a field path (the paths of --set; a YAML flow list); repeatable")(
      "range", po::value<std::vector<std::string>>()->composing(),
      "PATH=FROM,TO,STEP: FROM, FROM+STEP, ... up to TO included; repeatable")(
      "zip", "pair the i-th values of every axis instead of the full grid (all axes of one length)")(
      "output,o", po::value<std::string>(), "results file (default results/<scenario name>.h5)")(
      "resume", "go on from the checkpoint an interrupted sweep left (<output>.checkpoint)");
  add_run_options(opts);
  auto parsed = parse_with_file(args, opts, "sweep");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string file = vm["scenario"].as<std::string>();
  model::RunOptions o = read_run_options(vm);
  const scenario::WorkLimits limits = read_work_limits(vm);
  const std::vector<scenario::Override> sets = set_overrides(vm);
  const std::string out = output_target(vm, file);
  const bool resume = vm.count("resume") > 0;
  const std::string checkpoint = output::SweepFile::checkpoint_name(out);
  if (!resume && std::filesystem::exists(checkpoint))
    throw InputError("command line: --output '" + out + "': " + checkpoint +
                     " is left by an interrupted sweep: go on with --resume, or remove it");

  const std::string text = scenario::read_scenario_text(file);
  const std::string path = scenario::input_name(file);
  bool zip = vm.count("zip") > 0;
  std::vector<scenario::SweepAxis> axes = scenario::file_axes(text, path, &zip);
  if (vm.count("grid"))
    for (const auto& g : vm["grid"].as<std::vector<std::string>>()) axes.push_back(scenario::grid_axis(g));
  if (vm.count("range"))
    for (const auto& r : vm["range"].as<std::vector<std::string>>()) axes.push_back(scenario::range_axis(r));
  if (axes.empty())
    throw InputError("command line: ccsim sweep needs --grid or --range, or a sweep section in " + path);
  const scenario::Sweep sweep = scenario::combine(axes, zip);
  // Every point is read (and its work checked) before anything runs; each error names its point.
  scenario::validate_points(text, path, sets, sweep,
                            [&](const scenario::Study& s) { check_study(s, limits, "", false); });
  const int points = static_cast<int>(sweep.points.size());
  auto study_of = [&](int i) {
    return scenario::point_study(text, path, sets, sweep, static_cast<std::size_t>(i));
  };
  const scenario::Study first = study_of(0);
  check_study(first, limits, "sweep point 0: ", true);
  scenario_defaults(vm, first.policies[static_cast<std::size_t>(first.baseline)], o);

  const std::string id = definition(text, sets, sweep, o);
  std::unique_ptr<output::SweepFile> results;
  if (resume) {
    results = std::make_unique<output::SweepFile>(out, id);
  } else {
    output::PointColumns columns{sweep.paths, {}};
    for (const auto& p : sweep.points) {
      columns.values.emplace_back();
      for (const auto& v : p) columns.values.back().push_back(v.value);
    }
    results = std::make_unique<output::SweepFile>(out, first, o.seed,
                                                  output::RunInfo{CCSIM_VERSION, command_line}, columns, id);
  }
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet)
    std::cerr << "ccsim: " << points << " points x " << first.policies.size() << " policies"
              << (results->points_done() ? ", from point " + std::to_string(results->points_done()) : "")
              << "\n";
  Progress progress(!quiet);
  o.progress = [&](int done, int total) { progress(done, total); };
  const std::atomic<bool>* interrupted = catch_interrupts();
  o.cancel = interrupted;
  try {
    model::run_sweep(results->points_done(), points, study_of, o,
                     [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
                       results->add_point(point, s, r);
                       if (!quiet) print_point(point, sweep, s, r);
                     });
  } catch (const Interrupted&) {
    throw Interrupted("interrupted: " + std::to_string(results->points_done()) + " of " +
                      std::to_string(points) + " points kept in " + checkpoint + "; go on with --resume");
  }
  if (*interrupted)
    throw Interrupted("interrupted: " + std::to_string(results->points_done()) + " of " +
                      std::to_string(points) + " points kept in " + checkpoint + "; go on with --resume");
  results->finish();
  release_interrupts();
  if (!quiet) std::cout << "results: " << out << " (" << points << " points; /points names them)\n";
  return kOk;
}

}  // namespace ccsim::cli
