// What every command shares: exit codes, option parsing with the file argument, the progress bar and
// Ctrl-C handling.
#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::cli {

namespace po = boost::program_options;

inline constexpr int kOk = 0, kBadInput = 1, kInternal = 2, kInterrupted = 130, kTerminated = 143;

// Parses `args` against the visible (and hidden) options; a parse error is bad input naming --help.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description* positional = nullptr,
                        const po::options_description* hidden = nullptr);

// Parses a command that takes one file argument (`name`: "scenario" or "results") and `opts`; returns
// nothing when --help was answered.
std::optional<po::variables_map> parse_with_file(const std::vector<std::string>& args,
                                                 const po::options_description& opts, const char* command,
                                                 const char* name = "scenario");

// From here until release_interrupts(), Ctrl-C (SIGINT) and SIGTERM set the returned flag instead of ending
// the process, so workers stop within a few thousand events and nothing is written. A second Ctrl-C ends
// the process at once (exit 130).
std::atomic<bool>* catch_interrupts();
void release_interrupts();
// The exit code for an interrupted run: 130 after SIGINT, 143 after SIGTERM.
int interrupted_exit_code();

// A number given on the command line, read like a YAML value: the whole text, finite, within [min, max];
// otherwise an InputError naming the option.
double option_number(const po::variables_map& vm, const char* option, double min, double max);
long long option_integer(const po::variables_map& vm, const char* option, long long min, long long max);
// A duration as the scenario reads one: "30" (seconds), "30s", "2min", "1.5h"; seconds within [min, max].
double option_duration(const po::variables_map& vm, const char* option, double min, double max);
// A size in bytes: a number of bytes ("5e8"), or a number with B, KiB, MiB, GiB or TiB ("2GiB", "1.5 TiB");
// within [min, max] bytes.
double option_size(const po::variables_map& vm, const char* option, double min, double max);
// The ASA of `--target asa=VALUE` (`target`: the whole option value, for messages): a duration as the
// scenario reads one, "30" (seconds), "30s", "0.5min"; > 0.
double target_asa(const std::string& value, const std::string& target);

// `--set PATH=VALUE` (repeatable) for every command that reads a scenario, and the overrides it gave.
void add_set_option(po::options_description& opts);
std::vector<scenario::Override> set_overrides(const po::variables_map& vm);

// Progress on stderr: a bar redrawn in place on a terminal, a plain line every 10% otherwise.
class Progress {
 public:
  explicit Progress(bool enabled);
  void operator()(int done, int total);

 private:
  bool enabled_, terminal_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  double last_draw_ = -1.0;
  int last_decile_ = 0;
};

}  // namespace ccsim::cli
