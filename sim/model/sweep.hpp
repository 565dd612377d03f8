// The points of a parameter sweep run in order: replication r of every point and policy faces the same
// customers (common random numbers, as across policies), and each point is handed on as soon as it and
// every point before it are done, so that memory does not grow with the number of points.
#pragma once

#include <functional>
#include <memory>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::model {

// A point's study, built when its turn comes (points are not all held at once).
using PointStudy = std::function<scenario::Study(int point)>;
// Receives point `point`'s study and results (one per policy), in point order.
using PointDone = std::function<void(int point, const scenario::Study&, std::vector<Results>&)>;

// Points [first, last). Several points run together when one would not keep every thread busy; with
// options.until_measure each point's replications are settled on that point's policies alone, so a point's
// results are the same whatever ran beside it, and whatever `first` is (a resumed sweep).
// options.progress counts the replications of [first, last).
void run_sweep(int first, int last, const PointStudy& study_of, const RunOptions& options,
               const PointDone& done);
// The same for the given points, in the order given (one rank's share of an MPI job).
void run_sweep(const std::vector<int>& points, const PointStudy& study_of, const RunOptions& options,
               const PointDone& done);

// A sweep over the processes of an MPI job (sim/cluster) hands out blocks of replications of one point
// (model::ReplicationBlock); these play them and put a point together from them (sweep_blocks.cpp).

// Plays blocks on the calling thread (one thread: each thread of each process plays its own block),
// keeping the last point's models from one block to the next. Not for --records or --save-state.
class BlockPlayer {
 public:
  explicit BlockPlayer(const RunOptions& options);
  ~BlockPlayer();
  BlockPlayer(const BlockPlayer&) = delete;
  BlockPlayer& operator=(const BlockPlayer&) = delete;
  ReplicationBlock play(int point, const scenario::Study& study, int from, int to);

 private:
  RunOptions options_;
  struct Point;
  std::unique_ptr<Point> point_;
};

// One point's results put together from blocks that come in any order: each policy's replications are
// handed on in replication order, as the runner hands on its own, so the point's results are those one
// process makes. With --until-ci the point runs in rounds as run_study does: once every replication of a
// round is in and the precision is not met, the next round's replications are to play.
class PointAssembly {
 public:
  PointAssembly(std::shared_ptr<const scenario::Study> study, const RunOptions& options);
  ~PointAssembly();
  PointAssembly(const PointAssembly&) = delete;
  PointAssembly& operator=(const PointAssembly&) = delete;
  // Replications [0, round_end()) are to play: all of them, or those of the rounds so far.
  [[nodiscard]] int round_end() const;
  [[nodiscard]] bool done() const;
  // Blocks taken that wait for an earlier one.
  [[nodiscard]] int waiting() const;
  // Takes a block (its replications not yet taken, within round_end()).
  void add(ReplicationBlock&& block);
  [[nodiscard]] const std::shared_ptr<const scenario::Study>& study() const { return study_; }
  // Every policy's results, summarised once done().
  [[nodiscard]] std::vector<Results>& results();

 private:
  std::shared_ptr<const scenario::Study> study_;
  RunOptions options_;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ccsim::model
