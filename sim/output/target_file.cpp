#include "output/target_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace fs = std::filesystem;

namespace ccsim::output {
namespace {

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "host";
  std::string h = buf;
  for (char& c : h)
    if (c == '-' || c == '/' || c == '.') c = '_';  // '-' separates the fields of the name
  return h;
}

// The start time of process `pid` in clock ticks since boot (field 22 of /proc/PID/stat), or "" when the
// process is gone. A PID is reused; (PID, start time) is not.
std::string start_time(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  const auto paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return "";
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i)
    if (i == 22) return field;
  return "";
}

// Removes "<name>.tmp-<this host>-<pid>-<start>" files beside `path` whose process is gone.
void remove_stale(const fs::path& path) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const std::string prefix = path.filename().string() + ".tmp-" + host_name() + "-";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos) continue;
    char* endp = nullptr;
    const long pid = std::strtol(rest.c_str(), &endp, 10);
    if (endp != rest.c_str() + dash || pid <= 0) continue;
    if (start_time(pid) == rest.substr(dash + 1)) continue;  // still running: its file, not ours
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

}  // namespace

std::string system_cause() {
  return std::strerror(errno);
}

std::string temp_name(const std::string& path) {
  const long pid = static_cast<long>(::getpid());
  return path + ".tmp-" + host_name() + "-" + std::to_string(pid) + "-" + start_time(pid);
}

void check_target(const std::string& path) {
  const std::string opt = "command line: --output '" + path + "': ";
  if (path.empty()) throw InputError("command line: --output: the file name is empty");
  // HDF5 seeks back to fill in what it wrote earlier, which a pipe cannot do; "-" would otherwise become a
  // file named "-".
  if (path == "-")
    throw InputError(opt +
                     "HDF5 results need a file, not standard output; give a file name such as results.h5");
  if (path.back() == '/') throw InputError(opt + "names a directory; give a file name such as results.h5");
  const fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) throw InputError(opt + "is a directory; give a file name such as results.h5");
  if (fs::exists(p, ec) && !fs::is_regular_file(p, ec))
    throw InputError(opt + "exists and is not a regular file");
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir))
    throw InputError(opt + "cannot create directory '" + dir.string() +
                     "': " + (ec ? ec.message() : "a file of that name is in the way"));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(opt + "cannot write in directory '" + dir.string() + "': " + system_cause());
  remove_stale(p);
}

void write_file_atomically(const std::string& path, const std::string& bytes, const char* what) {
  const std::string tmp = temp_name(path);
  const auto fail = [&](const std::string& step) {
    const std::string cause = system_cause();
    ::unlink(tmp.c_str());
    throw OutputError(path + ": cannot write the " + what + " (" + step + "): " + cause);
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail("create");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  // Delayed allocation can report a full disk only here.
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    fail("flush");
  }
  if (::close(fd) != 0) fail("close");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename");
}

}  // namespace ccsim::output
