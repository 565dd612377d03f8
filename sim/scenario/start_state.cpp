// Reading and writing live states (`--start-state`, `--save-state`): the YAML form, every read located.
#include "scenario/start_state.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/error.hpp"
#include "scenario/input_file.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
namespace {

// A state file is a few lines per agent and caller: a centre of thousands of agents fits easily.
constexpr std::size_t kMaxStateBytes = 64u << 20;
constexpr int kMaxCount = 1'000'000;
constexpr long long kMaxWaiting = 10'000'000;  // a state's queues, e-mail backlogs included
constexpr long long kMaxAgents = 200'000;      // agents listed in one state (each kept whole)
constexpr long long kMaxListedInFile = 2'000'000;
// A caller's attempt and a callback's tries as the model holds them (whether the type allows as many is
// checked against each policy's model: model/start_state_carried.cpp).
constexpr long long kMaxAttempt = 255;
constexpr long long kMaxTries = 32;

const char* day_name(const Scenario& s, int day, std::string& buffer) {
  if (static_cast<std::size_t>(day) < s.day_labels.size()) return s.day_labels[static_cast<std::size_t>(day)].c_str();
  buffer = "day " + std::to_string(day + 1);
  return buffer.c_str();
}

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff" -> seconds after midnight; false if it is not one.
bool clock_of(const std::string& text, double& seconds) {
  int h = 0, m = 0;
  double sec = 0.0;
  char c1 = 0, c2 = 0;
  std::istringstream is(text);
  if (!(is >> h >> c1 >> m) || c1 != ':' || h < 0 || h > 47 || m < 0 || m > 59) return false;
  if (!is.eof()) {
    if (!(is >> c2 >> sec) || c2 != ':' || !is.eof() || !(sec >= 0.0) || sec >= 60.0) return false;
  }
  seconds = h * 3600.0 + m * 60.0 + sec;
  return true;
}

int type_index(const Field& f, const Scenario& s) {
  const std::string name = f.text();
  std::vector<std::string> names;
  for (std::size_t t = 0; t < s.contact_types.size(); ++t) {
    if (s.contact_types[t].name == name) return static_cast<int>(t);
    names.push_back(s.contact_types[t].name);
  }
  const std::string hint = nearest(name, names);
  f.fail("unknown contact type '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

int group_index(const Field& f, const Scenario& s) {
  const std::string name = f.text();
  std::vector<std::string> names;
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    if (s.agent_groups[g].name == name) return static_cast<int>(g);
    names.push_back(s.agent_groups[g].name);
  }
  const std::string hint = nearest(name, names);
  f.fail("unknown agent group '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

// `line: none` or `line: TRUNK`: the line a contact holds when it is not its type's own.
int line_index(const Field& f, const Scenario& s) {
  const std::string name = f.text();
  if (name == "none") return -1;
  std::vector<std::string> names{"none"};
  for (std::size_t g = 0; g < s.lines.size(); ++g) {
    if (s.lines[g].name == name) return static_cast<int>(g);
    names.push_back(s.lines[g].name);
  }
  const std::string hint = nearest(name, names);
  f.fail("unknown trunk group '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

bool has_skill(const Scenario& s, int group, int type) {
  for (const Skill& k : s.agent_groups[static_cast<std::size_t>(group)].skills)
    if (k.type == type) return true;
  return false;
}

// `elapsed` or `remaining`, exactly one.
void read_duration_pair(const Field& f, double& elapsed, double& remaining) {
  const bool e = f.has("elapsed"), r = f.has("remaining");
  if (e == r) f.fail("give either elapsed (how long it has lasted) or remaining (how long it has left)");
  if (e)
    elapsed = f["elapsed"].duration();
  else
    remaining = f["remaining"].duration();
}

// The callback an agent is calling out for: `callback: {requested, tries, reaches, delay}`.
StartState::CallOut read_call_out(const Field& f) {
  f.expect_map({"requested", "tries", "reaches", "delay"});
  StartState::CallOut c;
  c.requested_s = f["requested"].duration();
  if (f.has("tries")) c.tries = static_cast<int>(f["tries"].integer(1, kMaxTries));
  if (f.has("reaches")) c.reaches = f["reaches"].choice({"true", "false"}) == "true";
  if (f.has("delay")) {
    if (c.reaches == 0) f["delay"].fail("not read for a try that does not reach the customer");
    c.delay_s = f["delay"].duration();
  }
  return c;
}

StartState::Held read_held(const Field& f, const Scenario& s, int group, bool call_out) {
  StartState::Held h;
  h.where = f.where();
  h.type = type_index(f["type"], s);
  if (!has_skill(s, group, h.type))
    f["type"].fail("agent group '" + s.agent_groups[static_cast<std::size_t>(group)].name +
                   "' has no skill for contact type '" + s.contact_types[static_cast<std::size_t>(h.type)].name +
                   "'");
  read_duration_pair(f, h.elapsed_s, h.remaining_s);
  if (call_out && f.has("callback")) h.callback = read_call_out(f["callback"]);
  if (f.has("line")) {
    if (h.callback) f["line"].fail("not read for a call-out, which holds no line");
    h.line = line_index(f["line"], s);
  }
  return h;
}

// One agent: its group, what it does and the fields that state takes.
StartState::AgentEntry read_agent(const Field& f, const Scenario& s, const StartState& state,
                                  ErrorList& errors) {
  f.expect_map(
      {"group", "state", "type", "elapsed", "remaining", "chats", "until", "count", "callback", "line"});
  StartState::AgentEntry a;
  a.where = f.where();
  a.group = group_index(f["group"], s);
  const std::string what =
      f["state"].choice({"idle", "busy", "wrap", "break", "meeting", "interrupted", "absent"});
  auto refuse = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys)
      if (f.has(k)) f[k].fail(std::string("not read for an agent in state ") + what);
  };
  if (what == "idle" || what == "absent") {
    a.activity = what == "idle" ? AgentActivity::idle : AgentActivity::absent;
    refuse({"type", "elapsed", "remaining", "chats", "until", "callback", "line"});
  } else if (what == "busy") {
    a.activity = AgentActivity::busy;
    refuse({"until"});
    if (f.has("chats")) {
      refuse({"type", "elapsed", "remaining", "callback", "line"});
      const auto items = f["chats"].items();
      if (items.empty()) f["chats"].fail("an agent busy with chats holds at least one");
      int limit = kMaxCount;
      for (const Field& c : items) {
        if (!errors.attempt(c, [&] {
              c.expect_map({"type", "elapsed", "remaining", "line"});
              a.held.push_back(read_held(c, s, a.group, false));
              const ContactType& t = s.contact_types[static_cast<std::size_t>(a.held.back().type)];
              if (t.channel != Channel::chat) c["type"].fail("contact type '" + t.name + "' is not a chat");
              limit = std::min(limit, t.concurrency);
            }))
          continue;
      }
      if (static_cast<int>(items.size()) > limit)
        f["chats"].fail("holds " + std::to_string(items.size()) + " chats, more than their concurrency (" +
                        std::to_string(limit) + ")");
    } else {
      a.held.push_back(read_held(f, s, a.group, true));
    }
  } else if (what == "wrap") {
    a.activity = AgentActivity::wrap;
    refuse({"chats", "until", "callback", "line"});  // the contact is done: its line is free
    a.held.push_back(read_held(f, s, a.group, false));
  } else {
    a.activity = what == "break" ? AgentActivity::on_break
                 : what == "meeting" ? AgentActivity::meeting
                                     : AgentActivity::interrupted;
    refuse({"type", "elapsed", "chats", "callback", "line"});
    if (f.has("until") == f.has("remaining"))
      f.fail("give either until (a clock time) or remaining (how long it has left)");
    if (f.has("remaining")) {
      a.until_s = state.time_s + f["remaining"].duration();
    } else {
      const Field u = f["until"];
      double clock = 0.0;
      if (!clock_of(u.text(), clock)) u.fail("expected a clock time HH:MM (e.g. \"11:15\"), got '" + u.text() + "'");
      const double day = std::floor(state.time_s / kDayPeriodS);
      a.until_s = day * kDayPeriodS + clock - s.open_s;
      if (!(a.until_s > state.time_s)) u.fail("must be after the state's time (" + state.time_text + ")");
    }
  }
  return a;
}

// A time at or after the state's within the run's opening hours: `clock_key` as a clock time ("11:05", on
// the state's day, or "Tue 11:05") or `in_key` as how long after the state's time; exactly one of them.
double later_time(const Field& f, const char* clock_key, const char* in_key, const Scenario& s,
                  const StartState& st) {
  if (f.has(clock_key) == f.has(in_key))
    f.fail(std::string("give either ") + clock_key + " (a clock time) or " + in_key +
           " (how long after the state's time)");
  const Field u = f[f.has(clock_key) ? clock_key : in_key];
  double t = 0.0;
  if (f.has(in_key)) {
    t = st.time_s + u.duration();
  } else if (u.text().find(' ') != std::string::npos) {
    try {
      t = parse_state_time(u.text(), s);
    } catch (const InputError& e) {
      u.fail(e.what());
    }
  } else {
    double clock = 0.0;
    if (!clock_of(u.text(), clock)) u.fail("expected a clock time HH:MM (e.g. \"11:15\"), got '" + u.text() + "'");
    t = std::floor(st.time_s / kDayPeriodS) * kDayPeriodS + clock - s.open_s;
  }
  if (t < st.time_s) u.fail("must not be before the state's time (" + st.time_text + ")");
  const double day = std::floor(t / kDayPeriodS);
  if (day >= s.days || t - day * kDayPeriodS >= s.day_length_s())
    u.fail("falls after the closing (" + format_clock(s.open_s + s.day_length_s()) +
           "): nothing is tried then");
  return t;
}

// `redials: [{type, at | in, attempt}]`: a customer who will call again as `type`.
StartState::Redial read_redial(const Field& f, const Scenario& s, const StartState& st) {
  f.expect_map({"type", "at", "in", "attempt"});
  StartState::Redial r;
  r.where = f.where();
  r.type = type_index(f["type"], s);
  if (f.has("attempt")) r.attempt = static_cast<int>(f["attempt"].integer(2, kMaxAttempt));
  r.at_s = later_time(f, "at", "in", s, st);
  return r;
}

// `callbacks: [{type, requested, tries, queued | next_try | next_try_in}]`: a callback waiting in its
// type's queue, or for its next try.
StartState::Callback read_callback(const Field& f, const Scenario& s, const StartState& st) {
  f.expect_map({"type", "requested", "tries", "queued", "next_try", "next_try_in"});
  StartState::Callback c;
  c.where = f.where();
  c.type = type_index(f["type"], s);
  c.requested_s = f["requested"].duration();
  if (f.has("tries")) c.tries = static_cast<int>(f["tries"].integer(0, kMaxTries));
  if (f.has("next_try") || f.has("next_try_in")) {
    if (c.tries == 0) f.fail("a next try follows a try made: give tries (at least 1)");
    if (f.has("queued")) f["queued"].fail("not read for a callback waiting for its next try");
    c.next_try_s = later_time(f, "next_try", "next_try_in", s, st);
  } else if (f.has("queued")) {
    c.queued_s = f["queued"].duration();
    if (c.queued_s > c.requested_s) f["queued"].fail("a callback joins the queue when requested or later");
  }
  return c;
}

StartState read_state(const Field& f, const Scenario& s, ErrorList& errors) {
  f.expect_map({"time", "waiting", "agents", "redials", "callbacks"});
  StartState st;
  st.where = f.where();
  const Field t = f["time"];
  st.time_text = t.text();
  try {
    st.time_s = parse_state_time(st.time_text, s);
  } catch (const InputError& e) {
    t.fail(e.what());
  }
  long long waiting = 0;
  if (f.has("waiting"))
    for (const Field& w : f["waiting"].items())
      errors.attempt(w, [&] {
        w.expect_map({"type", "waited", "count", "attempt", "line"});
        StartState::Waiting x;
        x.where = w.where();
        x.type = type_index(w["type"], s);
        if (w.has("attempt")) x.attempt = static_cast<int>(w["attempt"].integer(1, kMaxAttempt));
        if (w.has("line")) x.line = line_index(w["line"], s);
        x.waited_s = w["waited"].duration();
        if (w.has("count")) x.count = static_cast<int>(w["count"].integer(1, kMaxCount));
        waiting += x.count;
        if (waiting > kMaxWaiting)
          w.fail("more than " + std::to_string(kMaxWaiting) + " contacts waiting in one state");
        st.waiting.push_back(x);
      });
  if (f.has("agents"))
    for (const Field& a : f["agents"].items())
      errors.attempt(a, [&] {
        const StartState::AgentEntry e = read_agent(a, s, st, errors);
        const long long n = a.has("count") ? a["count"].integer(1, kMaxCount) : 1;
        if (static_cast<long long>(st.agents.size()) + n > kMaxAgents)
          a.fail("more than " + std::to_string(kMaxAgents) + " agents in one state");
        for (long long k = 0; k < n; ++k) st.agents.push_back(e);  // `count` agents alike
      });
  if (f.has("redials"))
    for (const Field& r : f["redials"].items())
      errors.attempt(r, [&] {
        if (++waiting > kMaxWaiting) r.fail("more than " + std::to_string(kMaxWaiting) + " contacts in one state");
        st.redials.push_back(read_redial(r, s, st));
      });
  if (f.has("callbacks"))
    for (const Field& c : f["callbacks"].items())
      errors.attempt(c, [&] {
        if (++waiting > kMaxWaiting) c.fail("more than " + std::to_string(kMaxWaiting) + " contacts in one state");
        st.callbacks.push_back(read_callback(c, s, st));
      });
  return st;
}

}  // namespace

const char* to_string(AgentActivity a) {
  switch (a) {
    case AgentActivity::idle:
      return "idle";
    case AgentActivity::busy:
      return "busy";
    case AgentActivity::wrap:
      return "wrap";
    case AgentActivity::on_break:
      return "break";
    case AgentActivity::meeting:
      return "meeting";
    case AgentActivity::interrupted:
      return "interrupted";
    case AgentActivity::absent:
      return "absent";
  }
  return "?";
}

int own_line(const Scenario& s, int type) {
  for (std::size_t g = 0; g < s.lines.size(); ++g)
    for (int t : s.lines[g].types)
      if (t == type) return static_cast<int>(g);
  return -1;
}

double parse_state_time(const std::string& text, const Scenario& s) {
  int day = 0;
  std::string clock_text = text;
  const auto space = text.rfind(' ');
  if (space != std::string::npos) {
    const std::string label = text.substr(0, space);
    clock_text = text.substr(space + 1);
    day = -1;
    std::string buffer;
    for (int d = 0; d < s.days; ++d)
      if (label == day_name(s, d, buffer)) day = d;
    if (day < 0) {
      std::string all;
      for (int d = 0; d < s.days; ++d) all += (d ? ", " : "") + std::string(day_name(s, d, buffer));
      throw InputError("unknown day '" + label + "' (the run's days: " + all + ")");
    }
  }
  double clock = 0.0;
  if (!clock_of(clock_text, clock))
    throw InputError("expected a time such as \"11:00\"" + std::string(s.days > 1 ? " or \"Tue 11:00\"" : "") +
                     ", got '" + text + "'");
  const double from_open = clock - s.open_s;
  if (from_open < 0.0 || from_open >= s.day_length_s())
    throw InputError("'" + text + "' is outside the day's opening hours (" + format_clock(s.open_s) + " to " +
                     format_clock(s.open_s + s.day_length_s()) + ")");
  return day * kDayPeriodS + from_open;
}

std::vector<StartState> parse_start_states(const std::string& text, const std::string& path, const Scenario& s) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::ostringstream os;
    os << path << ':' << e.mark.line + 1 << ':' << e.mark.column + 1 << ": not valid YAML: " << e.msg;
    throw InputError(os.str());
  }
  const Field top(root, "", &path);
  std::vector<StartState> states;
  ErrorList errors;
  if (root.IsSequence()) {
    const auto items = top.items();
    if (items.empty()) top.fail("expected a state (time, waiting, agents) or a list of them, got an empty list");
    long long listed = 0;
    for (const Field& f : items)
      errors.attempt(f, [&] {
        states.push_back(read_state(f, s, errors));
        listed += static_cast<long long>(states.back().agents.size());
        if (listed > kMaxListedInFile)
          f.fail("more than " + std::to_string(kMaxListedInFile) + " agents listed in the file's states");
      });
  } else {
    errors.attempt(top, [&] { states.push_back(read_state(top, s, errors)); });
  }
  errors.throw_if_any();
  return states;
}

std::vector<StartState> load_start_states(const std::string& path, const Scenario& s) {
  return parse_start_states(without_bom(read_input(path, kMaxStateBytes, "state file")), input_name(path), s);
}

}  // namespace ccsim::scenario
