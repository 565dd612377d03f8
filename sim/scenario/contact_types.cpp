// The `contact_types` section: channels, arrivals (volume, calls per hour, appointments), handle time,
// patience and transfers.
#include <string>
#include <vector>

#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

namespace {

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

}  // namespace

ContactType read_contact_type(const Field& t, const Scenario& s) {
  t.expect_map({"name", "channel", "volume", "calls_per_hour", "aht", "handle_time", "patience", "transfers",
                "wrap_up", "appointments", "balk_at_queue", "due_within", "concurrency", "slowdown",
                "cost_per_abandoned", "cost_per_unserved", "queue_limit", "redial", "callback"});
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
  c.cost_per_abandoned = t.has("cost_per_abandoned") ? t["cost_per_abandoned"].money() : s.costs.per_abandoned;
  c.cost_per_unserved = t.has("cost_per_unserved") ? t["cost_per_unserved"].money() : s.costs.per_unserved;
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
  read_queue_limit(t, c);
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
  read_callback(t, c);
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

}  // namespace ccsim::scenario::sections
