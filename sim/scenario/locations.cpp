// The `locations` section: where agents work and what home work costs in capacity.
#include <set>
#include <string>

#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario {

int home_location(const Scenario& s) {
  for (std::size_t i = 0; i < s.locations.size(); ++i)
    if (s.locations[i].name == "home") return static_cast<int>(i);
  return -1;
}

namespace sections {

void read_locations(const Field& f, Scenario& s) {
  if (!f.node().IsMap()) f.fail("expected a map of locations, e.g. home: {handle_time_factor: 1.2}");
  std::set<std::string> seen;
  for (const auto& kv : f.node()) {
    const std::string name = read_name(Field(kv.first, f.path(), f.file()), NameKind::location, &seen);
    const Field l = f.child(kv.second, f.path() + "." + name);
    l.expect_map({"handle_time_factor", "interruptions", "cost_per_hour"});
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
    if (l.has("cost_per_hour")) loc.cost_per_hour = l["cost_per_hour"].money();
    if (name == "office")
      s.locations[0] = loc;  // the office may be described too
    else
      s.locations.push_back(loc);
  }
}

}  // namespace sections
}  // namespace ccsim::scenario
