// ccsim erlang: Erlang C or A measures for a number of agents, or the fewest agents meeting a target.
#include "analysis/erlang.hpp"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"

namespace ccsim::cli {

namespace {

// KIND=VALUE: sl and abandon take a share, asa a duration as the scenario reads one ("30", "30s", "0.5min").
analysis::StaffingTarget parse_target(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    throw InputError("command line: --target expects KIND=VALUE, e.g. sl=0.8, asa=30s, abandon=0.05");
  std::string kind = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  analysis::StaffingTarget t;
  if (kind == "asa") {
    t.kind = analysis::TargetKind::asa;
    t.value = target_asa(value, text);
    return t;
  }
  double number = 0.0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(number))
    throw InputError("command line: --target " + text + ": '" + value + "' is not a finite number");
  t.value = number;
  if (kind == "sl") {
    t.kind = analysis::TargetKind::service_level;
    if (number <= 0.0 || number >= 1.0) throw InputError("command line: --target sl=X needs 0 < X < 1");
  } else if (kind == "abandon") {
    t.kind = analysis::TargetKind::p_abandon;
    if (number <= 0.0 || number >= 1.0) throw InputError("command line: --target abandon=X needs 0 < X < 1");
  } else {
    throw InputError("command line: --target: unknown kind '" + kind + "' (expected sl, asa or abandon)");
  }
  return t;
}

}  // namespace

int cmd_erlang(const std::vector<std::string>& args) {
  po::options_description opts(
      "ccsim erlang --calls-per-hour R --aht DURATION (--agents N | --target KIND=VALUE)");
  opts.add_options()("help,h", "this help")("calls-per-hour", po::value<std::string>(), "arrival rate")(
      "aht", po::value<std::string>(), "mean handle time: 240, 240s, 4min")("agents", po::value<std::string>(),
                                                                    "agents on duty, 1 to 100000")(
      "patience", po::value<std::string>(),
      "mean patience, a duration (Erlang A); omit for Erlang C (no abandonment)")(
      "tau", po::value<std::string>()->default_value("20"), "service-level threshold, a duration")(
      "target", po::value<std::string>(),
      "find the fewest agents meeting sl=0.8, asa=30s (a duration; plain: seconds) or abandon=0.05")("json",
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
  // The same bounds as a scenario's: durations up to 1e7 s, and loads the Erlang formulas answer at once.
  const double cph = option_number(vm, "calls-per-hour", 1e-9, 1e9),
               aht = option_duration(vm, "aht", 1e-6, 1e7);
  q.arrival_rate = cph / 3600.0;
  q.service_rate = 1.0 / aht;
  if (q.arrival_rate / q.service_rate > 1e5)
    throw InputError("command line: --calls-per-hour x --aht is an offered load of more than 100000 Erlang");
  q.tau = option_duration(vm, "tau", 0.0, 1e7);
  if (vm.count("patience")) q.patience_rate = 1.0 / option_duration(vm, "patience", 1e-6, 1e7);
  std::string target_text;
  if (vm.count("target")) {
    target_text = vm["target"].as<std::string>();
    auto n = analysis::required_agents(q, parse_target(target_text));
    if (!n)
      throw InputError("command line: --target " + target_text +
                       " is not reachable with up to 100000 agents");
    q.agents = *n;
  } else {
    q.agents = static_cast<int>(option_integer(vm, "agents", 1, 100000));
  }
  const auto m = analysis::queue_measures(q);
  const char* model = q.patience_rate > 0.0 ? "erlang_a" : "erlang_c";
  const double load = q.arrival_rate / q.service_rate;
  if (vm.count("json")) {
    print_json(std::cout, Json{{"model", model},
                               {"agents", q.agents},
                               {"load", json_number(load)},
                               {"tau", json_number(q.tau)},
                               {"stable", m.stable},
                               {"p_wait", json_number(m.p_wait)},
                               {"service_level", json_number(m.service_level)},
                               {"asa", json_number(m.asa)},
                               {"mean_wait", json_number(m.mean_wait)},
                               {"p_abandon", json_number(m.p_abandon)},
                               {"occupancy", json_number(m.occupancy)}});
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

}  // namespace ccsim::cli
