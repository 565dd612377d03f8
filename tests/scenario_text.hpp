// Scenario texts edited for a test, and the error a text gives: shared by the tests of located errors.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "common/error.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::testing {

// `text` with the first `from` replaced by `to` (which must be there).
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The message of the InputError the study `text` gives (read as "bad.yaml"); the test fails without one.
inline std::string error_of(const std::string& text) {
  try {
    scenario::parse_study(text, "bad.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no error for:\n" << text);
  return {};
}

}  // namespace ccsim::testing
