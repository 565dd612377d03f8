#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "engine/distribution.hpp"

namespace ccsim::scenario {

// Where a value sits: its field path ("contact_types[0].handle_time.mean") and its node for the mark.
// Every read goes through here so that every error can say file:line:column and field.
class Field {
 public:
  Field(const YAML::Node& node, std::string path, const std::string* file)
      : node_(node), path_(std::move(path)), file_(file) {}

  [[nodiscard]] const YAML::Node& node() const { return node_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string* file() const { return file_; }

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
  [[nodiscard]] long long integer(long long min, long long max) const;
  [[nodiscard]] std::string text() const;
  [[nodiscard]] std::string choice(std::initializer_list<const char*> options) const;
  [[nodiscard]] double duration() const;         // 180, "180s", "3min", "1.5h" -> seconds, >= 0
  [[nodiscard]] double signed_duration() const;  // as duration(), but "-3min" too
  [[nodiscard]] double clock() const;            // "08:30" -> seconds after midnight
  [[nodiscard]] std::vector<double> numbers() const;
  [[nodiscard]] engine::Distribution distribution(bool allow_none) const;
  // An offset that may be negative: deterministic {value}, normal {mean, sd}, uniform {low, high}.
  [[nodiscard]] engine::Distribution offset_distribution() const;

 private:
  YAML::Node node_;
  std::string path_;
  const std::string* file_;
};

// Closest candidate by edit distance, or "" when nothing is close enough to be a plausible typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ccsim::scenario
