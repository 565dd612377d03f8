// `ccsim help`: the manual page and the bash completion, made from the usage text and each command's own
// --help, so that a command or option added anywhere appears in both without being written twice.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace ccsim::cli {

struct OptionHelp {
  std::string short_name, long_name;  // "o", "output" (either may be empty)
  bool takes_value = false;
  std::string default_value, description;
};

struct CommandHelp {
  std::string name, argument, summary;  // from the usage: "run", "SCENARIO", "simulate a scenario, ..."
  std::string synopsis;                 // the caption of its --help: "ccsim run SCENARIO [options]"
  std::vector<OptionHelp> options;
};

// The commands the usage lists (its "commands:" section), each with the options its --help prints;
// `help_of(name)` returns what `ccsim NAME --help` prints.
std::vector<CommandHelp> read_commands(const std::string& usage,
                                       const std::function<std::string(const std::string&)>& help_of);

// The manual page ccsim.1 (roff, man macros).
void print_man_page(std::ostream& out, const std::string& usage, const std::vector<CommandHelp>& commands);

// A bash completion script: commands, each command's options, and files (scenario or results files for
// the command's argument, any file after an option taking a value).
void print_bash_completion(std::ostream& out, const std::vector<CommandHelp>& commands);

// `ccsim help [COMMAND | --man | --bash-completion]`.
int cmd_help(const std::vector<std::string>& args, const std::string& usage,
             const std::function<std::string(const std::string&)>& help_of);

}  // namespace ccsim::cli
