// Reading a distribution field: the parametric laws, offsets, and empirical laws from data (inline or a
// CSV file beside the scenario).
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "common/error.hpp"
#include "scenario/data_column.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {

engine::Distribution Field::checked(const engine::Distribution& d) const {
  // Parameters can each be sane and still give a mean or spread no clock can hold (Weibull shape 1e-300).
  const double mean = d.mean(), variance = d.variance();
  const double sd = std::isnan(variance) ? std::numeric_limits<double>::infinity() : std::sqrt(variance);
  if (!std::isfinite(mean) || mean > kMaxDuration || !std::isfinite(sd) || sd > kMaxDuration) {
    std::ostringstream os;
    os << "the distribution's mean (" << mean << " s) and standard deviation (" << sd
       << " s) must each be at most " << kMaxDuration << " s";
    fail(os.str());
  }
  return d;
}

engine::Distribution Field::offset_distribution() const {
  if (!node_.IsMap())
    fail("expected an offset distribution such as {distribution: normal, mean: -2min, sd: 5min}, got " +
         kind_name(node_));
  const std::string kind = (*this)["distribution"].choice({"deterministic", "normal", "uniform"});
  try {
    if (kind == "deterministic") {
      expect_map({"distribution", "value"});
      return engine::Distribution::offset((*this)["value"].signed_duration());
    }
    if (kind == "normal") {
      expect_map({"distribution", "mean", "sd"});
      return engine::Distribution::normal((*this)["mean"].signed_duration(), (*this)["sd"].duration());
    }
    expect_map({"distribution", "low", "high"});
    return engine::Distribution::uniform((*this)["low"].signed_duration(), (*this)["high"].signed_duration());
  } catch (const InputError& e) {
    const std::string what = e.what();
    if (what.find(*file_) == 0) throw;
    fail(kind + " distribution: " + what);
  }
}

engine::Distribution Field::distribution(bool allow_none) const {
  if (allow_none && node_.IsScalar() && node_.Scalar() == "none") return engine::Distribution::never();
  if (!node_.IsMap())
    fail(std::string("expected a distribution such as {distribution: exponential, mean: 180s}") +
         (allow_none ? " or none" : "") + ", got " + kind_name(node_));
  const std::string kind = (*this)["distribution"].choice(
      allow_none ? std::initializer_list<const char*>{"exponential", "lognormal", "gamma", "weibull",
                                                      "deterministic", "empirical", "none"}
                 : std::initializer_list<const char*>{"exponential", "lognormal", "gamma", "weibull",
                                                      "deterministic", "empirical"});
  if (kind == "empirical") return empirical_distribution();
  try {
    if (kind == "exponential") {
      expect_map({"distribution", "mean"});
      return engine::Distribution::exponential((*this)["mean"].duration());
    }
    if (kind == "lognormal") {
      expect_map({"distribution", "mean", "sd"});
      return checked(engine::Distribution::lognormal((*this)["mean"].duration(), (*this)["sd"].duration()));
    }
    if (kind == "gamma") {
      expect_map({"distribution", "mean", "cv"});
      return checked(engine::Distribution::gamma((*this)["mean"].duration(), (*this)["cv"].number()));
    }
    if (kind == "weibull") {
      expect_map({"distribution", "shape", "scale"});
      return checked(engine::Distribution::weibull((*this)["shape"].number(), (*this)["scale"].duration()));
    }
    if (kind == "deterministic") {
      expect_map({"distribution", "value"});
      return engine::Distribution::deterministic((*this)["value"].duration());
    }
    expect_map({"distribution"});
    return engine::Distribution::never();
  } catch (const InputError& e) {
    // Distribution factories speak of their parameters only; add the place in the file.
    const std::string what = e.what();
    if (what.find(*file_) == 0) throw;
    fail(kind + " distribution: " + what);
  }
}

engine::Distribution Field::empirical_distribution() const {
  expect_map({"distribution", "values", "file", "column"});
  const Field kind = (*this)["distribution"];
  if (has("values") == has("file"))
    kind.fail("an empirical distribution takes either values: [...] or file: and column:, not " +
              std::string(has("values") ? "both" : "neither"));
  std::vector<double> values;
  if (has("values")) {
    if (has("column")) (*this)["column"].fail("column: goes with file:, not with values:");
    // Every bad value told at once, each at its place.
    ErrorList errors;
    const Field list = (*this)["values"];
    for (const Field& v : list.items()) errors.attempt(v, [&] { values.push_back(v.duration()); });
    if (errors.empty() && values.empty()) list.fail("needs at least one value");
    errors.throw_if_any();
  } else {
    // A path relative to the scenario file that names it, as for the forecast.
    const Field file = (*this)["file"];
    const std::string column = (*this)["column"].text();
    std::filesystem::path p = file.text();
    if (p.is_relative()) p = std::filesystem::path(*file.file()).parent_path() / p;
    DataColumnRequest request{column, "", " (read for " + where() + ")"};
    try {
      values = read_data_column(p.string(), request).values;
    } catch (const InputError& e) {
      // Located in the CSV; kept at this field's place in the scenario's list of errors.
      const YAML::Mark m = mark();
      throw FieldError(e.what(), m.line, m.column);
    }
  }
  try {
    return engine::Distribution::empirical(std::move(values));
  } catch (const InputError& e) {
    fail(std::string("empirical distribution: ") + e.what());
  }
}

}  // namespace ccsim::scenario
