// The `routing` section: how agents and waiting contacts are matched (the graph itself is checked in
// routing_graph.cpp).
#include <string>

#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

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

}  // namespace ccsim::scenario::sections
