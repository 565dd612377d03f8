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
  double rate = 0.0, handle = 0.0, patience_rate = 0.0;
  for (int t = 0; t < m.types; ++t) {
    const double r = offered[static_cast<std::size_t>(t)];
    rate += r;
    handle += r * m.mean_handle_at(t, interval);
    const auto& p = m.patience[static_cast<std::size_t>(t)];
    patience_rate += p.is_finite() ? r / p.mean() : 0.0;
  }
  analysis::QueueInput q;
  q.arrival_rate = rate;
  q.service_rate = rate > 0.0 ? rate / handle : 1.0 / m.handle_time[0].mean();
  q.patience_rate = rate > 0.0 ? patience_rate / rate : 0.0;
  // Erlang needs whole agents: the planned average available in the interval, rounded down.
  double planned = 0.0;
  for (double a : planned_agents(m, interval)) planned += a;
  q.agents = static_cast<int>(std::floor(planned + 1e-9));
  q.tau = m.tau_s;
  return q;
}

namespace {

struct ErlangView {
  analysis::QueueMeasures at_tau;
  double p_abandon_short = 0.0;  // P(abandon within the short-abandon threshold)
  double offered = 0.0;          // expected contacts in the interval
  double aht = 0.0;
};

double erlang_value(const ErlangView& v, Measure m, scenario::ServiceLevelDefinition sl) {
  const auto& q = v.at_tau;
  if (!q.stable && m != Measure::offered && m != Measure::aht) return NAN;
  switch (m) {
    case Measure::offered:
      return v.offered;
    case Measure::answered:
      return v.offered * (1.0 - q.p_abandon);
    case Measure::abandoned:
      return v.offered * q.p_abandon;
    case Measure::short_abandoned:
      return v.offered * v.p_abandon_short;
    case Measure::service_level:
      switch (sl) {
        case scenario::ServiceLevelDefinition::offered:
          return q.service_level;
        case scenario::ServiceLevelDefinition::offered_minus_short_abandons:
          return q.service_level / (1.0 - v.p_abandon_short);
        case scenario::ServiceLevelDefinition::answered:
          return q.service_level / (1.0 - q.p_abandon);
        case scenario::ServiceLevelDefinition::answered_plus_late_abandons:
          return q.service_level / (1.0 - q.p_abandon_within_tau);
      }
      return NAN;
    case Measure::asa:
      return q.asa;
    case Measure::mean_wait:
      return q.mean_wait;
    case Measure::abandon_rate:
      return q.p_abandon;
    case Measure::aht:
      return v.aht;
    default:
      return NAN;
  }
}

}  // namespace

namespace {

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
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      std::vector<std::unique_ptr<Replication>> reps(models.size());  // storage reused per policy
      for (int task = next++; task < tasks; task = next++) {
        if (o.cancel && o.cancel->load()) throw Interrupted("interrupted: no results written");
        // Replication-major order: all policies of replication r before r + 1.
        const int p = task % policies, i = from + task / policies;
        auto& rep = reps[static_cast<std::size_t>(p)];
        if (!rep) rep = std::make_unique<Replication>(models[static_cast<std::size_t>(p)], o.check_invariants);
        results[static_cast<std::size_t>(p)].by_replication[static_cast<std::size_t>(i)] =
            rep->run(o.seed, static_cast<std::uint32_t>(i));
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

void summarise(const scenario::Scenario& s, const Model& m, Results& r);

}  // namespace

double day_value(const ReplicationResult& rep, const std::string& measure,
                 scenario::ServiceLevelDefinition sl) {
  const ContactCell& pooled = rep.contacts_by_day.back();  // "all", or the single type
  if (measure == "sl" || measure == "service_level") return value(pooled, Measure::service_level, sl);
  if (measure == "asa") return value(pooled, Measure::asa, sl);
  if (measure == "abandon" || measure == "abandon_rate") return value(pooled, Measure::abandon_rate, sl);
  if (measure == "mean_wait" || measure == "wait") return value(pooled, Measure::mean_wait, sl);
  if (measure == "occupancy") {
    AgentTime all;
    for (const auto& g : rep.agents_by_day) all.add(g);
    return all.occupancy();
  }
  throw InputError("unknown measure '" + measure + "' (expected sl, asa, abandon, mean_wait or occupancy)");
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
    // Add replications (doubling) until every policy's 95% half-width of the day measure is met, or the
    // maximum is reached. Replication r is the same whatever the batch, so this equals a fixed run of n.
    n = std::min(std::max(n, 2), options.max_replications);
    int ran = 0;
    for (;;) {
      simulate(models, results, ran, n, options, options.max_replications * static_cast<int>(models.size()));
      ran = n;
      bool met = true;
      for (std::size_t p = 0; p < results.size(); ++p) {
        std::vector<double> v;
        for (const auto& rep : results[p].by_replication)
          v.push_back(day_value(rep, options.until_measure, study.policies[p].sl_definition));
        met &= analysis::estimate(v).half_width <= options.until_half_width;
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

namespace {

void summarise(const scenario::Scenario& s, const Model& m, Results& r) {
  const auto series = static_cast<int>(r.series_names.size());
  // Stationary Erlang A per interval, and its day value weighted as the day measure weights it.
  std::vector<ErlangView> views;
  for (int k = 0; k < m.intervals; ++k) {
    ErlangView v;
    analysis::QueueInput q = erlang_a_input(m, k);
    v.at_tau = analysis::queue_measures(q);
    q.tau = s.short_abandon_s;
    v.p_abandon_short = q.patience_rate > 0.0 ? analysis::queue_measures(q).p_abandon_within_tau : 0.0;
    v.offered = q.arrival_rate * m.interval_s;
    v.aht = 1.0 / q.service_rate;
    views.push_back(v);
    r.erlang_a_by_interval.push_back(v.at_tau);
  }
  auto day_erlang = [&](Measure measure) {
    double num = 0.0, den = 0.0;
    for (int k = m.warmup_intervals; k < m.intervals; ++k) {
      const auto& v = views[static_cast<std::size_t>(k)];
      double x = erlang_value(v, measure, s.sl_definition);
      if (measure == Measure::offered || measure == Measure::answered || measure == Measure::abandoned ||
          measure == Measure::short_abandoned) {
        num += x;
        den = 1.0;
        continue;
      }
      double w = measure == Measure::asa || measure == Measure::aht ? v.offered * (1.0 - v.at_tau.p_abandon)
                                                                    : v.offered;
      num += w * x;
      den += w;
    }
    return den > 0.0 ? num / den : NAN;
  };

  std::vector<double> values(r.by_replication.size());
  auto summarise = [&](auto&& get) {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = get(r.by_replication[i]);
    return analysis::estimate(values);
  };
  for (int k = 0; k < m.intervals; ++k)
    for (int si = 0; si < series; ++si)
      for (Measure measure : kContactMeasures) {
        SummaryRow row{k, si, measure, {}, NAN};
        row.estimate = summarise([&](const ReplicationResult& rep) {
          return value(rep.contacts_by_interval[static_cast<std::size_t>(k * series + si)], measure,
                       s.sl_definition);
        });
        if (si == series - 1)  // Erlang A speaks of the pooled load only
          row.erlang_a = erlang_value(views[static_cast<std::size_t>(k)], measure, s.sl_definition);
        r.contacts_by_interval.push_back(row);
      }
  for (int si = 0; si < series; ++si)
    for (Measure measure : kContactMeasures) {
      SummaryRow row{-1, si, measure, {}, NAN};
      row.estimate = summarise([&](const ReplicationResult& rep) {
        return value(rep.contacts_by_day[static_cast<std::size_t>(si)], measure, s.sl_definition);
      });
      if (si == series - 1) row.erlang_a = day_erlang(measure);
      r.contacts_by_day.push_back(row);
    }
  const int groups = m.groups;
  const bool pooled_erlang = groups == 1;  // Erlang A speaks of one pool only
  for (int k = 0; k < m.intervals; ++k)
    for (int g = 0; g < groups; ++g) {
      OccupancyRow row{k, g, {}, pooled_erlang ? views[static_cast<std::size_t>(k)].at_tau.occupancy : NAN};
      row.estimate = summarise([&](const ReplicationResult& rep) {
        return rep.agents_by_interval[static_cast<std::size_t>(k * groups + g)].occupancy();
      });
      r.occupancy_by_interval.push_back(row);
    }
  for (int g = 0; g < groups; ++g) {
    double busy = 0.0, staffed = 0.0;
    for (int k = m.warmup_intervals; k < m.intervals; ++k) {
      const double agents = erlang_a_input(m, k).agents;
      busy += views[static_cast<std::size_t>(k)].at_tau.occupancy * agents;
      staffed += agents;
    }
    OccupancyRow row{-1, g, {}, pooled_erlang && staffed > 0.0 ? busy / staffed : NAN};
    row.estimate = summarise([&](const ReplicationResult& rep) {
      return rep.agents_by_day[static_cast<std::size_t>(g)].occupancy();
    });
    r.occupancy_by_day.push_back(row);
  }
  for (int d = 0; d < m.days; ++d) {
    for (int si = 0; si < series; ++si)
      for (Measure measure : kContactMeasures) {
        if (measure == Measure::wait_p50 || measure == Measure::wait_p80 || measure == Measure::wait_p90 ||
            measure == Measure::wait_p95)
          continue;
        SummaryRow row{d, si, measure, {}, NAN};
        row.estimate = summarise([&](const ReplicationResult& rep) {
          return value(rep.contacts_per_day[static_cast<std::size_t>(d * series + si)], measure,
                       s.sl_definition);
        });
        r.contacts_per_day.push_back(row);
      }
    for (int g = 0; g < groups; ++g) {
      OccupancyRow row{d, g, {}, NAN};
      row.estimate = summarise([&](const ReplicationResult& rep) {
        return rep.agents_per_day[static_cast<std::size_t>(d * groups + g)].occupancy();
      });
      r.occupancy_per_day.push_back(row);
    }
  }
  if (m.announcement.measure) {
    // Per series (types, then all types pooled when several), per predictor.
    const auto types = static_cast<std::size_t>(m.types);
    auto pooled = [&](const std::vector<PredictionStats>& v, std::size_t base, int si, int p) {
      PredictionStats st;
      if (si < m.types)
        return v[base + static_cast<std::size_t>(si) * kPredictors + static_cast<std::size_t>(p)];
      for (std::size_t t = 0; t < types; ++t) st.add(v[base + t * kPredictors + static_cast<std::size_t>(p)]);
      return st;
    };
    auto row_of = [&](int interval, int si, int p, auto&& stats_of) {
      PredictionRow row{interval, si, p, {}, {}, {}, {}};
      row.bias_s = summarise([&](const ReplicationResult& rep) { return stats_of(rep).bias(); });
      row.rmse_s = summarise([&](const ReplicationResult& rep) { return stats_of(rep).rmse(); });
      row.relative_error =
          summarise([&](const ReplicationResult& rep) { return stats_of(rep).relative_error(); });
      row.share_longer =
          summarise([&](const ReplicationResult& rep) { return stats_of(rep).share_longer(); });
      return row;
    };
    for (int si = 0; si < series; ++si)
      for (int p = 0; p < kPredictors; ++p) {
        r.predictions_by_day.push_back(row_of(-1, si, p, [&](const ReplicationResult& rep) {
          return pooled(rep.predictions_by_day, 0, si, p);
        }));
        for (int k = 0; k < m.intervals; ++k)
          r.predictions_by_interval.push_back(row_of(k, si, p, [&](const ReplicationResult& rep) {
            return pooled(rep.predictions_by_interval, static_cast<std::size_t>(k) * types * kPredictors, si,
                          p);
          }));
      }
  }
  r.head_count = m.agents;
  for (int g = 0; g < groups; ++g) {
    const auto gi = static_cast<std::size_t>(g);
    GroupDayRow row;
    row.group = g;
    row.staffed_hours =
        summarise([&](const ReplicationResult& rep) { return rep.agents_by_day[gi].staffed_s / 3600.0; });
    row.occupancy = r.occupancy_by_day[gi].estimate;
    row.interrupted_share = summarise([&](const ReplicationResult& rep) {
      const AgentTime& t = rep.agents_by_day[gi];
      return t.staffed_s > 0.0 ? t.interrupted_s / t.staffed_s : NAN;
    });
    row.late_break_share = summarise([&](const ReplicationResult& rep) {
      const BreakStats& b = rep.breaks_by_day[gi];
      return b.taken > 0 ? static_cast<double>(b.late) / static_cast<double>(b.taken) : NAN;
    });
    row.break_delay_s = summarise([&](const ReplicationResult& rep) {
      const BreakStats& b = rep.breaks_by_day[gi];
      return b.taken > 0 ? b.delay_s / static_cast<double>(b.taken) : NAN;
    });
    r.groups_by_day.push_back(row);
  }
  const int edges = static_cast<int>(m.skills.size());
  auto served_row = [&](int interval, int e, auto&& cell) {
    ServedRow row{interval, e, {}, {}};
    row.answered =
        summarise([&](const ReplicationResult& rep) { return static_cast<double>(cell(rep).answered); });
    row.aht = summarise([&](const ReplicationResult& rep) {
      const ServedCount& c = cell(rep);
      return c.answered > 0 ? c.handle_s / static_cast<double>(c.answered) : NAN;
    });
    return row;
  };
  for (int k = 0; k < m.intervals; ++k)
    for (int e = 0; e < edges; ++e)
      r.served_by_interval.push_back(
          served_row(k, e, [&](const ReplicationResult& rep) -> const ServedCount& {
            return rep.served_by_interval[static_cast<std::size_t>(k * edges + e)];
          }));
  for (int e = 0; e < edges; ++e)
    r.served_by_day.push_back(served_row(-1, e, [&](const ReplicationResult& rep) -> const ServedCount& {
      return rep.served_by_day[static_cast<std::size_t>(e)];
    }));
  for (int e = 0; e < m.transfer_edges; ++e) {
    TransferRow row{-1, e, {}};
    row.transferred = summarise([&](const ReplicationResult& rep) {
      return static_cast<double>(rep.transfers_by_day[static_cast<std::size_t>(e)]);
    });
    r.transfers_by_day.push_back(row);
  }
  for (const auto& rep : r.by_replication) r.events += rep.events;
}

}  // namespace

}  // namespace ccsim::model
