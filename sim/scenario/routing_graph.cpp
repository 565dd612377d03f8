#include "scenario/routing_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <vector>

#include "common/error.hpp"

namespace ccsim::scenario {
namespace {

using TransferGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

bool has_arrivals(const ContactType& t) {
  if (t.has_appointments) return true;
  for (double v : t.volume)
    if (v > 0.0) return true;
  return false;
}

}  // namespace

void validate_routing(const Scenario& s) {
  const auto types = s.contact_types.size();
  std::vector<bool> served(types, false);
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills) served[static_cast<std::size_t>(k.type)] = true;
  for (std::size_t t = 0; t < types; ++t)
    if (!served[t])
      throw InputError(s.contact_types[t].where + ": no agent group has a skill for contact type '" +
                       s.contact_types[t].name + "'; add it to some group's skills");

  TransferGraph g(types);
  for (std::size_t t = 0; t < types; ++t)
    for (const auto& x : s.contact_types[t].transfers)
      if (x.probability > 0.0) boost::add_edge(t, static_cast<std::size_t>(x.to), g);

  // Every type must be reachable from the arrivals along transfers.
  std::vector<boost::default_color_type> colour(types, boost::white_color);
  auto colours = boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, g));
  for (std::size_t t = 0; t < types; ++t)
    if (has_arrivals(s.contact_types[t]) && colour[t] == boost::white_color)
      boost::breadth_first_visit(g, t, boost::visitor(boost::default_bfs_visitor()).color_map(colours));
  // Redials arrive as their `as` type: reaching a type, callers reach it too (and from there its transfers).
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t t = 0; t < types; ++t) {
      const Redial& r = s.contact_types[t].redial;
      bool calls_again = false;
      for (const auto& p : r.probability)
        for (double x : p) calls_again |= x > 0.0;
      if (colour[t] == boost::white_color || !r.any() || !calls_again || r.as < 0 ||
          colour[static_cast<std::size_t>(r.as)] != boost::white_color)
        continue;
      boost::breadth_first_visit(g, static_cast<std::size_t>(r.as),
                                 boost::visitor(boost::default_bfs_visitor()).color_map(colours));
      grew = true;
    }
  }
  for (std::size_t t = 0; t < types; ++t)
    if (colour[t] == boost::white_color)
      throw InputError(s.contact_types[t].where + ": contact type '" + s.contact_types[t].name +
                       "' never arrives: give it calls_per_hour or volume, or transfer contacts into it");

  // A strongly connected set of types that nothing leaves (every transfer probability adds to 1 and stays
  // inside) keeps a contact forever: its expected number of visits is infinite.
  std::vector<int> component(types);
  const int components = boost::strong_components(
      g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  for (int c = 0; c < components; ++c) {
    bool cycle = false, leaks = false;
    std::size_t first = types;
    std::size_t members = 0;
    for (std::size_t t = 0; t < types; ++t) {
      if (component[t] != c) continue;
      ++members;
      if (first == types) first = t;
      double total = 0.0;
      for (const auto& x : s.contact_types[t].transfers) {
        total += x.probability;
        if (x.probability > 0.0 && component[static_cast<std::size_t>(x.to)] != c) leaks = true;
        if (x.probability > 0.0 && static_cast<std::size_t>(x.to) == t) cycle = true;
      }
      if (total < 1.0 - 1e-12) leaks = true;
    }
    if ((members > 1 || cycle) && !leaks) {
      std::string names;
      for (std::size_t t = 0; t < types; ++t)
        if (component[t] == c) names += (names.empty() ? "'" : ", '") + s.contact_types[t].name + "'";
      throw InputError(s.contact_types[first].transfers.front().where + ": transfers between " + names +
                       " form a cycle no contact ever leaves (the expected number of transfers is infinite); "
                       "lower a probability below 1 or transfer out of the cycle");
    }
  }
}

}  // namespace ccsim::scenario
