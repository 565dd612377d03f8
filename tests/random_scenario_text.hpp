// Internal to random_scenario.cpp: a portable random source and the scenario text, written in either
// interval length from the same drawn parameters (the part of the generator that knows YAML).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace ccsim::testing::random_text {

// splitmix64: tiny, and the same sequence everywhere (std:: distributions differ between libraries).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  int between(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }

 private:
  std::uint64_t state_;
};

inline std::string clock(int minutes) {  // HH may pass 24: a time after midnight of the opening day
  char buf[16];
  std::snprintf(buf, sizeof buf, "\"%02d:%02d\"", minutes / 60, minutes % 60);
  return buf;
}

inline std::string num(double v) {  // shortest text that reads back as the same double
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

inline std::string minutes(double m) {
  return num(m) + "min";
}

// Per-interval numbers the resolution changes; everything else is fixed text.
struct TypeSpec {
  std::string name, head, tail;
  enum class Arrivals { none, per_hour_scalar, per_hour_list, volume_list } arrivals = Arrivals::none;
  std::vector<double> values;  // per native interval: calls per hour, or expected contacts
  std::vector<double> aht_s;   // per native interval; empty: none
};

inline TypeSpec make_type(std::string name, std::string head = "") {
  TypeSpec t;
  t.name = std::move(name);
  t.head = std::move(head);
  return t;
}

struct Spec {
  bool aligned = false;
  int interval = 60;  // minutes
  int open = 0, units = 0;
  bool use_close = false;
  int warmup_units = 0;
  std::string head, day_extra, days, tail;
  std::vector<TypeSpec> types;
  // Per-interval agent lists, written into `tail` as "@agents<i>@" and expanded by emit() for the interval
  // length (one count per native interval of a day, or of the run).
  std::vector<std::vector<double>> agent_lists;
};

inline std::string list(const std::vector<double>& v, int repeat, double scale, const char* unit) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i)
    for (int r = 0; r < repeat; ++r) s += (s.size() > 1 ? ", " : "") + num(v[i] * scale) + unit;
  return s + "]";
}

inline std::string emit(const Spec& spec, bool quarter) {
  const int repeat = quarter ? spec.interval / 15 : 1, interval = quarter ? 15 : spec.interval;
  std::ostringstream o;
  o << spec.head << "day:\n  open: " << clock(spec.open) << "\n  interval: " << interval << "min\n";
  if (spec.use_close)
    o << "  close: " << clock(spec.open + spec.units * spec.interval) << "\n";
  else
    o << "  intervals: " << spec.units * repeat << "\n";
  if (spec.warmup_units > 0) o << "  warmup: " << spec.warmup_units * spec.interval << "min\n";
  o << spec.day_extra << spec.days << "contact_types:\n";
  for (const TypeSpec& t : spec.types) {
    o << "  - name: " << t.name << "\n" << t.head;
    using A = TypeSpec::Arrivals;
    if (t.arrivals == A::per_hour_scalar) o << "    calls_per_hour: " << num(t.values[0]) << "\n";
    if (t.arrivals == A::per_hour_list)
      o << "    calls_per_hour: " << list(t.values, repeat, 1.0, "") << "\n";
    if (t.arrivals == A::volume_list) o << "    volume: " << list(t.values, repeat, 1.0 / repeat, "") << "\n";
    if (!t.aht_s.empty()) o << "    aht: " << list(t.aht_s, repeat, 1.0, "") << "\n";
    o << t.tail;
  }
  std::string tail = spec.tail;
  for (std::size_t i = 0; i < spec.agent_lists.size(); ++i) {
    const std::string mark = "@agents" + std::to_string(i) + "@";
    tail.replace(tail.find(mark), mark.size(), list(spec.agent_lists[i], repeat, 1.0, ""));
  }
  o << tail;
  return o.str();
}

// The defaults for types without their own prices, and whether absent agents are paid.
inline void costs_section(Rng& rng, std::ostream& o) {
  if (!rng.chance(0.4)) return;
  o << "costs:\n";
  if (rng.chance(0.5)) o << "  absence_paid: " << (rng.chance(0.5) ? "false" : "true") << "\n";
  if (rng.chance(0.7)) o << "  per_abandoned: " << num(rng.between(1, 12) / 2.0) << "\n";
  if (rng.chance(0.4)) o << "  per_unserved: " << rng.between(1, 9) << "\n";
}

// Sometimes wait announcements, and callers' reactions to them; returns whether there are any.
inline bool announcement_section(Rng& rng, std::ostream& o) {
  if (!rng.chance(0.35)) return false;
  o << "announcement:\n  predictor: "
    << rng.pick(std::vector<std::string>{"queue_length", "head_of_line", "last_to_enter_service", "planned"})
    << "\n  message: " << rng.pick(std::vector<std::string>{"none", "predicted_wait", "longer_than_usual"})
    << "\n  threshold: " << rng.between(1, 3) << "min\n  cap: 15min\n";
  if (!rng.chance(0.7)) return true;
  o << "  reaction:\n";
  if (rng.chance(0.5))
    o << "    balk: {table: [[1min, 0], [5min, 0.2], [10min, 0.5]]}\n";
  else
    o << "    balk: {logistic: {midpoint: " << rng.between(3, 8) << "min, scale: 2min}}\n";
  if (rng.chance(0.5)) o << "    patience_factor: " << num(rng.between(8, 14) / 10.0) << "\n";
  if (rng.chance(0.5)) o << "    abandon_when_passed: " << num(rng.between(1, 5) / 10.0) << "\n";
  return true;
}

}  // namespace ccsim::testing::random_text
