// ccsim's command-line conventions (issue 16): `-o -` where HDF5 needs a file, `-` for a scenario on
// standard input, --json never silenced by -q, and the manual page and bash completion generated from the
// commands' own help, kept in sync with it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixtures.hpp"

namespace fs = std::filesystem;
using ccsim::testing::run_ccsim;
using ccsim::testing::slurp;

namespace {

const std::string kScenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml";

fs::path dir() {
  return ccsim::testing::work_dir("conventions");
}

// The commands `ccsim --help` lists, read here independently of the generator.
std::vector<std::string> listed_commands() {
  const auto usage = run_ccsim("--help", dir());
  REQUIRE(usage.code == 0);
  std::istringstream lines(usage.out);
  std::vector<std::string> out;
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (inside && line.empty()) break;
    if (inside) out.push_back(line.substr(2, line.find(' ', 2) - 2));
    if (line == "commands:") inside = true;
  }
  REQUIRE(out.size() >= 7);
  return out;
}

// The option names ("--output", "-o") of a command's --help: the spec at the start of each option line.
std::vector<std::string> options_of(const std::string& command) {
  const auto help = run_ccsim(command + " --help", dir());
  REQUIRE(help.code == 0);
  static const std::regex spec(R"(^  (?:-(\w) \[ --([\w-]+) \]|--([\w-]+)|-(\w))(?: |$))");
  std::istringstream lines(help.out);
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, spec)) continue;
    for (int i : {1, 4})
      if (m[i].matched) out.push_back("-" + m[i].str());
    for (int i : {2, 3})
      if (m[i].matched) out.push_back("--" + m[i].str());
  }
  REQUIRE(!out.empty());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The man page's section of `command`, roff hyphens unescaped.
std::string man_section(const std::string& man, const std::string& command) {
  const auto start = man.find(".SS \"" + command);
  if (start == std::string::npos) return "";
  std::string section = man.substr(start, man.find(".S", start + 4) - start);
  for (std::size_t at; (at = section.find("\\-")) != std::string::npos;) section.erase(at, 1);
  return section;
}

}  // namespace

TEST_CASE("an output of - is refused before anything runs wherever the output is HDF5", "[cli][conventions]") {
  const auto d = dir();
  fs::remove(d / "-");
  for (const std::string& args :
       {"run " + kScenario + " -o -", "staff " + kScenario + " --target sl=0.8 -r 2 -o -"}) {
    INFO(args);
    const auto r = run_ccsim(args, d);
    CHECK(r.code == 1);
    CHECK(r.err.find("command line: --output '-': HDF5 results need a file, not standard output") !=
          std::string::npos);
    CHECK(r.err.find("replications") == std::string::npos);  // no progress: nothing was simulated
    CHECK(r.out.empty());
    CHECK(!fs::exists(d / "-"));
  }
}

TEST_CASE("report -o - writes the page to standard output", "[cli][conventions]") {
  const auto d = dir();
  REQUIRE(run_ccsim("run " + kScenario + " -r 2 -q -o page.h5", d).code == 0);
  const auto piped = run_ccsim("report page.h5 -o -", d);
  REQUIRE(piped.code == 0);
  REQUIRE(run_ccsim("report page.h5 -o page.html", d).code == 0);
  CHECK(piped.out == slurp(d / "page.html"));
  CHECK(piped.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(!fs::exists(d / "-"));
}

TEST_CASE("validate - and run - read the scenario from standard input, named <stdin>", "[cli][conventions]") {
  const auto d = dir();
  const auto ok = run_ccsim("validate -", d, kScenario);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("<stdin>: ok - 'Erlang-A textbook case") != std::string::npos);

  std::ofstream(d / "bad.yaml") << "name: x\nday: {interval: 30min, intervals: 2}\ncontact_types:\n  - name: a\n"
                                   "    calls_per_hour: 10\n    handle_time: {distribution: exponential, mean: 60}\n"
                                   "agent_groups:\n  - name: g\n    agentz: 3\n";
  const auto bad = run_ccsim("validate -", d, (d / "bad.yaml").string());
  CHECK(bad.code == 1);
  CHECK(bad.err.find("error: <stdin>:9:5: agent_groups[0].agentz: unknown key 'agentz'") != std::string::npos);
  const auto empty = run_ccsim("validate -", d);  // /dev/null
  CHECK(empty.code == 1);
  CHECK(empty.err.find("<stdin>") != std::string::npos);

  // The same scenario through a pipe and from its file gives the same results.
  const auto piped = run_ccsim("run - -r 3 -o piped.h5 --json", d, kScenario);
  const auto named = run_ccsim("run " + kScenario + " -r 3 -o named.h5 --json", d);
  REQUIRE(piped.code == 0);
  REQUIRE(named.code == 0);
  CHECK(nlohmann::json::parse(piped.out) == nlohmann::json::parse(named.out));
  CHECK(run_ccsim("compare piped.h5 --json", d).out == run_ccsim("compare named.h5 --json", d).out);
  const auto bad_run = run_ccsim("run - -o never.h5", d, (d / "bad.yaml").string());
  CHECK(bad_run.code == 1);
  CHECK(bad_run.err.find("<stdin>:9:5:") != std::string::npos);
  CHECK(!fs::exists(d / "never.h5"));
}

TEST_CASE("JSON output (--json) is never silenced by -q, in every command that has both", "[cli][conventions]") {
  const auto d = dir();
  // A valid command line for each command offering --json and -q; a new one must be added here.
  const std::map<std::string, std::string> args = {{"run", "run " + kScenario + " -r 2 -o quiet.h5"}};
  for (const std::string& command : listed_commands()) {
    const auto options = options_of(command);
    if (!has(options, "--json") || !(has(options, "-q") || has(options, "--quiet"))) continue;
    INFO(command);
    REQUIRE(args.count(command) == 1);
    for (const char* quiet : {" -q --json", " --json --quiet"}) {
      const auto r = run_ccsim(args.at(command) + quiet, d);
      CHECK(r.code == 0);
      CHECK(!r.out.empty());
      CHECK_NOTHROW(nlohmann::json::parse(r.out));
      CHECK(r.err.empty());  // -q still silences the progress
    }
  }
}

TEST_CASE("the manual page and the completion name every command and option of the help",
          "[cli][conventions]") {
  const std::string man = slurp(fs::path(CCSIM_BUILD_DIR) / "ccsim.1");
  const std::string completion = slurp(fs::path(CCSIM_BUILD_DIR) / "ccsim.bash-completion");
  REQUIRE(man.find(".TH CCSIM 1") != std::string::npos);
  for (const std::string& command : listed_commands()) {
    INFO(command);
    const std::string section = man_section(man, command);
    REQUIRE(!section.empty());
    const std::string case_start = "    " + command + ") options='";
    const auto start = completion.find(case_start);
    REQUIRE(start != std::string::npos);
    const auto first = start + case_start.size();
    const std::string completed = completion.substr(first, completion.find('\'', first) - first);
    for (const std::string& option : options_of(command)) {
      INFO(option);
      CHECK(section.find("\\fB" + option + "\\fR") != std::string::npos);
      CHECK((" " + completed + " ").find(" " + option + " ") != std::string::npos);
    }
  }
  // What is generated is what the binary generates now (the build step ran after the last change).
  CHECK(run_ccsim("help --man", dir()).out == man);
  CHECK(run_ccsim("help --bash-completion", dir()).out == completion);
}

TEST_CASE("the manual page formats without warnings", "[cli][conventions]") {
  if (std::system("command -v groff >/dev/null 2>&1") != 0) {
    WARN("groff is not installed: not checked");
    return;
  }
  const auto r = run_ccsim("help --man | groff -man -Tutf8 -wall -z", dir());
  CHECK(r.code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("bash completes commands, options and files", "[cli][conventions]") {
  if (std::system("command -v bash >/dev/null 2>&1") != 0) {
    WARN("bash is not installed: not checked");
    return;
  }
  const auto d = dir() / "completion";
  fs::create_directories(d);
  std::ofstream(d / "day.yaml") << "x";
  std::ofstream(d / "out.h5") << "x";
  std::ofstream(d / "notes.txt") << "x";
  const auto complete = [&](const std::string& words, int word) {
    std::ofstream(d / "complete.sh") << "source '" << CCSIM_BUILD_DIR << "/ccsim.bash-completion'\n"
                                     << "COMP_WORDS=(" << words << "); COMP_CWORD=" << word << "\n"
                                     << "_ccsim; printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
    const auto r = run_ccsim("--version >/dev/null; bash complete.sh", d);
    REQUIRE(r.code == 0);
    return r.out;
  };
  CHECK(complete("ccsim ru", 1) == "run ");
  CHECK(complete("ccsim co", 1) == "compare ");
  CHECK(complete("ccsim run --max", 2) == "--max-contacts --max-load --max-output --max-replications ");
  CHECK(complete("ccsim run ''", 2) == "day.yaml ");
  CHECK(complete("ccsim compare ''", 2) == "out.h5 ");
  // After an option taking a value, any file (here also the test's own .out and .err).
  CHECK(complete("ccsim run day.yaml -o ''", 4).find("complete.sh day.yaml notes.txt out.h5 ") !=
        std::string::npos);
  CHECK(complete("ccsim erlang --ag", 2) == "--agents ");
}
