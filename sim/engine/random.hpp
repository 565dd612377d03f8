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

// Layers of the exponential ziggurat, computed once (Marsaglia & Tsang 2000, with 53-bit integers).
struct ExpZiggurat {
  static constexpr double kR = 7.697117470131487;     // where the tail starts
  static constexpr double kV = 3.949659822581572e-3;  // area of each layer
  std::uint64_t k[256];
  double w[256], f[256];

  static const ExpZiggurat& get() {
    static const ExpZiggurat z;  // thread-safe initialisation
    return z;
  }

 private:
  ExpZiggurat() {
    const double m = 9007199254740992.0;  // 2^53
    double d = kR, t = kR;
    const double q = kV / std::exp(-d);
    k[0] = static_cast<std::uint64_t>((d / q) * m);
    k[1] = 0;
    w[0] = q / m;
    w[255] = d / m;
    f[0] = 1.0;
    f[255] = std::exp(-d);
    for (int i = 254; i >= 1; --i) {
      d = -std::log(kV / d + std::exp(-d));
      k[i + 1] = static_cast<std::uint64_t>((d / t) * m);
      t = d;
      f[i] = std::exp(-d);
      w[i] = d / m;
    }
  }
};

// One source of randomness (arrivals of type X, handle times of type X, ...). Each stream has its own
// Boost.Random engine seeded from (master seed, replication, stream id), so consuming more numbers from
// one purpose never shifts another: that is what keeps policies on common random numbers.
// Uniforms are built from the raw 64-bit output here, not by std:: distributions, whose algorithms
// differ between standard libraries.
class Stream {
 public:
  Stream() = default;
  Stream(std::uint64_t master_seed, std::uint64_t replication, std::uint64_t stream_id)
      : engine_(stream_seed(master_seed, replication, stream_id)) {}

  // The same stream as the constructor's, seeded at its first draw: a replication sets up a stream per
  // purpose and contact type (280 for 20 types), most of which a scenario never draws from, and seeding
  // one is 312 steps over 2.5 KB.
  void reseed(std::uint64_t master_seed, std::uint64_t replication, std::uint64_t stream_id) {
    pending_seed_ = stream_seed(master_seed, replication, stream_id);
    seeded_ = false;
  }

  std::uint64_t bits() { return next(); }

  // Uniform on (0, 1]: never 0, so -log(u) is finite.
  double uniform_open0() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
  // Uniform on [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Exponential by the ziggurat method (Marsaglia & Tsang 2000, 256 layers): one 64-bit draw and a table
  // look-up in about 99% of cases, instead of a logarithm for every draw.
  double exponential(double mean) {
    const ExpZiggurat& z = ExpZiggurat::get();
    for (;;) {
      const std::uint64_t r = next();
      const std::size_t i = r & 255;
      const std::uint64_t j = r >> 11;  // 53 random bits
      const double x = static_cast<double>(j) * z.w[i];
      if (j < z.k[i]) return mean * x;  // inside the layer's rectangle
      if (i == 0) return mean * (ExpZiggurat::kR - std::log(uniform_open0()));         // the tail beyond kR
      if (z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < std::exp(-x)) return mean * x;  // the wedge
    }
  }

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
  std::uint64_t next() {
    if (!seeded_) [[unlikely]] {
      engine_.seed(pending_seed_);
      seeded_ = true;
    }
    return engine_();
  }

  boost::random::mt19937_64 engine_;
  std::uint64_t pending_seed_ = 0;
  bool seeded_ = true;
};

}  // namespace ccsim::engine
