#include "cli/summary.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <string>

namespace ccsim::cli {
namespace {

using model::Measure;

std::string fmt(double x, int decimals) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// "0.812±0.004" or "0.812" when one replication gives no interval.
std::string pm(const analysis::Estimate& e, int decimals, double scale = 1.0) {
  std::string s = fmt(e.mean * scale, decimals);
  if (!std::isnan(e.half_width)) s += "±" + fmt(e.half_width * scale, decimals);
  return s;
}

std::string bracket(double x, int decimals, double scale = 1.0) {
  return std::isnan(x) ? "" : "[" + fmt(x * scale, decimals) + "]";
}

const model::SummaryRow& find(const std::vector<model::SummaryRow>& rows, int interval, int series,
                              Measure m) {
  for (const auto& r : rows)
    if (r.interval == interval && r.series == series && r.measure == m) return r;
  return rows.front();
}

std::string pad(const std::string& s, std::size_t width) {
  // Width counts characters, and "±" is two bytes in UTF-8.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s + " " : s + std::string(width - chars, ' ');
}

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream os;
  os << std::setprecision(10) << x;
  return os.str();
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Busy over staffed time of all agents in an interval, across replications.
analysis::Estimate pooled_occupancy(const model::Results& r, int interval, std::size_t groups) {
  std::vector<double> v;
  for (const auto& rep : r.by_replication) {
    double busy = 0.0, staffed = 0.0;
    for (std::size_t g = 0; g < groups; ++g) {
      const auto& at = rep.agents_by_interval[static_cast<std::size_t>(interval) * groups + g];
      busy += at.busy_s;
      staffed += at.staffed_s;
    }
    v.push_back(staffed > 0.0 ? busy / staffed : NAN);
  }
  return analysis::estimate(v);
}

}  // namespace

void print_summary(std::ostream& os, const scenario::Scenario& s, const model::Results& r, bool by_interval) {
  const int pooled = static_cast<int>(r.series_names.size()) - 1;
  const std::string tau = fmt(s.tau_s, 0);
  os << "Scenario: " << s.name << "\n";
  os << r.replications << " replications, seed " << r.seed << ", "
     << fmt(static_cast<double>(r.events) / 1e6, 2) << " M events in " << fmt(r.wall_seconds, 2)
     << " s. Mean ± 95% CI half-width; [stationary Erlang A for the interval].\n";
  if (by_interval) {
    os << "\nPer interval" << (pooled > 0 ? ", all contact types" : "") << ":\n";
    os << pad("interval", 10) << pad("offered", 14) << pad("SL(" + tau + "s)", 24) << pad("ASA s", 22)
       << pad("abandoned %", 22) << pad("occupancy %", 20) << "\n";
    for (int k = 0; k < s.run_intervals(); ++k) {
      auto row = [&](Measure m) -> const model::SummaryRow& {
        return find(r.contacts_by_interval, k, pooled, m);
      };
      // With several groups the column shows all agents together; per group figures are in the file.
      analysis::Estimate occ_all =
          r.occupancy_by_interval[static_cast<std::size_t>(k) * s.agent_groups.size()].estimate;
      double occ_erlang =
          r.occupancy_by_interval[static_cast<std::size_t>(k) * s.agent_groups.size()].erlang_a;
      if (s.agent_groups.size() > 1) occ_all = pooled_occupancy(r, k, s.agent_groups.size());
      const model::OccupancyRow occ{k, 0, occ_all, occ_erlang};
      std::string label = scenario::interval_label(s, k);
      if (k < s.warmup_intervals) label += "*";
      os << pad(label, 10) << pad(pm(row(Measure::offered).estimate, 0), 14)
         << pad(pm(row(Measure::service_level).estimate, 3) + " " +
                    bracket(row(Measure::service_level).erlang_a, 3),
                24)
         << pad(pm(row(Measure::asa).estimate, 1) + " " + bracket(row(Measure::asa).erlang_a, 1), 22)
         << pad(pm(row(Measure::abandon_rate).estimate, 1, 100) + " " +
                    bracket(row(Measure::abandon_rate).erlang_a, 1, 100),
                22)
         << pad(pm(occ.estimate, 1, 100) + " " + bracket(occ.erlang_a, 1, 100), 20) << "\n";
    }
    if (s.warmup_intervals > 0) os << "(* warm-up: not in the day totals)\n";
  }
  if (s.days > 1) {
    os << "\nPer day" << (pooled > 0 ? ", all contact types" : "") << ":\n"
       << pad("day", 10) << pad("offered", 14) << pad("SL(" + tau + "s)", 18) << pad("ASA s", 16)
       << pad("abandoned %", 16) << pad("unserved", 12) << "backlog at closing\n";
    for (int d = 0; d < s.days; ++d) {
      auto row = [&](Measure m) -> const model::SummaryRow& {
        return find(r.contacts_per_day, d, pooled, m);
      };
      const std::string label = static_cast<std::size_t>(d) < s.day_labels.size()
                                    ? s.day_labels[static_cast<std::size_t>(d)]
                                    : "day " + std::to_string(d + 1);
      os << pad(label, 10) << pad(pm(row(Measure::offered).estimate, 0), 14)
         << pad(pm(row(Measure::service_level).estimate, 3), 18) << pad(pm(row(Measure::asa).estimate, 1), 16)
         << pad(pm(row(Measure::abandon_rate).estimate, 1, 100), 16)
         << pad(pm(row(Measure::unserved).estimate, 1), 12) << pm(row(Measure::backlog).estimate, 1) << "\n";
    }
  }
  os << "\n"
     << (s.days > 1 ? "All " + std::to_string(s.days) + " days" : std::string("Day"))
     << (s.warmup_intervals > 0 ? " (after warm-up)" : "") << ":\n";
  os << pad("contact type", 18) << pad("offered", 14) << pad("SL(" + tau + "s)", 24) << pad("ASA s", 22)
     << pad("mean wait s", 22) << pad("abandoned %", 22) << pad("AHT s", 12) << "wait p50/p80/p90/p95 s\n";
  for (int si = 0; si <= pooled; ++si) {
    auto row = [&](Measure m) -> const model::SummaryRow& { return find(r.contacts_by_day, -1, si, m); };
    os << pad(r.series_names[static_cast<std::size_t>(si)], 18)
       << pad(pm(row(Measure::offered).estimate, 0), 14)
       << pad(pm(row(Measure::service_level).estimate, 3) + " " +
                  bracket(row(Measure::service_level).erlang_a, 3),
              24)
       << pad(pm(row(Measure::asa).estimate, 1) + " " + bracket(row(Measure::asa).erlang_a, 1), 22)
       << pad(pm(row(Measure::mean_wait).estimate, 1) + " " + bracket(row(Measure::mean_wait).erlang_a, 1),
              22)
       << pad(pm(row(Measure::abandon_rate).estimate, 1, 100) + " " +
                  bracket(row(Measure::abandon_rate).erlang_a, 1, 100),
              22)
       << pad(fmt(row(Measure::aht).estimate.mean, 1), 12) << fmt(row(Measure::wait_p50).estimate.mean, 0)
       << "/" << fmt(row(Measure::wait_p80).estimate.mean, 0) << "/"
       << fmt(row(Measure::wait_p90).estimate.mean, 0) << "/" << fmt(row(Measure::wait_p95).estimate.mean, 0)
       << "\n";
  }
  // The channel-specific counts, where there are any.
  for (int si = 0; si <= pooled; ++si) {
    auto mean = [&](Measure m) { return find(r.contacts_by_day, -1, si, m).estimate; };
    std::string extra;
    auto add = [&](const char* label, Measure m, int decimals, double scale = 1.0) {
      const analysis::Estimate e = mean(m);
      if (!std::isnan(e.mean) && e.mean != 0.0)
        extra += std::string(extra.empty() ? "" : ", ") + label + " " + pm(e, decimals, scale);
    };
    add("balked", Measure::balked, 1);
    add("unserved", Measure::unserved, 1);
    add("no-shows %", Measure::no_show_rate, 1, 100);
    add("served on time %", Measure::on_time_rate, 1, 100);
    add("done within due %", Measure::due_met_rate, 1, 100);
    add("backlog at closing", Measure::backlog, 1);
    if (!extra.empty()) os << "  " << r.series_names[static_cast<std::size_t>(si)] << ": " << extra << "\n";
  }
  if (!r.predictions_by_day.empty()) {
    os << "\nWait predictors (" << r.series_names.back()
       << ", callers who waited; abandoners at their virtual wait):\n"
       << pad("predictor", 24) << pad("bias s", 16) << pad("RMSE s", 16) << pad("mean rel. error %", 20)
       << "waited longer than predicted %\n";
    for (const auto& row : r.predictions_by_day)
      if (row.series == pooled)
        os << pad(scenario::to_string(static_cast<scenario::Predictor>(row.predictor)), 24)
           << pad(pm(row.bias_s, 1), 16) << pad(pm(row.rmse_s, 1), 16)
           << pad(pm(row.relative_error, 0, 100), 20) << pm(row.share_longer, 1, 100) << "\n";
    const auto& announced = find(r.contacts_by_day, -1, pooled, Measure::announced_share).estimate;
    if (announced.mean > 0.0)
      os << "announced to " << pm(announced, 1, 100) << " % of callers; balked after it: "
         << pm(find(r.contacts_by_day, -1, pooled, Measure::balked_announced).estimate, 1) << "\n";
  }
  os << "\nAgent groups (day):\n"
     << pad("group", 16) << pad("rostered", 10) << pad("staffed h", 14) << pad("occupancy %", 20)
     << pad("interrupted %", 16) << "late breaks % / mean delay s\n";
  for (const auto& row : r.groups_by_day) {
    const auto gi = static_cast<std::size_t>(row.group);
    const auto& g = s.agent_groups[gi];
    os << pad(g.name, 16) << pad(std::to_string(r.head_count[gi]), 10) << pad(pm(row.staffed_hours, 1), 14)
       << pad(pm(row.occupancy, 1, 100) + " " + bracket(r.occupancy_by_day[gi].erlang_a, 1, 100), 20)
       << pad(pm(row.interrupted_share, 1, 100), 16) << fmt(row.late_break_share.mean * 100, 0) << " / "
       << fmt(row.break_delay_s.mean, 0) << "\n";
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
           << pad(pm(row.answered, 1), 18) << fmt(row.aht.mean, 1) << "\n";
      }
  }
  if (!r.transfers_by_day.empty()) {
    os << "\nTransfers (day):\n";
    std::size_t e = 0;
    for (const auto& t : s.contact_types)
      for (const auto& x : t.transfers)
        os << pad(t.name + " -> " + s.contact_types[static_cast<std::size_t>(x.to)].name, 32)
           << pm(r.transfers_by_day[e++].transferred, 1) << " (p " << fmt(x.probability, 2) << ")\n";
  }
}

void print_summary_json(std::ostream& os, const scenario::Scenario& s, const model::Results& r) {
  auto estimate = [](const analysis::Estimate& e, double erlang_a) {
    return "{\"mean\": " + json_number(e.mean) + ", \"half_width\": " + json_number(e.half_width) +
           ", \"erlang_a\": " + json_number(erlang_a) + "}";
  };
  auto block = [&](const std::vector<model::SummaryRow>& rows, int interval, int series) {
    std::string out = "{";
    bool first = true;
    for (const auto& row : rows)
      if (row.interval == interval && row.series == series) {
        out += (first ? "" : ", ") + json_string(model::to_string(row.measure)) + ": " +
               estimate(row.estimate, row.erlang_a);
        first = false;
      }
    return out + "}";
  };
  const auto series = static_cast<int>(r.series_names.size());
  os << "{\n  \"scenario\": " << json_string(s.name) << ",\n  \"seed\": " << r.seed
     << ",\n  \"replications\": " << r.replications
     << ",\n  \"service_level_tau_s\": " << json_number(s.tau_s) << ",\n  \"day\": {";
  for (int si = 0; si < series; ++si)
    os << (si ? ", " : "") << "\n    " << json_string(r.series_names[static_cast<std::size_t>(si)]) << ": "
       << block(r.contacts_by_day, -1, si);
  os << ",\n    \"occupancy\": {";
  for (const auto& row : r.occupancy_by_day)
    os << (row.group ? ", " : "") << json_string(s.agent_groups[static_cast<std::size_t>(row.group)].name)
       << ": " << estimate(row.estimate, row.erlang_a);
  os << "}\n  },\n";
  os << "  \"intervals\": [";
  for (int k = 0; k < s.run_intervals(); ++k) {
    os << (k ? "," : "") << "\n    {\"start\": " << json_string(scenario::interval_label(s, k));
    for (int si = 0; si < series; ++si)
      os << ", " << json_string(r.series_names[static_cast<std::size_t>(si)]) << ": "
         << block(r.contacts_by_interval, k, si);
    os << ", \"occupancy\": {";
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
      const auto& occ = r.occupancy_by_interval[static_cast<std::size_t>(k) * s.agent_groups.size() + g];
      os << (g ? ", " : "") << json_string(s.agent_groups[g].name) << ": "
         << estimate(occ.estimate, occ.erlang_a);
    }
    os << "}}";
  }
  os << "\n  ]\n}\n";
}

}  // namespace ccsim::cli
