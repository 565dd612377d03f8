// Writing live states (`--save-state`): the YAML form load_start_states reads back, every time still to run
// given exactly (a duration from the state's time, the shortest text reading back as the same double).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "scenario/start_state.hpp"

namespace ccsim::scenario {
namespace {

// Shortest text that reads back as the same double.
std::string exact(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string write_start_states(const std::vector<StartState>& states, const Scenario& s,
                               const std::string& comment) {
  YAML::Emitter out;
  out << YAML::Comment(comment) << YAML::Newline;
  out << YAML::BeginSeq;
  auto name_of_type = [&](int t) { return s.contact_types[static_cast<std::size_t>(t)].name; };
  // Only a line other than the type's own is written.
  auto line = [&](int type, int l) {
    if (l == kOwnLine || l == own_line(s, type)) return;
    out << YAML::Key << "line" << YAML::Value << (l < 0 ? "none" : s.lines[static_cast<std::size_t>(l)].name);
  };
  auto held = [&](const StartState::Held& h) {
    out << YAML::Key << "type" << YAML::Value << name_of_type(h.type);
    line(h.type, h.line);
    if (std::isnan(h.remaining_s))
      out << YAML::Key << "elapsed" << YAML::Value << exact(h.elapsed_s);
    else
      out << YAML::Key << "remaining" << YAML::Value << exact(h.remaining_s);
    if (!h.callback) return;
    const StartState::CallOut& c = *h.callback;
    out << YAML::Key << "callback" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "requested"
        << YAML::Value << exact(c.requested_s) << YAML::Key << "tries" << YAML::Value << c.tries;
    if (c.reaches >= 0) out << YAML::Key << "reaches" << YAML::Value << (c.reaches ? "true" : "false");
    if (!std::isnan(c.delay_s)) out << YAML::Key << "delay" << YAML::Value << exact(c.delay_s);
    out << YAML::EndMap;
  };
  for (const StartState& st : states) {
    out << YAML::BeginMap << YAML::Key << "time" << YAML::Value << YAML::DoubleQuoted << st.time_text;
    out << YAML::Key << "waiting" << YAML::Value << YAML::BeginSeq;
    for (const auto& w : st.waiting) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << name_of_type(w.type)
          << YAML::Key << "waited" << YAML::Value << exact(w.waited_s);
      if (w.count != 1) out << YAML::Key << "count" << YAML::Value << w.count;
      if (w.attempt != 1) out << YAML::Key << "attempt" << YAML::Value << w.attempt;
      line(w.type, w.line);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::Key << "agents" << YAML::Value << YAML::BeginSeq;
    for (const auto& a : st.agents) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "group" << YAML::Value
          << s.agent_groups[static_cast<std::size_t>(a.group)].name << YAML::Key << "state" << YAML::Value
          << to_string(a.activity);
      if (a.activity == AgentActivity::busy && a.held.size() > 1) {
        out << YAML::Key << "chats" << YAML::Value << YAML::BeginSeq;
        for (const auto& h : a.held) {
          out << YAML::BeginMap;
          held(h);
          out << YAML::EndMap;
        }
        out << YAML::EndSeq;
      } else if (!a.held.empty()) {
        held(a.held.front());
      } else if (!std::isnan(a.until_s)) {
        out << YAML::Key << "remaining" << YAML::Value << exact(a.until_s - st.time_s);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    if (!st.redials.empty()) {
      out << YAML::Key << "redials" << YAML::Value << YAML::BeginSeq;
      for (const auto& r : st.redials)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << name_of_type(r.type)
            << YAML::Key << "in" << YAML::Value << exact(r.at_s - st.time_s) << YAML::Key << "attempt"
            << YAML::Value << r.attempt << YAML::EndMap;
      out << YAML::EndSeq;
    }
    if (!st.callbacks.empty()) {
      out << YAML::Key << "callbacks" << YAML::Value << YAML::BeginSeq;
      for (const auto& c : st.callbacks) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << name_of_type(c.type)
            << YAML::Key << "requested" << YAML::Value << exact(c.requested_s) << YAML::Key << "tries"
            << YAML::Value << c.tries;
        if (!std::isnan(c.next_try_s))
          out << YAML::Key << "next_try_in" << YAML::Value << exact(c.next_try_s - st.time_s);
        else if (!std::isnan(c.queued_s) && c.queued_s != c.requested_s)
          out << YAML::Key << "queued" << YAML::Value << exact(c.queued_s);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  return std::string(out.c_str()) + "\n";
}

}  // namespace ccsim::scenario
