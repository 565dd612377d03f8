// ccsim validate: check a scenario and every policy without running it; warnings and the capacity check.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/run_options.hpp"
#include "model/capacity.hpp"
#include "model/model.hpp"
#include "scenario/input_file.hpp"
#include "scenario/scenario.hpp"
#include "scenario/sweep.hpp"
#include "scenario/work_limits.hpp"

namespace ccsim::cli {
int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("ccsim validate SCENARIO");
  opts.add_options()("help,h", "this help")(
      "max-contacts", po::value<std::string>()->default_value("1e8"),
      "refuse a scenario expecting more contacts per replication (a typo guard)")(
      "max-load", po::value<std::string>()->default_value("1e5"),
      "refuse an interval offering more Erlang of one contact type (a typo guard)");
  add_output_limit_option(opts);
  add_set_option(opts);
  add_start_state_option(opts);
  auto parsed = parse_with_file(args, opts, "validate");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = scenario::input_name(vm["scenario"].as<std::string>());
  const std::string file = vm["scenario"].as<std::string>();
  const scenario::WorkLimits limits = read_work_limits(vm);
  const std::string text = scenario::read_scenario_text(file);
  const std::vector<scenario::Override> sets = set_overrides(vm);
  const scenario::Study study = scenario::parse_study(text, path, sets);  // every policy, not just the base
  const model::RunOptions run;  // validate runs with the scenario's replications and no records
  std::optional<output::ResultsSize> size;
  if (!study.sweep_where.empty()) {
    // A sweep section: every point is read and checked, as `ccsim sweep` would before running.
    bool zip = false;
    const scenario::Sweep sweep = scenario::combine(scenario::file_axes(text, path, &zip), zip);
    output::ResultsSize points_size;
    scenario::validate_points(text, path, sets, sweep, [&](const scenario::Study& s) {
      check_study(s, limits);
      output::add_point_size(points_size, s, output_request(vm, run, s));
    });
    size = output::sweep_header_size(scenario::point_study(text, path, sets, sweep, 0), point_columns(sweep));
    *size += points_size;
    std::cout << path << ": a sweep of " << sweep.points.size() << " points over " << sweep.paths.size()
              << " field path(s), every point valid; the base scenario (before the sweep's values):\n";
  }
  // Before the model is built: its Erlang-A values for an absurd load would take minutes.
  for (std::size_t p = 0; p < study.policies.size(); ++p)
    scenario::check_work(study.policies[p], limits, study.policies.size() > 1 ? study.names[p] : "");
  // A live state is checked against every policy's roster.
  model::RunOptions live;
  read_start_states(vm, study, live);
  if (!live.start_states.empty()) {
    // How many replications will use a list is run's -r: only each state is checked here.
    live.replications = static_cast<int>(live.start_states.size());
    check_start_states(study, live, "", true);
  }
  if (!size) size = output::results_size(study, output_request(vm, run, study));
  check_output_size(*size, limits, vm, run, study);
  if (study.policies.size() > 1) {
    std::cout << path << ": " << study.policies.size() << " policies (baseline '"
              << study.names[static_cast<std::size_t>(study.baseline)] << "'):";
    for (const auto& n : study.names) std::cout << " '" << n << "'";
    std::cout << "; the base scenario:\n";
  }
  const scenario::Scenario& s = study.policies[static_cast<std::size_t>(study.baseline)];
  // Building the model and checking capacity take time per interval and rostered agent: beyond a budget
  // (a second or so on a slow machine) validate says so instead of leaving the user waiting.
  const double work = model::analysis_work(s);
  const bool analyse = work <= model::kAnalysisBudget;
  std::optional<model::Model> m;
  if (analyse) m = model::build_model(s);
  long long agents = 0;
  for (const auto& g : s.agent_groups) {
    long long n = g.shifts.empty() ? g.agents : 0;  // a list's `agents` holds its largest count
    for (const auto& sh : g.shifts) n += sh.agents;
    agents += n;
  }
  double volume = 0.0;
  for (const auto& t : s.contact_types)
    for (double v : t.volume) volume += v;
  std::cout << path << ": ok - '" << s.name << "': " << s.contact_types.size() << " contact type(s), "
            << s.agent_groups.size() << " agent group(s) with " << (m ? m->total_agents() : agents)
            << " agents, " << s.intervals << " intervals of " << s.interval_s / 60 << " min"
            << (s.days > 1 ? " on each of " + std::to_string(s.days) + " days" : "") << " from "
            << scenario::format_clock(s.open_s) << ", " << std::llround(volume)
            << " contacts expected per day\n";
  if (!live.start_states.empty()) {
    std::size_t waiting = 0, listed = 0;
    for (const auto& st : live.start_states) {
      for (const auto& w : st.waiting) waiting += static_cast<std::size_t>(w.count);
      listed += st.agents.size();
    }
    std::cout << "start state: " << live.start_states.size() << " state(s) at " << live.start_states.front().time_text
              << " (" << waiting << " waiting, " << listed << " agents listed in all), checked against "
              << (study.policies.size() > 1 ? "every policy" : "the roster") << "\n";
  }
  std::cout << "results file: "
            << output_size_note(*size, output_request(vm, run, study), limits, study.policies.size()) << "\n";
  if (!analyse) {
    std::cout << "capacity: not checked: " << s.run_intervals() << " intervals with this many agents, skills"
              << (s.announcement.measure ? ", waiting callers" : "") << " and types are about "
              << std::setprecision(2) << work << " steps of work, beyond validate's "
              << model::kAnalysisBudget
              << " (`ccsim run` still warns of types that no staffed agent can serve)\n";
    return kOk;
  }
  for (const auto& w : model::unstaffed_skills(*m, s)) std::cout << "warning: " << w << "\n";
  int overloaded = 0;
  std::cout << "capacity (max-flow of offered agent-hours over the skills to available agent-hours):\n";
  for (const auto& c : model::capacity_check(*m)) {
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

}  // namespace ccsim::cli
