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
#include "cluster/mpi_sweep.hpp"
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

#ifdef CCSIM_MPI
// Under MPI, after a point's lines: how many of its replications each rank played (per policy).
void print_ranks(const std::vector<int>& by_rank) {
  std::cout << "       replications by rank:";
  for (const int n : by_rank) std::cout << " " << n;
  std::cout << std::endl;
}
#endif

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
  const bool resume = vm.count("resume") > 0;
#ifdef CCSIM_MPI
  cluster::Job* job = cluster::started_by_mpi() ? &cluster::Job::instance() : nullptr;
  const int rank = job ? job->rank() : 0, ranks = job ? job->size() : 1;
#else
  const int rank = 0, ranks = 1;
#endif
#ifndef CCSIM_MPI
  // Here under mpirun only when no ccsim-mpi lies beside this ccsim (main.cpp runs it when there is one).
  if (cluster::started_by_mpi() && std::getenv("OMPI_COMM_WORLD_SIZE") &&
      std::string(std::getenv("OMPI_COMM_WORLD_SIZE")) != "1")
    throw InputError(
        "no ccsim-mpi lies beside this ccsim (built without MPI, or ccsim-mpi not installed), so each "
        "process of mpirun would run the whole sweep: install the ccsim-mpi package, or libboost-mpi-dev, "
        "openmpi-bin and libopenmpi-dev and build again (CMake finds them and builds ccsim-mpi, which ccsim "
        "runs under mpirun), or run 'ccsim sweep' without mpirun");
#endif
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
  output::ResultsSize points_size;  // every point's tables, as sizes
  scenario::validate_points(text, path, sets, sweep, [&](const scenario::Study& s) {
    check_study(s, limits);
    output::add_point_size(points_size, s, output_request(vm, o, s));
  });
  const int points = static_cast<int>(sweep.points.size());
  auto study_of = [&](int i) {
    return scenario::point_study(text, path, sets, sweep, static_cast<std::size_t>(i));
  };
  const scenario::Study first_study = study_of(0);
  scenario_defaults(vm, first_study.policies[static_cast<std::size_t>(first_study.baseline)], o);
  // A live state starts every point (checked against each point's roster when the point runs).
  read_start_states(vm, first_study, o);
  check_start_states(first_study, o, "sweep point 0: ", rank == 0);
  const output::PointColumns columns = point_columns(sweep);
  output::ResultsSize size = output::sweep_header_size(first_study, columns);
  size += points_size;
  check_output_size(size, limits, vm, o, first_study);
  if (rank == 0) warn_unstaffed(first_study, "sweep point 0: ");

  const std::string id = definition(text, sets, sweep, o);
  const bool quiet = vm.count("quiet") > 0;
  const std::atomic<bool>* interrupted = catch_interrupts();
  o.cancel = interrupted;
  std::string out, checkpoint;
  auto stopped = [&](int done) {
    return Interrupted("interrupted: " + std::to_string(done) + " of " + std::to_string(points) +
                       " points kept in " + checkpoint + "; go on with --resume");
  };
  // Rank 0 alone (the only process outside MPI) writes: it makes or reopens the checkpoint and tells the
  // other ranks where to start (-1: it failed, and says why).
  std::unique_ptr<output::SweepFile> results;
  int first = 0;
  if (rank == 0) {
    try {
      out = output_target(vm, file);
      checkpoint = output::SweepFile::checkpoint_name(out);
      if (!resume && std::filesystem::exists(checkpoint))
        throw InputError("command line: --output '" + out + "': " + checkpoint +
                         " is left by an interrupted sweep: go on with --resume, or remove it");
      if (resume) {
        results = std::make_unique<output::SweepFile>(out, id);
      } else {
        results = std::make_unique<output::SweepFile>(
            out, first_study, o.seed, output::RunInfo{CCSIM_VERSION, command_line}, columns, id);
      }
      first = results->points_done();
    } catch (...) {
#ifdef CCSIM_MPI
      if (job) job->broadcast(-1);
#endif
      throw;
    }
  }
#ifdef CCSIM_MPI
  if (job) first = job->broadcast(first);
  if (first < 0) return kBadInput;  // rank 0 said why
#endif
  if (!quiet && rank == 0)
    std::cerr << "ccsim: " << points << " points x " << first_study.policies.size() << " policies"
              << (ranks > 1 ? " on " + std::to_string(ranks) + " processes" : "")
              << (first ? ", from point " + std::to_string(first) : "") << "\n";
  // Under MPI each rank would count only its own replications: the lines per point tell the progress.
  Progress progress(!quiet && ranks == 1);
  o.progress = [&](int done, int total) { progress(done, total); };
  auto write_own = [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
    results->add_point(point, s, r);
    if (!quiet) print_point(point, sweep, s, r);
  };
  try {
#ifdef CCSIM_MPI
    if (ranks > 1) {
      cluster::run_sweep(*job, first, points, study_of, o,
                         [&](int point, const scenario::Study& s, std::vector<model::Results>& r,
                             const std::vector<int>& by_rank) {
                           write_own(point, s, r);
                           if (!quiet) print_ranks(by_rank);
                         });
    } else {
      model::run_sweep(first, points, study_of, o, write_own);
    }
#else
    model::run_sweep(first, points, study_of, o, write_own);
#endif
  } catch (const Interrupted&) {
#ifdef CCSIM_MPI
    if (ranks > 1) job->abort(interrupted_exit_code());  // the others wait for this rank
#endif
    throw stopped(results ? results->points_done() : 0);
  } catch (const std::exception& e) {
#ifdef CCSIM_MPI
    if (ranks > 1) {
      std::cerr << "error: rank " << rank << ": " << e.what() << "\n";
      job->abort(dynamic_cast<const InputError*>(&e) ? kBadInput : kInternal);
    }
#endif
    throw;
  }
  if (*interrupted) throw stopped(results ? results->points_done() : 0);
  if (rank != 0) return kOk;
  results->finish();
  release_interrupts();
  if (!quiet) std::cout << "results: " << out << " (" << points << " points; /points names them)\n";
  return kOk;
}

}  // namespace ccsim::cli
