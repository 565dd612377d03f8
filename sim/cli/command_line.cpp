#include "cli/command_line.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "common/error.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::cli {

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description* positional,
                        const po::options_description* hidden) {
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  po::variables_map vm;
  try {
    po::command_line_parser p(args);
    p.options(all);
    if (positional) p.positional(*positional);
    po::store(p.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string("command line: ") + e.what() + " (see --help)");
  }
  return vm;
}

std::optional<po::variables_map> parse_with_file(const std::vector<std::string>& args,
                                                 const po::options_description& opts, const char* command,
                                                 const char* name) {
  po::options_description hidden;
  hidden.add_options()(name, po::value<std::string>());
  po::positional_options_description pos;
  pos.add(name, 1);
  auto vm = parse(args, opts, &pos, &hidden);
  if (vm.count("help")) {
    std::cout << opts;
    return std::nullopt;
  }
  if (!vm.count(name))
    throw InputError(std::string("command line: ccsim ") + command + " needs a " +
                     (std::string(name) == "scenario" ? "SCENARIO"
                      : std::string(name) == "data"   ? "DATA.csv"
                                                      : "RESULTS.h5") + " file (see --help)");
  return vm;
}

namespace {

std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_interrupt(int sig) {
  // The user who presses Ctrl-C twice wants out now; _exit is async-signal-safe, and nothing is written.
  if (g_interrupted.load() && sig == SIGINT) ::_exit(130);
  if (g_signal == 0) g_signal = sig;
  g_interrupted = true;
}

}  // namespace

std::atomic<bool>* catch_interrupts() {
  g_interrupted = false;
  g_signal = 0;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  return &g_interrupted;
}

void release_interrupts() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

int interrupted_exit_code() {
  return g_signal == SIGTERM ? kTerminated : kInterrupted;
}

namespace {

std::string option_text(const po::variables_map& vm, const char* option) {
  return vm[option].as<std::string>();
}

}  // namespace

double option_number(const po::variables_map& vm, const char* option, double min, double max) {
  const std::string text = option_text(vm, option);
  double v = 0.0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
    throw InputError(std::string("command line: --") + option + ": expected a finite number, got '" + text +
                     "'");
  if (v < min || v > max) {
    std::ostringstream os;
    os << "command line: --" << option << ": must be between " << min << " and " << max << ", got " << text;
    throw InputError(os.str());
  }
  return v;
}

double option_duration(const po::variables_map& vm, const char* option, double min, double max) {
  const std::string text = option_text(vm, option);
  double v = 0.0;
  try {
    v = scenario::parse_duration(text);
  } catch (const InputError& e) {
    throw InputError(std::string("command line: --") + option + ": " + e.what());
  }
  if (v < min || v > max) {
    std::ostringstream os;
    os << "command line: --" << option << ": must be between " << min << " and " << max << " s, got " << text;
    throw InputError(os.str());
  }
  return v;
}

double option_size(const po::variables_map& vm, const char* option, double min, double max) {
  const std::string text = option_text(vm, option);
  double v = 0.0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  std::string unit(p, text.data() + text.size());
  unit.erase(0, unit.find_first_not_of(' '));
  static constexpr std::pair<const char*, double> kUnits[] = {
      {"", 1.0}, {"B", 1.0}, {"KiB", 0x1p10}, {"MiB", 0x1p20}, {"GiB", 0x1p30}, {"TiB", 0x1p40}};
  double factor = 0.0;
  for (const auto& [name, f] : kUnits)
    if (unit == name) factor = f;
  if (ec != std::errc() || p == text.data() || factor == 0.0 || !std::isfinite(v))
    throw InputError(std::string("command line: --") + option +
                     ": expected a size such as 2GiB, 500MiB or 1e9 (bytes), got '" + text + "'");
  const double bytes = v * factor;
  if (bytes < min || bytes > max) {
    std::ostringstream os;
    os << "command line: --" << option << ": must be between " << min << " and " << max << " bytes, got "
       << text;
    throw InputError(os.str());
  }
  return bytes;
}

double target_asa(const std::string& value, const std::string& target) {
  double v = 0.0;
  try {
    v = scenario::parse_duration(value);
  } catch (const InputError& e) {
    throw InputError("command line: --target " + target + ": " + e.what());
  }
  if (!(v > 0.0)) throw InputError("command line: --target " + target + ": ASA must be > 0");
  return v;
}

long long option_integer(const po::variables_map& vm, const char* option, long long min, long long max) {
  const std::string text = option_text(vm, option);
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    throw InputError(std::string("command line: --") + option + ": expected a whole number, got '" + text +
                     "'");
  if (v < min || v > max)
    throw InputError(std::string("command line: --") + option + ": must be between " + std::to_string(min) +
                     " and " + std::to_string(max) + ", got " + text);
  return v;
}

void add_set_option(po::options_description& opts) {
  opts.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                     "PATH=VALUE: set a field of the scenario before its policies apply (the paths of a "
                     "policy's overrides, a YAML value: --set agent_groups.desk.agents=12); repeatable");
}

std::vector<scenario::Override> set_overrides(const po::variables_map& vm) {
  if (!vm.count("set")) return {};
  return scenario::command_line_overrides(vm["set"].as<std::vector<std::string>>());
}

Progress::Progress(bool enabled)
    : enabled_(enabled), terminal_(isatty(2) != 0), start_(std::chrono::steady_clock::now()) {}

void Progress::operator()(int done, int total) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double left = done > 0 ? elapsed * (total - done) / done : 0.0;
  const int decile = total > 0 ? 10 * done / total : 10;
  if (terminal_) {
    if (elapsed - last_draw_ < 0.1 && done < total) return;
    last_draw_ = elapsed;
    const int width = 30, filled = total > 0 ? width * done / total : width;
    std::fprintf(stderr, "\r[%s%s] %d/%d replications, %.1f s elapsed, ~%.1f s left ",
                 std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(), done, total,
                 elapsed, left);
    if (done == total) std::fprintf(stderr, "\n");
  } else if (decile > last_decile_) {
    last_decile_ = decile;
    std::fprintf(stderr, "ccsim: %d/%d replications, %.1f s elapsed, ~%.1f s left\n", done, total, elapsed,
                 left);
  }
}

}  // namespace ccsim::cli
