// ccsim staff: the available agents each interval and group needs for the targets, by Erlang and by
// simulation, beside the roster's; parsing and printing only (the search is in sim/planning).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/staff_target.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "output/staffing_writer.hpp"
#include "output/target_file.hpp"
#include "planning/plan_yaml.hpp"
#include "planning/staffing.hpp"

namespace ccsim::cli {

namespace {

std::string fixed(double x, int digits) {
  if (std::isnan(x)) return "-";
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << x;
  return o.str();
}

std::string shown(const planning::Target& t, const analysis::Estimate& e) {
  if (std::isnan(e.mean)) return "-";
  const bool rate = t.kind != analysis::TargetKind::asa;
  const double f = rate ? 100.0 : 1.0;
  return fixed(e.mean * f, 1) + " ±" + fixed(e.half_width * f, 1) + (planning::meets(t, e.mean) ? "" : " !");
}

void print_table(std::ostream& os, const scenario::Scenario& s, const planning::StaffPlan& p) {
  os << pad("interval", 12) << pad("group", 16) << pad("required", 10) << pad("erlang", 8)
            << pad("available", 11) << pad("gap", 8);
  for (const auto& t : p.targets)
    os << pad(t.name + (t.kind == analysis::TargetKind::asa ? " (s)" : " (%)"), 16);
  os << "\n";
  for (const auto& r : p.rows) {
    os << pad(scenario::interval_label(s, r.interval), 12)
              << pad(s.agent_groups[static_cast<std::size_t>(r.group)].name, 16)
              << pad(std::to_string(r.required), 10) << pad(std::to_string(r.required_erlang), 8)
              << pad(fixed(r.available, 1), 11) << pad(fixed(r.gap(), 1), 8);
    for (std::size_t j = 0; j < p.targets.size(); ++j)
      os << pad(shown(p.targets[j], r.achieved[j]), 16);
    os << "\n";
  }
  os << "\nrequired: by simulation (" << p.steps << " steps" << (p.converged ? "" : ", not converged")
            << "); erlang: stationary Erlang C/A per interval; available: the roster as planned; gap = "
               "available - required.\nachieved: the plan verified by an independent simulation, 95% CI; "
               "! marks a point estimate missing the target. "
            << fixed(p.seconds, 2) << " s.\n";
}

void print_plan_json(const scenario::Scenario& s, const planning::StaffPlan& p) {
  Json intervals = Json::array();
  for (const auto& r : p.rows) {
    Json row{{"label", scenario::interval_label(s, r.interval)},
             {"group", s.agent_groups[static_cast<std::size_t>(r.group)].name},
             {"required", r.required},
             {"required_erlang", r.required_erlang},
             {"available", json_number(r.available)},
             {"gap", json_number(r.gap())},
             {"load", json_number(r.load)}};
    for (std::size_t j = 0; j < p.targets.size(); ++j) {
      row[p.targets[j].name] = json_number(r.achieved[j].mean);
      row[p.targets[j].name + "_half_width"] = json_number(r.achieved[j].half_width);
    }
    intervals.push_back(std::move(row));
  }
  print_json(std::cout, Json{{"steps", p.steps},
                             {"converged", p.converged},
                             {"seconds", json_number(p.seconds)},
                             {"intervals", std::move(intervals)}});
}

}  // namespace

bool check_scenario_target(const std::string& path, bool json) {
  if (path != "-") {
    output::check_target(path);
    return false;
  }
  if (json)
    throw InputError("command line: --write-scenario -: standard output carries the scenario; --json would mix "
                     "into it (give a file to one of them)");
  return true;
}

void write_scenario(const std::string& path, const std::string& text) {
  if (path != "-") {
    output::write_file_atomically(path, text, "scenario");
    return;
  }
  std::cout << text << std::flush;
  if (!std::cout) throw OutputError("standard output: cannot write the scenario");
}

planning::Target parse_target(const std::string& text, const scenario::Scenario& s) {
  planning::Target t;
  t.name = text.substr(0, text.find('='));
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    throw InputError(
        "command line: --target expects [TYPE:]KIND=VALUE, e.g. sl=0.8, asa=30s, billing:sl=0.9");
  std::string kind = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  if (const auto colon = kind.find(':'); colon != std::string::npos) {
    const std::string type = kind.substr(0, colon);
    kind = kind.substr(colon + 1);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < s.contact_types.size(); ++i) {
      names.push_back(s.contact_types[i].name);
      if (names.back() == type) t.type = static_cast<int>(i);
    }
    if (t.type < 0) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw InputError("command line: --target " + text + ": no contact type '" + type +
                       "' (there are: " + list + ")");
    }
  }
  if (kind == "sl") {
    t.kind = analysis::TargetKind::service_level;
  } else if (kind == "abandon") {
    t.kind = analysis::TargetKind::p_abandon;
  } else if (kind == "asa") {
    t.kind = analysis::TargetKind::asa;
    t.value = target_asa(value, text);
    return t;
  } else {
    throw InputError("command line: --target " + text + ": unknown kind '" + kind + "' (sl, asa or abandon)");
  }
  try {
    std::size_t used = 0;
    t.value = std::stod(value, &used);
    if (used != value.size() || !std::isfinite(t.value)) throw std::invalid_argument("not a finite number");
  } catch (...) {
    throw InputError("command line: --target " + text + ": '" + value + "' is not a finite number");
  }
  return t;
}

int cmd_staff(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts("ccsim staff SCENARIO --target sl=0.8 [--target abandon=0.05] [options]");
  opts.add_options()("help,h", "this help")(
      "target", po::value<std::vector<std::string>>()->composing(),
      "[TYPE:]KIND=VALUE: sl=0.8, abandon=0.05, asa=30s; repeat for several (a type's own: billing:sl=0.9)")(
      "replications,r", po::value<int>()->default_value(40), "replications per search step (fixed)")(
      "verify-replications", po::value<int>()->default_value(40), "replications of the verification")(
      "seed", po::value<std::uint64_t>(), "master seed (default: the scenario's)")(
      "threads", po::value<int>()->default_value(0), "threads (0: all cores)")(
      "max-steps", po::value<int>()->default_value(40), "the most simulation steps of the search")(
      "output,o", po::value<std::string>(), "write /staffing/by_interval to this HDF5 file")(
      "write-scenario", po::value<std::string>(), "write the scenario staffed as required to this file (- for standard output)")(
      "json", "print the requirement as JSON");
  add_set_option(opts);
  auto parsed = parse_with_file(args, opts, "staff");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  if (vm.count("output")) output::check_target(vm["output"].as<std::string>());  // before any simulation
  const scenario::Scenario s = scenario::load_scenario(vm["scenario"].as<std::string>(), set_overrides(vm));
  planning::StaffOptions o;
  if (vm.count("target"))
    for (const auto& t : vm["target"].as<std::vector<std::string>>()) o.targets.push_back(parse_target(t, s));
  planning::check_targets(s, o.targets);
  o.replications = vm["replications"].as<int>();
  o.verify_replications = vm["verify-replications"].as<int>();
  o.max_steps = vm["max-steps"].as<int>();
  o.threads = vm["threads"].as<int>();
  if (o.replications < 2 || o.verify_replications < 2)
    throw InputError("command line: --replications and --verify-replications need at least 2 (for a CI)");
  if (o.max_steps < 1) throw InputError("command line: --max-steps must be at least 1");
  o.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : s.seed;
  // Targets checked before the search runs, not after.
  bool scenario_to_stdout = false;
  if (vm.count("write-scenario")) {
    scenario_to_stdout = check_scenario_target(vm["write-scenario"].as<std::string>(), vm.count("json") > 0);
    planning::check_can_be_base(s);
  }
  const planning::StaffPlan plan = planning::staff(s, o);
  if (vm.count("json"))
    print_plan_json(s, plan);
  else
    print_table(scenario_to_stdout ? std::cerr : std::cout, s, plan);
  if (vm.count("output")) output::write_staffing(vm["output"].as<std::string>(), s, plan, command_line);
  if (vm.count("write-scenario")) {
    const std::string path = vm["write-scenario"].as<std::string>();
    write_scenario(path, planning::plan_scenario_yaml(s, plan, path, set_overrides(vm)));
  }
  return kOk;
}

}  // namespace ccsim::cli
