// A parameter sweep: field paths, each given a list of values (`--grid`, `--range` or a `sweep` section),
// combined into points, each point the base scenario with its overrides. Plain data and its readers; the
// model runs the points (model/sweep.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

// A field path and the values it takes, each an override located where it was given.
struct SweepAxis {
  std::string path;
  std::vector<Override> values;
  std::string origin;  // where the axis was given, for errors about it as a whole
};

struct Sweep {
  std::vector<std::string> paths;             // one /points column each, in the order given
  std::vector<std::vector<Override>> points;  // each point's overrides, one per path
  // "agents=20, patience.mean=60": a point as a person reads it, in messages and headings.
  [[nodiscard]] std::string label(std::size_t point) const;
};

// Neighbouring points: two points whose values differ in one path only, the second holding the next value
// of that path (in the order the values first appear), e.g. agents 20 -> 21 at the same patience. From the
// points' values alone (values[point][path]), so that a results file's /points is enough. When no two
// points share all but one value (a zipped sweep), each point and the next, with `path` = `paths` (all).
struct Neighbours {
  std::size_t path, from, to;
};
std::vector<Neighbours> neighbours(const std::vector<std::vector<std::string>>& values, std::size_t paths);

// A sweep past this many points is a typo (a step of 0.001 meant as 0.1), not a study.
inline constexpr std::size_t kMaxSweepPoints = 100'000;

// `--grid 'PATH=[V1, V2, ...]'` (a YAML flow list) and `--range PATH=FROM,TO,STEP` (TO included when the
// steps reach it); InputError located on the command line.
SweepAxis grid_axis(const std::string& arg);
SweepAxis range_axis(const std::string& arg);
// The axes of a scenario's `sweep` section: {grid: {PATH: [V1, ...]}, range: {PATH: "FROM,TO,STEP"},
// zip: true|false}; none when it has no such section. Errors name file:line:column.
std::vector<SweepAxis> file_axes(const std::string& text, const std::string& path, bool* zip);
// The points: the full factorial (the last axis varying fastest) or, zipped, the i-th value of every axis
// (all of one length). A path swept twice, or too many points, is an InputError.
Sweep combine(const std::vector<SweepAxis>& axes, bool zip);

// Point `i` of `sweep`: the study read with `sets` and then the point's overrides.
Study point_study(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                  const Sweep& sweep, std::size_t i);
// Reads every point's study and throws one InputError with every point's errors, each line naming its
// point; nothing runs until all points read cleanly. `check` is called on each point's study (the CLI's
// work limits), its InputError counted like the rest.
void validate_points(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                     const Sweep& sweep, const std::function<void(const Study&)>& check);

}  // namespace ccsim::scenario
