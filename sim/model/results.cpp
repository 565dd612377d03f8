#include "model/results.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "model/runner.hpp"

namespace ccsim::model {

Fraction pooled_fraction(const ReplicationResult& rep, Measure m, int interval,
                         scenario::ServiceLevelDefinition sl) {
  if (is_cost(m))
    return fraction(interval < 0 ? rep.costs_by_day : rep.costs_by_interval[static_cast<std::size_t>(interval)],
                    m);
  if (m == Measure::occupancy) {
    const std::size_t groups = rep.agents_by_day.size();
    AgentTime all;
    for (std::size_t g = 0; g < groups; ++g)
      all.add(interval < 0 ? rep.agents_by_day[g]
                           : rep.agents_by_interval[static_cast<std::size_t>(interval) * groups + g]);
    return fraction(all);
  }
  const auto series = static_cast<std::size_t>(rep.series);
  const ContactCell& pooled =  // "all", or the single type
      interval < 0 ? rep.contacts_by_day.back()
                   : rep.contacts_by_interval[static_cast<std::size_t>(interval) * series + series - 1];
  return fraction(pooled.counts, m, sl);
}

Measure comparable_measure(const std::string& name) {
  const MeasureInfo* m = find_measure(name);
  if (!m || m->pooling == Pooling::percentile)
    throw InputError("unknown measure '" + name + "' (expected one of " + measure_names(true) +
                     ", or a count such as offered; percentiles are pooled from the waits and only shown "
                     "in the summary)");
  return m->measure;
}

Fraction day_fraction(const ReplicationResult& rep, const std::string& measure,
                      scenario::ServiceLevelDefinition sl) {
  return pooled_fraction(rep, comparable_measure(measure), -1, sl);
}

double day_value(const ReplicationResult& rep, const std::string& measure,
                 scenario::ServiceLevelDefinition sl) {
  return day_fraction(rep, measure, sl).value();
}

void Results::for_each_replication(const std::function<void(int, const ReplicationResult&)>& f) const {
  if (rows_streamed) throw std::logic_error("for_each_replication: the replications went to the sink");
  if (spool) {
    spool->for_each(f);
    return;
  }
  for (std::size_t i = 0; i < by_replication.size(); ++i) f(static_cast<int>(i), by_replication[i]);
}

std::vector<std::vector<StartPlan>> compile_start_states(const scenario::Study& study,
                                                         const std::vector<Model>& models,
                                                         const RunOptions& options,
                                                         std::vector<std::string>* warnings) {
  std::vector<std::vector<StartPlan>> plans;
  if (options.start_states.empty()) return plans;
  const std::size_t n = options.start_states.size();
  const int needed = options.until_measure.empty() ? options.replications : options.max_replications;
  if (n > 1 && n < static_cast<std::size_t>(needed))
    throw InputError(options.start_states.front().where + ": the file holds " + std::to_string(n) +
                     " states, one per replication, but the run has up to " + std::to_string(needed) +
                     " replications (give as many states, or one for every replication)");
  for (std::size_t p = 0; p < models.size(); ++p) {
    const std::string where = models.size() > 1 ? "policy '" + study.names[p] + "': " : "";
    plans.push_back(model::compile_start_states(options.start_states, models[p], where));
    if (warnings)
      for (const auto& plan : plans.back()) warnings->insert(warnings->end(), plan.warnings.begin(), plan.warnings.end());
  }
  return plans;
}

StudyRun start_study(const scenario::Study& study, const RunOptions& options) {
  StudyRun run;
  run.started = std::chrono::steady_clock::now();
  run.results.resize(study.policies.size());
  for (std::size_t p = 0; p < study.policies.size(); ++p) {
    run.models.push_back(build_model(study.policies[p]));
    run.results[p].seed = options.seed;
    for (const auto& t : study.policies[p].contact_types) run.results[p].series_names.push_back(t.name);
    if (run.models.back().types > 1) run.results[p].series_names.push_back("all");
  }
  run.plans = compile_start_states(study, run.models, options, nullptr);
  if (!std::isnan(options.save_state_at) && !options.start_states.empty() &&
      options.save_state_at < options.start_states.front().time_s)
    throw InputError("command line: --save-state " + options.save_state_text +
                     ": before the start state's time (" + options.start_states.front().time_text + ")");
  return run;
}

void finish_study(const scenario::Study& study, StudyRun& run, int n) {
  for (std::size_t p = 0; p < run.results.size(); ++p) {
    run.results[p].replications = n;
    summarise(study.policies[p], run.models[p], run.results[p]);
    run.results[p].wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - run.started).count();
  }
}

int first_round(const RunOptions& o) {
  return std::min(std::max(o.replications, 2), o.max_replications);
}

bool precision_met(const UntilMeasure& until, const RunOptions& o) {
  bool met = true;
  for (const auto& a : until.by_policy) met &= a.ratio_of_totals().half_width <= o.until_half_width;
  return met;
}

int next_round(int n, const RunOptions& o) {
  return std::min(n * 2, o.max_replications);
}

std::vector<Results> run_study(const scenario::Study& study, const RunOptions& options) {
  StudyRun run = start_study(study, options);
  const int policies = static_cast<int>(run.models.size());
  int n = options.replications;
  if (!options.until_measure.empty()) {
    UntilMeasure until{comparable_measure(options.until_measure),
                       std::vector<analysis::RatioAccumulator>(run.models.size())};
    // Add replications (doubling) until every policy's 95% half-width of the day measure is met, or the
    // maximum is reached. Replication r is the same whatever the batch, so this equals a fixed run of n.
    n = first_round(options);
    int ran = 0;
    for (;;) {
      simulate(study, run.models, run.results, ran, n, options, options.max_replications * policies, &until,
               run.plans);
      ran = n;
      const bool met = precision_met(until, options);
      if (met || n >= options.max_replications) {
        for (auto& r : run.results) r.precision_met = met;
        break;
      }
      n = next_round(n, options);
    }
  } else {
    simulate(study, run.models, run.results, 0, n, options, n * policies, nullptr, run.plans);
  }
  finish_study(study, run, n);
  return std::move(run.results);
}

Results run(const scenario::Scenario& s, const RunOptions& options) {
  scenario::Study study;
  study.policies.push_back(s);
  study.names.push_back("base");
  return std::move(run_study(study, options).front());
}

}  // namespace ccsim::model
