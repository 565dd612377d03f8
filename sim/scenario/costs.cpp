// The `costs` section: whether absent agents are paid, and the default price of an abandoned or unserved
// contact. Rates per hour belong to agent groups and locations, prices per lost contact to contact types
// (which fall back on these defaults), so a policy can change any of them by its override path.
#include "scenario/sections.hpp"

namespace ccsim::scenario {

bool has_costs(const Scenario& s) {
  for (const auto& g : s.agent_groups)
    if (g.cost_per_hour > 0.0) return true;
  for (const auto& l : s.locations)
    if (l.cost_per_hour > 0.0) return true;
  for (const auto& t : s.contact_types)
    if (t.cost_per_abandoned > 0.0 || t.cost_per_unserved > 0.0) return true;
  return false;
}

namespace sections {

void read_costs(const Field& f, Scenario& s) {
  f.expect_map({"absence_paid", "per_abandoned", "per_unserved"});
  if (f.has("absence_paid")) s.costs.absence_paid = f["absence_paid"].choice({"true", "false"}) == "true";
  if (f.has("per_abandoned")) s.costs.per_abandoned = f["per_abandoned"].money();
  if (f.has("per_unserved")) s.costs.per_unserved = f["per_unserved"].money();
}

}  // namespace sections
}  // namespace ccsim::scenario
