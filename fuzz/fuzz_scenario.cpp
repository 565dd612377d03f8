// The scenario loader with validation, from memory: anything but an InputError (a crash, a hang, a
// sanitizer report, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "model/model.hpp"
#include "scenario/scenario.hpp"
#include "scenario/work_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The fuzzer reads from memory only: a scenario naming a forecast file would read the disk.
  if (text.find("forecast") != std::string::npos) return -1;
  try {
    const ccsim::scenario::Study study = ccsim::scenario::parse_study(text, "fuzz.yaml");
    for (const auto& s : study.policies) {
      ccsim::scenario::check_work(s, {});
      // Small enough to build quickly: what validate and run do next.
      (void)ccsim::model::build_model(s);
    }
  } catch (const ccsim::InputError&) {
  }
  return 0;
}
