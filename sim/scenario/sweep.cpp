#include "scenario/sweep.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
namespace {

// "PATH=REST" of a command-line axis.
std::pair<std::string, std::string> split_axis(const std::string& arg, const std::string& origin,
                                               const char* example) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError(origin + ": expected " + example);
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// Digits after the decimal point of a number as written ("0.25" -> 2), so that range values are printed
// as a person would write them (0.3, not 0.30000000000000004).
int decimals(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos || text.find_first_of("eE") != std::string::npos) return 0;
  return static_cast<int>(text.size() - dot - 1);
}

std::string number_text(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

// The values FROM, FROM + STEP, ... up to TO (included when reached, within rounding).
std::vector<std::string> range_values(const std::vector<std::string>& parts, const std::string& origin) {
  if (parts.size() != 3) throw InputError(origin + ": expected FROM,TO,STEP, e.g. 20,30,2");
  double v[3];
  for (int i = 0; i < 3; ++i) {
    const std::string& t = parts[static_cast<std::size_t>(i)];
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v[i]);
    if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v[i]))
      throw InputError(origin + ": '" + t + "' is not a number (FROM,TO,STEP are plain numbers)");
  }
  const double from = v[0], to = v[1], step = v[2];
  if (step == 0.0 || (to - from) * step < 0.0)
    throw InputError(origin + ": STEP must be non-zero and lead from FROM to TO");
  const double steps = std::floor((to - from) / step + 1e-9);
  if (steps + 1 > static_cast<double>(kMaxSweepPoints))
    throw InputError(origin + ": more than " + std::to_string(kMaxSweepPoints) + " values");
  const int d = std::max({decimals(parts[0]), decimals(parts[1]), decimals(parts[2])});
  const double scale = std::pow(10.0, d);
  std::vector<std::string> out;
  for (long i = 0; i <= static_cast<long>(steps); ++i)
    out.push_back(number_text(std::round((from + static_cast<double>(i) * step) * scale) / scale));
  return out;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream is(text);
  while (std::getline(is, part, ',')) {
    const auto b = part.find_first_not_of(" \t"), e = part.find_last_not_of(" \t");
    parts.push_back(b == std::string::npos ? "" : part.substr(b, e - b + 1));
  }
  return parts;
}

// A value as YAML text, to be read again as an override (flow style: one line, as the /points column).
std::string yaml_text(const YAML::Node& node) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << node;
  return out.c_str();
}

}  // namespace

std::string Sweep::label(std::size_t point) const {
  std::string s;
  for (std::size_t j = 0; j < paths.size(); ++j)
    s += (j ? ", " : "") + paths[j] + "=" + points[point][j].value;
  return s;
}

SweepAxis grid_axis(const std::string& arg) {
  const std::string origin = "command line: --grid '" + arg + "'";
  auto [path, list] =
      split_axis(arg, origin, "PATH=[V1, V2, ...], e.g. --grid 'agent_groups.desk.agents=[20, 25]'");
  YAML::Node values;
  try {
    values = YAML::Load(list);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": not a YAML list: " + e.msg);
  }
  if (!values.IsSequence() || values.size() == 0)
    throw InputError(origin + ": expected a non-empty list of values in brackets, e.g. [20, 25, 30]");
  SweepAxis axis{path, {}, origin};
  for (std::size_t i = 0; i < values.size(); ++i)
    axis.values.push_back({path, yaml_text(values[i]), origin + " value " + std::to_string(i + 1)});
  return axis;
}

SweepAxis range_axis(const std::string& arg) {
  const std::string origin = "command line: --range " + arg;
  auto [path, spec] =
      split_axis(arg, origin, "PATH=FROM,TO,STEP, e.g. --range agent_groups.desk.agents=20,30,2");
  SweepAxis axis{path, {}, origin};
  for (const auto& v : range_values(split_commas(spec), origin))
    axis.values.push_back({path, v, origin + " value " + v});
  return axis;
}

std::vector<SweepAxis> file_axes(const std::string& text, const std::string& path, bool* zip) {
  const YAML::Node root = sections::load_yaml(text, path);
  std::vector<SweepAxis> axes;
  if (!root.IsMap() || !root["sweep"]) return axes;
  const Field sweep(root["sweep"], "sweep", &path);
  sweep.expect_map({"grid", "range", "zip"});
  if (sweep.has("zip")) *zip = sweep["zip"].choice({"true", "false"}) == "true";
  ErrorList errors;
  auto each_path = [&](const char* section,
                       const std::function<void(const std::string&, const Field&)>& read) {
    if (!sweep.has(section)) return;
    const Field f = sweep[section];
    if (!f.node().IsMap()) f.fail("expected a map of field paths, e.g. agent_groups.desk.agents: [20, 25]");
    for (const auto& kv : f.node()) {
      const Field key(kv.first, f.path(), &path);
      errors.attempt(key, [&] {
        if (!kv.first.IsScalar()) key.fail("a field path must be plain text");
        read(kv.first.Scalar(), Field(kv.second, f.path() + "." + kv.first.Scalar(), &path));
      });
    }
  };
  errors.attempt(sweep, [&] {
    each_path("grid", [&](const std::string& p, const Field& list) {
      SweepAxis axis{p, {}, list.where()};
      const std::vector<Field> items = list.items();
      if (items.empty()) list.fail("give at least one value");
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Field at(items[i].node(), list.path() + "[" + std::to_string(i) + "]", &path);
        axis.values.push_back({p, yaml_text(items[i].node()), at.where()});
      }
      axes.push_back(std::move(axis));
    });
  });
  errors.attempt(sweep, [&] {
    each_path("range", [&](const std::string& p, const Field& spec) {
      SweepAxis axis{p, {}, spec.where()};
      std::vector<std::string> parts;
      if (spec.node().IsSequence())
        for (const Field& x : spec.items()) parts.push_back(x.text());
      else
        parts = split_commas(spec.text());
      try {
        for (const auto& v : range_values(parts, spec.where()))
          axis.values.push_back({p, v, spec.where() + " value " + v});
      } catch (const InputError& e) {
        spec.fail(std::string(e.what()).substr(spec.where().size() + 2));
      }
      axes.push_back(std::move(axis));
    });
  });
  errors.throw_if_any();
  return axes;
}

Sweep combine(const std::vector<SweepAxis>& axes, bool zip) {
  Sweep sweep;
  if (axes.empty()) return sweep;
  std::set<std::string> seen;
  std::size_t count = zip ? axes.front().values.size() : 1;
  for (const auto& a : axes) {
    if (!seen.insert(a.path).second) throw InputError(a.origin + ": " + a.path + " is swept twice");
    // Every point runs with the same seed and replications (common random numbers): they are the run's.
    if (a.path == "seed" || a.path == "replications")
      throw InputError(a.origin + ": " + a.path + " is the same for every point of a sweep (set it with " +
                       (a.path == "seed" ? "-s" : "-r") + ")");
    if (zip && a.values.size() != count)
      throw InputError(a.origin + ": --zip pairs the i-th values of every axis, but " + a.path + " has " +
                       std::to_string(a.values.size()) + " values and " + axes.front().path + " has " +
                       std::to_string(count));
    if (!zip) {
      if (count * a.values.size() > kMaxSweepPoints)
        throw InputError(a.origin + ": the grid has more than " + std::to_string(kMaxSweepPoints) +
                         " points");
      count *= a.values.size();
    }
    sweep.paths.push_back(a.path);
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<Override> point;
    std::size_t rest = i;
    std::vector<std::size_t> at(axes.size());
    for (std::size_t j = axes.size(); j-- > 0;) {  // the last axis varies fastest
      at[j] = zip ? i : rest % axes[j].values.size();
      if (!zip) rest /= axes[j].values.size();
    }
    for (std::size_t j = 0; j < axes.size(); ++j) point.push_back(axes[j].values[at[j]]);
    sweep.points.push_back(std::move(point));
  }
  return sweep;
}

Study point_study(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                  const Sweep& sweep, std::size_t i) {
  std::vector<Override> all = sets;
  all.insert(all.end(), sweep.points[i].begin(), sweep.points[i].end());
  return parse_study(text, path, all);
}

void validate_points(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                     const Sweep& sweep, const std::function<void(const Study&)>& check) {
  std::vector<std::string> lines;
  std::set<std::string> seen;
  constexpr std::size_t kMaxLines = ErrorList::kMaxErrors;
  for (std::size_t i = 0; i < sweep.points.size() && lines.size() < kMaxLines; ++i) {
    try {
      check(point_study(text, path, sets, sweep, i));
    } catch (const InputError& e) {
      std::istringstream is(e.what());
      for (std::string line; std::getline(is, line) && lines.size() < kMaxLines;)
        lines.push_back(line + " (in sweep point " + std::to_string(i) + ": " + sweep.label(i) + ")");
    }
  }
  if (lines.empty()) return;
  std::string all;
  for (const auto& l : lines) all += (all.empty() ? "" : "\n") + l;
  if (lines.size() >= kMaxLines) all += "\n(stopped after " + std::to_string(kMaxLines) + " errors)";
  throw InputError(all);
}

std::vector<Neighbours> neighbours(const std::vector<std::vector<std::string>>& values, std::size_t paths) {
  std::vector<Neighbours> out;
  for (std::size_t a = 0; a < paths; ++a) {
    // Each path's values in the order they first appear, and where each point's value stands in it.
    std::map<std::string, std::size_t> rank;
    for (const auto& point : values)
      if (a < point.size()) rank.emplace(point[a], rank.size());
    // The other paths' values name a line along this path; along it, each point to the next value's.
    // Lines in the order their first point comes.
    std::map<std::vector<std::string>, std::size_t> line_of;
    std::vector<std::map<std::size_t, std::size_t>> lines;
    for (std::size_t p = 0; p < values.size(); ++p) {
      if (values[p].size() != paths) continue;
      std::vector<std::string> others = values[p];
      others.erase(others.begin() + static_cast<std::ptrdiff_t>(a));
      const std::size_t l = line_of.emplace(others, lines.size()).first->second;
      if (l == lines.size()) lines.emplace_back();
      lines[l].emplace(rank[values[p][a]], p);  // a repeated point keeps its first index
    }
    for (const auto& line : lines)
      for (auto it = line.begin(); std::next(it) != line.end(); ++it)
        out.push_back({a, it->second, std::next(it)->second});
  }
  // A zipped sweep moves every path at once: its points are one line, each to the next.
  if (out.empty())
    for (std::size_t p = 0; p + 1 < values.size(); ++p) out.push_back({paths, p, p + 1});
  return out;
}

}  // namespace ccsim::scenario
