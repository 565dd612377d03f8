#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/erlang.hpp"
#include "cli/compare.hpp"
#include "cli/report.hpp"
#include "cli/summary.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "model/capacity.hpp"
#include "model/results.hpp"
#include "output/hdf5_reader.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/scenario.hpp"

namespace po = boost::program_options;

namespace ccsim::cli {
namespace {

constexpr int kOk = 0, kBadInput = 1, kInternal = 2, kInterrupted = 130;

const char* kUsage =
    "ccsim " CCSIM_VERSION
    " - contact-centre queue and wait-time simulator\n\n"
    "usage: ccsim <command> [options]\n\n"
    "commands:\n"
    "  run SCENARIO       simulate a scenario, print a summary, write results to HDF5\n"
    "  validate SCENARIO  check a scenario file without running it\n"
    "  erlang             Erlang C / Erlang A measures, or the agents a target needs\n"
    "  compare RESULTS    compare the policies of a results file against the baseline\n"
    "  report RESULTS     a self-contained HTML report of a results file (charts, summary, predictors)\n\n"
    "'ccsim <command> --help' describes each command's options.\n"
    "exit codes: 0 ok, 1 bad input, 2 internal or output error, 130 interrupted (Ctrl-C)\n";

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description* positional = nullptr,
                        const po::options_description* hidden = nullptr) {
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  po::variables_map vm;
  try {
    po::command_line_parser p(args);
    p.options(all);
    if (positional) p.positional(*positional);
    po::store(p.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string("command line: ") + e.what() + " (see --help)");
  }
  return vm;
}

std::string joined(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

// Parses a command that takes one file argument (`name`: "scenario" or "results") and `opts`; returns
// nothing when --help was answered.
std::optional<po::variables_map> parse_with_file(const std::vector<std::string>& args,
                                                 const po::options_description& opts, const char* command,
                                                 const char* name = "scenario") {
  po::options_description hidden;
  hidden.add_options()(name, po::value<std::string>());
  po::positional_options_description pos;
  pos.add(name, 1);
  auto vm = parse(args, opts, &pos, &hidden);
  if (vm.count("help")) {
    std::cout << opts;
    return std::nullopt;
  }
  if (!vm.count(name))
    throw InputError(std::string("command line: ccsim ") + command + " needs a " +
                     (std::string(name) == "scenario" ? "SCENARIO" : "RESULTS.h5") + " file (see --help)");
  return vm;
}

// Ctrl-C sets this; workers stop between replications and nothing is written.
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) {
  g_interrupted = true;
}

// Progress on stderr: a bar redrawn in place on a terminal, a plain line every 10% otherwise.
class Progress {
 public:
  explicit Progress(bool enabled)
      : enabled_(enabled), terminal_(isatty(2) != 0), start_(std::chrono::steady_clock::now()) {}
  void operator()(int done, int total) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double left = done > 0 ? elapsed * (total - done) / done : 0.0;
    const int decile = total > 0 ? 10 * done / total : 10;
    if (terminal_) {
      if (elapsed - last_draw_ < 0.1 && done < total) return;
      last_draw_ = elapsed;
      const int width = 30, filled = total > 0 ? width * done / total : width;
      std::fprintf(stderr, "\r[%s%s] %d/%d replications, %.1f s elapsed, ~%.1f s left ",
                   std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(), done, total,
                   elapsed, left);
      if (done == total) std::fprintf(stderr, "\n");
    } else if (decile > last_decile_) {
      last_decile_ = decile;
      std::fprintf(stderr, "ccsim: %d/%d replications, %.1f s elapsed, ~%.1f s left\n", done, total, elapsed,
                   left);
    }
  }

 private:
  bool enabled_, terminal_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  double last_draw_ = -1.0;
  int last_decile_ = 0;
};

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
  g_interrupted = false;
  o.cancel = &g_interrupted;
  std::signal(SIGINT, on_interrupt);
  const std::vector<model::Results> results = model::run_study(study, o);
  if (g_interrupted) throw Interrupted("interrupted: no results written");
  output::write_results(out, study, results, {CCSIM_VERSION, command_line});
  std::signal(SIGINT, SIG_DFL);

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

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description opts("ccsim compare RESULTS.h5 [options]");
  opts.add_options()("help,h", "this help")(
      "measures,m", po::value<std::string>()->default_value("sl,asa,abandon,occupancy"),
      "comma-separated: sl, asa, abandon, mean_wait, occupancy")(
      "by", po::value<std::string>()->default_value("day"), "day or interval")("csv", "CSV output")(
      "json", "JSON output");
  auto parsed = parse_with_file(args, opts, "compare", "results");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string by = vm["by"].as<std::string>();
  if (by != "day" && by != "interval") throw InputError("command line: --by must be day or interval");
  if (vm.count("csv") && vm.count("json")) throw InputError("command line: give --csv or --json, not both");
  const auto measures = parse_measures(vm["measures"].as<std::string>());
  const auto data = output::read_comparison(vm["results"].as<std::string>(), measures, by == "interval");
  print_comparison(std::cout, data, measures,
                   vm.count("csv")    ? TableFormat::csv
                   : vm.count("json") ? TableFormat::json
                                      : TableFormat::text);
  return kOk;
}

int cmd_report(const std::vector<std::string>& args) {
  po::options_description opts("ccsim report RESULTS.h5 [-o REPORT.html]");
  opts.add_options()("help,h", "this help")("output,o", po::value<std::string>(),
                                            "the HTML page (default: RESULTS with .html)");
  auto parsed = parse_with_file(args, opts, "report", "results");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string in = vm["results"].as<std::string>();
  const std::string out = vm.count("output") ? vm["output"].as<std::string>()
                                             : std::filesystem::path(in).replace_extension(".html").string();
  const auto data = output::read_report(in);
  const auto days = output::read_comparison(in, {"sl", "asa", "abandon", "mean_wait"}, false);
  const std::string html = render_report(data, days);
  // Written whole under a temporary name, then renamed: no half-written page under the name.
  const std::string tmp = out + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary);
    f << html;
    if (!f) {
      std::remove(tmp.c_str());
      throw OutputError(out + ": cannot write the report");
    }
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError(out + ": cannot write the report");
  }
  std::cout << "report: " << out << "\n";
  return kOk;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("ccsim validate SCENARIO");
  opts.add_options()("help,h", "this help");
  auto parsed = parse_with_file(args, opts, "validate");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  const scenario::Study study = scenario::load_study(path);  // every policy is checked, not just the base
  if (study.policies.size() > 1) {
    std::cout << path << ": " << study.policies.size() << " policies (baseline '"
              << study.names[static_cast<std::size_t>(study.baseline)] << "'):";
    for (const auto& n : study.names) std::cout << " '" << n << "'";
    std::cout << "; the base scenario:\n";
  }
  const scenario::Scenario& s = study.policies[static_cast<std::size_t>(study.baseline)];
  const model::Model m = model::build_model(s);
  double volume = 0.0;
  for (const auto& t : s.contact_types)
    for (double v : t.volume) volume += v;
  std::cout << path << ": ok - '" << s.name << "': " << s.contact_types.size() << " contact type(s), "
            << s.agent_groups.size() << " agent group(s) with " << m.total_agents() << " agents, "
            << s.intervals << " intervals of " << s.interval_s / 60 << " min"
            << (s.days > 1 ? " on each of " + std::to_string(s.days) + " days" : "") << " from "
            << scenario::format_clock(s.open_s) << ", " << std::llround(volume)
            << " contacts expected per day\n";
  for (const auto& w : model::unstaffed_skills(m, s)) std::cout << "warning: " << w << "\n";
  int overloaded = 0;
  std::cout << "capacity (max-flow of offered agent-hours over the skills to available agent-hours):\n";
  for (const auto& c : model::capacity_check(m)) {
    if (!c.overloaded) continue;
    ++overloaded;
    std::cout << "  " << scenario::interval_label(s, c.interval) << "  offered " << std::fixed
              << std::setprecision(1) << c.offered_agent_hours << " agent-hours, at most "
              << c.servable_agent_hours << " can be served by any routing (" << c.available_agent_hours
              << " available)\n";
  }
  if (overloaded == 0)
    std::cout << "  every interval's offered load can be served by some routing\n";
  else
    std::cout << "  " << overloaded << " of " << s.run_intervals()
              << " intervals are overloaded: queues will grow and "
              << "callers abandon whatever the routing\n";
  return kOk;
}

analysis::StaffingTarget parse_target(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    throw InputError("command line: --target expects KIND=VALUE, e.g. sl=0.8, asa=30, abandon=0.05");
  std::string kind = text.substr(0, eq);
  double value = 0.0;
  try {
    value = std::stod(text.substr(eq + 1));
  } catch (...) {
    throw InputError("command line: --target: '" + text.substr(eq + 1) + "' is not a number");
  }
  analysis::StaffingTarget t;
  t.value = value;
  if (kind == "sl") {
    t.kind = analysis::TargetKind::service_level;
    if (value <= 0.0 || value >= 1.0) throw InputError("command line: --target sl=X needs 0 < X < 1");
  } else if (kind == "asa") {
    t.kind = analysis::TargetKind::asa;
    if (value <= 0.0) throw InputError("command line: --target asa=SECONDS needs SECONDS > 0");
  } else if (kind == "abandon") {
    t.kind = analysis::TargetKind::p_abandon;
    if (value <= 0.0 || value >= 1.0) throw InputError("command line: --target abandon=X needs 0 < X < 1");
  } else {
    throw InputError("command line: --target: unknown kind '" + kind + "' (expected sl, asa or abandon)");
  }
  return t;
}

int cmd_erlang(const std::vector<std::string>& args) {
  po::options_description opts(
      "ccsim erlang --calls-per-hour R --aht SECONDS (--agents N | --target KIND=VALUE)");
  opts.add_options()("help,h", "this help")("calls-per-hour", po::value<double>(), "arrival rate")(
      "aht", po::value<double>(), "mean handle time, seconds")("agents", po::value<int>(), "agents on duty")(
      "patience", po::value<double>(),
      "mean patience, seconds (Erlang A); omit for Erlang C (no abandonment)")(
      "tau", po::value<double>()->default_value(20.0), "service-level threshold, seconds")(
      "target", po::value<std::string>(),
      "find the fewest agents meeting sl=0.8, asa=SECONDS or abandon=0.05")("json",
                                                                            "machine-readable output");
  auto vm = parse(args, opts);
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }
  if (!vm.count("calls-per-hour") || !vm.count("aht"))
    throw InputError("command line: ccsim erlang needs --calls-per-hour and --aht (see --help)");
  if (vm.count("agents") == vm.count("target"))
    throw InputError("command line: give exactly one of --agents N or --target KIND=VALUE");
  analysis::QueueInput q;
  double cph = vm["calls-per-hour"].as<double>(), aht = vm["aht"].as<double>();
  if (!(cph > 0.0)) throw InputError("command line: --calls-per-hour must be > 0");
  if (!(aht > 0.0)) throw InputError("command line: --aht must be > 0");
  q.arrival_rate = cph / 3600.0;
  q.service_rate = 1.0 / aht;
  q.tau = vm["tau"].as<double>();
  if (!(q.tau >= 0.0)) throw InputError("command line: --tau must be >= 0");
  if (vm.count("patience")) {
    double p = vm["patience"].as<double>();
    if (!(p > 0.0)) throw InputError("command line: --patience must be > 0");
    q.patience_rate = 1.0 / p;
  }
  std::string target_text;
  if (vm.count("target")) {
    target_text = vm["target"].as<std::string>();
    auto n = analysis::required_agents(q, parse_target(target_text));
    if (!n)
      throw InputError("command line: --target " + target_text +
                       " is not reachable with up to 100000 agents");
    q.agents = *n;
  } else {
    q.agents = vm["agents"].as<int>();
    if (q.agents < 1) throw InputError("command line: --agents must be at least 1");
  }
  const auto m = analysis::queue_measures(q);
  const char* model = q.patience_rate > 0.0 ? "erlang_a" : "erlang_c";
  const double load = q.arrival_rate / q.service_rate;
  auto num = [](double x) {
    std::ostringstream os;
    if (std::isfinite(x))
      os << std::setprecision(10) << x;
    else
      os << "null";
    return os.str();
  };
  if (vm.count("json")) {
    std::cout << "{\"model\": \"" << model << "\", \"agents\": " << q.agents << ", \"load\": " << num(load)
              << ", \"tau\": " << num(q.tau) << ", \"stable\": " << (m.stable ? "true" : "false")
              << ", \"p_wait\": " << num(m.p_wait) << ", \"service_level\": " << num(m.service_level)
              << ", \"asa\": " << num(m.asa) << ", \"mean_wait\": " << num(m.mean_wait)
              << ", \"p_abandon\": " << num(m.p_abandon) << ", \"occupancy\": " << num(m.occupancy) << "}\n";
    return kOk;
  }
  std::cout << (q.patience_rate > 0.0 ? "Erlang A (M/M/c+M)" : "Erlang C (M/M/c)") << ": " << cph
            << " calls/h, AHT " << aht << " s";
  if (q.patience_rate > 0.0) std::cout << ", mean patience " << 1.0 / q.patience_rate << " s";
  std::cout << ", offered load " << std::fixed << std::setprecision(2) << load << " Erlang\n";
  if (!target_text.empty()) std::cout << "fewest agents meeting " << target_text << ": " << q.agents << "\n";
  if (!m.stable) {
    std::cout << "agents            " << q.agents << "\nunstable: the load needs more than " << q.agents
              << " agents when nobody abandons; waits grow without bound\n";
    return kOk;
  }
  std::cout << std::setprecision(4) << "agents            " << q.agents << "\n"
            << "p_wait            " << m.p_wait << "\n"
            << "service_level     " << m.service_level << "   (answered within " << q.tau
            << " s, of offered)\n"
            << std::setprecision(2) << "asa               " << m.asa << " s\n"
            << "mean_wait         " << m.mean_wait << " s   (all callers)\n"
            << std::setprecision(4) << "p_abandon         " << m.p_abandon << "\n"
            << "occupancy         " << m.occupancy << "\n";
  return kOk;
}

}  // namespace
}  // namespace ccsim::cli

int main(int argc, char** argv) {
  using namespace ccsim;
  using namespace ccsim::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return kBadInput;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "run") return cmd_run(args, joined(argc, argv));
    if (command == "validate") return cmd_validate(args);
    if (command == "erlang") return cmd_erlang(args);
    if (command == "compare") return cmd_compare(args);
    if (command == "report") return cmd_report(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kOk;
    }
    if (command == "--version") {
      std::cout << "ccsim " CCSIM_VERSION "\n";
      return kOk;
    }
    std::cerr << "ccsim: unknown command '" << command << "'\n\n" << kUsage;
    return kBadInput;
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const Interrupted& e) {
    std::cerr << "\nccsim: " << e.what() << "\n";
    return kInterrupted;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kInternal;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kInternal;
  }
}
