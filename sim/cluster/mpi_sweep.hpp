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

// Points [first, last) over the job, handed out as they are asked for: each rank (rank 0's worker thread
// too) asks rank 0 for the next few consecutive points when it has finished its last ones, so a fast rank
// takes more points and a slow point holds up nobody. Rank 0 writes every point in order: its own as
// results (`write_own`), the others' as the bytes `image` made of them on their rank (`write_image`, with
// the rank that ran it); the file it writes is the one a single process writes, since a point's results
// do not depend on what ran beside it. No point is handed out more than a few rounds ahead of the
// writer: the points rank 0 holds until their turn stay bounded whatever the timing.
void run_sweep(
    Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
    const model::PointDone& write_own,
    const std::function<std::vector<char>(int, const scenario::Study&, std::vector<model::Results>&)>& image,
    const std::function<void(int point, int rank, const std::vector<char>&)>& write_image);
#endif

}  // namespace ccsim::cluster
