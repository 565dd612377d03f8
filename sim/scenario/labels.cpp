// Names of enum values and clock and interval labels, as messages, summaries and output files print them.
#include <cmath>
#include <cstdio>
#include <string>

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

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

}  // namespace ccsim::scenario
