// sim/common: what every part of ccsim shares — the exception hierarchy the CLI maps to exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace ccsim {

// Base of everything ccsim throws on purpose; anything else reaching main() is a bug.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user's input is wrong (scenario, forecast, command line): exit code 1.
class InputError : public Error {
 public:
  using Error::Error;
};

// A broken invariant inside a run; the message carries simulated time and entity: exit code 2.
class SimulationError : public Error {
 public:
  using Error::Error;
};

// Writing or reading a results file failed: exit code 2.
class OutputError : public Error {
 public:
  using Error::Error;
};

// The user stopped the run (Ctrl-C): nothing was written.
class Interrupted : public Error {
 public:
  using Error::Error;
};

}  // namespace ccsim
