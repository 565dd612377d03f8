// sim/scenario: reads and validates scenario files into plain data. It holds no simulation logic; every
// error names file:line:column and the field, and is raised before anything runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/distribution.hpp"

namespace ccsim::scenario {

enum class Channel { voice };

// Which contacts the service level counts (numerator is always "answered within tau").
enum class ServiceLevelDefinition {
  offered,                       // / offered (default; abandoned calls count against)
  offered_minus_short_abandons,  // / (offered - abandoned within short_abandon)
  answered,                      // / answered (abandoned calls ignored)
  answered_plus_late_abandons,   // / (answered + abandoned after tau)
};

struct ContactType {
  std::string name;
  Channel channel = Channel::voice;
  std::vector<double> volume;  // expected contacts per interval (Poisson mean), one per interval
  engine::Distribution handle_time;
  engine::Distribution patience;  // never(): callers do not abandon
};

struct AgentGroup {
  std::string name;
  int agents = 0;  // staffed for the whole day; they stay after closing until the queue is empty
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_path;  // as given on the command line
  std::string source_text;  // the file's text, stored in results so they explain themselves

  double open_s = 0.0;       // clock time of the first interval, seconds after midnight (display only)
  double interval_s = 1800;  // interval length
  int intervals = 0;
  int warmup_intervals = 0;  // excluded from day totals (for steady-state studies)

  double tau_s = 20.0;
  ServiceLevelDefinition sl_definition = ServiceLevelDefinition::offered;
  double short_abandon_s = 5.0;

  std::vector<ContactType> contact_types;
  std::vector<AgentGroup> agent_groups;

  std::uint64_t seed = 1;
  int replications = 10;

  [[nodiscard]] double day_length_s() const { return interval_s * intervals; }
};

// Reads and validates a scenario file; throws InputError naming file:line:column and field.
Scenario load_scenario(const std::string& path);
// The same from text already in memory; `path` is used in messages only.
Scenario parse_scenario(const std::string& text, const std::string& path);

const char* to_string(ServiceLevelDefinition d);
std::string format_clock(double seconds_after_midnight);  // "08:30" (or "08:30:15" off the minute)

}  // namespace ccsim::scenario
