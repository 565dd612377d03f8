// ccsim roster: the cheapest roster of allowed shift patterns covering the simulated requirement, simulated
// and re-solved until it meets the targets; parsing and printing only (the work is in sim/planning).
#include "planning/roster.hpp"

#include <cmath>
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

namespace ccsim::cli {

int cmd_roster(const std::vector<std::string>& args) {
  po::options_description opts("ccsim roster SCENARIO --shifts SHIFTS.yaml --target sl=0.8 [options]");
  opts.add_options()("help,h", "this help")("shifts", po::value<std::string>(),
                                            "the allowed shift patterns (YAML: patterns: [{name, start, end, "
                                            "breaks, cost, cost_per_hour, max_agents}])")(
      "target", po::value<std::vector<std::string>>()->composing(), "as for ccsim staff")(
      "group", po::value<std::string>(), "the agent group to roster (default: the first)")(
      "replications,r", po::value<int>()->default_value(40), "replications per simulation")(
      "seed", po::value<std::uint64_t>(), "master seed (default: the scenario's)")(
      "threads", po::value<int>()->default_value(0), "threads (0: all cores)")(
      "max-rounds", po::value<int>()->default_value(10), "the most programmes solved");
  add_set_option(opts);
  auto parsed = parse_with_file(args, opts, "roster");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const scenario::Scenario s = scenario::load_scenario(vm["scenario"].as<std::string>(), set_overrides(vm));
  if (!vm.count("shifts")) throw InputError("command line: ccsim roster needs --shifts SHIFTS.yaml");
  planning::StaffOptions o;
  if (vm.count("target"))
    for (const auto& t : vm["target"].as<std::vector<std::string>>()) o.targets.push_back(parse_target(t, s));
  planning::check_targets(s, o.targets);
  o.replications = vm["replications"].as<int>();
  o.threads = vm["threads"].as<int>();
  o.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : s.seed;
  if (o.replications < 2) throw InputError("command line: --replications needs at least 2");
  int group = 0;
  if (vm.count("group")) {
    group = -1;
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
      if (s.agent_groups[g].name == vm["group"].as<std::string>()) group = static_cast<int>(g);
    if (group < 0)
      throw InputError("command line: --group: no agent group '" + vm["group"].as<std::string>() + "'");
  }
  const auto patterns = planning::load_patterns(vm["shifts"].as<std::string>(), s);
  const planning::StaffPlan plan = planning::staff(s, o);
  const planning::RosterResult r =
      planning::build_roster(s, plan, group, patterns, o, vm["max-rounds"].as<int>());
  std::cout << pad("interval", 10) << pad("required", 10) << pad("planned", 9) << "over/under\n";
  for (int k = 0; k < s.intervals; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    std::ostringstream a, b;
    a << std::fixed << std::setprecision(1) << r.covered[kk];
    b << std::fixed << std::setprecision(1) << std::showpos << r.covered[kk] - r.requirement[kk];
    std::cout << pad(scenario::format_clock(s.open_s + k * s.interval_s), 10)
              << pad(std::to_string(static_cast<int>(std::lround(r.requirement[kk]))), 10) << pad(a.str(), 9)
              << b.str() << "\n";
  }
  std::cout << "\ncost per day " << r.cost << ", agent-hours per day " << r.agent_hours << ", " << r.rounds
            << " programme(s); the simulated roster " << (r.met ? "meets" : "does NOT meet")
            << " the targets in every interval.\nroster for group '"
            << s.agent_groups[static_cast<std::size_t>(group)].name << "':\n"
            << planning::roster_yaml(patterns, r.agents);
  return r.met ? kOk : kInternal;
}

}  // namespace ccsim::cli
