// Running the built ccsim as a user does, for the tests of its conventions: exit code, standard output and
// standard error of one command line (run by sh, so it may hold redirections and pipes).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ccsim::test {

struct Outcome {
  int code;
  std::string out, err;
};

// A directory of this test process's own under the system's temporary directory.
inline std::filesystem::path work_dir(const std::string& tag) {
  auto d = std::filesystem::temp_directory_path() / ("ccsim_test_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `ccsim ARGS` run in `dir` with standard input from `input` (a file; /dev/null when empty).
inline Outcome run_ccsim(const std::string& args, const std::filesystem::path& dir,
                         const std::string& input = "") {
  const std::string cmd = "cd '" + dir.string() + "' && " + CCSIM_BINARY + " " + args + " >'" +
                          (dir / ".out").string() + "' 2>'" + (dir / ".err").string() + "' <" +
                          (input.empty() ? std::string("/dev/null") : "'" + input + "'");
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / ".out"), slurp(dir / ".err")};
}

}  // namespace ccsim::test
