#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <cstdint>

namespace ccsim::engine {

// splitmix64 finaliser: a bijective mixer, so distinct (seed, replication, stream) give distinct seeds.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

constexpr std::uint64_t stream_seed(std::uint64_t master_seed, std::uint64_t replication,
                                    std::uint64_t stream_id) {
  return mix64(mix64(mix64(master_seed) ^ replication) ^ (stream_id * 0xD1B54A32D192ED03ull));
}

// One source of randomness (arrivals of type X, handle times of type X, ...). Each stream has its own
// Boost.Random engine seeded from (master seed, replication, stream id), so consuming more numbers from
// one purpose never shifts another: that is what keeps policies on common random numbers.
// Uniforms are built from the raw 64-bit output here, not by std:: distributions, whose algorithms
// differ between standard libraries.
class Stream {
 public:
  Stream() = default;
  Stream(std::uint64_t master_seed, std::uint64_t replication, std::uint64_t stream_id) {
    engine_.seed(stream_seed(master_seed, replication, stream_id));
  }

  std::uint64_t bits() { return engine_(); }

  // Uniform on (0, 1]: never 0, so -log(u) is finite.
  double uniform_open0() { return static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53; }
  // Uniform on [0, 1).
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double exponential(double mean) { return -mean * std::log(uniform_open0()); }

  // Standard normal by the Marsaglia polar method (portable, no cached second value: a stream's n-th
  // draw depends only on n).
  double normal() {
    for (;;) {
      double u = 2.0 * uniform() - 1.0;
      double v = 2.0 * uniform() - 1.0;
      double s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
  }

 private:
  boost::random::mt19937_64 engine_;
};

}  // namespace ccsim::engine
