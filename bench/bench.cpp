// bench/: performance figures (simulated calls per second, peak memory, thread speed-up). Targets are
// checked here by eye against DESIGN.md, never in a timed test.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace {

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Best of `repeats` runs: the figure the code can reach, not the noise of a shared machine.
double calls_per_second(const ccsim::scenario::Scenario& s, int threads, int repeats, std::uint64_t& calls) {
  double best = 0.0;
  for (int i = 0; i < repeats; ++i) {
    ccsim::model::RunOptions o;
    o.seed = s.seed;
    o.replications = s.replications;
    o.threads = threads;
    auto t0 = std::chrono::steady_clock::now();
    auto r = ccsim::model::run(s, o);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    calls = 0;
    for (const auto& rep : r.by_replication)
      for (std::size_t k = 0; k < rep.contacts_by_interval.size(); ++k)
        calls += rep.contacts_by_interval[k].counts.offered;
    best = std::max(best, static_cast<double>(calls) / secs);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "bench";
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  std::printf("%-6s %12s %16s %16s %10s\n", "case", "calls", "calls/s 1 thr", "calls/s 2 thr", "speed-up");
  for (const char* name : {"w1", "w2"}) {
    auto s = ccsim::scenario::load_scenario(dir + "/" + name + ".yaml");
    std::uint64_t calls = 0;
    double one = calls_per_second(s, 1, repeats, calls);
    double two = s.replications > 1 ? calls_per_second(s, 2, repeats, calls) : 0.0;
    if (two > 0.0)
      std::printf("%-6s %12llu %14.2fM %14.2fM %9.2fx\n", name, static_cast<unsigned long long>(calls),
                  one / 1e6, two / 1e6, two / one);
    else  // one replication cannot be split over threads
      std::printf("%-6s %12llu %14.2fM %15s %10s\n", name, static_cast<unsigned long long>(calls), one / 1e6,
                  "-", "-");
  }
  std::printf("peak memory: %.1f MiB\n", peak_rss_mib());
  return 0;
}
