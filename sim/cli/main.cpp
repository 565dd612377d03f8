// The ccsim command: picks the command (one file each, named after it) and maps what it throws to an exit
// code. Compiled twice: into ccsim, and with CCSIM_MPI into ccsim-mpi, which ccsim becomes for a sweep under
// mpirun.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/manual.hpp"
#include "cluster/mpi_sweep.hpp"
#include "common/error.hpp"

namespace ccsim::cli {

int dispatch(int argc, char** argv);  // the command line's command, its exit code

namespace {

const char* kUsage =
    "ccsim " CCSIM_VERSION
    " - contact-centre queue and wait-time simulator\n\n"
    "usage: ccsim <command> [options]\n\n"
    "commands:\n"
    "  run SCENARIO       simulate a scenario, print a summary, write results to HDF5\n"
    "  sweep SCENARIO     run a scenario over a grid of field values (--grid, --range), one results file\n"
    "  validate SCENARIO  check a scenario file without running it\n"
    "  erlang             Erlang C / Erlang A measures, or the agents a target needs\n"
    "  fit DATA.csv       fit exponential, log-normal, gamma and Weibull laws to observed durations\n"
    "  staff SCENARIO     the agents each interval needs for a target (Erlang and simulation) vs the roster\n"
    "  roster SCENARIO    the cheapest roster of shift patterns meeting a target (integer programme, "
    "simulated)\n"
    "  compare RESULTS    compare the policies of a results file against the baseline\n"
    "  report RESULTS     a self-contained HTML report of a results file (charts, summary, predictors)\n"
    "  export RESULTS     tables of a results file as CSV files (--csv)\n\n"
    "'ccsim <command> --help' describes each command's options; 'ccsim help --man' prints the manual page,\n"
    "'ccsim help --bash-completion' the completion script.\n"
    "exit codes: 0 ok, 1 bad input, 2 internal or output error, 130 interrupted (Ctrl-C), 143 terminated\n";

std::string joined(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

// What `ccsim NAME --help` prints, for the manual page and the completion.
std::string help_of(const std::string& name) {
  std::ostringstream captured;
  std::streambuf* const saved = std::cout.rdbuf(captured.rdbuf());
  std::string program = "ccsim", command = name, help = "--help";
  char* argv[] = {program.data(), command.data(), help.data(), nullptr};
  dispatch(3, argv);
  std::cout.rdbuf(saved);
  return captured.str();
}

#ifndef CCSIM_MPI
// ccsim-mpi in the directory of the running ccsim (the same program with MPI, built and installed beside
// it), if there is one. The running file, not argv[0], which may be a name found on PATH or a symlink.
std::optional<std::filesystem::path> mpi_program() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  std::filesystem::path program = self.parent_path() / "ccsim-mpi";
  if (!std::filesystem::is_regular_file(program, ec)) return std::nullopt;
  return program;
}

// `ccsim sweep` started by mpirun or srun becomes ccsim-mpi, with the same arguments, before it does or
// writes anything: the process keeps its PID and environment, which mpirun's bookkeeping and MPI_Init need.
// This ccsim then never loads MPI's libraries. Without ccsim-mpi, the sweep says how to get MPI (sweep.cpp).
void run_mpi_program_for_sweep(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != "sweep" || !cluster::started_by_mpi()) return;
  const std::optional<std::filesystem::path> program = mpi_program();
  if (!program) return;
  // argv[0] as the user gave it: the results file's command_line says what was typed ("ccsim sweep ...").
  const std::string name = program->string();
  execv(name.c_str(), argv);  // argv[argc] is the null pointer execv needs
  const int error = errno;    // execv returns only when it failed
  std::cerr << "error: cannot run " << name << " for the MPI sweep: " << std::strerror(error) << "\n";
  std::exit(kInternal);
}
#endif

// A page fault costs about 10 us on the virtual machines we measure on, and a run touches its memory
// first-time in 4 KiB pages: W1 (one replication) took 2,090 faults, a tenth of its time. So the heap gets
// 64 MiB of room at once, asked for transparent huge pages (2 MiB a fault, where the kernel has them; a
// no-op where it does not), and every thread allocates from it rather than from an arena of its own
// (glibc maps one per thread, faulted page by page). W1 890 faults and 8% less wall time, W4 5%; W2 and its
// two-thread run unchanged (malloc is rare on the per-event path). Resident memory grows only by what a
// huge page rounds up to.
void back_heap_with_huge_pages() {
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_TOP_PAD, 64 << 20);
  void* probe = std::malloc(1 << 20);  // above what is free at start: the heap grows by it and the pad
  if (!probe) return;
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const std::uintptr_t from = (reinterpret_cast<std::uintptr_t>(probe) + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t to = reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(kHuge - 1);
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);  // advice: failure is fine
  std::free(probe);
}

}  // namespace
}  // namespace ccsim::cli

int main(int argc, char** argv) {
#ifndef CCSIM_MPI
  ccsim::cli::run_mpi_program_for_sweep(argc, argv);
#endif
  // glibc hands freed blocks over 128 KiB back to the system (munmap, or madvise in a thread's arena) and
  // maps the next one afresh, a page fault per 4 KiB touched: the results writer's chunk buffers and the
  // replications' scratch tables are that size and come and go all run. Kept instead, W2's page faults
  // went from 11,300 to 2,600 and its CPU time down 9% (W1 and W4 4%); peak memory is unchanged. At most
  // 16 MiB of free memory stays with the heap beyond its pad (and blocks from 4 MiB on are mapped apart).
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
  ccsim::cli::back_heap_with_huge_pages();
  return ccsim::cli::dispatch(argc, argv);
}

int ccsim::cli::dispatch(int argc, char** argv) {
  using namespace ccsim;
  using namespace ccsim::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return kBadInput;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "help" && !args.empty()) return cmd_help(args, kUsage, help_of);
    if (command == "run") return cmd_run(args, joined(argc, argv));
    if (command == "sweep") return cmd_sweep(args, joined(argc, argv));
    if (command == "validate") return cmd_validate(args);
    if (command == "erlang") return cmd_erlang(args);
    if (command == "fit") return cmd_fit(args);
    if (command == "staff") return cmd_staff(args, joined(argc, argv));
    if (command == "roster") return cmd_roster(args, joined(argc, argv));
    if (command == "compare") return cmd_compare(args);
    if (command == "report") return cmd_report(args);
    if (command == "export") return cmd_export(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kOk;
    }
    if (command == "--version") {
#ifdef CCSIM_MPI
      const bool mpi = true;
#else
      const bool mpi = mpi_program().has_value();  // ccsim runs it for a sweep under mpirun
#endif
      if (mpi)
        std::cout << "ccsim " CCSIM_VERSION ", with MPI sweeps (mpirun -n N ccsim sweep ...)\n";
      else
        std::cout
            << "ccsim " CCSIM_VERSION
               ", without MPI: sweeps run in one process (for mpirun, install the ccsim-mpi package, or "
               "libboost-mpi-dev, openmpi-bin and libopenmpi-dev and build again)\n";
      return kOk;
    }
    std::cerr << "ccsim: unknown command '" << command << "'\n\n" << kUsage;
    return kBadInput;
  } catch (const InputError& e) {
    // Several errors of one file come one per line, each told as an error.
    std::istringstream lines(e.what());
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
      const bool note = !line.empty() && line.front() == '(';  // "(stopped after 20 errors)"
      std::cerr << (note ? "" : "error: ") << line << "\n";
      count += !note;
    }
    if (count > 1) std::cerr << "ccsim: " << count << " errors\n";
    return kBadInput;
  } catch (const Interrupted& e) {
    std::cerr << "\nccsim: " << e.what() << "\n";
    return interrupted_exit_code();
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kInternal;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kInternal;
  }
}
