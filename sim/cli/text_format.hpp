// Escaping and padding shared by the summary, compare and the report: one place, so that a name with a
// quote, a comma or a multi-byte character comes out whole and well-formed in every format.
#pragma once

#include <string>

namespace ccsim::cli {

// A JSON string literal: quotes, backslashes and control characters escaped; UTF-8 passed through.
std::string json_string(const std::string& s);
// A JSON number, or null for NaN and infinities (JSON has neither).
std::string json_number(double x);
// A CSV field (RFC 4180): quoted, with inner quotes doubled, when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& s);
// Text for HTML element content and attribute values.
std::string html_escape(const std::string& s);
// Pads to `width` characters (UTF-8 code points, so "±" counts once); always at least one space after.
std::string pad(const std::string& s, std::size_t width);

}  // namespace ccsim::cli
