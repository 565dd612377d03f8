// The observed-values CSV reader (empirical distributions, `ccsim fit`), from memory, with a censoring column.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "scenario/data_column.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* censored_by : {"", "outcome"}) {
    try {
      ccsim::scenario::parse_data_column(text, "fuzz.csv", {"seconds", censored_by, " (fuzz)"});
    } catch (const ccsim::InputError&) {
    }
  }
  return 0;
}
