// bench/: performance figures against DESIGN.md's targets, checked by eye, never in a timed test.
//
//   ./build/ccsim_bench [--repeats N] [--memory-days N] [--bench-dir DIR]
//
// Every figure is a whole process's wall time: the `ccsim run` binary (-q, -t 1, results to a temporary
// file) and, for the yardstick, this program re-run as `ccsim_bench --bare FILE` (bare_loop.hpp). Runs are
// interleaved (bare W1, ccsim W1, bare W2, ccsim W2, W2 on two threads, W2 pinned to each of two cores, W4,
// its single queue) and repeated, so a busy neighbour slows every side alike; each ratio is the median of
// the rounds' own ratios, with the ratio of the best times and of the CPU times (wait4's user + system)
// beside it. Peak memory is a child's maximum resident set (wait4).
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench/bare_loop.hpp"
#include "scenario/scenario.hpp"

namespace {

using ccsim::bench::BareCount;
using ccsim::bench::BareDay;
using ccsim::bench::BareLoop;

// The bare loop's input from a benchmark scenario (one exponential type, one group without shifts).
BareDay bare_day_of(const ccsim::scenario::Scenario& s) {
  if (s.contact_types.size() != 1 || s.agent_groups.size() != 1)
    throw std::runtime_error(s.source_path + ": the bare loop takes one contact type and one agent group");
  const auto& t = s.contact_types[0];
  BareDay d;
  for (double v : t.volume) d.rate_per_s.push_back(v / s.interval_s);
  d.interval_s = s.interval_s;
  d.agents = s.agent_groups[0].agents;
  d.handle_mean_s = t.handle_time.mean();
  d.patience_mean_s = t.patience.mean();
  return d;
}

int run_bare(const std::string& path) {
  const auto s = ccsim::scenario::load_scenario(path);
  BareLoop loop(bare_day_of(s));
  BareCount c;
  for (int r = 0; r < s.replications; ++r) loop.run(s.seed, static_cast<std::uint32_t>(r), c);
  std::printf("%llu %llu %llu\n", static_cast<unsigned long long>(c.offered),
              static_cast<unsigned long long>(c.answered), static_cast<unsigned long long>(c.abandoned));
  return 0;
}

struct Child {
  double wall_s = 0.0;
  double cpu_s = 0.0;  // user + system time of the child and its threads
  double max_rss_mib = 0.0;
  std::string out;
};

// Runs argv as a child process; its wall time (fork to exit), peak resident memory and standard output.
// With `cpu` >= 0 the child and all its threads run on that CPU alone.
Child run_child(const std::vector<std::string>& args, int cpu = -1) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) throw std::runtime_error("pipe failed");
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (cpu >= 0) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      if (sched_setaffinity(0, sizeof one, &one) != 0) _exit(126);
    }
    dup2(pipe_fd[1], STDOUT_FILENO);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fd[1]);
  Child c;
  char buf[4096];
  for (ssize_t n; (n = read(pipe_fd[0], buf, sizeof buf)) > 0;)
    c.out.append(buf, static_cast<std::size_t>(n));
  close(pipe_fd[0]);
  int status = 0;
  rusage u{};
  if (wait4(pid, &status, 0, &u) != pid) throw std::runtime_error("wait4 failed");
  c.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  c.max_rss_mib = static_cast<double>(u.ru_maxrss) / 1024.0;
  c.cpu_s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
            static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("failed: " + cmd);
  }
  return c;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
double best(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}
// The median of the rounds' own ratios a[i] / b[i]. The two sides of a round run back to back, so a slow
// minute of a shared machine (its speed changes by a third within minutes) slows both; the ratio of two
// medians could take them from different minutes.
double paired(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> r;
  for (std::size_t i = 0; i < a.size(); ++i) r.push_back(a[i] / b[i]);
  return median(r);
}

// The first two CPUs this process may run on, or {-1, -1} with fewer than two.
std::pair<int, int> two_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return {-1, -1};
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE && cpus.size() < 2; ++c)
    if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
  return cpus.size() == 2 ? std::pair{cpus[0], cpus[1]} : std::pair{-1, -1};
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = CCSIM_BENCH_DIR;
  int repeats = 5, memory_days = 10000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--bare" && i + 1 < argc) return run_bare(argv[i + 1]);
    if (a == "--repeats" && i + 1 < argc)
      repeats = std::stoi(argv[++i]);
    else if (a == "--memory-days" && i + 1 < argc)
      memory_days = std::stoi(argv[++i]);
    else if (a == "--bench-dir" && i + 1 < argc)
      dir = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: ccsim_bench [--repeats N] [--memory-days N (0: skip)] [--bench-dir DIR]\n");
      return 2;
    }
  }
  const std::string self = "/proc/self/exe";
  char exe[4096];
  const ssize_t len = readlink(self.c_str(), exe, sizeof exe - 1);
  if (len <= 0) return 1;
  exe[len] = '\0';
  const std::string bench_exe = exe, ccsim = CCSIM_BINARY;
  // A directory of its own, as a results directory usually is: before writing, ccsim looks beside its output
  // for temporary files of runs that died, and a shared /tmp with thousands of entries would be timed too.
  char tmp_dir[] = "/tmp/ccsim_bench_XXXXXX";
  if (!mkdtemp(tmp_dir)) return 1;
  const std::string tmp = std::string(tmp_dir) + "/results.h5";
  auto ccsim_run = [&](const std::string& yaml, int threads, std::vector<std::string> extra = {},
                       int cpu = -1) {
    std::vector<std::string> args = {ccsim, "run", dir + "/" + yaml, "-q", "-t", std::to_string(threads),
                                     "-o",  tmp};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_child(args, cpu);
  };
  // Two-thread runs share the machine's cores, which need not be alike (on a virtual machine one core can
  // be a third slower than the other): W2 is also run pinned to each of the first two cores, whole process
  // (writer thread included) on one core, which says what the two cores together can give.
  const auto [cpu_a, cpu_b] = two_cpus();
  auto bare_calls = [](const Child& c) { return std::strtod(c.out.c_str(), nullptr); };

  std::vector<double> bare1, sim1, bare2, sim2, w4, w4single, sim2_two, pinned_a, pinned_b;
  std::vector<double> cpu_bare1, cpu_sim1, cpu_bare2, cpu_sim2, cpu_w4, cpu_w4single, cpu_sim2_two;
  double calls1 = 0.0, calls2 = 0.0;
  std::fprintf(stderr, "ccsim_bench: %d interleaved rounds", repeats);
  auto keep = [](const Child& c, std::vector<double>& wall, std::vector<double>& cpu) {
    wall.push_back(c.wall_s);
    cpu.push_back(c.cpu_s);
  };
  for (int i = 0; i < repeats; ++i) {
    const Child b1 = run_child({bench_exe, "--bare", dir + "/w1.yaml"});
    keep(b1, bare1, cpu_bare1);
    calls1 = bare_calls(b1);
    keep(ccsim_run("w1.yaml", 1), sim1, cpu_sim1);
    const Child b2 = run_child({bench_exe, "--bare", dir + "/w2.yaml"});
    keep(b2, bare2, cpu_bare2);
    calls2 = bare_calls(b2);
    keep(ccsim_run("w2.yaml", 1), sim2, cpu_sim2);
    keep(ccsim_run("w2.yaml", 2), sim2_two, cpu_sim2_two);  // right after its one-thread run: one pair
    if (cpu_a >= 0) {
      pinned_a.push_back(ccsim_run("w2.yaml", 1, {}, cpu_a).wall_s);
      pinned_b.push_back(ccsim_run("w2.yaml", 1, {}, cpu_b).wall_s);
    }
    keep(ccsim_run("w4.yaml", 1), w4, cpu_w4);
    keep(ccsim_run("w4_single.yaml", 1), w4single, cpu_w4single);
    std::fprintf(stderr, ".");
  }
  std::fprintf(stderr, "\n");

  std::printf(
      "Whole-process wall time, median of %d interleaved runs; ccsim with -t 1. Ratios: the median of each\n"
      "round's own ratio (its two runs back to back), then the ratio of the best times, then of CPU times\n"
      "(user + system, median of the rounds' ratios; ccsim's includes its writer thread).\n",
      repeats);
  std::printf("%-34s %10s %10s %14s %14s %9s\n", "workload", "bare s", "ccsim s", "bare calls/s",
              "ccsim calls/s", "ratio");
  auto row = [&](const char* name, const std::vector<double>& bare, const std::vector<double>& sim,
                 const std::vector<double>& cpu_bare, const std::vector<double>& cpu_sim, double calls) {
    std::printf("%-34s %10.3f %10.3f %13.2fM %13.2fM %8.2fx  (best %.2fx, CPU %.2fx; target <= 1.5x)\n", name,
                median(bare), median(sim), calls / median(bare) / 1e6, calls / median(sim) / 1e6,
                paired(sim, bare), best(sim) / best(bare), paired(cpu_sim, cpu_bare));
  };
  row("W1 M/M/190+M, 1 million calls", bare1, sim1, cpu_bare1, cpu_sim1, calls1);
  row("W2 time-varying day, 1000 days", bare2, sim2, cpu_bare2, cpu_sim2, calls2);
  std::printf("(calls/s: calls offered in the bare loop's run, which has the same workload)\n");
  std::printf(
      "W4 20x20 multi-skill / same agents and volume in one queue: %.3f s / %.3f s = %.2fx (best %.2fx, CPU "
      "%.2fx; target <= 1.3x)\n",
      median(w4), median(w4single), paired(w4, w4single), best(w4) / best(w4single),
      paired(cpu_w4, cpu_w4single));
  std::printf(
      "W2 two threads: %.3f s, one thread %.3f s: speed-up %.2fx (best %.2fx; target >= 1.9x on a "
      "quiet machine); CPU %.3f s against %.3f s\n",
      median(sim2_two), median(sim2), paired(sim2, sim2_two), best(sim2) / best(sim2_two),
      median(cpu_sim2_two), median(cpu_sim2));
  if (cpu_a >= 0) {
    // The work of a one-thread run, done by both cores at once at their own speeds, would take
    // 1 / (1/a + 1/b): the best two threads can do on these cores.
    const double a = median(pinned_a), b = median(pinned_b), both = 1.0 / (1.0 / a + 1.0 / b);
    std::printf(
        "  the cores: W2 on one thread pinned to CPU %d %.3f s, to CPU %d %.3f s (all of ccsim on that core); "
        "both\n  together could do it in %.3f s (%.2fx the faster alone); two threads took %.3f s: %.0f%% of "
        "what the\n  two cores can give\n",
        cpu_a, a, cpu_b, b, both, std::min(a, b) / both, median(sim2_two), 100.0 * both / median(sim2_two));
  }
  if (memory_days > 0) {
    const Child m = ccsim_run("w2.yaml", 2, {"-r", std::to_string(memory_days)});
    std::printf("W2 with %d days (-t 2): peak memory %.1f MiB (target < 60 MB), %.1f s\n", memory_days,
                m.max_rss_mib, m.wall_s);
  }
  std::remove(tmp.c_str());
  rmdir(tmp_dir);
  return 0;
}
