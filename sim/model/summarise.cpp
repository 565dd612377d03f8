// Summary rows from a study's replications: every ratio measure by the ratio of totals over replications
// (the default, with its delta-method interval) and by the mean of each replication's own ratio.
//
// Memory is O(cells), not O(replications x cells): one walk over the summary's cells (`walk`) runs once per
// replication as it finishes, in replication order, adding each cell's numerator and denominator to a
// running accumulator (accumulate), and once at the end, reading the estimates from the accumulators in
// the same order (summarise). The walk visits cells in an order fixed by the model alone, so the k-th
// accumulator is always the same cell.
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>

#include "model/results.hpp"

namespace ccsim::model {
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

// Both estimators of a measure from each replication's numerator and denominator.
struct Pooled {
  analysis::Estimate estimate, of_days;
};

// While replications finish: adds this replication's fraction of each cell to the cell's accumulator.
struct Adder {
  static constexpr bool kRows = false;
  const ReplicationResult& rep;
  std::vector<analysis::RatioAccumulator>& cells;
  std::size_t next = 0;
  template <class F>
  Pooled operator()(F&& fraction_of) {
    if (next == cells.size()) cells.emplace_back();
    const Fraction f = fraction_of(rep);
    cells[next++].add(f.numerator, f.denominator);
    return {};
  }
};

// At the end: each cell's estimates from its accumulator.
struct Reader {
  static constexpr bool kRows = true;
  const std::vector<analysis::RatioAccumulator>& cells;
  std::size_t next = 0;
  template <class F>
  Pooled operator()(F&&) {
    if (next >= cells.size()) {  // no replication was accumulated
      ++next;
      return {analysis::RatioAccumulator{}.ratio_of_totals(), analysis::RatioAccumulator{}.mean_of_values()};
    }
    const analysis::RatioAccumulator& a = cells[next++];
    return {a.ratio_of_totals(), a.mean_of_values()};
  }
};

double share_of(Measure m) {
  switch (m) {
    case Measure::wait_p50:
      return 0.50;
    case Measure::wait_p80:
      return 0.80;
    case Measure::wait_p90:
      return 0.90;
    default:
      return 0.95;
  }
}

// A contact measure of one cell; `pooled_waits` (all replications' waits of the cell) gives percentiles.
template <class P, class Cell>
SummaryRow contact_row(int interval, int series, Measure m, P& pool, Cell&& cell_of,
                       const WaitHistogram* pooled_waits, scenario::ServiceLevelDefinition sl,
                       std::size_t replications) {
  SummaryRow row{interval, series, m, {}, NAN, {}};
  if (info(m).pooling == Pooling::percentile) {
    row.of_days = pool([&](const ReplicationResult& rep) {
                    return Fraction{value(cell_of(rep), m, sl), 1.0};
                  }).of_days;
    // One pooled sample has no replication-to-replication spread to give an interval from.
    row.estimate = {pooled_waits ? pooled_waits->percentile(share_of(m)) : NAN, NAN, replications};
    return row;
  }
  const Pooled p = pool([&](const ReplicationResult& rep) { return fraction(cell_of(rep).counts, m, sl); });
  row.estimate = p.estimate;
  row.of_days = p.of_days;
  return row;
}

template <class P>
OccupancyRow occupancy_row(int interval, int group, P& pool, auto&& time_of) {
  const Pooled p = pool([&](const ReplicationResult& rep) { return fraction(time_of(rep)); });
  return {interval, group, p.estimate, NAN, p.of_days};
}

template <class P>
analysis::Estimate ratio(P& pool, auto&& fraction_of) {
  return pool(fraction_of).estimate;
}

constexpr std::size_t kContactCount = std::size(kContactMeasures);
constexpr std::size_t kCostCount = std::size(kCostMeasures);

// The summary's largest row tables at their final size (grown by doubling, they were copied and touched
// twice).
void reserve_rows(const Model& m, int series, Results& r) {
  const auto intervals = static_cast<std::size_t>(m.intervals), days = static_cast<std::size_t>(m.days);
  const auto per_interval = static_cast<std::size_t>(series) * kContactCount;
  r.contacts_by_interval.reserve(intervals * per_interval);
  r.contacts_per_day.reserve(days * per_interval);
  r.occupancy_by_interval.reserve(intervals * static_cast<std::size_t>(m.groups));
  r.occupancy_all_by_interval.reserve(intervals);
  r.costs_by_interval.reserve(intervals * kCostCount);
  r.served_by_interval.reserve(intervals * m.skills.size());
}

// At least as many cells as a walk visits: reserved for the first replication's accumulators, so they
// grow in place (memory reserved and never written costs no page).
std::size_t cells_bound(const Model& m, int series) {
  const auto s = static_cast<std::size_t>(series), groups = static_cast<std::size_t>(m.groups);
  const std::size_t per_interval = s * kContactCount + groups + 1 + kCostCount + 2 * m.skills.size() +
                                   (m.announcement.measure ? 4 * s * kPredictors : 0);
  return (static_cast<std::size_t>(m.intervals) + static_cast<std::size_t>(m.days) + 1) * per_interval +
         4 * groups + static_cast<std::size_t>(m.transfer_edges);
}

// Every summary cell, in an order fixed by the model: rows go to `r` (their Erlang references are added
// afterwards, by add_erlang), each cell's estimates come from `pool`.
//
// The adder's walk (P::kRows false) keeps no rows: its pool calls are all it is for. Building the rows and
// dropping them was a third of W1's page faults.
template <class P>
void walk(P& pool, const scenario::Scenario& s, const Model& m, Results& r) {
  const auto series = static_cast<int>(r.series_names.size());
  const auto sl = s.sl_definition;
  const auto n = static_cast<std::size_t>(r.replications_accumulated);
  auto put = [](auto& rows, auto&& row) {
    if constexpr (P::kRows) rows.push_back(std::forward<decltype(row)>(row));
  };
  // The pooled waits give the percentile rows only.
  auto waits_of = [](std::vector<WaitHistogram>& w, std::size_t cell) -> const WaitHistogram* {
    if constexpr (P::kRows) return &w[cell];
    return nullptr;
  };
  if constexpr (P::kRows) {
    r.waits_by_interval.resize(static_cast<std::size_t>(m.intervals * series));
    r.waits_by_day.resize(static_cast<std::size_t>(series));
    reserve_rows(m, series, r);
  }
  for (int k = 0; k < m.intervals; ++k)
    for (int si = 0; si < series; ++si)
      for (Measure measure : kContactMeasures) {
        const auto cell = static_cast<std::size_t>(k * series + si);
        put(r.contacts_by_interval, contact_row(
                                        k, si, measure, pool,
                                        [&](const ReplicationResult& rep) -> const ContactCell& {
                                          return rep.contacts_by_interval[cell];
                                        },
                                        waits_of(r.waits_by_interval, cell), sl, n));
      }
  for (int si = 0; si < series; ++si)
    for (Measure measure : kContactMeasures) {
      const auto cell = static_cast<std::size_t>(si);
      put(r.contacts_by_day,
          contact_row(
              -1, si, measure, pool,
              [&](const ReplicationResult& rep) -> const ContactCell& { return rep.contacts_by_day[cell]; },
              waits_of(r.waits_by_day, cell), sl, n));
    }
  const int groups = m.groups;
  for (int k = 0; k < m.intervals; ++k) {
    for (int g = 0; g < groups; ++g)
      put(r.occupancy_by_interval, occupancy_row(k, g, pool, [&](const ReplicationResult& rep) {
            return rep.agents_by_interval[static_cast<std::size_t>(k * groups + g)];
          }));
    const Pooled all =
        pool([&](const ReplicationResult& rep) { return pooled_fraction(rep, Measure::occupancy, k, sl); });
    put(r.occupancy_all_by_interval, OccupancyRow{k, -1, all.estimate, NAN, all.of_days});
  }
  for (int g = 0; g < groups; ++g)
    put(r.occupancy_by_day, occupancy_row(-1, g, pool, [&](const ReplicationResult& rep) {
          return rep.agents_by_day[static_cast<std::size_t>(g)];
        }));
  {
    const Pooled all =
        pool([&](const ReplicationResult& rep) { return pooled_fraction(rep, Measure::occupancy, -1, sl); });
    put(r.occupancy_all_by_day, OccupancyRow{-1, -1, all.estimate, NAN, all.of_days});
  }
  for (int d = 0; d < m.days; ++d) {
    for (int si = 0; si < series; ++si)
      for (Measure measure : kContactMeasures) {
        if (info(measure).pooling == Pooling::percentile) continue;
        const auto cell = static_cast<std::size_t>(d * series + si);
        put(r.contacts_per_day, contact_row(
                                    d, si, measure, pool,
                                    [&](const ReplicationResult& rep) -> const ContactCell& {
                                      return rep.contacts_per_day[cell];
                                    },
                                    nullptr, sl, n));
      }
    for (int g = 0; g < groups; ++g)
      put(r.occupancy_per_day, occupancy_row(d, g, pool, [&](const ReplicationResult& rep) {
            return rep.agents_per_day[static_cast<std::size_t>(d * groups + g)];
          }));
  }
  auto cost_row = [&](int interval, Measure measure, auto&& cell_of) {
    const Pooled p = pool([&](const ReplicationResult& rep) { return fraction(cell_of(rep), measure); });
    return SummaryRow{interval, 0, measure, p.estimate, NAN, p.of_days};
  };
  // Results assembled by hand (tests) may carry no costs: they count as none.
  auto cost_cell = [](const std::vector<CostCell>& v, int i) {
    return static_cast<std::size_t>(i) < v.size() ? v[static_cast<std::size_t>(i)] : CostCell{};
  };
  for (Measure measure : kCostMeasures) {
    for (int k = 0; k < m.intervals; ++k)
      put(r.costs_by_interval, cost_row(k, measure, [&](const ReplicationResult& rep) {
            return cost_cell(rep.costs_by_interval, k);
          }));
    for (int d = 0; d < m.days; ++d)
      put(r.costs_per_day, cost_row(d, measure, [&](const ReplicationResult& rep) {
            return cost_cell(rep.costs_per_day, d);
          }));
    put(r.costs_by_day,
        cost_row(-1, measure, [&](const ReplicationResult& rep) { return rep.costs_by_day; }));
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
      const auto d = [](std::uint64_t x) { return static_cast<double>(x); };
      PredictionRow row{interval, si, p, {}, {}, {}, {}};
      row.bias_s = ratio(pool, [&](const ReplicationResult& rep) {
        const PredictionStats st = stats_of(rep);
        return Fraction{st.sum_error, d(st.n)};
      });
      // RMSE is the root of a ratio of totals; its interval by the delta method, d sqrt(u) = du / 2 sqrt(u).
      const analysis::Estimate mse = ratio(pool, [&](const ReplicationResult& rep) {
        const PredictionStats st = stats_of(rep);
        return Fraction{st.sum_squared_error, d(st.n)};
      });
      row.rmse_s = {std::sqrt(mse.mean), mse.half_width / (2.0 * std::sqrt(mse.mean)), mse.n};
      row.relative_error = ratio(pool, [&](const ReplicationResult& rep) {
        const PredictionStats st = stats_of(rep);
        return Fraction{st.sum_relative_error, d(st.n_relative)};
      });
      row.share_longer = ratio(pool, [&](const ReplicationResult& rep) {
        const PredictionStats st = stats_of(rep);
        return Fraction{d(st.waited_longer), d(st.n)};
      });
      return row;
    };
    for (int si = 0; si < series; ++si)
      for (int p = 0; p < kPredictors; ++p) {
        put(r.predictions_by_day, row_of(-1, si, p, [&](const ReplicationResult& rep) {
              return pooled(rep.predictions_by_day, 0, si, p);
            }));
        for (int k = 0; k < m.intervals; ++k)
          put(r.predictions_by_interval, row_of(k, si, p, [&](const ReplicationResult& rep) {
                return pooled(rep.predictions_by_interval, static_cast<std::size_t>(k) * types * kPredictors,
                              si, p);
              }));
      }
  }
  for (int g = 0; g < groups; ++g) {
    const auto gi = static_cast<std::size_t>(g);
    GroupDayRow row;
    row.group = g;
    row.staffed_hours = ratio(pool, [&](const ReplicationResult& rep) {
      return Fraction{rep.agents_by_day[gi].staffed_s / 3600.0};
    });
    if constexpr (P::kRows) row.occupancy = r.occupancy_by_day[gi].estimate;
    row.interrupted_share = ratio(pool, [&](const ReplicationResult& rep) {
      const AgentTime& t = rep.agents_by_day[gi];
      return Fraction{t.interrupted_s, t.staffed_s};
    });
    row.late_break_share = ratio(pool, [&](const ReplicationResult& rep) {
      const BreakStats& b = rep.breaks_by_day[gi];
      return Fraction{static_cast<double>(b.late), static_cast<double>(b.taken)};
    });
    row.break_delay_s = ratio(pool, [&](const ReplicationResult& rep) {
      const BreakStats& b = rep.breaks_by_day[gi];
      return Fraction{b.delay_s, static_cast<double>(b.taken)};
    });
    row.forfeited_break_share = ratio(pool, [&](const ReplicationResult& rep) {
      const BreakStats& b = rep.breaks_by_day[gi];
      return Fraction{static_cast<double>(b.forfeited), static_cast<double>(b.planned)};
    });
    put(r.groups_by_day, row);
  }
  const int edges = static_cast<int>(m.skills.size());
  auto served_row = [&](int interval, int e, auto&& cell) {
    ServedRow row{interval, e, {}, {}};
    row.answered = ratio(pool, [&](const ReplicationResult& rep) {
      return Fraction{static_cast<double>(cell(rep).answered)};
    });
    row.aht = ratio(pool, [&](const ReplicationResult& rep) {
      const ServedCount& c = cell(rep);
      return Fraction{c.handle_s, static_cast<double>(c.answered)};
    });
    return row;
  };
  for (int k = 0; k < m.intervals; ++k)
    for (int e = 0; e < edges; ++e)
      put(r.served_by_interval, served_row(k, e, [&](const ReplicationResult& rep) -> const ServedCount& {
            return rep.served_by_interval[static_cast<std::size_t>(k * edges + e)];
          }));
  for (int e = 0; e < edges; ++e)
    put(r.served_by_day, served_row(-1, e, [&](const ReplicationResult& rep) -> const ServedCount& {
          return rep.served_by_day[static_cast<std::size_t>(e)];
        }));
  for (int e = 0; e < m.transfer_edges; ++e) {
    TransferRow row{-1, e, {}};
    row.transferred = ratio(pool, [&](const ReplicationResult& rep) {
      return Fraction{static_cast<double>(rep.transfers_by_day[static_cast<std::size_t>(e)])};
    });
    put(r.transfers_by_day, row);
  }
}

// The stationary Erlang-A value beside each row, computed once per distinct input: intervals with the same
// rates, handle time, patience and agents (every interval of W1, the days of a week) share one solution.
void add_erlang(const scenario::Scenario& s, const Model& m, Results& r) {
  const auto series = static_cast<int>(r.series_names.size());
  const auto sl = s.sl_definition;
  using Key = std::tuple<double, double, double, int, double>;
  std::map<Key, analysis::QueueMeasures> solved;
  auto solve = [&](const analysis::QueueInput& q) {
    const Key key{q.arrival_rate, q.service_rate, q.patience_rate, q.agents, q.tau};
    auto it = solved.find(key);
    if (it == solved.end()) it = solved.emplace(key, queue_measures_once(q)).first;
    return it->second;
  };
  std::vector<ErlangView> views;
  std::vector<int> agents;
  for (int k = 0; k < m.intervals; ++k) {
    ErlangView v;
    analysis::QueueInput q = erlang_a_input(m, k);
    agents.push_back(q.agents);
    v.at_tau = solve(q);
    q.tau = s.short_abandon_s;
    v.p_abandon_short = q.patience_rate > 0.0 ? solve(q).p_abandon_within_tau : 0.0;
    v.offered = q.arrival_rate * m.interval_s;
    v.aht = 1.0 / q.service_rate;
    views.push_back(v);
    r.erlang_a_by_interval.push_back(v.at_tau);
  }
  auto day_erlang = [&](Measure measure) {
    double num = 0.0, den = 0.0;
    for (int k = 0; k < m.intervals; ++k) {
      if (k % m.intervals_per_day < m.warmup_intervals) continue;  // warm-up opens every day
      const auto& v = views[static_cast<std::size_t>(k)];
      double x = erlang_value(v, measure, sl);
      if (info(measure).pooling == Pooling::total) {
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
  for (auto& row : r.contacts_by_interval)
    if (row.series == series - 1)  // Erlang A speaks of the pooled load only
      row.erlang_a = erlang_value(views[static_cast<std::size_t>(row.interval)], row.measure, sl);
  for (auto& row : r.contacts_by_day)
    if (row.series == series - 1) row.erlang_a = day_erlang(row.measure);
  const bool pooled_erlang = m.groups == 1;  // Erlang A speaks of one pool only
  for (auto& row : r.occupancy_by_interval)
    if (pooled_erlang) row.erlang_a = views[static_cast<std::size_t>(row.interval)].at_tau.occupancy;
  for (auto& row : r.occupancy_all_by_interval)
    row.erlang_a = views[static_cast<std::size_t>(row.interval)].at_tau.occupancy;
  double erlang_busy = 0.0, erlang_agents = 0.0;
  for (int k = 0; k < m.intervals; ++k) {
    if (k % m.intervals_per_day < m.warmup_intervals) continue;
    const double a = agents[static_cast<std::size_t>(k)];
    erlang_busy += views[static_cast<std::size_t>(k)].at_tau.occupancy * a;
    erlang_agents += a;
  }
  const double day_occupancy_erlang = erlang_agents > 0.0 ? erlang_busy / erlang_agents : NAN;
  for (auto& row : r.occupancy_by_day)
    if (pooled_erlang) row.erlang_a = day_occupancy_erlang;
  for (auto& row : r.occupancy_all_by_day) row.erlang_a = day_occupancy_erlang;
}

}  // namespace

void accumulate(const scenario::Scenario& s, const Model& m, const ReplicationResult& rep, Results& r) {
  if (r.accumulated.empty()) r.accumulated.reserve(cells_bound(m, static_cast<int>(r.series_names.size())));
  Adder add{rep, r.accumulated};
  walk(add, s, m, r);  // writes no rows (Adder::kRows)
  ++r.replications_accumulated;
  r.events += rep.events;
}

void summarise(const scenario::Scenario& s, const Model& m, Results& r) {
  if (r.replications_accumulated == 0)  // results assembled by hand (tests)
    for (const auto& rep : r.by_replication) accumulate(s, m, rep, r);
  Reader read{r.accumulated};
  walk(read, s, m, r);
  r.head_count = m.agents;
  add_erlang(s, m, r);
}

}  // namespace ccsim::model
