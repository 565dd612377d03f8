// The ccsim binary run as a user runs it, for the test files that check the command line (test_cli.cpp,
// test_hostile.cpp, test_conventions.cpp, test_read_back.cpp, ...): its exit code and what it printed, and a
// scratch folder per test program.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace ccsim::testing {

struct Outcome {
  int code;
  std::string out, err;
};

// /tmp/ccsim_<test program>_<pid>: the program's name keeps two test programs running at once apart.
inline std::filesystem::path work_dir() {
  std::filesystem::path d =
      std::filesystem::temp_directory_path() /
      ("ccsim_" + std::string(program_invocation_short_name) + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `ccsim ARGS` through the shell (ARGS may redirect), with no standard input unless ARGS gives one.
inline Outcome run_ccsim(const std::string& args) {
  const auto d = work_dir();
  const std::string cmd = std::string(CCSIM_BINARY) + " " + args + " >" + (d / "out").string() + " 2>" +
                          (d / "err").string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(d / "out"), slurp(d / "err")};
}

// A folder of this test process's own, named by `tag`, for tests that keep several.
inline std::filesystem::path work_dir(const std::string& tag) {
  auto d = std::filesystem::temp_directory_path() / ("ccsim_test_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
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

// Waits (up to a minute) until the ccsim of process `pid` writing `target` is under way: its temporary file
// beside the target exists, so its Ctrl-C handlers are in place (installed just before). A fixed wait was
// too short under the sanitizers on a loaded machine. False if it never appeared.
inline bool wait_until_under_way(const std::filesystem::path& target, pid_t pid) {
  const std::string temp = target.filename().string() + ".tmp-", own = "-" + std::to_string(pid) + "-";
  auto under_way = [&] {
    for (const auto& e : std::filesystem::directory_iterator(target.parent_path())) {
      const std::string name = e.path().filename().string();
      if (name.rfind(temp, 0) == 0 && name.find(own) != std::string::npos) return true;
    }
    return false;
  };
  for (int i = 0; i < 6000; ++i, std::this_thread::sleep_for(std::chrono::milliseconds(10)))
    if (under_way()) return true;
  return false;
}

}  // namespace ccsim::testing
