#include "scenario/scenario.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
namespace {

void read_day(const Field& day, Scenario& s) {
  day.expect_map({"open", "interval", "intervals", "close", "warmup"});
  s.open_s = day.has("open") ? day["open"].clock() : 0.0;
  const Field interval = day["interval"];
  s.interval_s = interval.duration();
  if (s.interval_s != 900.0 && s.interval_s != 1800.0 && s.interval_s != 3600.0)
    interval.fail("interval must be 15min, 30min or 60min");
  if (day.has("intervals") == day.has("close"))
    day.fail("give exactly one of 'intervals' (how many) or 'close' (clock time the last interval ends)");
  if (day.has("intervals")) {
    s.intervals = static_cast<int>(day["intervals"].integer(1, 100000));
  } else {
    const Field close = day["close"];
    double length = close.clock() - s.open_s;
    if (length <= 0.0)
      close.fail("close " + format_clock(close.clock()) + " is not after open " + format_clock(s.open_s));
    double n = length / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9) close.fail("open to close must be a whole number of intervals");
    s.intervals = static_cast<int>(std::round(n));
  }
  if (day.has("warmup")) {
    const Field w = day["warmup"];
    double n = w.duration() / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9) w.fail("warmup must be a whole number of intervals");
    s.warmup_intervals = static_cast<int>(std::round(n));
    if (s.warmup_intervals >= s.intervals) w.fail("warmup must leave at least one interval to measure");
  }
}

void read_service_level(const Field& f, Scenario& s) {
  f.expect_map({"tau", "definition", "short_abandon"});
  if (f.has("tau")) s.tau_s = f["tau"].duration();
  if (f.has("short_abandon")) s.short_abandon_s = f["short_abandon"].duration();
  if (f.has("definition")) {
    std::string d = f["definition"].choice(
        {"offered", "offered_minus_short_abandons", "answered", "answered_plus_late_abandons"});
    if (d == "offered") s.sl_definition = ServiceLevelDefinition::offered;
    if (d == "offered_minus_short_abandons")
      s.sl_definition = ServiceLevelDefinition::offered_minus_short_abandons;
    if (d == "answered") s.sl_definition = ServiceLevelDefinition::answered;
    if (d == "answered_plus_late_abandons")
      s.sl_definition = ServiceLevelDefinition::answered_plus_late_abandons;
  }
}

std::vector<double> read_arrivals(const Field& t, const Scenario& s) {
  if (t.has("volume") == t.has("calls_per_hour"))
    t.fail(
        "give exactly one of 'volume' (contacts per interval, a list) or 'calls_per_hour' (a number or a "
        "list)");
  const bool per_hour = t.has("calls_per_hour");
  const Field f = per_hour ? t["calls_per_hour"] : t["volume"];
  std::vector<double> values;
  if (per_hour && f.node().IsScalar()) {
    values.assign(static_cast<std::size_t>(s.intervals), f.positive());
  } else {
    std::vector<Field> items = f.items();
    if (items.size() != static_cast<std::size_t>(s.intervals))
      f.fail("has " + std::to_string(items.size()) + " values but the day has " +
             std::to_string(s.intervals) + " intervals");
    double total = 0.0;
    for (const auto& item : items) {
      double v = item.number();
      if (v < 0.0) item.fail("must be >= 0, got " + item.node().Scalar());
      values.push_back(v);
      total += v;
    }
    if (total <= 0.0) f.fail("every value is zero: this contact type never arrives");
  }
  const double to_volume = per_hour ? s.interval_s / 3600.0 : 1.0;
  for (double& v : values) v *= to_volume;
  return values;
}

ContactType read_contact_type(const Field& t, const Scenario& s) {
  t.expect_map({"name", "channel", "volume", "calls_per_hour", "handle_time", "patience"});
  ContactType c;
  c.name = t["name"].text();
  if (t.has("channel")) {
    const Field ch = t["channel"];
    std::string v = ch.choice({"voice", "chat", "email", "counter"});
    if (v != "voice") ch.fail("channel '" + v + "' is not supported yet; this version simulates voice only");
  }
  c.volume = read_arrivals(t, s);
  c.handle_time = t["handle_time"].distribution(false);
  if (!(c.handle_time.mean() > 0.0)) t["handle_time"].fail("mean handle time must be > 0");
  c.patience = t.has("patience") ? t["patience"].distribution(true) : engine::Distribution::never();
  return c;
}

}  // namespace

const char* to_string(ServiceLevelDefinition d) {
  switch (d) {
    case ServiceLevelDefinition::offered:
      return "offered";
    case ServiceLevelDefinition::offered_minus_short_abandons:
      return "offered_minus_short_abandons";
    case ServiceLevelDefinition::answered:
      return "answered";
    case ServiceLevelDefinition::answered_plus_late_abandons:
      return "answered_plus_late_abandons";
  }
  return "?";
}

std::string format_clock(double seconds) {
  long long t = std::llround(seconds);
  char buf[32];
  if (t % 60 == 0)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", t / 3600, (t / 60) % 60);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

Scenario parse_scenario(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::ostringstream os;
    os << path << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": not valid YAML: " << e.msg;
    throw InputError(os.str());
  }
  const Field top(root, "", &path);
  top.expect_map({"name", "description", "seed", "replications", "day", "service_level", "contact_types",
                  "agent_groups"});
  Scenario s;
  s.source_path = path;
  s.source_text = text;
  s.name = top["name"].text();
  if (top.has("description")) s.description = top["description"].text();
  if (top.has("seed"))
    s.seed = static_cast<std::uint64_t>(top["seed"].integer(0, 9'000'000'000'000'000'000LL));
  if (top.has("replications")) s.replications = static_cast<int>(top["replications"].integer(1, 1'000'000));
  read_day(top["day"], s);
  if (top.has("service_level")) read_service_level(top["service_level"], s);

  std::set<std::string> names;
  const Field types = top["contact_types"];
  for (const Field& t : types.items()) {
    s.contact_types.push_back(read_contact_type(t, s));
    if (!names.insert(s.contact_types.back().name).second)
      t["name"].fail("contact type '" + s.contact_types.back().name + "' is defined twice");
  }
  if (s.contact_types.empty()) types.fail("needs at least one contact type");

  const Field groups = top["agent_groups"];
  for (const Field& g : groups.items()) {
    g.expect_map({"name", "agents"});
    s.agent_groups.push_back({g["name"].text(), static_cast<int>(g["agents"].integer(1, 1'000'000))});
  }
  if (s.agent_groups.size() != 1)
    groups.fail("this version serves every contact type from one pool: give exactly one agent group");
  return s;
}

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open scenario file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_scenario(buf.str(), path);
}

}  // namespace ccsim::scenario
