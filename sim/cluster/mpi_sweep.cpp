#include "cluster/mpi_sweep.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

namespace ccsim::cluster {

struct Job::State {
  boost::mpi::environment environment{boost::mpi::threading::funneled};
  boost::mpi::communicator world;
};

Job::Job() : state_(std::make_unique<State>()) {}
Job& Job::instance() {
  static Job job;
  return job;
}
Job::~Job() = default;
int Job::rank() const {
  return state_->world.rank();
}
int Job::size() const {
  return state_->world.size();
}
int Job::broadcast(int value) {
  boost::mpi::broadcast(state_->world, value, 0);
  return value;
}

void Job::abort(int code) {
  state_->environment.abort(code);
  std::abort();  // not reached: MPI_Abort does not return
}

namespace {

std::vector<char> receive(boost::mpi::communicator& world, int from, int tag) {
  const boost::mpi::status s = world.probe(from, tag);
  std::vector<char> bytes(static_cast<std::size_t>(s.count<char>().value_or(0)));
  world.recv(from, tag, bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

}  // namespace

void run_sweep(
    Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
    const model::PointDone& write_own,
    const std::function<std::vector<char>(int, const scenario::Study&, std::vector<model::Results>&)>& image,
    const std::function<void(int, const std::vector<char>&)>& write_image) {
  boost::mpi::communicator world;
  const int rank = job.rank(), size = job.size();
  std::vector<int> mine;
  for (int i = first; i < last; ++i)
    if ((i - first) % size == rank) mine.push_back(i);
  int next = first;  // rank 0: the next point to write
  auto others_before = [&](int point) {
    for (; next < point; ++next) write_image(next, receive(world, (next - first) % size, next));
  };
  model::run_sweep(mine, study_of, o,
                   [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
                     if (rank == 0) {
                       others_before(point);
                       write_own(point, s, r);
                       next = point + 1;
                     } else {
                       const std::vector<char> bytes = image(point, s, r);
                       world.send(0, point, bytes.data(), static_cast<int>(bytes.size()));
                     }
                   });
  if (rank == 0) others_before(last);
}

}  // namespace ccsim::cluster
