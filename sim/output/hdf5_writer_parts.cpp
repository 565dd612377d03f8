// The writer's parts for a policy's routing tables (skill and transfer edges, the summaries of who served
// whom), wait predictor accuracy and the policies' factors; per-replication rows are in
// replication_tables.cpp.
#include "output/hdf5_util.hpp"
#include "output/result_rows.hpp"

namespace ccsim::output::detail {
namespace {

struct FactorRow {
  std::int32_t policy;
  char factor[kName], value[kName];
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
    const Compound t = skill_row_type();
    write_table(file, "/skills", t, skills);
  }
  {
    const Compound t = transfer_edge_row_type();
    write_table(file, "/transfers", t, transfer_edges);
  }
  auto summary = [&](const model::ServedRow& row, const char* measure, const analysis::Estimate& e) {
    ServedSummaryRow out{key.policy,   key.point, row.interval, row.edge,
                         {},           {},        {},           e.mean,
                         e.half_width, e.low(),   e.high(),     static_cast<std::int32_t>(e.n)};
    copy_name(out.contact_type, edges[static_cast<std::size_t>(row.edge)].type);
    copy_name(out.group, edges[static_cast<std::size_t>(row.edge)].group);
    copy_name(out.measure, measure);
    return out;
  };
  // In batches, as the contacts' summary: built whole, W4's 3,200 rows of three names each were fresh memory
  // (4 MB with the vector's growth), a quarter of the time spent writing at the run's end.
  Appender<ServedSummaryRow> sum_interval(file, "/summary/served_by_interval", served_summary_row_type(true));
  for (const auto& row : r.served_by_interval) {
    sum_interval.push(summary(row, "answered", row.answered));
    sum_interval.push(summary(row, "aht", row.aht));
  }
  sum_interval.finish();
  Appender<ServedSummaryRow> sum_day(file, "/summary/served_by_day", served_summary_row_type(false));
  for (const auto& row : r.served_by_day) {
    sum_day.push(summary(row, "answered", row.answered));
    sum_day.push(summary(row, "aht", row.aht));
  }
  sum_day.finish();
}

void write_predictions(hid_t file, Key key, const scenario::Scenario& s, const model::Results& r) {
  if (!s.announcement.measure) return;
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
  write_table(file, "/summary/predictions_by_day", prediction_summary_row_type(false),
              summary_rows(r.predictions_by_day));
  write_table(file, "/summary/predictions_by_interval", prediction_summary_row_type(true),
              summary_rows(r.predictions_by_interval));
}

}  // namespace ccsim::output::detail
