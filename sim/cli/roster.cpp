// ccsim roster: the cheapest roster of allowed tours covering the simulated requirement, simulated and
// re-solved until it meets the targets; parsing and printing only (the work is in sim/planning).
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
#include "output/staffing_writer.hpp"
#include "output/target_file.hpp"
#include "planning/plan_yaml.hpp"

namespace ccsim::cli {

namespace {

std::string fixed(double x, int digits, bool sign = false) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << (sign ? std::showpos : std::noshowpos) << x;
  return o.str();
}

std::string day_text(const scenario::Scenario& s, int d) {
  return s.day_labels.empty() ? std::to_string(d + 1) : s.day_labels[static_cast<std::size_t>(d)];
}

std::string days_text(const scenario::Scenario& s, const planning::Tour& t) {
  if (t.days.empty()) return "every day";
  std::string out;
  for (int d : t.days) out += (out.empty() ? "" : " ") + day_text(s, d);
  return out;
}

void print_table(std::ostream& os, const scenario::Scenario& s, const planning::PatternSet& set, const planning::RosterResult& r) {
  os << pad("interval", 12) << pad("group", 16) << pad("required", 10) << pad("planned", 9)
            << "over/under\n";
  for (int k = 0; k < s.run_intervals(); ++k)
    for (int g : r.groups) {
      const double req = r.requirement[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)];
      const double av = r.available[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)];
      os << pad(scenario::interval_label(s, k), 12) << pad(s.agent_groups[static_cast<std::size_t>(g)].name, 16)
                << pad(fixed(req, 0), 10) << pad(fixed(av, 1), 9) << fixed(av - req, 1, true) << "\n";
    }
  os << "\n" << pad("group", 16) << pad("tour", 28) << pad("days", 22) << pad("hours", 14)
            << pad("agents", 8) << "cost\n";
  for (std::size_t t = 0; t < r.tours.size(); ++t) {
    if (r.agents[t] == 0) continue;
    const auto& tour = r.tours[t];
    const auto& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    os << pad(s.agent_groups[static_cast<std::size_t>(tour.group)].name, 16) << pad(tour.name, 28)
              << pad(days_text(s, tour), 22)
              << pad(scenario::format_clock(p.start_s) + "-" + scenario::format_clock(p.end_s), 14)
              << pad(std::to_string(r.agents[t]), 8) << fixed(planning::tour_cost(s, set, tour) * r.agents[t], 2)
              << "\n";
  }
  os << "\ncost " << fixed(r.cost, 2) << " and " << fixed(r.agent_hours, 1) << " paid agent-hours over "
            << s.days << " day(s), head count " << r.head_count << "; " << r.rounds
            << " programme(s); the simulated roster " << (r.met ? "meets" : "does NOT meet")
            << " the targets in every interval.\nrequired: available agents (simulated, raised where a "
               "simulated roster missed); planned: the roster's available agents after breaks, absence and "
               "meetings.\n";
}

void print_json_result(const scenario::Scenario& s, const planning::PatternSet& set,
                       const planning::RosterResult& r) {
  Json tours = Json::array();
  for (std::size_t t = 0; t < r.tours.size(); ++t) {
    if (r.agents[t] == 0) continue;
    const auto& tour = r.tours[t];
    const auto& p = set.patterns[static_cast<std::size_t>(tour.pattern)];
    Json days = Json::array();
    for (int d : tour.days) days.push_back(day_text(s, d));
    tours.push_back(Json{{"group", s.agent_groups[static_cast<std::size_t>(tour.group)].name},
                         {"pattern", p.name},
                         {"tour", tour.name},
                         {"days", std::move(days)},
                         {"start", scenario::format_clock(p.start_s)},
                         {"end", scenario::format_clock(p.end_s)},
                         {"agents", r.agents[t]},
                         {"paid_hours", json_number(planning::paid_hours(p) * planning::days_worked(s, tour) *
                                                    r.agents[t])},
                         {"cost", json_number(planning::tour_cost(s, set, tour) * r.agents[t])}});
  }
  Json intervals = Json::array();
  for (int k = 0; k < s.run_intervals(); ++k)
    for (int g : r.groups) {
      const double req = r.requirement[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)];
      const double av = r.available[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)];
      intervals.push_back(Json{{"label", scenario::interval_label(s, k)},
                               {"group", s.agent_groups[static_cast<std::size_t>(g)].name},
                               {"required", json_number(req)},
                               {"available", json_number(av)},
                               {"over_under", json_number(av - req)}});
    }
  print_json(std::cout, Json{{"rounds", r.rounds},
                             {"met", r.met},
                             {"cost", json_number(r.cost)},
                             {"agent_hours", json_number(r.agent_hours)},
                             {"head_count", r.head_count},
                             {"days", s.days},
                             {"tours", std::move(tours)},
                             {"intervals", std::move(intervals)}});
}

}  // namespace

int cmd_roster(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description opts("ccsim roster SCENARIO --shifts SHIFTS.yaml --target sl=0.8 [options]");
  opts.add_options()("help,h", "this help")("shifts", po::value<std::string>(),
                                            "the allowed shift patterns (YAML: max_agents, patterns: [{name, "
                                            "group, start, end, breaks, days | days_off, cost, cost_per_hour, "
                                            "max_agents}])")(
      "target", po::value<std::vector<std::string>>()->composing(), "as for ccsim staff")(
      "group", po::value<std::string>(), "roster this agent group only (default: every group with a requirement)")(
      "replications,r", po::value<int>()->default_value(40), "replications per simulation")(
      "verify-replications", po::value<int>()->default_value(40), "replications of staff's verification")(
      "seed", po::value<std::uint64_t>(), "master seed (default: the scenario's)")(
      "threads", po::value<int>()->default_value(0), "threads (0: all cores)")(
      "max-rounds", po::value<int>()->default_value(10), "the most programmes solved")(
      "output,o", po::value<std::string>(), "write the requirement, the roster's gap and the tours to this HDF5 file")(
      "write-scenario", po::value<std::string>(), "write the scenario with the roster (naming the original as its base; - for standard output)")(
      "json", "print the roster as JSON");
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
  o.verify_replications = vm["verify-replications"].as<int>();
  o.threads = vm["threads"].as<int>();
  o.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : s.seed;
  if (o.replications < 2 || o.verify_replications < 2)
    throw InputError("command line: --replications and --verify-replications need at least 2 (for a CI)");
  const int max_rounds = vm["max-rounds"].as<int>();
  if (max_rounds < 1) throw InputError("command line: --max-rounds must be at least 1");
  int only = -1;
  if (vm.count("group")) {
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
      if (s.agent_groups[g].name == vm["group"].as<std::string>()) only = static_cast<int>(g);
    if (only < 0)
      throw InputError("command line: --group: no agent group '" + vm["group"].as<std::string>() + "'");
  }
  const auto set = planning::load_patterns(vm["shifts"].as<std::string>(), s);
  if (vm.count("output")) output::check_target(vm["output"].as<std::string>());
  bool scenario_to_stdout = false;
  if (vm.count("write-scenario")) {
    scenario_to_stdout = check_scenario_target(vm["write-scenario"].as<std::string>(), vm.count("json") > 0);
    planning::check_can_be_base(s);
  }
  const planning::StaffPlan plan = planning::staff(s, o);
  std::vector<int> groups;
  for (int g = 0; g < plan.groups; ++g) {
    bool needed = false;
    for (int k = 0; k < plan.intervals; ++k) needed = needed || plan.at(k, g).required > 0;
    if ((only < 0 && needed) || g == only) groups.push_back(g);
  }
  if (groups.empty()) throw InputError("no agent group needs agents for these targets: nothing to roster");
  const planning::RosterResult r = planning::build_roster(s, plan, groups, set, o, max_rounds);
  if (vm.count("json"))
    print_json_result(s, set, r);
  else
    print_table(scenario_to_stdout ? std::cerr : std::cout, s, set, r);
  if (vm.count("output"))
    output::write_roster(vm["output"].as<std::string>(), s, plan, set, r, command_line);
  if (vm.count("write-scenario")) {
    const std::string path = vm["write-scenario"].as<std::string>();
    std::vector<std::pair<std::string, YAML::Node>> overrides;
    for (int g : r.groups) {
      const std::string at = planning::group_path(s, g);
      overrides.emplace_back(at + ".agents", YAML::Node());  // the shifts replace any all-day agents
      overrides.emplace_back(at + ".shifts", planning::shifts_node(s, set, r, g));
    }
    write_scenario(
        path,
        planning::based_scenario_yaml(s, path, "Written by `ccsim roster`: " + s.source_path +
                                                   " with the roster of " + set.path + " (cost " +
                                                   fixed(r.cost, 2) + " over the run).",
                                      s.name + " (rostered by ccsim roster)", overrides, set_overrides(vm)));
  }
  return r.met ? kOk : kInternal;
}

}  // namespace ccsim::cli
