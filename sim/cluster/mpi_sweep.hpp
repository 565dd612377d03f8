// sim/cluster: a sweep's points over the processes of an MPI job (`mpirun -n N ccsim sweep ...`, Slurm's
// `srun`). Only process orchestration: the ranks play blocks of replications with the model's block player,
// rank 0 puts each point together with the model's point assembly and writes every point in order. Built when CMake finds Boost.MPI and MPI (CCSIM_MPI); ccsim without it
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

// Points [first, last) over the job. The unit of work is a block of replications of one point (all its
// policies together: they share their customers), handed out by rank 0 as the ranks' threads ask for work
// (dynamic load balancing: a fast rank takes more blocks, a slow block holds up nobody; rank 0 plays blocks
// too). Each block's per-replication results go to rank 0, which hands every point's replications on in
// replication order (model::PointAssembly), so each point's results are those of one process, and gives
// `written` every point in point order (on a thread of its own), with the replications each rank played. A block is sized to take
// about 50 ms (from the point's expected contacts) but split so that every thread of every rank has work
// when points are fewer; --until-ci points hand out each round's replications likewise. What rank 0 holds
// is bounded: blocks out or waiting for their turn, and points open, are at most 4 per thread of the job.
using PointWritten = std::function<void(int point, const scenario::Study&, std::vector<model::Results>&,
                                        const std::vector<int>& replications_by_rank)>;
void run_sweep(Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
               const PointWritten& written);
#endif

}  // namespace ccsim::cluster
