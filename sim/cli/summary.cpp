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
    for (int k = 0; k < s.intervals; ++k) {
      auto row = [&](Measure m) -> const model::SummaryRow& {
        return find(r.contacts_by_interval, k, pooled, m);
      };
      const auto& occ = r.occupancy_by_interval[static_cast<std::size_t>(k)];
      std::string label = scenario::format_clock(s.open_s + k * s.interval_s);
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
  os << "\nDay" << (s.warmup_intervals > 0 ? " (after warm-up)" : "") << ":\n";
  os << pad("contact type", 14) << pad("offered", 14) << pad("SL(" + tau + "s)", 24) << pad("ASA s", 22)
     << pad("mean wait s", 22) << pad("abandoned %", 22) << pad("AHT s", 12) << "wait p50/p80/p90/p95 s\n";
  for (int si = 0; si <= pooled; ++si) {
    auto row = [&](Measure m) -> const model::SummaryRow& { return find(r.contacts_by_day, -1, si, m); };
    os << pad(r.series_names[static_cast<std::size_t>(si)], 14)
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
  os << "occupancy " << pm(r.occupancy_by_day.estimate, 1, 100) << " % "
     << bracket(r.occupancy_by_day.erlang_a, 1, 100) << " of " << s.agent_groups[0].agents << " agents ("
     << s.agent_groups[0].name << ")\n";
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
  os << ",\n    \"occupancy\": " << estimate(r.occupancy_by_day.estimate, r.occupancy_by_day.erlang_a)
     << "\n  },\n";
  os << "  \"intervals\": [";
  for (int k = 0; k < s.intervals; ++k) {
    os << (k ? "," : "")
       << "\n    {\"start\": " << json_string(scenario::format_clock(s.open_s + k * s.interval_s));
    for (int si = 0; si < series; ++si)
      os << ", " << json_string(r.series_names[static_cast<std::size_t>(si)]) << ": "
         << block(r.contacts_by_interval, k, si);
    const auto& occ = r.occupancy_by_interval[static_cast<std::size_t>(k)];
    os << ", \"occupancy\": " << estimate(occ.estimate, occ.erlang_a) << "}";
  }
  os << "\n  ]\n}\n";
}

}  // namespace ccsim::cli
