// Reading a user's input file (scenario or forecast) with the limits that keep hostile input harmless.
#pragma once

#include <cstddef>
#include <string>

namespace ccsim::scenario {

// The largest scenario file read: far beyond any roster, and yaml-cpp parses it in well under a second.
inline constexpr std::size_t kMaxScenarioBytes = 1u << 20;
// The largest forecast CSV read: a year of quarter-hours for dozens of contact types.
inline constexpr std::size_t kMaxForecastBytes = 64u << 20;

// Standard input's name in messages.
inline constexpr const char* kStdinName = "<stdin>";

// The whole of `path` (a regular file, or "-" for standard input) as text, or an InputError naming it:
// missing, not a regular file (a directory, a device such as /dev/zero), unreadable, or over `max_bytes`.
// `what` names the input in messages ("scenario file").
std::string read_input(const std::string& path, std::size_t max_bytes, const char* what);

// The name `path` goes by in messages: "<stdin>" for "-".
std::string input_name(const std::string& path);

// `text` without a leading UTF-8 byte-order mark (spreadsheets write one; it is not part of the first cell).
std::string without_bom(std::string text);

}  // namespace ccsim::scenario
