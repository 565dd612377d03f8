#include "scenario/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::scenario {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

bool parse_double(const std::string& s, double& out) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto [p, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && p == e;
}

}  // namespace

std::string kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined value";
  }
}

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // An abbreviation ("expo") is as likely a slip as a typo.
  if (word.size() >= 3)
    for (const auto& c : candidates)
      if (c.compare(0, word.size(), word) == 0) return c;
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace {
thread_local ForeignValues* t_foreign = nullptr;
}  // namespace

ForeignValues::ForeignValues(const std::string& file_text)
    : next_line_(static_cast<int>(std::count(file_text.begin(), file_text.end(), '\n')) + 2),
      outer_(t_foreign) {
  t_foreign = this;
}

ForeignValues::~ForeignValues() {
  t_foreign = outer_;
}

YAML::Node ForeignValues::load(const std::string& yaml, const std::string& origin) {
  const Range* range = nullptr;
  for (const auto& r : ranges_)
    if (r.origin == origin) range = &r;
  if (!range) {
    const int lines = static_cast<int>(std::count(yaml.begin(), yaml.end(), '\n'));
    ranges_.push_back({next_line_, next_line_ + lines, origin});
    next_line_ += lines + 2;
    range = &ranges_.back();
  }
  try {
    return YAML::Load(std::string(static_cast<std::size_t>(range->first), '\n') + yaml);
  } catch (const YAML::Exception& e) {
    throw InputError(origin + ": not valid YAML: " + e.msg);
  }
}

const std::string* ForeignValues::origin_of(int line) {
  for (const ForeignValues* f = t_foreign; f; f = f->outer_)
    for (const auto& r : f->ranges_)
      if (line >= r.first && line <= r.last) return &r.origin;
  return nullptr;
}

std::string Field::where() const {
  const YAML::Mark m = mark();
  std::ostringstream os;
  if (const std::string* origin = ForeignValues::origin_of(m.line)) {
    os << *origin << ": " << (path_.empty() ? "(top level)" : path_);
    return os.str();
  }
  os << *file_;
  if (m.line >= 0) os << ':' << m.line + 1 << ':' << m.column + 1;
  os << ": " << (path_.empty() ? "(top level)" : path_);
  return os.str();
}

void Field::fail(const std::string& message) const {
  const YAML::Mark m = mark();
  throw FieldError(where() + ": " + message, m.line, m.column);
}

void ErrorList::add(const std::string& message, int line, int column) {
  for (const auto& e : errors_)
    if (e.message == message) return;
  errors_.push_back({line, column, message});
  if (errors_.size() >= kMaxErrors) {
    errors_.push_back(
        {std::numeric_limits<int>::max(), 0, "(stopped after " + std::to_string(kMaxErrors) + " errors)"});
    throw_if_any();
  }
}

void ErrorList::throw_if_any() const {
  if (errors_.empty()) return;
  std::vector<Entry> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  std::string all;
  for (const auto& e : sorted) all += (all.empty() ? "" : "\n") + e.message;
  throw InputError(all);
}

void Field::expect_map(std::initializer_list<const char*> keys) const {
  if (!node_.IsMap()) fail("expected a map of keys, got " + kind_name(node_));
  std::vector<std::string> valid(keys.begin(), keys.end());
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar())
      Field(kv.first, path_, file_).fail("a key must be plain text, got " + kind_name(kv.first));
    const std::string key = kv.first.Scalar();
    const Field here = child(kv.first, path_.empty() ? key : path_ + "." + key);
    if (!seen.insert(key).second) here.fail("key given twice");
    if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
      std::string hint = nearest(key, valid);
      std::string all;
      for (const auto& v : valid) all += (all.empty() ? "" : ", ") + v;
      here.fail("unknown key '" + key + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                "; valid keys here: " + all);
    }
  }
}

bool Field::has(const char* key) const {
  return node_.IsMap() && node_[key] && !node_[key].IsNull();
}

Field Field::operator[](const char* key) const {
  std::string sub = path_.empty() ? key : path_ + "." + key;
  if (!has(key)) Field(node_, sub, file_).fail("missing required field '" + std::string(key) + "'");
  return child(node_[key], sub);
}

const std::string* Sources::file_of(const YAML::Node& node, const std::string* inherited) const {
  if (!node.IsDefined()) return inherited;
  // The latest splice wins: an override of an override names the file that wrote it last.
  for (auto it = spliced.rbegin(); it != spliced.rend(); ++it)
    if (it->node.is(node)) return it->file;
  return inherited;
}

YAML::Mark Sources::mark_of(const YAML::Node& node) const {
  const YAML::Mark own = node.Mark();
  if (!own.is_null() || !node.IsDefined()) return own;
  for (auto it = spliced.rbegin(); it != spliced.rend(); ++it)
    if (it->node.is(node)) return it->mark;
  return own;
}

std::vector<Field> Field::items() const {
  if (!node_.IsSequence()) fail("expected a list, got " + kind_name(node_));
  std::vector<Field> out;
  std::size_t i = 0;
  for (const auto& n : node_) out.push_back(child(n, path_ + "[" + std::to_string(i++) + "]"));
  return out;
}

double Field::number() const {
  double v = 0.0;
  if (!node_.IsScalar() || !parse_double(node_.Scalar(), v) || !std::isfinite(v))
    fail("expected a number, got " + kind_name(node_));
  return v;
}

double Field::positive() const {
  double v = number();
  if (!(v > 0.0)) fail("must be > 0, got " + node_.Scalar());
  return v;
}

double Field::probability() const {
  double v = number();
  if (v < 0.0 || v > 1.0) fail("must be a probability in [0, 1], got " + node_.Scalar());
  return v;
}

double Field::money() const {
  double v = 0.0;
  // YAML spells infinity and NaN .inf and .nan, which from_chars does not read: they are numbers, not finite.
  const bool yaml_special = node_.IsScalar() && (node_.Scalar().find(".inf") != std::string::npos ||
                                                 node_.Scalar().find(".nan") != std::string::npos ||
                                                 node_.Scalar().find(".Inf") != std::string::npos ||
                                                 node_.Scalar().find(".NaN") != std::string::npos);
  if (!node_.IsScalar() || (!parse_double(node_.Scalar(), v) && !yaml_special))
    fail("expected a cost (a number >= 0, money per hour or per contact), got " + kind_name(node_));
  if (yaml_special) v = NAN;
  if (!std::isfinite(v) || v < 0.0 || v > kMaxMoney)
    fail("a cost is a finite number from 0 to 1e9, got " + node_.Scalar());
  return v;
}

long long Field::integer(long long min, long long max) const {
  long long v = 0;
  if (!node_.IsScalar()) fail("expected a whole number, got " + kind_name(node_));
  const std::string& s = node_.Scalar();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) fail("expected a whole number, got " + kind_name(node_));
  if (v < min || v > max)
    fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  return v;
}

std::string Field::text() const {
  if (!node_.IsScalar()) fail("expected text, got " + kind_name(node_));
  return node_.Scalar();
}

std::string Field::choice(std::initializer_list<const char*> options) const {
  std::string v = text();
  std::vector<std::string> valid(options.begin(), options.end());
  if (std::find(valid.begin(), valid.end(), v) != valid.end()) return v;
  std::string hint = nearest(v, valid);
  std::string all;
  for (const auto& o : valid) all += (all.empty() ? "" : ", ") + o;
  fail("unknown value '" + v + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
       "; expected one of " + all);
}

bool Field::is_number() const {
  double v = 0.0;
  return node_.IsScalar() && parse_double(node_.Scalar(), v);
}

namespace {

// "180", "180s", "3min", "1.5h" -> seconds (>= 0, finite); false for anything else.
bool duration_of(const std::string& s, double& out) {
  double v = 0.0;
  if (parse_double(s, v)) {
    if (!std::isfinite(v) || v < 0.0) return false;
    out = v;
    return true;
  }
  static const std::pair<const char*, double> units[] = {
      {"min", 60.0}, {"sec", 1.0}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}};
  for (const auto& [unit, factor] : units) {
    std::string u(unit);
    if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
      std::string head = s.substr(0, s.size() - u.size());
      while (!head.empty() && head.back() == ' ') head.pop_back();
      if (parse_double(head, v) && std::isfinite(v) && v >= 0.0) {
        out = v * factor;
        return true;
      }
    }
  }
  return false;
}

constexpr const char* kDurationForms = "a duration such as 180, \"180s\", \"3min\" or \"1.5h\"";

}  // namespace

double parse_duration(const std::string& text) {
  double v = 0.0;
  if (parse_double(text, v) && (!std::isfinite(v) || v < 0.0))
    throw InputError("a duration must be finite and >= 0, got '" + text + "'");
  if (!duration_of(text, v))
    throw InputError("expected " + std::string(kDurationForms) + " (>= 0; a plain number is seconds), got '" +
                     text + "'");
  if (v > kMaxDuration)
    throw InputError("a duration is at most " + std::to_string(static_cast<long long>(kMaxDuration)) +
                     " s (about 115 days), got '" + text + "'");
  return v;
}

double Field::duration() const {
  if (!node_.IsScalar()) fail("expected " + std::string(kDurationForms) + ", got " + kind_name(node_));
  const std::string s = node_.Scalar();
  double v = 0.0;
  if (parse_double(s, v) && (!std::isfinite(v) || v < 0.0)) fail("a duration must be >= 0, got " + s);
  if (duration_of(s, v)) return within_maximum(v);
  fail("expected " + std::string(kDurationForms) + " (>= 0), got '" + s + "'");
}

double Field::within_maximum(double seconds) const {
  if (seconds > kMaxDuration)
    fail("a duration is at most " + std::to_string(static_cast<long long>(kMaxDuration)) +
         " s (about 115 days), got '" + node_.Scalar() + "'");
  return seconds;
}

double Field::signed_duration() const {
  if (node_.IsScalar() && !node_.Scalar().empty() && node_.Scalar()[0] == '-') {
    YAML::Node positive(node_.Scalar().substr(1));
    return -Field(positive, path_, file_).duration();
  }
  return duration();
}

double Field::clock() const {
  std::string s = text();
  int h = 0, m = 0;
  char colon = 0;
  std::istringstream is(s);
  if (!(is >> h >> colon >> m) || colon != ':' || !is.eof() || h < 0 || h > 47 || m < 0 || m > 59)
    fail("expected a clock time HH:MM (e.g. \"08:30\"), got '" + s + "'");
  return h * 3600.0 + m * 60.0;
}

std::vector<double> Field::numbers() const {
  std::vector<double> out;
  for (const auto& f : items()) out.push_back(f.number());
  return out;
}

}  // namespace ccsim::scenario
