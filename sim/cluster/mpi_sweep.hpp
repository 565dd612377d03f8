// sim/cluster: a sweep's points over the processes of an MPI job (`mpirun -n N ccsim sweep ...`, Slurm's
// `srun`). Only process orchestration: each rank runs its points with the model's sweep runner, rank 0
// writes every point in order. Built when CMake finds Boost.MPI and MPI (CCSIM_MPI); ccsim without it
// still runs sweeps in one process and says how to get this.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "model/sweep.hpp"

namespace ccsim::cluster {

// Whether this process is one of an MPI job's (mpirun or srun set these before MPI starts), so that MPI is
// initialised only then, and only for `sweep`: `ccsim --help` stays fast.
inline bool started_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

#ifdef CCSIM_MPI
// MPI from the first call of instance() to the end of the process (MPI_Init ... MPI_Finalize at exit): an
// error thrown through the command is still told, where finalising during the unwinding would abort.
class Job {
 public:
  static Job& instance();
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;
  [[nodiscard]] int rank() const;
  [[nodiscard]] int size() const;
  // Rank 0's word to every rank (the first point to run, or -1: stop, an error was found).
  int broadcast(int value);
  // Ends every process of the job (a rank that fails while the others wait for it).
  [[noreturn]] void abort(int code);

 private:
  Job();
  struct State;
  std::unique_ptr<State> state_;
};

// Points [first, last) over the job: point i runs on rank (i - first) % size, so the work is split in a
// fixed order whatever the timing. Rank 0 gets every point in order: its own as results (`write_own`),
// the others' as the bytes `image` made of them on their rank (`write_image`); the file it writes is the
// one a single process writes. Other ranks send as they finish (a send waits for rank 0: memory stays
// bounded).
void run_sweep(
    Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
    const model::PointDone& write_own,
    const std::function<std::vector<char>(int, const scenario::Study&, std::vector<model::Results>&)>& image,
    const std::function<void(int, const std::vector<char>&)>& write_image);
#endif

}  // namespace ccsim::cluster
