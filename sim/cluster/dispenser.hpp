// Rank 0's account of an MPI sweep's work (no MPI here): the blocks of replications to hand out, in point
// order and per point in replication order, each point's assembly from the blocks that come back, and the
// points written in order.
#pragma once

#include <map>
#include <optional>

#include "cluster/mpi_sweep.hpp"
#include "cluster/players.hpp"

namespace ccsim::cluster {

// About 50 ms of one core's work at the simulator's ~2 million contacts per second (bench/w1.yaml): enough
// to make a block's messages and hand-on cheap beside it.
constexpr double kContactsPerBlock = 1e5;

// Replications per block: those making kContactsPerBlock contacts (at least one), fewer when the points
// left are too few for `slots` threads to get two blocks each, never more than `replications`.
int block_size(const scenario::Study& study, int replications, int points_left, int slots);

class Dispenser {
 public:
  // Points [first, last) over `ranks` ranks of `slots` threads in all.
  Dispenser(int first, int last, int ranks, int slots, const model::PointStudy& study_of,
            const model::RunOptions& options);
  // The next block to play; nullopt while the windows are full or nothing is to play until blocks out come
  // back (a round of --until-ci), or when all is handed out.
  std::optional<Work> take();
  // Opens the next point ahead when every open point's blocks are handed out (reading the point and
  // building its models take a while: done before a rank asks, it does not wait for them).
  void prepare();
  // A block played by `rank`, back.
  void add(model::ReplicationBlock&& block, int rank);
  // A point complete and next in order: every policy's results and the replications each rank played.
  struct Complete {
    int point = 0;
    std::shared_ptr<const scenario::Study> study;
    std::vector<model::Results> results;
    std::vector<int> by_rank;
  };
  // The next point to write, when it is complete (it counts as written from then on).
  std::optional<Complete> next_complete();
  // Every point written.
  [[nodiscard]] bool finished() const { return next_write_ >= last_; }

 private:
  struct Open {
    std::unique_ptr<model::PointAssembly> assembly;
    int handed = 0;     // replications handed out: [0, handed)
    int sized_for = 0;  // the round end `block` was sized for
    int block = 1;
    std::vector<int> by_rank;
  };
  Work hand(int point, Open& open);
  bool can_open() const;
  Open& open_next();
  int last_, slots_, ranks_, window_;
  const model::PointStudy& study_of_;
  model::RunOptions options_;
  std::map<int, Open> open_;
  int next_open_, next_write_;
  int out_ = 0;  // blocks handed out and not back
};

}  // namespace ccsim::cluster
