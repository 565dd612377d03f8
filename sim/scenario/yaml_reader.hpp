#pragma once

#include <yaml-cpp/yaml.h>

#include <deque>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "engine/distribution.hpp"

namespace ccsim::scenario {

// The longest duration any field accepts (durations, distribution means and standard deviations):
// about 115 days. Beyond it a value is a typo, and simulated clocks lose the precision of a second.
inline constexpr double kMaxDuration = 1e7;

// The largest cost any field accepts (per hour or per contact): beyond it a value is a typo, and sums over
// a long run would lose the cent.
inline constexpr double kMaxMoney = 1e9;

class Field;

// Which file each part of a tree came from, when a tree joins several files (a scenario with a `base`: the
// base's tree with the overriding file's values spliced in). A Field descending into a spliced node takes
// that node's file, so an error inside it names the file and line it was written at.
struct Sources {
  struct Splice {
    YAML::Node node;
    const std::string* file;
    YAML::Mark mark;  // for a key an override added (it has no place of its own): the override's
  };
  std::deque<std::string> files;  // stable addresses: Fields point at them
  std::vector<Splice> spliced;
  // The file of `node`: the file it was spliced from, or `inherited` (its parent's).
  [[nodiscard]] const std::string* file_of(const YAML::Node& node, const std::string* inherited) const;
  // The place of `node`: its own, or for a node an override created, the override's.
  [[nodiscard]] YAML::Mark mark_of(const YAML::Node& node) const;
};

// An error at a place in a file; the place lets a collection of them be told in file order.
class FieldError : public InputError {
 public:
  FieldError(const std::string& what, int at_line, int at_column)
      : InputError(what), line(at_line), column(at_column) {}
  int line, column;  // 0-based, as yaml-cpp marks them; -1 when unknown
};

// The validation errors of one file, told together in file order. A section or list item that fails
// records its first error and reading goes on with the next one, so one run shows every mistake.
class ErrorList {
 public:
  // Told in one message at most; more means the file is likely not a scenario at all.
  static constexpr std::size_t kMaxErrors = 20;

  // Runs `read`; an InputError it throws is recorded (at `at` unless it carries its own place) and
  // false returned. Reaching kMaxErrors throws the collection.
  template <class Read>
  bool attempt(const Field& at, Read&& read);
  void add(const std::string& message, int line, int column);
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  // Throws one InputError holding every error, one per line, in file order.
  void throw_if_any() const;

 private:
  struct Entry {
    int line, column;
    std::string message;
  };
  std::vector<Entry> errors_;
};

// Where a value sits: its field path ("contact_types[0].handle_time.mean") and its node for the mark.
// Every read goes through here so that every error can say file:line:column and field.
class Field {
 public:
  Field(const YAML::Node& node, std::string path, const std::string* file, const Sources* sources = nullptr)
      : node_(node), path_(std::move(path)), file_(file), sources_(sources) {}

  [[nodiscard]] const YAML::Node& node() const { return node_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string* file() const { return file_; }
  [[nodiscard]] const Sources* sources() const { return sources_; }
  [[nodiscard]] YAML::Mark mark() const { return sources_ ? sources_->mark_of(node_) : node_.Mark(); }
  // A node inside this one, with its field path; it takes the file it was spliced from, if any.
  [[nodiscard]] Field child(const YAML::Node& node, std::string path) const {
    return {node, std::move(path), sources_ ? sources_->file_of(node, file_) : file_, sources_};
  }

  [[noreturn]] void fail(const std::string& message) const;
  // "file:line:col: field" — the prefix fail() uses, kept for checks made after parsing.
  [[nodiscard]] std::string where() const;

  // Map access. `keys` are all the keys this map may hold; anything else is an error that suggests the
  // nearest valid key.
  void expect_map(std::initializer_list<const char*> keys) const;
  [[nodiscard]] bool has(const char* key) const;
  [[nodiscard]] Field operator[](const char* key) const;  // required key
  [[nodiscard]] std::vector<Field> items() const;         // sequence elements

  [[nodiscard]] bool is_number() const;  // a scalar that reads as a plain number (no unit)
  [[nodiscard]] double number() const;
  [[nodiscard]] double positive() const;
  [[nodiscard]] double probability() const;
  [[nodiscard]] double money() const;  // a cost: a finite number >= 0, at most kMaxMoney
  [[nodiscard]] long long integer(long long min, long long max) const;
  [[nodiscard]] std::string text() const;
  [[nodiscard]] std::string choice(std::initializer_list<const char*> options) const;
  [[nodiscard]] double duration() const;         // 180, "180s", "3min", "1.5h" -> seconds, >= 0
  [[nodiscard]] double signed_duration() const;  // as duration(), but "-3min" too
  [[nodiscard]] double clock() const;            // "08:30" -> seconds after midnight
  [[nodiscard]] std::vector<double> numbers() const;
  // A law by name: exponential, lognormal, gamma, weibull, deterministic, empirical (values: [...] or file:
  // and column: of a CSV file, its path relative to the file naming it), or none when allowed.
  [[nodiscard]] engine::Distribution distribution(bool allow_none) const;
  // An offset that may be negative: deterministic {value}, normal {mean, sd}, uniform {low, high}.
  [[nodiscard]] engine::Distribution offset_distribution() const;

 private:
  [[nodiscard]] double within_maximum(double seconds) const;
  [[nodiscard]] engine::Distribution checked(const engine::Distribution& d) const;
  [[nodiscard]] engine::Distribution empirical_distribution() const;

  YAML::Node node_;
  std::string path_;
  const std::string* file_;
  const Sources* sources_;
};

template <class Read>
bool ErrorList::attempt(const Field& at, Read&& read) {
  try {
    read();
    return true;
  } catch (const FieldError& e) {
    add(e.what(), e.line, e.column);
  } catch (const InputError& e) {
    add(e.what(), at.mark().line, at.mark().column);
  }
  return false;
}

// Values spliced into a scenario from outside its file (`--set`, sweep points) are parsed with their lines
// numbered past the file's last line, so that their marks tell them apart; while a ForeignValues lives (one
// per thread, nested ones stack), Field::where() names such a value's origin ("command line: --set ...")
// instead of a place in the file.
class ForeignValues {
 public:
  explicit ForeignValues(const std::string& file_text);
  ~ForeignValues();
  ForeignValues(const ForeignValues&) = delete;
  ForeignValues& operator=(const ForeignValues&) = delete;
  // Parses `yaml` (throws InputError naming `origin` when it is not YAML). The same origin gets the same
  // lines each time, so a value loaded afresh for every policy reads alike.
  YAML::Node load(const std::string& yaml, const std::string& origin);
  // The origin of a line given to a foreign value by a live ForeignValues of this thread, or nullptr.
  static const std::string* origin_of(int line);

 private:
  struct Range {
    int first, last;
    std::string origin;
  };
  std::vector<Range> ranges_;
  int next_line_;
  ForeignValues* outer_;
};

// What a node is, for messages: "a map", "a list", "'text'", "nothing".
std::string kind_name(const YAML::Node& n);

// Closest candidate by edit distance, or "" when nothing is close enough to be a plausible typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ccsim::scenario
