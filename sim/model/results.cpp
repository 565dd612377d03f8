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

std::vector<Results> run_study(const scenario::Study& study, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Model> models;
  std::vector<Results> results(study.policies.size());
  for (std::size_t p = 0; p < study.policies.size(); ++p) {
    models.push_back(build_model(study.policies[p]));
    results[p].seed = options.seed;
    for (const auto& t : study.policies[p].contact_types) results[p].series_names.push_back(t.name);
    if (models.back().types > 1) results[p].series_names.push_back("all");
  }
  const std::vector<std::vector<StartPlan>> plans = compile_start_states(study, models, options, nullptr);
  if (!std::isnan(options.save_state_at) && !options.start_states.empty() &&
      options.save_state_at < options.start_states.front().time_s)
    throw InputError("command line: --save-state " + options.save_state_text +
                     ": before the start state's time (" + options.start_states.front().time_text + ")");
  int n = options.replications;
  if (!options.until_measure.empty()) {
    UntilMeasure until{comparable_measure(options.until_measure),
                       std::vector<analysis::RatioAccumulator>(models.size())};
    // Add replications (doubling) until every policy's 95% half-width of the day measure is met, or the
    // maximum is reached. Replication r is the same whatever the batch, so this equals a fixed run of n.
    n = std::min(std::max(n, 2), options.max_replications);
    int ran = 0;
    for (;;) {
      simulate(study, models, results, ran, n, options,
               options.max_replications * static_cast<int>(models.size()), &until, plans);
      ran = n;
      bool met = true;
      for (const auto& a : until.by_policy) met &= a.ratio_of_totals().half_width <= options.until_half_width;
      if (met || n >= options.max_replications) {
        for (auto& r : results) r.precision_met = met;
        break;
      }
      n = std::min(n * 2, options.max_replications);
    }
  } else {
    simulate(study, models, results, 0, n, options, n * static_cast<int>(models.size()), nullptr, plans);
  }
  for (std::size_t p = 0; p < results.size(); ++p) {
    results[p].replications = n;
    summarise(study.policies[p], models[p], results[p]);
    results[p].wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  return results;
}

Results run(const scenario::Scenario& s, const RunOptions& options) {
  scenario::Study study;
  study.policies.push_back(s);
  study.names.push_back("base");
  return std::move(run_study(study, options).front());
}

}  // namespace ccsim::model
