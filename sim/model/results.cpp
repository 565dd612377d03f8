#include "model/results.hpp"

#include <atomic>
#include <cmath>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

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

Results run(const scenario::Scenario& s, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const Model m = build_model(s);
  Results r;
  r.seed = options.seed;
  r.replications = options.replications;
  for (const auto& t : s.contact_types) r.series_names.push_back(t.name);
  if (m.types > 1) r.series_names.push_back("all");
  const auto series = static_cast<int>(r.series_names.size());

  // Replications are handed out one at a time; each lands in its own slot, so the result (and its order)
  // is the same for any number of threads.
  r.by_replication.resize(static_cast<std::size_t>(options.replications));
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, options.replications));
  std::atomic<int> next{0}, done{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      Replication rep(m);
      for (int i = next++; i < options.replications; i = next++) {
        r.by_replication[static_cast<std::size_t>(i)] = rep.run(options.seed, static_cast<std::uint32_t>(i));
        int d = ++done;
        if (options.progress) options.progress(d, options.replications);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = options.replications;
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

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

  std::vector<double> values(static_cast<std::size_t>(options.replications));
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
    row.estimate = summarise([&](const ReplicationResult& rep) { return rep.agents_by_day[static_cast<std::size_t>(g)].occupancy(); });
    r.occupancy_by_day.push_back(row);
  }
  r.head_count = m.agents;
  for (int g = 0; g < groups; ++g) {
    const auto gi = static_cast<std::size_t>(g);
    GroupDayRow row;
    row.group = g;
    row.staffed_hours = summarise([&](const ReplicationResult& rep) { return rep.agents_by_day[gi].staffed_s / 3600.0; });
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
    row.answered = summarise([&](const ReplicationResult& rep) { return static_cast<double>(cell(rep).answered); });
    row.aht = summarise([&](const ReplicationResult& rep) {
      const ServedCount& c = cell(rep);
      return c.answered > 0 ? c.handle_s / static_cast<double>(c.answered) : NAN;
    });
    return row;
  };
  for (int k = 0; k < m.intervals; ++k)
    for (int e = 0; e < edges; ++e)
      r.served_by_interval.push_back(served_row(k, e, [&](const ReplicationResult& rep) -> const ServedCount& {
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
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace ccsim::model
