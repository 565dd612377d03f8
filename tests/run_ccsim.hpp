// The ccsim binary as a user runs it, for tests that go through the command line: its exit code, standard
// output and standard error, in a scratch directory of the test process's own.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ccsim::testing {

struct Outcome {
  int code;
  std::string out, err;
};

// `name` keeps two test programs running at once apart.
inline std::filesystem::path scratch_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("ccsim_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Outcome run_ccsim(const std::string& name, const std::string& args) {
  const auto d = scratch_dir(name);
  const std::string cmd =
      std::string(CCSIM_BINARY) + " " + args + " >" + (d / "out").string() + " 2>" + (d / "err").string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(d / "out"), slurp(d / "err")};
}

}  // namespace ccsim::testing
