// The writer's parts for a policy's routing tables (skill and transfer edges, who served whom), wait
// predictor accuracy, breaks and the policies' factors.
#include "output/hdf5_util.hpp"

namespace ccsim::output::detail {
namespace {

struct SkillRow {
  std::int32_t policy, point, index;
  char contact_type[kName], group[kName];
  std::int32_t priority;
  double overflow_after_s, weight;
};

struct TransferEdgeRow {
  std::int32_t policy, point, index;
  char from[kName], to[kName];
  double probability;
};

struct ServedRow {
  std::int32_t policy, point, replication, interval, skill;
  char contact_type[kName], group[kName];
  std::uint64_t answered;
  double handle_s;
};

struct ServedSummaryRow {
  std::int32_t policy, point, interval, skill;
  char contact_type[kName], group[kName], measure[kName];
  double mean, half_width, ci_low, ci_high;
  std::int32_t n;
};

struct FactorRow {
  std::int32_t policy;
  char factor[kName], value[kName];
};

struct TransferCountRow {
  std::int32_t policy, point, replication, interval, transfer;
  char from[kName], to[kName];
  std::uint64_t transferred;
};

}  // namespace

void write_factors(hid_t file, const scenario::Study& study) {
  if (study.factors.empty()) return;
  Compound t(sizeof(FactorRow));
  // Full-width text: a factor's value is not a name the file's name width was measured on.
  t.add("policy", offsetof(FactorRow, policy), H5T_NATIVE_INT32)
      .text("factor", offsetof(FactorRow, factor), kName)
      .text("value", offsetof(FactorRow, value), kName);
  std::vector<FactorRow> rows;
  for (std::size_t p = 0; p < study.factors.size(); ++p)
    for (const auto& [factor, value] : study.factors[p]) {
      rows.push_back({static_cast<std::int32_t>(p), {}, {}});
      copy_name(rows.back().factor, factor);
      copy_name(rows.back().value, value);
    }
  write_table(file, "/factors", t, rows);
}

void write_routing(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  struct Edge {
    std::string type, group;
  };
  std::vector<Edge> edges;
  std::vector<SkillRow> skills;
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills) {
      SkillRow row{key.policy,   key.point, static_cast<std::int32_t>(skills.size()), {}, {}, k.priority,
                   k.overflow_s, k.weight};
      edges.push_back({s.contact_types[static_cast<std::size_t>(k.type)].name, g.name});
      copy_name(row.contact_type, edges.back().type);
      copy_name(row.group, g.name);
      skills.push_back(row);
    }
  std::vector<TransferEdgeRow> transfer_edges;
  for (const auto& t : s.contact_types)
    for (const auto& x : t.transfers) {
      TransferEdgeRow row{key.policy, key.point, static_cast<std::int32_t>(transfer_edges.size()),
                          {},         {},        x.probability};
      copy_name(row.from, t.name);
      copy_name(row.to, s.contact_types[static_cast<std::size_t>(x.to)].name);
      transfer_edges.push_back(row);
    }
  {
    Compound t(sizeof(SkillRow));
    t.add("policy", offsetof(SkillRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(SkillRow, point), H5T_NATIVE_INT32)
        .add("index", offsetof(SkillRow, index), H5T_NATIVE_INT32)
        .name("contact_type", offsetof(SkillRow, contact_type))
        .name("group", offsetof(SkillRow, group))
        .add("priority", offsetof(SkillRow, priority), H5T_NATIVE_INT32)
        .add("overflow_after_s", offsetof(SkillRow, overflow_after_s), H5T_NATIVE_DOUBLE)
        .add("weight", offsetof(SkillRow, weight), H5T_NATIVE_DOUBLE);
    write_table(file, "/skills", t, skills);
  }
  {
    Compound t(sizeof(TransferEdgeRow));
    t.add("policy", offsetof(TransferEdgeRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(TransferEdgeRow, point), H5T_NATIVE_INT32)
        .add("index", offsetof(TransferEdgeRow, index), H5T_NATIVE_INT32)
        .name("from", offsetof(TransferEdgeRow, from))
        .name("to", offsetof(TransferEdgeRow, to))
        .add("probability", offsetof(TransferEdgeRow, probability), H5T_NATIVE_DOUBLE);
    write_table(file, "/transfers", t, transfer_edges);
  }
  auto served_type = [](bool with_interval) {
    Compound t(sizeof(ServedRow));
    t.add("policy", offsetof(ServedRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(ServedRow, point), H5T_NATIVE_INT32)
        .add("replication", offsetof(ServedRow, replication), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(ServedRow, interval), H5T_NATIVE_INT32);
    t.add("skill", offsetof(ServedRow, skill), H5T_NATIVE_INT32)
        .name("contact_type", offsetof(ServedRow, contact_type))
        .name("group", offsetof(ServedRow, group))
        .add("answered", offsetof(ServedRow, answered), H5T_NATIVE_UINT64)
        .add("handle_s", offsetof(ServedRow, handle_s), H5T_NATIVE_DOUBLE);
    return t;
  };
  auto transfer_type = [](bool with_interval) {
    Compound t(sizeof(TransferCountRow));
    t.add("policy", offsetof(TransferCountRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(TransferCountRow, point), H5T_NATIVE_INT32)
        .add("replication", offsetof(TransferCountRow, replication), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(TransferCountRow, interval), H5T_NATIVE_INT32);
    t.add("transfer", offsetof(TransferCountRow, transfer), H5T_NATIVE_INT32)
        .name("from", offsetof(TransferCountRow, from))
        .name("to", offsetof(TransferCountRow, to))
        .add("transferred", offsetof(TransferCountRow, transferred), H5T_NATIVE_UINT64);
    return t;
  };
  const std::size_t ne = edges.size(), nt = transfer_edges.size();
  Appender<ServedRow> served_interval(file, "/replications/served_by_interval", served_type(true)),
      served_day(file, "/replications/served_by_day", served_type(false));
  Appender<TransferCountRow> transfers_interval(file, "/replications/transfers_by_interval",
                                                transfer_type(true)),
      transfers_day(file, "/replications/transfers_by_day", transfer_type(false));
  auto served_row = [&](int rep, int interval, std::size_t e, const model::ServedCount& c) {
    ServedRow row{key.policy, key.point, rep,        interval,  static_cast<std::int32_t>(e),
                  {},         {},        c.answered, c.handle_s};
    copy_name(row.contact_type, edges[e].type);
    copy_name(row.group, edges[e].group);
    return row;
  };
  auto transfer_row = [&](int rep, int interval, std::size_t e, std::uint64_t n) {
    TransferCountRow row{key.policy, key.point, rep, interval, static_cast<std::int32_t>(e), {}, {}, n};
    std::memcpy(row.from, transfer_edges[e].from, kName);
    std::memcpy(row.to, transfer_edges[e].to, kName);
    return row;
  };
  r.for_each_replication([&](int ri, const model::ReplicationResult& rep) {
    for (int k = 0; k < s.run_intervals(); ++k) {
      const auto ku = static_cast<std::size_t>(k);
      for (std::size_t e = 0; e < ne; ++e)
        served_interval.push(served_row(ri, k, e, rep.served_by_interval[ku * ne + e]));
      for (std::size_t e = 0; e < nt; ++e)
        transfers_interval.push(transfer_row(ri, k, e, rep.transfers_by_interval[ku * nt + e]));
    }
    for (std::size_t e = 0; e < ne; ++e) served_day.push(served_row(ri, -1, e, rep.served_by_day[e]));
    for (std::size_t e = 0; e < nt; ++e) transfers_day.push(transfer_row(ri, -1, e, rep.transfers_by_day[e]));
  });
  served_interval.finish();
  served_day.finish();
  transfers_interval.finish();
  transfers_day.finish();

  auto summary_type = [](bool with_interval) {
    Compound t(sizeof(ServedSummaryRow));
    t.add("policy", offsetof(ServedSummaryRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(ServedSummaryRow, point), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(ServedSummaryRow, interval), H5T_NATIVE_INT32);
    t.add("skill", offsetof(ServedSummaryRow, skill), H5T_NATIVE_INT32)
        .name("contact_type", offsetof(ServedSummaryRow, contact_type))
        .name("group", offsetof(ServedSummaryRow, group))
        .name("measure", offsetof(ServedSummaryRow, measure))
        .add("mean", offsetof(ServedSummaryRow, mean), H5T_NATIVE_DOUBLE)
        .add("half_width", offsetof(ServedSummaryRow, half_width), H5T_NATIVE_DOUBLE)
        .add("ci_low", offsetof(ServedSummaryRow, ci_low), H5T_NATIVE_DOUBLE)
        .add("ci_high", offsetof(ServedSummaryRow, ci_high), H5T_NATIVE_DOUBLE)
        .add("n", offsetof(ServedSummaryRow, n), H5T_NATIVE_INT32);
    return t;
  };
  auto summary = [&](const model::ServedRow& row, const char* measure, const analysis::Estimate& e) {
    ServedSummaryRow out{key.policy,   key.point, row.interval, row.edge,
                         {},           {},        {},           e.mean,
                         e.half_width, e.low(),   e.high(),     static_cast<std::int32_t>(e.n)};
    copy_name(out.contact_type, edges[static_cast<std::size_t>(row.edge)].type);
    copy_name(out.group, edges[static_cast<std::size_t>(row.edge)].group);
    copy_name(out.measure, measure);
    return out;
  };
  std::vector<ServedSummaryRow> sum_interval, sum_day;
  for (const auto& row : r.served_by_interval) {
    sum_interval.push_back(summary(row, "answered", row.answered));
    sum_interval.push_back(summary(row, "aht", row.aht));
  }
  for (const auto& row : r.served_by_day) {
    sum_day.push_back(summary(row, "answered", row.answered));
    sum_day.push_back(summary(row, "aht", row.aht));
  }
  write_table(file, "/summary/served_by_interval", summary_type(true), sum_interval);
  write_table(file, "/summary/served_by_day", summary_type(false), sum_day);
}

namespace {

struct PredictionSummaryRow {
  std::int32_t policy, point, interval;
  char contact_type[kName], predictor[kName];
  double bias_s, bias_half_width, rmse_s, rmse_half_width, relative_error, relative_error_half_width,
      share_longer, share_longer_half_width;
};

struct PredictionRawRow {
  std::int32_t policy, point, replication, interval;
  char contact_type[kName], predictor[kName];
  std::uint64_t n, n_relative, waited_longer;
  double sum_error, sum_squared_error, sum_relative_error;
};

}  // namespace

void write_predictions(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  if (!s.announcement.measure) return;
  auto summary_type = [](bool with_interval) {
    Compound t(sizeof(PredictionSummaryRow));
    t.add("policy", offsetof(PredictionSummaryRow, policy), H5T_NATIVE_INT32)
        .add("point", offsetof(PredictionSummaryRow, point), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(PredictionSummaryRow, interval), H5T_NATIVE_INT32);
    t.name("contact_type", offsetof(PredictionSummaryRow, contact_type))
        .name("predictor", offsetof(PredictionSummaryRow, predictor));
    for (auto [name, offset] :
         {std::pair{"bias_s", offsetof(PredictionSummaryRow, bias_s)},
          {"bias_half_width", offsetof(PredictionSummaryRow, bias_half_width)},
          {"rmse_s", offsetof(PredictionSummaryRow, rmse_s)},
          {"rmse_half_width", offsetof(PredictionSummaryRow, rmse_half_width)},
          {"relative_error", offsetof(PredictionSummaryRow, relative_error)},
          {"relative_error_half_width", offsetof(PredictionSummaryRow, relative_error_half_width)},
          {"share_longer", offsetof(PredictionSummaryRow, share_longer)},
          {"share_longer_half_width", offsetof(PredictionSummaryRow, share_longer_half_width)}})
      t.add(name, offset, H5T_NATIVE_DOUBLE);
    return t;
  };
  auto summary_rows = [&](const std::vector<model::PredictionRow>& rows) {
    std::vector<PredictionSummaryRow> out;
    for (const auto& row : rows) {
      PredictionSummaryRow o{key.policy,
                             key.point,
                             row.interval,
                             {},
                             {},
                             row.bias_s.mean,
                             row.bias_s.half_width,
                             row.rmse_s.mean,
                             row.rmse_s.half_width,
                             row.relative_error.mean,
                             row.relative_error.half_width,
                             row.share_longer.mean,
                             row.share_longer.half_width};
      copy_name(o.contact_type, r.series_names[static_cast<std::size_t>(row.series)]);
      copy_name(o.predictor, scenario::to_string(static_cast<scenario::Predictor>(row.predictor)));
      out.push_back(o);
    }
    return out;
  };
  write_table(file, "/summary/predictions_by_day", summary_type(false), summary_rows(r.predictions_by_day));
  write_table(file, "/summary/predictions_by_interval", summary_type(true),
              summary_rows(r.predictions_by_interval));
  Compound raw(sizeof(PredictionRawRow));
  raw.add("policy", offsetof(PredictionRawRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(PredictionRawRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(PredictionRawRow, replication), H5T_NATIVE_INT32)
      .add("interval", offsetof(PredictionRawRow, interval), H5T_NATIVE_INT32)
      .name("contact_type", offsetof(PredictionRawRow, contact_type))
      .name("predictor", offsetof(PredictionRawRow, predictor))
      .add("n", offsetof(PredictionRawRow, n), H5T_NATIVE_UINT64)
      .add("n_relative", offsetof(PredictionRawRow, n_relative), H5T_NATIVE_UINT64)
      .add("waited_longer", offsetof(PredictionRawRow, waited_longer), H5T_NATIVE_UINT64)
      .add("sum_error", offsetof(PredictionRawRow, sum_error), H5T_NATIVE_DOUBLE)
      .add("sum_squared_error", offsetof(PredictionRawRow, sum_squared_error), H5T_NATIVE_DOUBLE)
      .add("sum_relative_error", offsetof(PredictionRawRow, sum_relative_error), H5T_NATIVE_DOUBLE);
  Appender<PredictionRawRow> rows(file, "/replications/predictions_by_interval", std::move(raw));
  const std::size_t types = s.contact_types.size();
  r.for_each_replication([&](int i, const model::ReplicationResult& rep) {
    const auto& v = rep.predictions_by_interval;
    for (std::size_t j = 0; j < v.size(); ++j) {
      const std::size_t p = j % model::kPredictors, t = (j / model::kPredictors) % types,
                        k = j / (model::kPredictors * types);
      PredictionRawRow row{key.policy,
                           key.point,
                           i,
                           static_cast<std::int32_t>(k),
                           {},
                           {},
                           v[j].n,
                           v[j].n_relative,
                           v[j].waited_longer,
                           v[j].sum_error,
                           v[j].sum_squared_error,
                           v[j].sum_relative_error};
      copy_name(row.contact_type, s.contact_types[t].name);
      copy_name(row.predictor, scenario::to_string(static_cast<scenario::Predictor>(p)));
      rows.push(row);
    }
  });
  rows.finish();
}

namespace {

struct BreakRow {
  std::int32_t policy, point, replication;
  char group[kName];
  std::uint64_t planned, taken, late;
  double delay_s;
};

}  // namespace

void write_breaks(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  Compound t(sizeof(BreakRow));
  t.add("policy", offsetof(BreakRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(BreakRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(BreakRow, replication), H5T_NATIVE_INT32)
      .name("group", offsetof(BreakRow, group))
      .add("planned", offsetof(BreakRow, planned), H5T_NATIVE_UINT64)
      .add("taken", offsetof(BreakRow, taken), H5T_NATIVE_UINT64)
      .add("late", offsetof(BreakRow, late), H5T_NATIVE_UINT64)
      .add("delay_s", offsetof(BreakRow, delay_s), H5T_NATIVE_DOUBLE);
  Appender<BreakRow> rows(file, "/replications/breaks_by_day", std::move(t));
  r.for_each_replication([&](int i, const model::ReplicationResult& rep) {
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
      const auto& b = rep.breaks_by_day[g];
      BreakRow row{key.policy, key.point, i, {}, b.planned, b.taken, b.late, b.delay_s};
      copy_name(row.group, s.agent_groups[g].name);
      rows.push(row);
    }
  });
  rows.finish();
}

}  // namespace ccsim::output::detail
