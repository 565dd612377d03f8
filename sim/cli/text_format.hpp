// Escaping and padding shared by the summary, compare and the report: one place, so that a name with a
// quote, a comma or a multi-byte character comes out whole and well-formed in every format.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ccsim::cli {

// Every JSON ccsim prints is built as a value of the library (which escapes every string) and printed by
// print_json; keys keep the order they were added in.
using Json = nlohmann::ordered_json;
// A JSON number, or null for NaN and infinities (JSON has neither).
Json json_number(double x);
// Indented JSON and a newline. Strings that are not UTF-8 (never from a scenario, whose names are checked)
// come out with U+FFFD rather than ending the output half-way.
void print_json(std::ostream& os, const Json& value);

// A CSV number: shortest text that reads back as the same double, empty for NaN and infinities.
std::string csv_number(double x);
// A CSV field (RFC 4180): quoted, with inner quotes doubled, when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& s);
// Text for HTML element content and attribute values.
std::string html_escape(const std::string& s);
// Pads to `width` characters (UTF-8 code points, so "±" counts once); always at least one space after.
std::string pad(const std::string& s, std::size_t width);

}  // namespace ccsim::cli
