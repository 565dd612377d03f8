// The forecast CSV reader, from memory, against a fixed scenario of two types over two days.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "scenario/forecast_csv.hpp"
#include "scenario/scenario.hpp"

namespace {

const ccsim::scenario::Scenario& base() {
  static const ccsim::scenario::Scenario s = ccsim::scenario::parse_scenario(R"(name: fuzz
day: {open: "08:00", interval: 30min, intervals: 4}
days: {count: 2, labels: [mon, tue]}
contact_types:
  - {name: general, calls_per_hour: 10, handle_time: {distribution: exponential, mean: 60}}
  - {name: billing, calls_per_hour: 10, handle_time: {distribution: exponential, mean: 60}}
agent_groups:
  - {name: g, agents: 3}
)",
                                                                             "fuzz.yaml");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ccsim::scenario::Scenario s = base();
  try {
    ccsim::scenario::parse_forecast_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv",
                                        s);
  } catch (const ccsim::InputError&) {
  }
  return 0;
}
