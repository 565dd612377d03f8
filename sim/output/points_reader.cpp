// A sweep's /points read back: one column per swept path, numbers or text.
#include <hdf5.h>

#include <cstdio>
#include <string>

#include "output/hdf5_reader.hpp"
#include "output/results_file.hpp"

namespace ccsim::output {
namespace {

using namespace detail;

constexpr std::size_t kText = 256;  // the writer's text columns are at most this wide

struct NumberCell {
  std::int32_t index;
  double value;
};
struct TextCell {
  std::int32_t index;
  char value[kText];
};

std::string shortest(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

}  // namespace

SweepPoints read_points(const std::string& path) {
  const File f(path);
  SweepPoints out;
  if (!f.has("/points")) return out;
  for (const auto& [column, is_text] : f.columns("/points")) {
    if (column == "index") continue;
    const std::size_t axis = out.paths.size();
    out.paths.push_back(column);
    auto place = [&](std::int32_t index, std::string value) {
      if (index < 0 || index >= 1'000'000)
        f.damaged("/points: index " + std::to_string(index) + " is out of place");
      if (out.values.size() <= static_cast<std::size_t>(index)) out.values.resize(static_cast<std::size_t>(index) + 1);
      auto& row = out.values[static_cast<std::size_t>(index)];
      if (row.size() <= axis) row.resize(axis + 1);
      row[axis] = std::move(value);
    };
    if (is_text) {
      for (const auto& c : f.table<TextCell>("/points", {number("index", offsetof(TextCell, index), H5T_NATIVE_INT32),
                                                          text(column.c_str(), offsetof(TextCell, value), kText)}))
        place(c.index, c.value);
    } else {
      for (const auto& c :
           f.table<NumberCell>("/points", {number("index", offsetof(NumberCell, index), H5T_NATIVE_INT32),
                                           number(column.c_str(), offsetof(NumberCell, value), H5T_NATIVE_DOUBLE)}))
        place(c.index, shortest(c.value));
    }
  }
  for (auto& row : out.values) row.resize(out.paths.size());
  return out;
}

}  // namespace ccsim::output
