// ccsim fit: maximum-likelihood fits of observed durations (handle times, patience from waits), each printed
// in the scenario's own distribution syntax, ready to paste. The fitting is analysis/fit.hpp's; this file
// reads the command line and the CSV, and prints.
#include "analysis/fit.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "scenario/data_column.hpp"
#include "scenario/input_file.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::cli {
namespace {

// Four significant digits, never in exponent form (a scenario reads 123500 and 0.0123 alike).
std::string short_number(double x) {
  if (!std::isfinite(x)) return "nan";
  const int magnitude = x == 0.0 ? 0 : static_cast<int>(std::floor(std::log10(std::abs(x))));
  std::ostringstream os;
  os << std::fixed << std::setprecision(std::max(0, 3 - magnitude)) << x;
  return os.str();
}

// The fit as a scenario writes the law: {distribution: gamma, mean: 181.2, cv: 0.5123} (durations in
// seconds).
std::string scenario_syntax(const analysis::Fit& f) {
  std::string s = std::string("{distribution: ") + analysis::family_name(f.family);
  for (const auto& p : f.parameters) s += ", " + p.name + ": " + short_number(p.value);
  return s + "}";
}

std::string fixed(double x, int decimals) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(decimals) << x;
  return os.str();
}

// Why the pasted line would be refused (the scenario's own reader asked), or "" when it reads.
std::string refused(const std::string& syntax) {
  try {
    const std::string origin = "fit";
    (void)scenario::Field(YAML::Load(syntax), "handle_time", &origin).distribution(false);
    return "";
  } catch (const InputError& e) {
    // The message without the made-up place: from the field on ("handle_time.sd: a duration is at most ...").
    const std::string what = e.what();
    const auto field = what.find("handle_time");
    return field == std::string::npos ? what : what.substr(field);
  } catch (const YAML::Exception& e) {
    return e.what();
  }
}

std::string with_error(const analysis::Parameter& p, bool duration) {
  return p.name + " " + short_number(p.value) + " ± " + short_number(p.se) + (duration ? " s" : "");
}

bool is_duration(const std::string& parameter) {
  return parameter == "mean" || parameter == "sd" || parameter == "scale";
}

Json parameters_json(const std::vector<analysis::Parameter>& ps) {
  Json out = Json::object();
  for (const auto& p : ps) out[p.name] = Json{{"value", json_number(p.value)}, {"se", json_number(p.se)}};
  return out;
}

}  // namespace

int cmd_fit(const std::vector<std::string>& args) {
  po::options_description opts("ccsim fit DATA.csv --column C [--censored-by COLUMN] [--json]");
  opts.add_options()("help,h", "this help")("column", po::value<std::string>(),
                                            "the column of durations in seconds, by its header name")(
      "censored-by", po::value<std::string>(),
      "a column telling, per row, whether the value is right-censored: answered, 1, true or yes (the caller "
      "was answered after this wait, so their patience was longer) or abandoned, 0, false or no; fits "
      "patience from waits")("json", "machine-readable output");
  auto parsed = parse_with_file(args, opts, "fit", "data");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("column") || vm["column"].as<std::string>().empty())
    throw InputError("command line: ccsim fit needs --column NAME, the header of the durations (see --help)");
  const std::string file = vm["data"].as<std::string>(), name = scenario::input_name(file);
  scenario::DataColumnRequest request{vm["column"].as<std::string>(), "", ""};
  if (vm.count("censored-by")) {
    request.censored_by = vm["censored-by"].as<std::string>();
    if (request.censored_by.empty() || request.censored_by == request.column)
      throw InputError("command line: --censored-by names a column of flags other than --column");
  }
  const scenario::DataColumn data = scenario::read_data_column(file, request);
  const analysis::Observations observations{data.values, data.censored};
  // An observed 0 has density 0 or infinity under three of the four laws: each one located, as many as a
  // file's errors are told.
  std::string zeros;
  std::size_t zero_count = 0;
  for (std::size_t i = 0; i < data.values.size(); ++i)
    if (data.values[i] == 0.0 && (data.censored.empty() || !data.censored[i])) {
      if (++zero_count > scenario::ErrorList::kMaxErrors) {
        zeros += "\n(stopped after " + std::to_string(scenario::ErrorList::kMaxErrors) + " errors)";
        break;
      }
      zeros += (zeros.empty() ? "" : "\n") + name + ":" + std::to_string(data.places[i].first) + ":" +
               std::to_string(data.places[i].second) + ": " + request.column +
               ": 0 cannot be fitted (the log-normal, gamma and Weibull laws give it density 0 or infinity); "
               "drop the row, or record the time to a fraction of a second";
    }
  if (!zeros.empty()) throw InputError(zeros);
  if (const std::string why = analysis::unfittable(observations); !why.empty())
    throw InputError(name + ": " + request.column + ": " + why);
  const std::vector<analysis::Fit> fits = analysis::fit_all(observations);
  std::size_t censored = 0;
  for (bool c : data.censored) censored += c ? 1 : 0;

  if (vm.count("json")) {
    Json list = Json::array();
    for (const auto& f : fits) {
      const std::string syntax = scenario_syntax(f), why = refused(syntax);
      list.push_back(Json{{"family", analysis::family_name(f.family)},
                          {"converged", f.converged},
                          {"log_likelihood", json_number(f.log_likelihood)},
                          {"aic", json_number(f.aic)},
                          {"ks", json_number(f.ks)},
                          {"parameters", parameters_json(f.parameters)},
                          {"natural", parameters_json(f.natural)},
                          {"scenario", why.empty() ? Json(syntax) : Json(nullptr)},
                          {"refused", why}});
    }
    print_json(std::cout, Json{{"file", name},
                               {"column", request.column},
                               {"censored_by", request.censored_by},
                               {"values", data.values.size()},
                               {"censored", censored},
                               {"ranked_by", "aic"},
                               {"fits", list}});
    return kOk;
  }
  std::cout << name << ", column '" << request.column << "': " << data.values.size() << " values";
  if (!request.censored_by.empty())
    std::cout << ", " << censored << " right-censored by '" << request.censored_by
              << "' (answered: their patience was longer than the wait)";
  std::cout << "\nmaximum-likelihood fits, best first by AIC (lower is better); KS: the largest distance "
               "between the fitted CDF and the data's"
            << (request.censored_by.empty() ? "" : " (Kaplan-Meier)") << "\n\n";
  std::cout << pad("family", 13) << pad("log-lik", 13) << pad("AIC", 13) << pad("KS", 8)
            << "parameters ± standard error\n";
  for (const auto& f : fits) {
    std::string ps;
    for (const auto& p : f.parameters) ps += (ps.empty() ? "" : ", ") + with_error(p, is_duration(p.name));
    if (f.family == analysis::Family::lognormal)
      ps += " (mu " + short_number(f.natural[0].value) + ", sigma " + short_number(f.natural[1].value) + ")";
    std::cout << pad(analysis::family_name(f.family), 13) << pad(fixed(f.log_likelihood, 1), 13)
              << pad(fixed(f.aic, 1), 13) << pad(fixed(f.ks, 3), 8) << ps
              << (f.converged ? "" : "  (did not converge: do not use)") << "\n";
  }
  std::cout << "\nin the scenario's syntax (durations in seconds), best first:\n";
  for (const auto& f : fits) {
    const std::string syntax = scenario_syntax(f), why = refused(syntax);
    std::cout << "  " << (why.empty() ? syntax : syntax + "  # refused by a scenario: " + why) << "\n";
  }
  return kOk;
}

}  // namespace ccsim::cli
