#include "scenario/scenario.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/forecast_csv.hpp"
#include "scenario/names.hpp"
#include "scenario/routing_graph.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
namespace {

void read_day(const Field& day, Scenario& s) {
  day.expect_map({"open", "interval", "intervals", "close", "warmup", "busyness_cv"});
  if (day.has("busyness_cv")) {
    s.busyness_cv = day["busyness_cv"].number();
    if (s.busyness_cv < 0.0) day["busyness_cv"].fail("must be >= 0");
  }
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
      close.fail("close " + format_clock(close.clock()) + " is not after open " + format_clock(s.open_s) +
                 " (a day that passes midnight closes at 24:00 or later, e.g. 26:00 for 02:00 the next morning)");
    double n = length / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9) close.fail("open to close must be a whole number of intervals");
    s.intervals = static_cast<int>(std::round(n));
  }
  if (day.has("warmup")) {
    // A plain number counts intervals (as the README has always said); with a unit it is a duration that
    // must cover whole intervals.
    const Field w = day["warmup"];
    const bool count = w.is_number();
    const double n = count ? static_cast<double>(w.integer(0, 100000)) : w.duration() / s.interval_s;
    if (std::abs(n - std::round(n)) > 1e-9)
      w.fail("warmup must be a whole number of intervals (a count such as 2, or a duration such as 1h)");
    s.warmup_intervals = static_cast<int>(std::round(n));
    if (s.warmup_intervals >= s.intervals) w.fail("warmup must leave at least one interval to measure");
  }
}

void read_days(const Field& f, Scenario& s) {
  f.expect_map({"count", "profile", "labels"});
  s.days = static_cast<int>(f["count"].integer(1, 366));
  if (s.day_length_s() > 86400.0 && s.days > 1)
    f.fail("days follow each other every 24 hours: a day of several must be at most 24 hours long");
  if (f.has("profile")) {
    const Field p = f["profile"];
    s.day_profile = p.numbers();
    if (s.day_profile.size() != static_cast<std::size_t>(s.days))
      p.fail("has " + std::to_string(s.day_profile.size()) + " factors for " + std::to_string(s.days) +
             " days");
    for (std::size_t i = 0; i < s.day_profile.size(); ++i)
      if (s.day_profile[i] < 0.0) p.items()[i].fail("a day factor must be >= 0");
  }
  if (f.has("labels")) {
    const Field l = f["labels"];
    for (const Field& x : l.items()) s.day_labels.push_back(read_name(x, NameKind::day_label));
    if (s.day_labels.size() != static_cast<std::size_t>(s.days))
      l.fail("has " + std::to_string(s.day_labels.size()) + " labels for " + std::to_string(s.days) +
             " days");
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
  if (t.has("volume") && t.has("calls_per_hour"))
    t.fail(
        "give one of 'volume' (contacts per interval, a list) or 'calls_per_hour' (a number or a list), not "
        "both");
  // No arrivals of its own: only transfers bring contacts of this type (checked with the routing graph).
  if (!t.has("volume") && !t.has("calls_per_hour"))
    return std::vector<double>(static_cast<std::size_t>(s.intervals), 0.0);
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

void read_appointments(const Field& f, ContactType& c) {
  f.expect_map({"times", "slots", "punctuality", "no_show", "on_time_within"});
  c.has_appointments = true;
  Appointments& a = c.appointments;
  if (f.has("times") == f.has("slots"))
    f.fail("give 'times' (a list of slot times) or 'slots' ({from, to, every, desks}), not both");
  if (f.has("times"))
    for (const Field& x : f["times"].items()) a.slots_s.push_back(x.clock());
  if (f.has("slots")) {
    const Field p = f["slots"];
    p.expect_map({"from", "to", "every", "desks"});
    const double from = p["from"].clock(), to = p["to"].clock(), every = p["every"].duration();
    if (!(every > 0.0)) p["every"].fail("must be > 0");
    if (to <= from) p["to"].fail("to " + format_clock(to) + " is not after from " + format_clock(from));
    const int desks = p.has("desks") ? static_cast<int>(p["desks"].integer(1, 10000)) : 1;
    for (double t = from; t < to - 1e-9; t += every)
      for (int d = 0; d < desks; ++d) a.slots_s.push_back(t);
  }
  if (a.slots_s.empty()) f.fail("no appointment slots");
  if (f.has("punctuality")) a.punctuality = f["punctuality"].offset_distribution();
  if (f.has("no_show")) a.no_show = f["no_show"].probability();
  if (f.has("on_time_within")) a.on_time_within_s = f["on_time_within"].duration();
}

ContactType read_contact_type(const Field& t, const Scenario& s) {
  t.expect_map({"name", "channel", "volume", "calls_per_hour", "aht", "handle_time", "patience", "transfers",
                "wrap_up", "appointments", "balk_at_queue", "due_within", "concurrency", "slowdown"});
  ContactType c;
  c.where = t.where();
  c.name = read_name(t["name"], NameKind::contact_type);
  if (t.has("channel")) {
    const std::string v = t["channel"].choice({"voice", "counter", "email", "chat"});
    c.channel = v == "counter" ? Channel::counter
                : v == "email" ? Channel::email
                : v == "chat"  ? Channel::chat
                               : Channel::voice;
  }
  if (t.has("concurrency")) {
    if (c.channel != Channel::chat)
      t["concurrency"].fail("only chats are held several at once: set channel: chat");
    c.concurrency = static_cast<int>(t["concurrency"].integer(1, 100));
  }
  if (t.has("slowdown")) {
    const Field f = t["slowdown"];
    if (c.channel != Channel::chat) f.fail("a slowdown belongs to chats: set channel: chat");
    for (const Field& x : f.items()) c.slowdown.push_back(x.positive());
    if (c.slowdown.size() != static_cast<std::size_t>(c.concurrency))
      f.fail("give one factor per concurrency level: " + std::to_string(c.concurrency) +
             " values for concurrency " + std::to_string(c.concurrency) + ", got " +
             std::to_string(c.slowdown.size()));
  }
  if (t.has("balk_at_queue")) {
    if (c.channel != Channel::counter)
      t["balk_at_queue"].fail("only walk-ins at a counter see the queue: set channel: counter");
    c.balk_at_queue = static_cast<int>(t["balk_at_queue"].integer(1, 1'000'000));
  }
  if (t.has("due_within")) {
    if (c.channel != Channel::email)
      t["due_within"].fail("a due time belongs to deferrable work: set channel: email");
    c.due_s = t["due_within"].duration();
  }
  if (c.channel == Channel::email && t.has("patience"))
    t["patience"].fail("e-mail is deferrable and never abandoned: remove patience");
  if (t.has("appointments")) {
    if (t.has("volume") || t.has("calls_per_hour"))
      t.fail(
          "a contact type has walk-ins (volume, calls_per_hour) or appointments, not both: make two types "
          "that share staff");
    read_appointments(t["appointments"], c);
  }
  c.volume = read_arrivals(t, s);
  c.handle_time = t["handle_time"].distribution(false);
  if (t.has("aht")) {
    const Field a = t["aht"];
    std::vector<Field> items = a.items();
    if (items.size() != static_cast<std::size_t>(s.intervals))
      a.fail("has " + std::to_string(items.size()) + " values but the day has " +
             std::to_string(s.intervals) + " intervals");
    for (const Field& x : items) {
      c.aht.push_back(x.duration());
      if (!(c.aht.back() > 0.0)) x.fail("an AHT must be > 0");
    }
  }
  if (!(c.handle_time.mean() > 0.0)) t["handle_time"].fail("mean handle time must be > 0");
  c.patience = t.has("patience") ? t["patience"].distribution(true) : engine::Distribution::never();
  if (t.has("wrap_up")) c.wrap_up = t["wrap_up"].distribution(false);
  return c;
}

int type_index(const Field& f, const Scenario& s) {
  const std::string name = f.text();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.contact_types.size(); ++i) {
    if (s.contact_types[i].name == name) return static_cast<int>(i);
    names.push_back(s.contact_types[i].name);
  }
  std::string hint = nearest(name, names);
  f.fail("unknown contact type '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

void read_transfers(const Field& t, ContactType& c, const Scenario& s) {
  if (!t.has("transfers")) return;
  double total = 0.0;
  for (const Field& x : t["transfers"].items()) {
    x.expect_map({"to", "probability"});
    Transfer tr;
    tr.where = x.where();
    tr.to = type_index(x["to"], s);
    tr.probability = x["probability"].probability();
    for (const auto& other : c.transfers)
      if (other.to == tr.to)
        x["to"].fail("a second transfer to '" + s.contact_types[static_cast<std::size_t>(tr.to)].name + "'");
    total += tr.probability;
    if (total > 1.0 + 1e-12)
      x["probability"].fail("transfer probabilities of '" + c.name + "' add up to more than 1");
    c.transfers.push_back(tr);
  }
}

}  // namespace

int home_location(const Scenario& s) {
  for (std::size_t i = 0; i < s.locations.size(); ++i)
    if (s.locations[i].name == "home") return static_cast<int>(i);
  return -1;
}

namespace {

Break read_break(const Field& b, const Shift& shift) {
  b.expect_map({"start", "window", "duration"});
  Break br;
  br.duration_s = b["duration"].duration();
  if (br.duration_s <= 0.0) b["duration"].fail("a break needs a duration > 0");
  if (b.has("start") == b.has("window"))
    b.fail(
        "give a fixed 'start' (\"12:30\") or a 'window' ([\"11:30\", \"13:30\"]) in which breaks are "
        "staggered");
  if (b.has("start")) {
    br.earliest_s = br.latest_s = b["start"].clock();
  } else {
    const Field w = b["window"];
    std::vector<Field> ends = w.items();
    if (ends.size() != 2) w.fail("a window is two clock times: [earliest start, latest end]");
    br.earliest_s = ends[0].clock();
    br.latest_s = ends[1].clock() - br.duration_s;
    if (br.latest_s < br.earliest_s)
      w.fail("the window " + format_clock(br.earliest_s) + "-" + format_clock(ends[1].clock()) +
             " is shorter than the break");
  }
  if (br.earliest_s < shift.start_s || br.latest_s + br.duration_s > shift.end_s)
    b.fail("break " + format_clock(br.earliest_s) + "-" + format_clock(br.latest_s + br.duration_s) +
           " lies outside its shift " + format_clock(shift.start_s) + "-" + format_clock(shift.end_s));
  return br;
}

Shift read_shift(const Field& f, const Scenario& s) {
  f.expect_map({"name", "agent", "start", "end", "agents", "breaks", "location"});
  Shift sh;
  sh.where = f.where();
  sh.start_s = f["start"].clock();
  sh.end_s = f["end"].clock();
  if (sh.end_s <= sh.start_s)
    f["end"].fail("end " + format_clock(sh.end_s) + " is before start " + format_clock(sh.start_s));
  if (f.has("agent") == f.has("agents"))
    f.fail("give 'agents' (how many work this shift) or 'agent' (the name of one agent)");
  if (f.has("agent")) {
    sh.name = read_name(f["agent"], NameKind::path_element);
    sh.agents = 1;
  } else {
    sh.agents = static_cast<int>(f["agents"].integer(0, 1'000'000));
    if (f.has("name")) sh.name = read_name(f["name"], NameKind::path_element);
  }
  if (f.has("breaks")) {
    for (const Field& b : f["breaks"].items()) sh.breaks.push_back(read_break(b, sh));
    if (sh.breaks.size() > 32) f["breaks"].fail("a shift has at most 32 breaks");
  }
  if (f.has("location")) {
    const Field loc = f["location"];
    std::vector<std::string> names;
    for (const auto& l : s.locations) names.push_back(l.name);
    const std::string name = loc.text();
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) sh.location = static_cast<int>(i);
    if (sh.location < 0) {
      std::string hint = nearest(name, names);
      loc.fail("unknown location '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
               "; define it under 'locations'");
    }
  }
  return sh;
}

AgentGroup read_group(const Field& g, const Scenario& s, bool only_group) {
  g.expect_map({"name", "agents", "shifts", "home_share", "absence", "shrinkage", "skills"});
  AgentGroup a;
  a.where = g.where();
  a.name = read_name(g["name"], NameKind::agent_group);
  if (g.has("agents") == g.has("shifts"))
    g.fail("give 'agents' (on duty all day) or 'shifts' (a roster), not both and not neither");
  if (g.has("agents")) a.agents = static_cast<int>(g["agents"].integer(0, 1'000'000));
  if (g.has("shifts")) {
    for (const Field& f : g["shifts"].items()) {
      a.shifts.push_back(read_shift(f, s));
      const Shift& sh = a.shifts.back();
      // One named agent cannot work two shifts at once.
      for (std::size_t i = 0; i + 1 < a.shifts.size(); ++i) {
        const Shift& other = a.shifts[i];
        if (!sh.name.empty() && sh.agents == 1 && other.name == sh.name && other.agents == 1 &&
            sh.start_s < other.end_s && other.start_s < sh.end_s)
          f.fail("agent '" + sh.name + "' already works " + format_clock(other.start_s) + "-" +
                 format_clock(other.end_s) + ", which overlaps " + format_clock(sh.start_s) + "-" +
                 format_clock(sh.end_s));
      }
    }
  }
  if (g.has("home_share")) {
    a.home_share = g["home_share"].probability();
    if (a.home_share > 0.0 && home_location(s) < 0)
      g["home_share"].fail(
          "home_share needs a location named 'home' under 'locations' (its handle-time factor and "
          "interruptions)");
  }
  if (g.has("absence")) a.absence = g["absence"].probability();
  if (g.has("shrinkage"))
    for (const Field& f : g["shrinkage"].items()) {
      f.expect_map({"name", "start", "end", "agents"});
      Shrinkage k;
      if (f.has("name")) k.name = read_name(f["name"], NameKind::path_element);
      k.start_s = f["start"].clock();
      k.end_s = f["end"].clock();
      if (k.end_s <= k.start_s)
        f["end"].fail("end " + format_clock(k.end_s) + " is before start " + format_clock(k.start_s));
      k.agents = static_cast<int>(f["agents"].integer(1, 1'000'000));
      a.shrinkage.push_back(k);
    }
  if (!g.has("skills")) {
    if (!only_group) g.fail("with several agent groups each needs 'skills': the contact types it serves");
    for (std::size_t t = 0; t < s.contact_types.size(); ++t)
      a.skills.push_back({static_cast<int>(t), 1, 0.0, 1.0, a.where});
    return a;
  }
  for (const Field& k : g["skills"].items()) {
    Skill skill;
    skill.where = k.where();
    if (k.node().IsScalar()) {  // shorthand: just the contact type
      skill.type = type_index(k, s);
    } else {
      k.expect_map({"contact_type", "priority", "overflow_after", "weight"});
      skill.type = type_index(k["contact_type"], s);
      if (k.has("priority")) skill.priority = static_cast<int>(k["priority"].integer(1, 1000));
      if (k.has("overflow_after")) skill.overflow_s = k["overflow_after"].duration();
      if (k.has("weight")) skill.weight = k["weight"].positive();
    }
    for (const auto& other : a.skills)
      if (other.type == skill.type)
        k.fail("group '" + a.name + "' lists contact type '" +
               s.contact_types[static_cast<std::size_t>(skill.type)].name + "' twice");
    a.skills.push_back(skill);
  }
  if (a.skills.empty())
    g["skills"].fail("group '" + a.name + "' has no skills: no contact would ever reach it");
  return a;
}

void read_locations(const Field& f, Scenario& s) {
  if (!f.node().IsMap()) f.fail("expected a map of locations, e.g. home: {handle_time_factor: 1.2}");
  std::set<std::string> seen;
  for (const auto& kv : f.node()) {
    const std::string name = read_name(Field(kv.first, f.path(), f.file()), NameKind::location, &seen);
    const Field l(kv.second, f.path() + "." + name, f.file());
    l.expect_map({"handle_time_factor", "interruptions"});
    Location loc;
    loc.name = name;
    if (l.has("handle_time_factor")) loc.handle_time_factor = l["handle_time_factor"].positive();
    if (l.has("interruptions")) {
      const Field i = l["interruptions"];
      i.expect_map({"per_hour", "duration"});
      loc.interruptions_per_hour = i["per_hour"].number();
      if (loc.interruptions_per_hour < 0.0) i["per_hour"].fail("must be >= 0");
      loc.interruption_duration = i["duration"].distribution(false);
    }
    if (name == "office")
      s.locations[0] = loc;  // the office may be described too
    else
      s.locations.push_back(loc);
  }
}

void read_announcement(const Field& f, Scenario& s) {
  f.expect_map({"predictor", "message", "threshold", "cap", "reaction"});
  Announcement& a = s.announcement;
  a.measure = true;
  if (f.has("predictor")) {
    const std::string p =
        f["predictor"].choice({"queue_length", "head_of_line", "last_to_enter_service", "planned"});
    a.predictor = p == "head_of_line"            ? Predictor::head_of_line
                  : p == "last_to_enter_service" ? Predictor::last_to_enter_service
                  : p == "planned"               ? Predictor::planned
                                                 : Predictor::queue_length;
  }
  if (f.has("message")) {
    const std::string m = f["message"].choice({"none", "predicted_wait", "longer_than_usual"});
    a.message = m == "predicted_wait"      ? Message::predicted_wait
                : m == "longer_than_usual" ? Message::longer_than_usual
                                           : Message::none;
  }
  if (f.has("threshold")) a.threshold_s = f["threshold"].duration();
  if (f.has("cap")) a.cap_s = f["cap"].duration();
  if (!f.has("reaction")) return;
  const Field r = f["reaction"];
  r.expect_map({"balk", "patience_factor", "abandon_when_passed"});
  if (r.has("balk")) {
    const Field b = r["balk"];
    b.expect_map({"table", "logistic"});
    if (b.has("table") == b.has("logistic"))
      b.fail("give a 'table' of [announced wait, probability] or a 'logistic' {midpoint, scale}");
    if (b.has("table")) {
      double last = -1.0;
      for (const Field& row : b["table"].items()) {
        std::vector<Field> pair = row.items();
        if (pair.size() != 2) row.fail("each row is [announced wait, balking probability]");
        const double w = pair[0].duration(), p = pair[1].probability();
        if (w <= last) pair[0].fail("announced waits must increase down the table");
        last = w;
        a.balk_table.emplace_back(w, p);
      }
    } else {
      const Field l = b["logistic"];
      l.expect_map({"midpoint", "scale"});
      a.balk_midpoint_s = l["midpoint"].duration();
      a.balk_scale_s = l["scale"].duration();
      if (!(a.balk_scale_s > 0.0)) l["scale"].fail("must be > 0");
    }
  }
  if (r.has("patience_factor")) a.patience_factor = r["patience_factor"].positive();
  if (r.has("abandon_when_passed")) a.abandon_when_passed = r["abandon_when_passed"].probability();
}

void read_routing(const Field& r, Scenario& s) {
  r.expect_map({"agent_selection", "contact_selection", "appointments_first", "early_appointments"});
  if (r.has("appointments_first")) {
    const std::string v = r["appointments_first"].choice({"true", "false"});
    s.routing.appointments_first = v == "true";
  }
  if (r.has("early_appointments"))
    s.routing.early_wait_for_slot =
        r["early_appointments"].choice({"serve_when_free", "wait_for_slot"}) == "wait_for_slot";
  if (r.has("agent_selection")) {
    std::string v = r["agent_selection"].choice({"longest_idle", "preferred_group"});
    s.routing.agent_selection =
        v == "longest_idle" ? AgentSelection::longest_idle : AgentSelection::preferred_group;
  }
  if (r.has("contact_selection")) {
    std::string v = r["contact_selection"].choice(
        {"priority_then_longest_waiting", "longest_waiting", "weighted_waiting"});
    s.routing.contact_selection = v == "longest_waiting"    ? ContactSelection::longest_waiting
                                  : v == "weighted_waiting" ? ContactSelection::weighted_waiting
                                                            : ContactSelection::priority_then_longest_waiting;
  }
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

const char* to_string(Predictor p) {
  switch (p) {
    case Predictor::queue_length:
      return "queue_length";
    case Predictor::head_of_line:
      return "head_of_line";
    case Predictor::last_to_enter_service:
      return "last_to_enter_service";
    case Predictor::planned:
      return "planned";
  }
  return "?";
}

const char* to_string(AgentSelection a) {
  return a == AgentSelection::longest_idle ? "longest_idle" : "preferred_group";
}

const char* to_string(ContactSelection c) {
  switch (c) {
    case ContactSelection::priority_then_longest_waiting:
      return "priority_then_longest_waiting";
    case ContactSelection::longest_waiting:
      return "longest_waiting";
    case ContactSelection::weighted_waiting:
      return "weighted_waiting";
  }
  return "?";
}

std::string interval_label(const Scenario& s, int interval) {
  const int k = interval % s.intervals, d = interval / s.intervals;
  const std::string clock = format_clock(s.open_s + k * s.interval_s);
  if (s.days <= 1) return clock;
  return (static_cast<std::size_t>(d) < s.day_labels.size() ? s.day_labels[static_cast<std::size_t>(d)]
                                                            : "day " + std::to_string(d + 1)) +
         " " + clock;
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

namespace {

YAML::Node load_yaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::ostringstream os;
    os << path << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": not valid YAML: " << e.msg;
    throw InputError(os.str());
  }
}

Scenario parse_tree(const YAML::Node& root, const std::string& text, const std::string& path);

// One step of an override path (yaml-cpp nodes are references: assigning to one rewrites the tree): a map
// key, a list element by its `name` (or `agent`), or by [index].
YAML::Node step(YAML::Node node, const std::string& segment, const Field& at, const std::string& walked) {
  std::string key = segment;
  long index = -1;
  if (auto open = segment.find('['); open != std::string::npos && segment.back() == ']') {
    key = segment.substr(0, open);
    try {
      index = std::stol(segment.substr(open + 1, segment.size() - open - 2));
    } catch (...) {
      at.fail("'" + segment + "': an index is a whole number, as in shifts[0]");
    }
  }
  if (!key.empty()) {
    if (node.IsMap()) {
      if (!node[key]) {
        // A key the base does not set may be added; the scenario's own check names it if it is wrong.
        node[key] = YAML::Node();
      }
      node.reset(node[key]);  // rebinds the walker; `node = ...` would overwrite the tree
    } else if (node.IsSequence()) {
      YAML::Node found;  // a default node counts as defined (null): track the match separately
      bool matched = false;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < node.size(); ++i) {
        YAML::Node element = node[i];
        const YAML::Node name =
            element.IsMap() ? (element["name"] ? element["name"] : element["agent"]) : YAML::Node();
        if (name && name.IsScalar()) {
          names.push_back(name.Scalar());
          if (name.Scalar() == key && !matched) {
            found.reset(element);
            matched = true;
          }
        }
      }
      if (!matched) {
        std::string hint = nearest(key, names);
        at.fail("no element named '" + key + "' in " + walked +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      node.reset(found);
    } else {
      at.fail("'" + walked + "' holds a single value: there is no '" + key + "' inside it");
    }
  }
  if (index >= 0) {
    if (!node.IsSequence() || index >= static_cast<long>(node.size()))
      at.fail("'" + (walked == "the scenario" ? segment : walked + "." + segment) + "': no element [" +
              std::to_string(index) + "]");
    node.reset(node[static_cast<std::size_t>(index)]);
  }
  return node;
}

}  // namespace

Study parse_study(const std::string& text, const std::string& path) {
  // Trees are never cloned: a clone loses the line and column every error message needs. The base is
  // the loaded tree (the parser skips `policies`); each policy loads the text afresh and splices in the
  // original override nodes, which keep their own place in the file.
  const YAML::Node root = load_yaml(text, path);
  Study study;
  study.policies.push_back(parse_tree(root, text, path));
  study.names.push_back("base");
  if (!root.IsMap() || !root["policies"]) return study;

  const Field policies(root["policies"], "policies", &path);
  study.policies.clear();
  study.names.clear();
  std::set<std::string> seen;
  int marked = -1;
  for (const Field& p : policies.items()) {
    p.expect_map({"name", "baseline", "overrides"});
    const std::string name = read_name(p["name"], NameKind::policy, &seen);
    if (p.has("baseline") && p["baseline"].choice({"true", "false"}) == "true") {
      if (marked >= 0) p["baseline"].fail("only one policy can be the baseline");
      marked = static_cast<int>(study.names.size());
    }
    YAML::Node variant = load_yaml(text, path);
    if (p.has("overrides")) {
      const Field overrides = p["overrides"];
      if (!overrides.node().IsMap())
        overrides.fail("expected a map of field paths to values, e.g. agent_groups.desk.agents: 12");
      for (const auto& kv : overrides.node()) {
        const std::string key = kv.first.as<std::string>();
        const Field at(kv.first, "policies." + name + ".overrides." + key, &path);
        if (key == "policies" || key.rfind("policies.", 0) == 0)
          at.fail("a policy cannot override the policies");
        std::vector<std::string> segments;
        std::string part;
        std::istringstream is(key);
        while (std::getline(is, part, '.')) segments.push_back(part);
        YAML::Node node = variant;
        std::string walked;
        for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
          node.reset(step(node, segments[i], at, walked.empty() ? "the scenario" : walked));
          walked += (walked.empty() ? "" : ".") + segments[i];
        }
        const std::string& last = segments.back();
        if (last.find('[') != std::string::npos) {
          YAML::Node target = step(node, last, at, walked);
          target = kv.second;
        } else if (node.IsSequence()) {
          YAML::Node target = step(node, last, at, walked);
          target = kv.second;
        } else if (node.IsMap() || node.IsNull()) {
          node[last] = kv.second;
        } else {
          at.fail("'" + walked + "' holds a single value: there is no '" + last + "' inside it");
        }
      }
    }
    try {
      Scenario s = parse_tree(variant, text, path);
      study.policies.push_back(std::move(s));
    } catch (const InputError& e) {
      // The variant's own check found the problem; say which policy made it.
      throw InputError(std::string(e.what()) + " (in policy '" + name + "' at " + p.where() + ")");
    }
    study.names.push_back(name);
  }
  if (study.names.empty()) policies.fail("give at least one policy, or leave 'policies' out");
  study.baseline = marked >= 0 ? marked : 0;
  return study;
}

Study load_study(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open scenario file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_study(buf.str(), path);
}

Scenario parse_scenario(const std::string& text, const std::string& path) {
  return parse_tree(load_yaml(text, path), text, path);
}

namespace {

Scenario parse_tree(const YAML::Node& root, const std::string& text, const std::string& path) {
  const Field top(root, "", &path);
  top.expect_map({"name", "description", "seed", "replications", "day", "service_level", "contact_types",
                  "agent_groups", "routing", "locations", "forecast", "policies", "days",
                  "announcement"});  // policies: parse_study
  Scenario s;
  s.source_path = path;
  s.source_text = text;
  s.name = top["name"].text();
  if (top.has("description")) s.description = top["description"].text();
  if (top.has("seed"))
    s.seed = static_cast<std::uint64_t>(top["seed"].integer(0, 9'000'000'000'000'000'000LL));
  if (top.has("replications")) s.replications = static_cast<int>(top["replications"].integer(1, 1'000'000));
  read_day(top["day"], s);
  if (top.has("days")) read_days(top["days"], s);
  if (top.has("service_level")) read_service_level(top["service_level"], s);

  std::set<std::string> names;
  const Field types = top["contact_types"];
  const std::vector<Field> type_fields = types.items();
  for (const Field& t : type_fields) {
    read_name(t["name"], NameKind::contact_type, &names);  // before the rest: a duplicate is said as such
    s.contact_types.push_back(read_contact_type(t, s));
  }
  if (s.contact_types.empty()) types.fail("needs at least one contact type");
  if (top.has("forecast")) {
    // A path relative to the scenario file, as a user writes it beside the scenario.
    const Field f = top["forecast"];
    std::filesystem::path p = f.text();
    if (p.is_relative()) p = std::filesystem::path(path).parent_path() / p;
    s.forecast_path = p.string();
    const std::vector<bool> in_file = read_forecast_csv(s.forecast_path, s);
    for (std::size_t i = 0; i < type_fields.size(); ++i)
      for (const char* key : {"volume", "calls_per_hour", "aht"})
        if (in_file[i] && type_fields[i].has(key))
          type_fields[i][key].fail("'" + s.contact_types[i].name + "' also has rows in " + s.forecast_path +
                                   ": give its forecast in one place");
  }
  for (std::size_t i = 0; i < type_fields.size(); ++i) read_transfers(type_fields[i], s.contact_types[i], s);

  if (top.has("locations")) read_locations(top["locations"], s);
  const Field groups = top["agent_groups"];
  const std::vector<Field> group_fields = groups.items();
  if (group_fields.empty()) groups.fail("needs at least one agent group");
  names.clear();
  for (const Field& g : group_fields) {
    read_name(g["name"], NameKind::agent_group, &names);  // before its skills are asked for
    s.agent_groups.push_back(read_group(g, s, group_fields.size() == 1));
  }
  if (top.has("routing")) read_routing(top["routing"], s);
  if (top.has("announcement")) read_announcement(top["announcement"], s);
  validate_routing(s);
  return s;
}

}  // namespace

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open scenario file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_scenario(buf.str(), path);
}

}  // namespace ccsim::scenario
