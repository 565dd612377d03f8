// The cells of a line of a CSV file as ccsim reads them (forecasts, observed values): split at commas, each
// trimmed, with the column it starts at so that an error can point at it.
#pragma once

#include <string>
#include <vector>

namespace ccsim::scenario {

struct CsvCell {
  std::string text;
  int column;  // 1-based character column where the cell starts
};

inline std::vector<CsvCell> csv_cells(const std::string& line) {
  std::vector<CsvCell> cells;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = line.find(',', start);
    std::string text = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t b = text.find_first_not_of(" \t\r"), e = text.find_last_not_of(" \t\r");
    cells.push_back({b == std::string::npos ? "" : text.substr(b, e - b + 1), static_cast<int>(start + 1)});
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

// A line without data: blank, or a comment starting with '#'.
inline bool csv_skipped(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first == std::string::npos || line[first] == '#';
}

}  // namespace ccsim::scenario
