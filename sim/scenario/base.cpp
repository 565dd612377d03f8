// The `base` key: a scenario that starts from another file and overrides some of its fields by path, as a
// policy does. `ccsim staff` and `ccsim roster` write their plans this way, so the original (with its
// comments) is named, not rewritten.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "scenario/input_file.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {
namespace {

namespace fs = std::filesystem;

// The name a file goes by in the cycle check: the same file reached by two spellings is one file.
std::string identity(const fs::path& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal().string() : c.string();
}

std::string as_comments(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) out += "# " + line + "\n";
  return out;
}

// Loads `text` (from `path`), merging its base chain into one tree; `chain` holds the files that name this
// one as their base, for the cycle check.
YAML::Node load_merged(const std::string& text, const std::string& path, Tree& tree,
                       std::vector<std::string>& chain) {
  tree.sources->files.push_back(path);
  const std::string* file = &tree.sources->files.back();
  YAML::Node root = load_yaml(text, path);
  if (!root.IsMap() || !root["base"]) {
    tree.root_file = file;
    return root;
  }
  const Field top(root, "", file);
  const Field b = top["base"];
  fs::path base = b.text();
  if (base.is_relative() && path != kStdinName) base = fs::path(path).parent_path() / base;
  chain.push_back(path == kStdinName ? path : identity(path));
  if (std::find(chain.begin(), chain.end(), identity(base)) != chain.end()) {
    std::string cycle;
    for (const auto& c : chain) cycle += c + " -> ";
    b.fail("the base files form a cycle: " + cycle + identity(base));
  }
  std::string base_text;
  try {
    base_text = read_input(base.string(), kMaxScenarioBytes, "base scenario");
  } catch (const InputError& e) {
    b.fail(e.what());
  }
  tree.text += "\n# base " + base.string() + ":\n" + as_comments(base_text);
  YAML::Node merged = load_merged(base_text, base.string(), tree, chain);
  chain.pop_back();
  // This file's keys, in its order, over the base: each a field path into the scenario.
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) Field(kv.first, "", file).fail("a key must be plain text");
    const std::string key = kv.first.Scalar();
    if (key == "base") continue;
    apply_override(merged, key, kv.second, Field(kv.first, key, file), tree.sources.get());
  }
  return merged;
}

}  // namespace

Tree load_tree(const std::string& text, const std::string& path) {
  Tree tree;
  tree.sources = std::make_shared<Sources>();
  tree.text = text;
  std::vector<std::string> chain;
  tree.root = load_merged(text, path, tree, chain);
  return tree;
}

}  // namespace ccsim::scenario::sections
