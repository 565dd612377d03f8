// A contact type's `redial` (callers who call again after being blocked, balking or abandoning) and
// `queue_limit`, read once every type is known, since `as` names another type.
#include <algorithm>
#include <string>
#include <vector>

#include "scenario/sections.hpp"

namespace ccsim::scenario {

const char* to_string(RedialCause c) {
  switch (c) {
    case RedialCause::blocked:
      return "blocked";
    case RedialCause::balked:
      return "balked";
    case RedialCause::abandoned:
      return "abandoned";
  }
  return "?";
}

namespace sections {

namespace {

// A probability, or a list of them by attempt (the probability of calling again after attempt 1, 2, ...).
std::vector<double> read_by_attempt(const Field& f) {
  if (f.node().IsScalar()) return {f.probability()};
  std::vector<double> out;
  for (const Field& x : f.items()) out.push_back(x.probability());
  if (out.empty()) f.fail("give at least one probability (after the first attempt)");
  return out;
}

// A type a caller may be, or call again as: callers and walk-ins, not e-mail or booked customers.
void check_may_redial(const Field& f, const ContactType& c, const char* what) {
  if (c.channel == Channel::email)
    f.fail("'" + c.name + "' is e-mail: it is never blocked, balked or abandoned, so it " + what);
  if (c.has_appointments)
    f.fail("'" + c.name + "' has appointments: a booked customer comes at the slot, so it " + what);
}

}  // namespace

void read_queue_limit(const Field& t, ContactType& c) {
  if (!t.has("queue_limit")) return;
  const Field f = t["queue_limit"];
  check_may_redial(f, c, "takes no queue limit");
  c.queue_limit = static_cast<int>(f.integer(0, 1'000'000));
}

void read_redial(const Field& t, ContactType& c, const Scenario& s) {
  if (!t.has("redial")) return;
  const Field f = t["redial"];
  f.expect_map({"probability", "delay", "max_attempts", "as"});
  check_may_redial(f, c, "does not redial");
  Redial r;
  r.where = f.where();
  const Field p = f["probability"];
  std::size_t longest = 0;  // the longest list by attempt (a single number holds for every attempt)
  auto read = [&](const Field& x) {
    std::vector<double> v = read_by_attempt(x);
    if (x.node().IsSequence()) longest = std::max(longest, v.size());
    return v;
  };
  if (p.node().IsMap()) {
    p.expect_map({"blocked", "balked", "abandoned"});
    for (int k = 0; k < kRedialCauses; ++k) {
      const char* cause = to_string(static_cast<RedialCause>(k));
      if (p.has(cause)) r.probability[static_cast<std::size_t>(k)] = read(p[cause]);
    }
  } else {
    r.probability.fill(read(p));
  }
  const bool list = longest > 0;
  r.delay = f["delay"].distribution(false);
  if (f.has("max_attempts")) {
    r.max_attempts = static_cast<int>(f["max_attempts"].integer(1, 100));
    if (longest > static_cast<std::size_t>(r.max_attempts - 1))
      p.fail("gives a probability after attempt " + std::to_string(longest) + " but max_attempts is " +
             std::to_string(r.max_attempts) + ": no attempt follows attempt " +
             std::to_string(r.max_attempts));
  } else if (list) {
    r.max_attempts = static_cast<int>(longest) + 1;
  } else {
    f.fail(
        "give max_attempts (the most calls a caller makes, the first included), or the probabilities as a "
        "list by attempt");
  }
  if (f.has("as")) {
    r.as = type_index(f["as"], s);
    check_may_redial(f["as"], s.contact_types[static_cast<std::size_t>(r.as)], "cannot take redials");
  }
  c.redial = r;
}

void read_lines(const Field& f, Scenario& s) {
  std::vector<std::string> names;
  for (const Field& g : f.items()) {
    g.expect_map({"name", "lines", "types"});
    LineGroup l;
    l.where = g.where();
    l.name = g["name"].text();
    if (std::find(names.begin(), names.end(), l.name) != names.end())
      g["name"].fail("a second line group named '" + l.name + "'");
    names.push_back(l.name);
    l.lines = static_cast<int>(g["lines"].integer(1, 1'000'000));
    const Field types = g["types"];
    for (const Field& x : types.items()) {
      const int t = type_index(x, s);
      check_may_redial(x, s.contact_types[static_cast<std::size_t>(t)], "holds no line");
      for (const LineGroup& other : s.lines)
        if (std::find(other.types.begin(), other.types.end(), t) != other.types.end())
          x.fail("'" + s.contact_types[static_cast<std::size_t>(t)].name + "' is already on the lines of '" +
                 other.name + "': a contact type uses one line group");
      if (std::find(l.types.begin(), l.types.end(), t) != l.types.end())
        x.fail("'" + s.contact_types[static_cast<std::size_t>(t)].name + "' is listed twice");
      l.types.push_back(t);
    }
    if (l.types.empty()) types.fail("list the contact types whose callers take these lines");
    s.lines.push_back(l);
  }
}

}  // namespace sections
}  // namespace ccsim::scenario
