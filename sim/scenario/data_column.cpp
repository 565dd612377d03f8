#include "scenario/data_column.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "common/error.hpp"
#include "scenario/csv_cells.hpp"
#include "scenario/input_file.hpp"
#include "scenario/yaml_reader.hpp"

namespace ccsim::scenario {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The file's errors, told together; as a scenario's, they stop at ErrorList::kMaxErrors.
class Errors {
 public:
  Errors(std::string name, std::string context) : name_(std::move(name)), context_(std::move(context)) {}
  void add(int line, int column, const std::string& field, const std::string& message) {
    if (lines_.size() == ErrorList::kMaxErrors) {
      lines_.push_back("(stopped after " + std::to_string(ErrorList::kMaxErrors) + " errors)");
      throw_if_any();
    }
    lines_.push_back(name_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + field + ": " +
                     message + context_);
  }
  void throw_if_any() const {
    if (lines_.empty()) return;
    std::string all;
    for (const auto& l : lines_) all += (all.empty() ? "" : "\n") + l;
    throw InputError(all);
  }

 private:
  std::string name_, context_;
  std::vector<std::string> lines_;
};

}  // namespace

DataColumn read_data_column(const std::string& path, const DataColumnRequest& request) {
  try {
    return parse_data_column(read_input(path, kMaxForecastBytes, "data file"), input_name(path), request);
  } catch (const InputError& e) {
    const std::string what = e.what();
    // read_input's own messages (missing, a directory, too large) do not yet say who asked.
    if (!request.context.empty() && what.find(request.context) == std::string::npos)
      throw InputError(what + request.context);
    throw;
  }
}

DataColumn parse_data_column(const std::string& text, const std::string& name,
                             const DataColumnRequest& request) {
  std::istringstream in(without_bom(text));
  Errors errors(name, request.context);
  std::string line;
  int line_no = 0;
  std::vector<CsvCell> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (csv_skipped(line)) continue;
    header = csv_cells(line);
    break;
  }
  std::vector<std::string> names;
  for (const auto& c : header) names.push_back(c.text);
  auto find = [&](const std::string& wanted) -> long {
    const auto it = std::find(names.begin(), names.end(), wanted);
    if (it == names.end()) {
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
      const std::string hint = nearest(wanted, names);
      errors.add(std::max(line_no, 1), 1, "header",
                 "no column '" + wanted + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                     (names.empty() ? "; the file has no header line" : "; the columns are " + all));
      return -1;
    }
    if (const auto again = std::find(it + 1, names.end(), wanted); again != names.end())
      errors.add(line_no, header[static_cast<std::size_t>(again - names.begin())].column, "header",
                 "column '" + wanted + "' given twice");
    return it - names.begin();
  };
  const long value_at = find(request.column);
  const long flag_at = request.censored_by.empty() ? -2 : find(request.censored_by);
  errors.throw_if_any();

  DataColumn out;
  while (std::getline(in, line)) {
    ++line_no;
    if (csv_skipped(line)) continue;
    const std::vector<CsvCell> cells = csv_cells(line);
    if (cells.size() != header.size()) {
      errors.add(line_no, 1, "row",
                 "has " + std::to_string(cells.size()) + " columns, the header has " +
                     std::to_string(header.size()));
      continue;
    }
    const CsvCell& v = cells[static_cast<std::size_t>(value_at)];
    double x = 0.0;
    auto [p, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), x);
    if (v.text.empty())
      errors.add(line_no, v.column, request.column, "no value");
    else if (ec != std::errc() || p != v.text.data() + v.text.size() || !std::isfinite(x))
      errors.add(line_no, v.column, request.column, "expected a number of seconds, got '" + v.text + "'");
    else if (x < 0.0)
      errors.add(line_no, v.column, request.column, "must be >= 0, got " + v.text);
    else if (x > kMaxDuration)
      errors.add(line_no, v.column, request.column,
                 "a duration is at most " + std::to_string(static_cast<long long>(kMaxDuration)) +
                     " s, got " + v.text);
    out.values.push_back(x);
    out.places.emplace_back(line_no, v.column);
    if (flag_at >= 0) {
      const CsvCell& f = cells[static_cast<std::size_t>(flag_at)];
      const std::string flag = lower(f.text);
      if (flag == "answered" || flag == "1" || flag == "true" || flag == "yes")
        out.censored.push_back(true);
      else if (flag == "abandoned" || flag == "0" || flag == "false" || flag == "no")
        out.censored.push_back(false);
      else
        errors.add(
            line_no, f.column, request.censored_by,
            "expected answered, 1, true or yes (the value is censored) or abandoned, 0, false or no, got '" +
                f.text + "'");
    }
  }
  if (out.values.empty())
    errors.add(line_no, 1, request.column, "no values: the file has a header but no rows");
  errors.throw_if_any();
  return out;
}

}  // namespace ccsim::scenario
