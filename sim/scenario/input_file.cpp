#include "scenario/input_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "common/error.hpp"

namespace ccsim::scenario {

std::string input_name(const std::string& path) {
  return path == "-" ? kStdinName : path;
}

std::string without_bom(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return text;
}

std::string read_input(const std::string& path, std::size_t max_bytes, const char* what) {
  const std::string name = input_name(path);
  const auto too_big = [&] {
    return InputError(name + ": the " + std::string(what) + " is larger than the limit of " +
                      std::to_string(max_bytes >> 20) + " MiB");
  };
  std::string text;
  char buf[65536];
  if (path == "-") {
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
      if (text.size() > max_bytes) throw too_big();
    }
    return text;
  }
  // A directory, FIFO or device (/dev/zero) would read as nothing or forever: refuse before opening.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw InputError(name + ": cannot open " + what + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw InputError(name + ": the " + std::string(what) + " is " +
                     (S_ISDIR(st.st_mode) ? "a directory" : "not a regular file") +
                     ": give a file, or - for standard input");
  if (static_cast<std::size_t>(st.st_size) > max_bytes) throw too_big();
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw InputError(name + ": cannot open " + what + ": " + std::strerror(errno));
  // Read to the end but never past the limit: the file may grow while it is read.
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) {
    text.append(buf, n);
    if (text.size() > max_bytes) throw too_big();
  }
  if (std::ferror(f.get())) throw InputError(name + ": cannot read " + what + ": " + std::strerror(errno));
  return text;
}

}  // namespace ccsim::scenario
