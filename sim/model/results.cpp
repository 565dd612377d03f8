#include "model/results.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "common/error.hpp"
#include "model/replication.hpp"

namespace ccsim::model {

analysis::QueueInput erlang_a_input(const Model& m, int interval) {
  const std::vector<double> offered = offered_rates(m, interval);
  const std::vector<GroupCapacity> capacity = planned_capacity(m, interval);
  double rate = 0.0, handle = 0.0, patience_rate = 0.0;
  for (int t = 0; t < m.types; ++t) {
    const double r = offered[static_cast<std::size_t>(t)];
    rate += r;
    handle += r * effective_handle(m, capacity, t, interval);
    const auto& p = m.patience[static_cast<std::size_t>(t)];
    patience_rate += p.is_finite() ? r / p.mean() : 0.0;
  }
  analysis::QueueInput q;
  q.arrival_rate = rate;
  q.service_rate = rate > 0.0 ? rate / handle : 1.0 / m.handle_time[0].mean();
  q.patience_rate = rate > 0.0 ? patience_rate / rate : 0.0;
  // Erlang needs whole servers: the planned average available in the interval (a chat-only agent counts as
  // its concurrency), less what interruptions take of the idle time expected at this load, rounded down.
  double servers = 0.0, interrupted = 0.0;
  for (const GroupCapacity& c : capacity) servers += c.agents * c.servers_per_agent;
  const double load = rate > 0.0 ? handle : 0.0;  // handle is rate-weighted: sum of rate x handle
  const double idle_share = servers > 0.0 ? std::max(0.0, 1.0 - load / servers) : 0.0;
  for (const GroupCapacity& c : capacity)
    interrupted +=
        c.agents * c.servers_per_agent * idle_share * c.interrupted_per_idle / (1.0 + c.interrupted_per_idle);
  q.agents = static_cast<int>(std::floor(servers - interrupted + 1e-9));
  q.tau = m.tau_s;
  return q;
}

namespace {

// Moves a replication's wait histograms into the pooled ones of its policy.
void pool_waits(ReplicationResult& one, Results& into) {
  if (into.waits_by_interval.size() < one.contacts_by_interval.size())
    into.waits_by_interval.resize(one.contacts_by_interval.size());
  if (into.waits_by_day.size() < one.contacts_by_day.size())
    into.waits_by_day.resize(one.contacts_by_day.size());
  for (std::size_t i = 0; i < one.contacts_by_interval.size(); ++i) {
    into.waits_by_interval[i].add(one.contacts_by_interval[i].waits);
    one.contacts_by_interval[i].waits = WaitHistogram{};
  }
  for (std::size_t i = 0; i < one.contacts_by_day.size(); ++i) {
    into.waits_by_day[i].add(one.contacts_by_day[i].waits);
    one.contacts_by_day[i].waits = WaitHistogram{};
  }
}

// Plays replications [from, to) of every policy. Tasks (policy, replication) are handed out one at a
// time and each lands in its own slot, so results do not depend on the number of threads.
void simulate(const std::vector<Model>& models, std::vector<Results>& results, int from, int to,
              const RunOptions& o, int total_for_progress) {
  const int policies = static_cast<int>(models.size());
  const int tasks = (to - from) * policies;
  for (auto& r : results) r.by_replication.resize(static_cast<std::size_t>(to));
  int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, tasks));
  std::atomic<int> next{0}, done{from * policies};
  std::exception_ptr failure;
  std::mutex failure_mutex, pool_mutex;
  auto worker = [&] {
    try {
      std::vector<std::unique_ptr<Replication>> reps(models.size());  // storage reused per policy
      for (int task = next++; task < tasks; task = next++) {
        if (o.cancel && o.cancel->load()) throw Interrupted("interrupted: no results written");
        // Replication-major order: all policies of replication r before r + 1.
        const int p = task % policies, i = from + task / policies;
        auto& rep = reps[static_cast<std::size_t>(p)];
        if (!rep)
          rep = std::make_unique<Replication>(models[static_cast<std::size_t>(p)], o.check_invariants);
        Results& into = results[static_cast<std::size_t>(p)];
        ReplicationResult one = rep->run(o.seed, static_cast<std::uint32_t>(i));
        {
          // Bin counts are integers, so the pooled histograms do not depend on the order replications
          // finish in: results stay identical for any number of threads.
          std::lock_guard lock(pool_mutex);
          pool_waits(one, into);
        }
        into.by_replication[static_cast<std::size_t>(i)] = std::move(one);
        int d = ++done;
        if (o.progress) o.progress(d, total_for_progress);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = tasks;
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

Fraction pooled_fraction(const ReplicationResult& rep, Measure m, int interval,
                         scenario::ServiceLevelDefinition sl) {
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
  int n = options.replications;
  if (!options.until_measure.empty()) {
    const Measure until = comparable_measure(options.until_measure);
    // Add replications (doubling) until every policy's 95% half-width of the day measure is met, or the
    // maximum is reached. Replication r is the same whatever the batch, so this equals a fixed run of n.
    n = std::min(std::max(n, 2), options.max_replications);
    int ran = 0;
    for (;;) {
      simulate(models, results, ran, n, options, options.max_replications * static_cast<int>(models.size()));
      ran = n;
      bool met = true;
      for (std::size_t p = 0; p < results.size(); ++p) {
        std::vector<double> y, x;
        for (const auto& rep : results[p].by_replication) {
          const Fraction f = pooled_fraction(rep, until, -1, study.policies[p].sl_definition);
          y.push_back(f.numerator);
          x.push_back(f.denominator);
        }
        met &= analysis::ratio_of_totals(y, x).half_width <= options.until_half_width;
      }
      if (met || n >= options.max_replications) {
        for (auto& r : results) r.precision_met = met;
        break;
      }
      n = std::min(n * 2, options.max_replications);
    }
  } else {
    simulate(models, results, 0, n, options, n * static_cast<int>(models.size()));
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
