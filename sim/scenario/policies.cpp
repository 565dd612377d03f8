// The `policies` section: each policy is the base scenario with its overrides spliced in, read again whole.
#include <algorithm>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace ccsim::scenario {
namespace {

// One step of an override path (yaml-cpp nodes are references: assigning to one rewrites the tree): a map
// key, a list element by its `name` (or `agent`), or by [index].
// A key an override adds has no place in any file: it is given the override's, so that the scenario's own
// check of it (an unknown key) names the override.
void added_key(YAML::Node map, const std::string& key, const Field& at, Sources* sources) {
  if (!sources) return;
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) sources->spliced.push_back({kv.first, at.file(), at.mark()});
}


YAML::Node step(YAML::Node node, const std::string& segment, const Field& at, const std::string& walked,
                const sections::KeyNode& key_node, Sources* sources) {
  std::string key = segment;
  long index = -1;
  if (auto open = segment.find('['); open != std::string::npos && segment.back() == ']') {
    key = segment.substr(0, open);
    try {
      index = std::stol(segment.substr(open + 1, segment.size() - open - 2));
    } catch (...) {
      at.fail("'" + segment + "': an index is a whole number, as in shifts[0]");
    }
  }
  if (!key.empty()) {
    if (node.IsMap()) {
      // Looked up through a const node: yaml-cpp's non-const operator[] inserts the key it looks for.
      if (!std::as_const(node)[key]) {
        // A key the base does not set may be added; the scenario's own check names it if it is wrong.
        node.force_insert(key_node(key), YAML::Node(YAML::NodeType::Map));
        added_key(node, key, at, sources);
      }
      node.reset(node[key]);  // rebinds the walker; `node = ...` would overwrite the tree
    } else if (node.IsSequence()) {
      YAML::Node found;  // a default node counts as defined (null): track the match separately
      bool matched = false;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < node.size(); ++i) {
        YAML::Node element = node[i];
        const YAML::Node name =
            element.IsMap() ? (element["name"] ? element["name"] : element["agent"]) : YAML::Node();
        if (name && name.IsScalar()) {
          names.push_back(name.Scalar());
          if (name.Scalar() == key && !matched) {
            found.reset(element);
            matched = true;
          }
        }
      }
      if (!matched) {
        std::string hint = nearest(key, names);
        at.fail("no element named '" + key + "' in " + walked +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      node.reset(found);
    } else {
      at.fail("'" + walked + "' holds a single value: there is no '" + key + "' inside it");
    }
  }
  if (index >= 0) {
    if (!node.IsSequence() || index >= static_cast<long>(node.size()))
      at.fail("'" + (walked == "the scenario" ? segment : walked + "." + segment) + "': no element [" +
              std::to_string(index) + "]");
    node.reset(node[static_cast<std::size_t>(index)]);
  }
  return node;
}

}  // namespace

// Writes `value` at the field path `key` of the tree `root`. A key the tree does not have is added, its key
// node made by `key_node` (so that an error about it can say where it was written); `at` locates errors.
void sections::apply_override(YAML::Node root, const std::string& key, const YAML::Node& value, const Field& at,
                              Sources* sources, const sections::KeyNode& make_key) {
  const sections::KeyNode key_node = make_key ? make_key : [](const std::string& segment) { return YAML::Node(segment); };
  if (key.empty()) at.fail("the field path is empty");
  std::vector<std::string> segments;
  std::string part;
  std::istringstream is(key);
  while (std::getline(is, part, '.')) segments.push_back(part);
  if (key.back() == '.' || std::find(segments.begin(), segments.end(), "") != segments.end())
    at.fail("'" + key + "': an empty step in the field path");
  YAML::Node node = root;
  std::string walked;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    node.reset(step(node, segments[i], at, walked.empty() ? "the scenario" : walked, key_node, sources));
    walked += (walked.empty() ? "" : ".") + segments[i];
  }
  const std::string& last = segments.back();
  if (last.find('[') != std::string::npos || node.IsSequence()) {
    YAML::Node target = step(node, last, at, walked, key_node, sources);
    target = value;
  } else if (node.IsMap() && std::as_const(node)[last]) {
    node[last] = value;
  } else if (node.IsMap() || node.IsNull()) {
    node.force_insert(key_node(last), value);
    added_key(node, last, at, sources);
  } else {
    at.fail("'" + walked + "' holds a single value: there is no '" + last + "' inside it");
  }
  // The value keeps its own place: errors inside it name the file it was written in.
  if (sources) sources->spliced.push_back({value, at.file(), at.mark()});
}

namespace {

// `policies` and `sweep` say what to run, not what a scenario is: no --set, point or policy may change them.
void refuse_run_keys(const std::string& key, const Field& at) {
  if (key == "policies" || key.rfind("policies.", 0) == 0 || key.rfind("policies[", 0) == 0)
    at.fail("the policies cannot be overridden");
  if (key == "sweep" || key.rfind("sweep.", 0) == 0) at.fail("the sweep cannot be overridden");
}

// Applies every `--set` (or sweep point) override to `root`, all errors at once.
void apply_sets(YAML::Node root, const std::vector<Override>& sets, ForeignValues& foreign) {
  ErrorList errors;
  for (const Override& o : sets) {
    YAML::Node value;
    try {
      value = foreign.load(o.value, o.origin);
    } catch (const InputError& e) {
      errors.add(e.what(), std::numeric_limits<int>::max() - 1, 0);
      continue;
    }
    const Field at(value, o.path, &o.origin);
    errors.attempt(at, [&] {
      refuse_run_keys(o.path, at);
      sections::apply_override(root, o.path, value, at, nullptr,
                               [&](const std::string& segment) { return foreign.load(segment, o.origin); });
    });
  }
  errors.throw_if_any();
}

// A policy's `factors`: names to plain values, each factor of the first policy that has them (`first`) and
// no other. A report states each factor's effect, so a policy without one of them would leave it undefined.
std::vector<std::pair<std::string, std::string>> read_factors(
    const Field& p, const std::vector<std::pair<std::string, std::string>>* first) {
  std::vector<std::pair<std::string, std::string>> out;
  if (p.has("factors")) {
    const Field f = p["factors"];
    if (!f.node().IsMap() || f.node().size() == 0)
      f.fail("expected a map of factor names to values, e.g. {home_share: 0.5, message: longer_than_usual}");
    for (const auto& kv : f.node()) {
      const Field at = f.child(kv.second, f.path() + "." + (kv.first.IsScalar() ? kv.first.Scalar() : "?"));
      if (!kv.first.IsScalar() || kv.first.Scalar().empty()) at.fail("a factor's name is plain text");
      if (!kv.second.IsScalar() || kv.second.Scalar().empty())
        at.fail("a factor's value is one plain value (a number or a word), as the report prints it");
      if (kv.first.Scalar().size() > 255 || kv.second.Scalar().size() > 255)
        at.fail("a factor's name and value have at most 255 bytes");
      out.emplace_back(kv.first.Scalar(), kv.second.Scalar());
    }
  }
  if (first && !first->empty() != !out.empty())
    p.fail(out.empty() ? "give this policy the factors the others have (every policy or none)"
                       : "the first policy has no factors: give factors to every policy or to none");
  if (first && !out.empty()) {
    auto names = [](const auto& list) {
      std::vector<std::string> n;
      for (const auto& [k, v] : list) n.push_back(k);
      std::sort(n.begin(), n.end());
      return n;
    };
    if (names(out) != names(*first)) {
      std::string expected;
      for (const auto& [k, v] : *first) expected += (expected.empty() ? "" : ", ") + k;
      p["factors"].fail("every policy names the same factors as the first (" + expected + ")");
    }
  }
  return out;
}

Study parse_study_tree(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                       bool base_only) {
  // Trees are never cloned: a clone loses the line and column every error message needs. The base is
  // the loaded tree (the parser skips `policies`); each policy loads the text afresh and splices in the
  // original override nodes, which keep their own place in the file. `--set` values are loaded afresh for
  // every tree too, with lines past the file's end that name the command line.
  ForeignValues foreign(text);
  const sections::Tree tree = sections::load_tree(text, path);
  const YAML::Node& root = tree.root;
  // The overrides' own errors and those the scenario's check finds in what they set, told together.
  std::string set_errors;
  try {
    apply_sets(root, sets, foreign);
  } catch (const InputError& e) {
    set_errors = e.what();
  }
  Study study;
  try {
    study.policies.push_back(sections::parse_tree(tree, path));
  } catch (const InputError& e) {
    throw InputError(set_errors.empty() ? std::string(e.what()) : std::string(e.what()) + "\n" + set_errors);
  }
  if (!set_errors.empty()) throw InputError(set_errors);
  study.names.push_back("base");
  if (root.IsMap() && root["sweep"]) study.sweep_where = tree.top()["sweep"].where();
  if (base_only || !root.IsMap() || !root["policies"] || root["policies"].IsNull()) return study;

  const Field policies = tree.top()["policies"];
  study.policies.clear();
  study.names.clear();
  std::set<std::string> seen;
  int marked = -1;
  for (const Field& p : policies.items()) {
    p.expect_map({"name", "baseline", "overrides", "factors"});
    const std::string name = read_name(p["name"], NameKind::policy, &seen);
    study.factors.push_back(read_factors(p, study.factors.empty() ? nullptr : &study.factors.front()));
    if (p.has("baseline") && p["baseline"].choice({"true", "false"}) == "true") {
      if (marked >= 0) p["baseline"].fail("only one policy can be the baseline");
      marked = static_cast<int>(study.names.size());
    }
    sections::Tree variant = sections::load_tree(text, path);
    apply_sets(variant.root, sets, foreign);
    if (p.has("overrides")) {
      const Field overrides = p["overrides"];
      if (!overrides.node().IsMap())
        overrides.fail("expected a map of field paths to values, e.g. agent_groups.desk.agents: 12");
      for (const auto& kv : overrides.node()) {
        if (!kv.first.IsScalar())
          Field(kv.first, "policies." + name + ".overrides", overrides.file()).fail("a key must be plain text");
        const std::string key = kv.first.Scalar();
        const Field at(kv.first, "policies." + name + ".overrides." + key, overrides.file());
        refuse_run_keys(key, at);
        sections::apply_override(variant.root, key, kv.second, at, variant.sources.get());
      }
    }
    try {
      Scenario s = sections::parse_tree(variant, path);
      study.policies.push_back(std::move(s));
    } catch (const InputError& e) {
      // The variant's own check found the problem; say which policy made it.
      std::istringstream lines(e.what());
      std::string all;
      for (std::string line; std::getline(lines, line);)
        all += (all.empty() ? "" : "\n") + line + " (in policy '" + name + "' at " + p.where() + ")";
      throw InputError(all);
    }
    study.names.push_back(name);
  }
  if (study.names.empty()) policies.fail("give at least one policy, or leave 'policies' out");
  if (std::all_of(study.factors.begin(), study.factors.end(), [](const auto& f) { return f.empty(); }))
    study.factors.clear();
  study.baseline = marked >= 0 ? marked : 0;
  return study;
}

}  // namespace

std::vector<Override> command_line_overrides(const std::vector<std::string>& sets) {
  std::vector<Override> out;
  for (const std::string& arg : sets) {
    const std::string origin = "command line: --set " + arg;
    const auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError(origin + ": expected PATH=VALUE, e.g. --set agent_groups.desk.agents=12");
    if (arg.find_first_not_of(" \t", eq + 1) == std::string::npos)
      throw InputError(origin + ": no value after '=' (write null to clear a field)");
    out.push_back({arg.substr(0, eq), arg.substr(eq + 1), origin});
  }
  return out;
}

namespace {

Study parse_study_checked(const std::string& text, const std::string& path, const std::vector<Override>& sets,
                          bool base_only) {
  try {
    return parse_study_tree(text, path, sets, base_only);
  } catch (const YAML::Exception& e) {
    // A conversion the readers did not foresee is still the file's fault, and yaml-cpp knows where.
    std::ostringstream os;
    os << path;
    if (!e.mark.is_null()) os << ':' << e.mark.line + 1 << ':' << e.mark.column + 1;
    os << ": " << e.msg;
    throw InputError(os.str());
  }
}

}  // namespace

Study parse_study(const std::string& text, const std::string& path, const std::vector<Override>& sets) {
  return parse_study_checked(text, path, sets, false);
}

Scenario sections::parse_base_with(const std::string& text, const std::string& path,
                                   const std::vector<Override>& sets) {
  return parse_study_checked(text, path, sets, true).policies.front();
}

}  // namespace ccsim::scenario
