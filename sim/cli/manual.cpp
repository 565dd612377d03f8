#include "cli/manual.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/command_line.hpp"
#include "common/error.hpp"

namespace ccsim::cli {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The start of an option line of Boost.Program_options' help, "-o [ --output ] arg (=x) description",
// read by its grammar rather than by column: a long spec leaves a single space before the description.
OptionHelp option_of(const std::string& line) {
  OptionHelp o;
  std::string rest = line;
  if (starts_with(rest, "--")) {
    const auto end = rest.find(' ');
    o.long_name = rest.substr(2, end == std::string::npos ? end : end - 2);
    rest = end == std::string::npos ? "" : rest.substr(end);
  } else if (starts_with(rest, "-")) {
    o.short_name = rest.substr(1, 1);
    rest = rest.substr(2);
    if (starts_with(rest, " [ --")) {
      const auto close = rest.find(" ]");
      o.long_name = rest.substr(5, close - 5);
      rest = close == std::string::npos ? "" : rest.substr(close + 2);
    }
  }
  if (starts_with(rest, " arg") && (rest.size() == 4 || rest[4] == ' ')) {
    o.takes_value = true;
    rest = rest.substr(4);
  }
  if (starts_with(rest, " (=")) {
    const auto close = rest.find(')');
    o.default_value = rest.substr(3, close == std::string::npos ? close : close - 3);
    rest = close == std::string::npos ? "" : rest.substr(close + 1);
  }
  o.description = trimmed(rest);
  return o;
}

// The caption and options of a command's --help; continuation lines join their option's description.
void read_options(const std::string& help, CommandHelp& c) {
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line.front() != ' ') {
      if (c.synopsis.empty()) c.synopsis = line.back() == ':' ? line.substr(0, line.size() - 1) : line;
      continue;
    }
    if (starts_with(line, "  -")) {
      c.options.push_back(option_of(line.substr(2)));
    } else if (!c.options.empty()) {
      std::string& d = c.options.back().description;
      d += (d.empty() ? "" : " ") + trimmed(line);
    }
  }
}

// The usage's lines after `heading` up to the next blank line.
std::vector<std::string> section(const std::string& usage, const std::string& heading) {
  std::istringstream lines(usage);
  std::vector<std::string> out;
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (inside && line.empty()) break;
    if (inside) out.push_back(line);
    if (line == heading) inside = true;
  }
  return out;
}

std::string usage_line(const std::string& usage, const std::string& prefix) {
  std::istringstream lines(usage);
  for (std::string line; std::getline(lines, line);)
    if (starts_with(line, prefix)) return trimmed(line.substr(prefix.size()));
  return "";
}

// Text as roff: backslashes and hyphens escaped, a leading control character neutralised, and UTF-8 as
// \[uXXXX] (groff reads bytes; man-db's preconv is not run by every formatter).
std::string roff(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else if (ch < 0x80) {
      out += static_cast<char>(ch);
    } else {
      const int extra = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : 1;
      unsigned code = ch & (0x3Fu >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k)
        code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", code);
      out += buf;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_names(const OptionHelp& o, const std::string& bold, const std::string& roman) {
  std::string s;
  if (!o.short_name.empty()) s += bold + roff("-" + o.short_name) + roman;
  if (!o.short_name.empty() && !o.long_name.empty()) s += ", ";
  if (!o.long_name.empty()) s += bold + roff("--" + o.long_name) + roman;
  return s;
}

// The file patterns the command's argument completes to, by its name in the usage.
std::string extensions_of(const CommandHelp& c) {
  if (starts_with(c.argument, "SCENARIO")) return "yaml yml";
  if (starts_with(c.argument, "RESULTS")) return "h5";
  if (starts_with(c.argument, "DATA")) return "csv";
  return "";
}

}  // namespace

std::vector<CommandHelp> read_commands(const std::string& usage,
                                       const std::function<std::string(const std::string&)>& help_of) {
  std::vector<CommandHelp> out;
  for (const std::string& line : section(usage, "commands:")) {
    const std::string t = trimmed(line);
    if (t.empty()) continue;
    CommandHelp c;
    const auto name_end = t.find(' ');
    c.name = t.substr(0, name_end);
    const std::string rest = name_end == std::string::npos ? "" : t.substr(name_end);
    // "run SCENARIO       simulate ..." or "erlang             Erlang C ...": the argument is single-spaced.
    const auto gap = starts_with(rest, "  ") ? 0 : rest.find("  ");
    c.argument = trimmed(rest.substr(0, gap == std::string::npos ? rest.size() : gap));
    c.summary = gap == std::string::npos ? "" : trimmed(rest.substr(gap));
    read_options(help_of(c.name), c);
    out.push_back(std::move(c));
  }
  return out;
}

void print_man_page(std::ostream& out, const std::string& usage, const std::vector<CommandHelp>& commands) {
  const std::string first = usage.substr(0, usage.find('\n'));  // "ccsim 0.1.0 - contact-centre ..."
  const auto dash = first.find(" - ");
  const std::string title = first.substr(0, dash), tagline = dash == std::string::npos ? "" : first.substr(dash + 3);
  out << ".\\\" Generated by `ccsim help --man` from the commands' own --help: edit those, not this file.\n"
      << ".TH CCSIM 1 \"\" \"" << roff(title) << "\" \"User Commands\"\n"
      << ".SH NAME\nccsim \\- " << roff(tagline) << "\n"
      << ".SH SYNOPSIS\n.B ccsim\n.I command\n.RI [ options ]\n.br\n.B ccsim help\n"
      << ".RB [ \\-\\-man | \\-\\-bash\\-completion | \\fIcommand\\fR ]\n"
      << ".SH DESCRIPTION\n"
      << roff("ccsim plays out days of a contact centre with a discrete-event simulation and reports the "
              "industry's measures per interval with confidence intervals, beside the stationary Erlang-A "
              "value. A scenario is a YAML file; results go to an HDF5 file that compare and report read "
              "back. Scenario files, measures and the results layout are described in the README.")
      << "\n.PP\n"
      << roff("A SCENARIO of - is read from standard input (named <stdin> in messages). Results files are "
              "HDF5 and need a real file: -o - is refused.")
      << "\n.SH COMMANDS\n";
  for (const CommandHelp& c : commands) {
    out << ".SS \"" << roff(c.name + (c.argument.empty() ? "" : " " + c.argument)) << "\"\n"
        << roff(c.summary) << ".\n.PP\n.B " << roff(c.synopsis) << "\n";
    for (const OptionHelp& o : c.options) {
      out << ".TP\n" << option_names(o, "\\fB", "\\fR") << (o.takes_value ? " \\fIvalue\\fR" : "") << "\n"
          << roff(o.description);
      if (!o.default_value.empty()) out << " (default: " << roff(o.default_value) << ")";
      out << "\n";
    }
  }
  out << ".SS \"help [COMMAND]\"\n"
      << roff("The usage, or a command's options; help --man prints this page and help --bash-completion "
              "the completion script, both made from the commands' own --help.")
      << "\n.SH \"EXIT STATUS\"\n"
      << roff(usage_line(usage, "exit codes:")) << ".\n"
      << ".SH FILES\n.TP\n.I results/SCENARIO.h5\n"
      << roff("where run writes unless -o says otherwise.") << "\n.TP\n.I share/ccsim/read_results.py\n"
      << roff("under the installation prefix: reads a results file into pandas (needs python3-h5py and "
              "python3-pandas).")
      << "\n.SH \"SEE ALSO\"\n.BR h5dump (1)\n";
}

void print_bash_completion(std::ostream& out, const std::vector<CommandHelp>& commands) {
  std::string names;
  for (const CommandHelp& c : commands) names += c.name + " ";
  out << "# bash completion for ccsim, generated by `ccsim help --bash-completion` from the commands' own\n"
         "# --help: commands, each command's options, scenario (.yaml) or results (.h5) files, and any file\n"
         "# after an option that takes a value.\n"
         "_ccsim() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  local options='' valued='' extensions='' files=1 e\n"
         "  COMPREPLY=()\n"
         "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
         "    mapfile -t COMPREPLY < <(compgen -W '"
      << names
      << "help --help --version' -- \"$cur\")\n"
         "    return 0\n"
         "  fi\n"
         "  case ${COMP_WORDS[1]} in\n";
  for (const CommandHelp& c : commands) {
    std::string options, valued;
    for (const OptionHelp& o : c.options)
      for (const std::string& n : {o.short_name.empty() ? "" : "-" + o.short_name,
                                   o.long_name.empty() ? "" : "--" + o.long_name}) {
        if (n.empty()) continue;
        options += (options.empty() ? "" : " ") + n;
        if (o.takes_value) valued += (valued.empty() ? "" : " ") + n;
      }
    out << "    " << c.name << ") options='" << options << "' valued='" << valued << "' extensions='"
        << extensions_of(c) << "' files=" << (c.argument.empty() ? 0 : 1) << " ;;\n";
  }
  out << "    help)\n"
         "      mapfile -t COMPREPLY < <(compgen -W '--man --bash-completion "
      << names
      << "' -- \"$cur\")\n"
         "      return 0 ;;\n"
         "    *) return 0 ;;\n"
         "  esac\n"
         "  compopt -o filenames 2>/dev/null\n"
         "  if [[ \" $valued \" == *\" $prev \"* ]]; then\n"
         "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
         "  elif [[ $cur == -* || $files == 0 ]]; then\n"
         "    compopt +o filenames 2>/dev/null\n"
         "    mapfile -t COMPREPLY < <(compgen -W \"$options\" -- \"$cur\")\n"
         "  elif [ -z \"$extensions\" ]; then\n"
         "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
         "  else\n"
         "    mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")\n"
         "    for e in $extensions; do\n"
         "      mapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen -f -X '!*.'\"$e\" -- \"$cur\")\n"
         "    done\n"
         "  fi\n"
         "  return 0\n"
         "}\n"
         "complete -F _ccsim ccsim\n";
}

int cmd_help(const std::vector<std::string>& args, const std::string& usage,
             const std::function<std::string(const std::string&)>& help_of) {
  if (args.size() != 1)
    throw InputError("command line: ccsim help takes one of COMMAND, --man or --bash-completion");
  if (args[0] == "--man") {
    print_man_page(std::cout, usage, read_commands(usage, help_of));
  } else if (args[0] == "--bash-completion") {
    print_bash_completion(std::cout, read_commands(usage, help_of));
  } else {
    for (const CommandHelp& c : read_commands(usage, [](const std::string&) { return std::string(); }))
      if (c.name == args[0]) {
        std::cout << help_of(c.name);
        return kOk;
      }
    throw InputError("command line: ccsim help: no command '" + args[0] + "' (see ccsim --help)");
  }
  return kOk;
}

}  // namespace ccsim::cli
