#include "cli/summary.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "cli/text_format.hpp"

namespace ccsim::cli {
namespace {

using model::Measure;

std::string fmt(double x, int decimals) {
  return model::format_value(model::Display::count, decimals, x);
}

// "81.2±0.4" in the measure's display unit, or "81.2" when one replication gives no interval.
std::string pm(Measure m, const analysis::Estimate& e) {
  std::string s = model::format_value(m, e.mean);
  if (!std::isnan(e.half_width)) s += "±" + model::format_value(m, e.half_width);
  return s;
}

// The Erlang-A value in brackets, or nothing where the formula says nothing.
std::string bracket(Measure m, double x) {
  return std::isnan(x) ? "" : "[" + model::format_value(m, x) + "]";
}

const model::SummaryRow& find(const std::vector<model::SummaryRow>& rows, int interval, int series,
                              Measure m) {
  for (const auto& r : rows)
    if (r.interval == interval && r.series == series && r.measure == m) return r;
  return rows.front();
}

std::string with_erlang(const model::SummaryRow& row) {
  return pm(row.measure, row.estimate) + " " + bracket(row.measure, row.erlang_a);
}

}  // namespace

void print_summary(std::ostream& os, const scenario::Scenario& s, const model::Results& r, bool by_interval) {
  const int pooled = static_cast<int>(r.series_names.size()) - 1;
  const std::string tau = fmt(s.tau_s, 0);
  const std::string sl_heading = "SL(" + tau + "s) %";
  os << "Scenario: " << s.name << "\n";
  os << r.replications << " replications, seed " << r.seed << ", "
     << fmt(static_cast<double>(r.events) / 1e6, 2) << " M events in " << fmt(r.wall_seconds, 2) << " s.\n"
     << "Estimator: " << model::kEstimatorDescription
     << ".\nShown: ratio of totals ± 95% CI half-width; [stationary Erlang A for the interval].\n";
  if (by_interval) {
    os << "\nPer interval" << (pooled > 0 ? ", all contact types" : "") << ":\n";
    os << pad("interval", 10) << pad(model::heading_with_unit(Measure::offered), 14) << pad(sl_heading, 24)
       << pad(model::heading_with_unit(Measure::asa), 22)
       << pad(model::heading_with_unit(Measure::abandon_rate), 22)
       << pad(model::heading_with_unit(Measure::occupancy), 20) << "\n";
    for (int k = 0; k < s.run_intervals(); ++k) {
      auto row = [&](Measure m) -> const model::SummaryRow& {
        return find(r.contacts_by_interval, k, pooled, m);
      };
      // All agent groups together; per group figures are in the file.
      const model::OccupancyRow& occ = r.occupancy_all_by_interval[static_cast<std::size_t>(k)];
      std::string label = scenario::interval_label(s, k);
      if (k % s.intervals < s.warmup_intervals) label += "*";
      os << pad(label, 10) << pad(pm(Measure::offered, row(Measure::offered).estimate), 14)
         << pad(with_erlang(row(Measure::service_level)), 24) << pad(with_erlang(row(Measure::asa)), 22)
         << pad(with_erlang(row(Measure::abandon_rate)), 22)
         << pad(pm(Measure::occupancy, occ.estimate) + " " + bracket(Measure::occupancy, occ.erlang_a), 20)
         << "\n";
    }
    if (s.warmup_intervals > 0) os << "(* warm-up: not in the day totals)\n";
  }
  if (s.days > 1) {
    os << "\nPer day" << (pooled > 0 ? ", all contact types" : "") << ":\n"
       << pad("day", 10) << pad(model::heading_with_unit(Measure::offered), 14) << pad(sl_heading, 18)
       << pad(model::heading_with_unit(Measure::asa), 16)
       << pad(model::heading_with_unit(Measure::abandon_rate), 16)
       << pad(model::heading_with_unit(Measure::unserved), 12) << model::heading_with_unit(Measure::backlog)
       << "\n";
    for (int d = 0; d < s.days; ++d) {
      auto cell = [&](Measure m) { return pm(m, find(r.contacts_per_day, d, pooled, m).estimate); };
      const std::string label = static_cast<std::size_t>(d) < s.day_labels.size()
                                    ? s.day_labels[static_cast<std::size_t>(d)]
                                    : "day " + std::to_string(d + 1);
      os << pad(label, 10) << pad(cell(Measure::offered), 14) << pad(cell(Measure::service_level), 18)
         << pad(cell(Measure::asa), 16) << pad(cell(Measure::abandon_rate), 16)
         << pad(cell(Measure::unserved), 12) << cell(Measure::backlog) << "\n";
    }
  }
  os << "\n"
     << (s.days > 1 ? "All " + std::to_string(s.days) + " days" : std::string("Day"))
     << (s.warmup_intervals > 0 ? " (after warm-up)" : "") << ":\n";
  os << pad("contact type", 18) << pad(model::heading_with_unit(Measure::offered), 14) << pad(sl_heading, 24)
     << pad(model::heading_with_unit(Measure::asa), 22)
     << pad(model::heading_with_unit(Measure::mean_wait), 22)
     << pad(model::heading_with_unit(Measure::abandon_rate), 22)
     << pad(model::heading_with_unit(Measure::aht), 12) << "wait p50/p80/p90/p95 s (all waits pooled)\n";
  for (int si = 0; si <= pooled; ++si) {
    auto row = [&](Measure m) -> const model::SummaryRow& { return find(r.contacts_by_day, -1, si, m); };
    auto mean = [&](Measure m) { return model::format_value(m, row(m).estimate.mean); };
    os << pad(r.series_names[static_cast<std::size_t>(si)], 18)
       << pad(pm(Measure::offered, row(Measure::offered).estimate), 14)
       << pad(with_erlang(row(Measure::service_level)), 24) << pad(with_erlang(row(Measure::asa)), 22)
       << pad(with_erlang(row(Measure::mean_wait)), 22) << pad(with_erlang(row(Measure::abandon_rate)), 22)
       << pad(mean(Measure::aht), 12) << mean(Measure::wait_p50) << "/" << mean(Measure::wait_p80) << "/"
       << mean(Measure::wait_p90) << "/" << mean(Measure::wait_p95) << "\n";
  }
  // The channel-specific figures, where there are any.
  for (int si = 0; si <= pooled; ++si) {
    std::string extra;
    for (Measure m : {Measure::balked, Measure::unserved, Measure::no_show_rate, Measure::on_time_rate,
                      Measure::due_met_rate, Measure::backlog, Measure::blocked, Measure::redials,
                      Measure::callbacks_offered, Measure::callbacks_accepted, Measure::callbacks_completed,
                      Measure::callbacks_failed, Measure::callback_delay}) {
      const analysis::Estimate e = find(r.contacts_by_day, -1, si, m).estimate;
      if (!std::isnan(e.mean) && e.mean != 0.0)
        extra += std::string(extra.empty() ? "" : ", ") + model::heading_with_unit(m) + " " + pm(m, e);
    }
    // Where callers found no place or called again, attempts and customers part: both are shown.
    if (find(r.contacts_by_day, -1, si, Measure::blocked).estimate.mean > 0.0 ||
        find(r.contacts_by_day, -1, si, Measure::redials).estimate.mean > 0.0)
      for (Measure m : {Measure::service_level_incl_blocked, Measure::first_attempt_service_level,
                        Measure::customers, Measure::customers_served_share})
        extra +=
            ", " + model::heading_with_unit(m) + " " + pm(m, find(r.contacts_by_day, -1, si, m).estimate);
    if (!extra.empty()) os << "  " << r.series_names[static_cast<std::size_t>(si)] << ": " << extra << "\n";
  }
  if (!r.predictions_by_day.empty()) {
    os << "\nWait predictors (" << r.series_names.back()
       << ", callers who waited; abandoners at their virtual wait):\n"
       << pad("predictor", 24) << pad("bias s", 16) << pad("RMSE s", 16) << pad("mean rel. error %", 20)
       << "waited longer than predicted %\n";
    const auto secs = [](const analysis::Estimate& e) { return pm(Measure::asa, e); };
    const auto share = [](const analysis::Estimate& e) { return pm(Measure::abandon_rate, e); };
    for (const auto& row : r.predictions_by_day)
      if (row.series == pooled)
        os << pad(scenario::to_string(static_cast<scenario::Predictor>(row.predictor)), 24)
           << pad(secs(row.bias_s), 16) << pad(secs(row.rmse_s), 16) << pad(share(row.relative_error), 20)
           << share(row.share_longer) << "\n";
    const auto& announced = find(r.contacts_by_day, -1, pooled, Measure::announced_share).estimate;
    if (announced.mean > 0.0)
      os << "announced to " << pm(Measure::announced_share, announced) << " % of callers; balked after it: "
         << pm(Measure::balked_announced,
               find(r.contacts_by_day, -1, pooled, Measure::balked_announced).estimate)
         << "\n";
  }
  os << "\nAgent groups (day):\n"
     << pad("group", 16) << pad("rostered", 10) << pad("staffed h", 14)
     << pad(model::heading_with_unit(Measure::occupancy), 20) << pad("interrupted %", 16)
     << "late breaks % / mean delay s / forfeited %\n";
  for (const auto& row : r.groups_by_day) {
    const auto gi = static_cast<std::size_t>(row.group);
    const auto& g = s.agent_groups[gi];
    using model::Display;
    os << pad(g.name, 16) << pad(std::to_string(r.head_count[gi]), 10)
       << pad(fmt(row.staffed_hours.mean, 1) + (std::isnan(row.staffed_hours.half_width)
                                                    ? ""
                                                    : "±" + fmt(row.staffed_hours.half_width, 1)),
              14)
       << pad(pm(Measure::occupancy, row.occupancy) + " " +
                  bracket(Measure::occupancy, r.occupancy_by_day[gi].erlang_a),
              20)
       << pad(pm(Measure::abandon_rate, row.interrupted_share), 16)
       << model::format_value(Display::percent, 0, row.late_break_share.mean) << " / "
       << fmt(row.break_delay_s.mean, 0) << " / "
       << model::format_value(Display::percent, 0, row.forfeited_break_share.mean) << "\n";
  }
  if (scenario::has_costs(s)) {
    os << "\nCosts (" << (s.days > 1 ? "all " + std::to_string(s.days) + " days" : std::string("day"))
       << (s.warmup_intervals > 0 ? ", after warm-up" : "") << "; paid hours are rostered time"
       << (s.costs.absence_paid ? ", absent agents' included" : " of agents present") << "):\n";
    for (const auto& row : r.costs_by_day)
      os << pad(model::heading_with_unit(row.measure), 16) << pm(row.measure, row.estimate) << "\n";
    if (s.days > 1) {
      os << pad("day", 10);
      for (Measure m : model::kCostMeasures) os << pad(model::heading_with_unit(m), 20);
      os << "\n";
      for (int d = 0; d < s.days; ++d) {
        os << pad(static_cast<std::size_t>(d) < s.day_labels.size()
                      ? s.day_labels[static_cast<std::size_t>(d)]
                      : "day " + std::to_string(d + 1),
                  10);
        for (const auto& row : r.costs_per_day)
          if (row.interval == d) os << pad(pm(row.measure, row.estimate), 20);
        os << "\n";
      }
    }
  }
  if (s.agent_groups.size() > 1 || s.contact_types.size() > 1) {
    os << "\nWho served whom (day): answered, mean handle time\n"
       << pad("contact type", 18) << pad("group", 16) << pad("priority", 10) << pad("overflow s", 12)
       << pad("answered", 18) << "AHT s\n";
    std::size_t e = 0;
    for (const auto& g : s.agent_groups)
      for (const auto& k : g.skills) {
        const auto& row = r.served_by_day[e++];
        os << pad(s.contact_types[static_cast<std::size_t>(k.type)].name, 18) << pad(g.name, 16)
           << pad(std::to_string(k.priority), 10) << pad(fmt(k.overflow_s, 0), 12)
           << pad(pm(Measure::answered, row.answered), 18) << model::format_value(Measure::aht, row.aht.mean)
           << "\n";
      }
  }
  if (!r.transfers_by_day.empty()) {
    os << "\nTransfers (day):\n";
    std::size_t e = 0;
    for (const auto& t : s.contact_types)
      for (const auto& x : t.transfers)
        os << pad(t.name + " -> " + s.contact_types[static_cast<std::size_t>(x.to)].name, 32)
           << pm(Measure::offered, r.transfers_by_day[e++].transferred) << " (p " << fmt(x.probability, 2)
           << ")\n";
  }
}

Json summary_json(const scenario::Scenario& s, const model::Results& r) {
  auto estimate = [](Measure m, const analysis::Estimate& e, double erlang_a,
                     const analysis::Estimate& days) {
    return Json{{"mean", json_number(e.mean)},
                {"half_width", json_number(e.half_width)},
                {"erlang_a", json_number(erlang_a)},
                {"estimator", model::estimator_name(m)},
                {"mean_of_days", json_number(days.mean)},
                {"half_width_of_days", json_number(days.half_width)}};
  };
  auto block = [&](const std::vector<model::SummaryRow>& rows, int interval, int series) {
    Json out = Json::object();
    for (const auto& row : rows)
      if (row.interval == interval && row.series == series)
        out[model::to_string(row.measure)] = estimate(row.measure, row.estimate, row.erlang_a, row.of_days);
    return out;
  };
  auto occupancy = [&](const model::OccupancyRow& row) {
    return estimate(Measure::occupancy, row.estimate, row.erlang_a, row.of_days);
  };
  const auto series = static_cast<int>(r.series_names.size());
  Json day = Json::object();
  for (int si = 0; si < series; ++si)
    day[r.series_names[static_cast<std::size_t>(si)]] = block(r.contacts_by_day, -1, si);
  Json by_group = Json::object();
  for (const auto& row : r.occupancy_by_day)
    by_group[s.agent_groups[static_cast<std::size_t>(row.group)].name] = occupancy(row);
  day["occupancy"] = std::move(by_group);
  day["occupancy_all_groups"] = occupancy(r.occupancy_all_by_day.front());
  // Money of the whole centre; zero where the scenario sets no prices.
  auto costs = [&](const std::vector<model::SummaryRow>& rows, int interval) {
    Json out = Json::object();
    for (const auto& row : rows)
      if (row.interval == interval)
        out[model::to_string(row.measure)] = estimate(row.measure, row.estimate, NAN, row.of_days);
    return out;
  };
  day["costs"] = costs(r.costs_by_day, -1);
  Json days = Json::array();
  for (int d = 0; d < s.days; ++d)
    days.push_back(Json{
        {"day", static_cast<std::size_t>(d) < s.day_labels.size() ? s.day_labels[static_cast<std::size_t>(d)]
                                                                  : "day " + std::to_string(d + 1)},
        {"costs", costs(r.costs_per_day, d)}});
  Json intervals = Json::array();
  for (int k = 0; k < s.run_intervals(); ++k) {
    Json one{{"start", scenario::interval_label(s, k)}};
    for (int si = 0; si < series; ++si)
      one[r.series_names[static_cast<std::size_t>(si)]] = block(r.contacts_by_interval, k, si);
    Json groups = Json::object();
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
      groups[s.agent_groups[g].name] =
          occupancy(r.occupancy_by_interval[static_cast<std::size_t>(k) * s.agent_groups.size() + g]);
    one["occupancy"] = std::move(groups);
    one["occupancy_all_groups"] = occupancy(r.occupancy_all_by_interval[static_cast<std::size_t>(k)]);
    one["costs"] = costs(r.costs_by_interval, k);
    intervals.push_back(std::move(one));
  }
  return Json{{"scenario", s.name},
              {"seed", r.seed},
              {"replications", r.replications},
              {"estimator", model::kEstimatorDescription},
              {"service_level_tau_s", json_number(s.tau_s)},
              {"day", std::move(day)},
              {"days", std::move(days)},
              {"intervals", std::move(intervals)}};
}

}  // namespace ccsim::cli
