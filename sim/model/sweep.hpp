// The points of a parameter sweep run in order: replication r of every point and policy faces the same
// customers (common random numbers, as across policies), and each point is handed on as soon as it and
// every point before it are done, so that memory does not grow with the number of points.
#pragma once

#include <functional>

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

}  // namespace ccsim::model
