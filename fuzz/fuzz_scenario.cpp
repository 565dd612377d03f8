// The scenario loader with validation, from memory: anything but an InputError (a crash, a hang, a
// sanitizer report, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "model/capacity.hpp"
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
      // What validate does next, within its budget: the model, the unstaffed-skill warnings, the max-flow.
      if (ccsim::model::analysis_work(s) > ccsim::model::kAnalysisBudget) continue;
      const ccsim::model::Model m = ccsim::model::build_model(s);
      (void)ccsim::model::unstaffed_skills(m, s);
      (void)ccsim::model::capacity_check(m);
    }
  } catch (const ccsim::InputError&) {
  }
  return 0;
}
