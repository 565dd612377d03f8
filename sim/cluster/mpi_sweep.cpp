#include "cluster/mpi_sweep.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

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
  using namespace std::chrono_literals;
  boost::mpi::communicator world;
  const int rank = job.rank(), size = job.size();
  std::vector<int> mine;
  for (int i = first; i < last; ++i)
    if ((i - first) % size == rank) mine.push_back(i);
  if (rank != 0) {
    // Each finished point goes to rank 0 before the next starts; the wait sleeps between tests instead of
    // spinning in MPI, so that it takes no core from the ranks still computing.
    model::run_sweep(
        mine, study_of, o, [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
          const std::vector<char> bytes = image(point, s, r);
          boost::mpi::request sent = world.isend(0, point, bytes.data(), static_cast<int>(bytes.size()));
          while (!sent.test()) std::this_thread::sleep_for(1ms);
        });
    return;
  }
  // Rank 0 computes its points on a worker thread while this thread, the only one calling MPI and HDF5,
  // writes every point in order as it arrives: the other ranks never wait for rank 0 to finish a point.
  struct Own {
    int point;
    scenario::Study study;
    std::vector<model::Results> results;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Own> ready;
  std::exception_ptr failure;
  bool finished = false;
  constexpr std::size_t kMaxReady = 8;  // own points ahead of the writer: memory stays bounded
  std::thread worker([&] {
    try {
      model::run_sweep(mine, study_of, o,
                       [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
                         std::unique_lock lock(mutex);
                         changed.wait(lock, [&] { return ready.size() < kMaxReady; });
                         ready.push_back({point, s, std::move(r)});
                         changed.notify_all();
                       });
    } catch (...) {
      std::lock_guard lock(mutex);
      failure = std::current_exception();
    }
    std::lock_guard lock(mutex);
    finished = true;
    changed.notify_all();
  });
  auto failed = [&] {
    std::lock_guard lock(mutex);
    return failure != nullptr;
  };
  try {
    for (int next = first; next < last; ++next) {
      const int from = (next - first) % size;
      if (from == 0) {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !ready.empty() || finished; });
        if (ready.empty()) break;  // the worker failed: its error is thrown below
        Own own = std::move(ready.front());
        ready.pop_front();
        changed.notify_all();
        lock.unlock();
        write_own(own.point, own.study, own.results);
      } else {
        while (!world.iprobe(from, next) && !failed()) std::this_thread::sleep_for(1ms);
        if (failed()) break;
        write_image(next, receive(world, from, next));
      }
    }
  } catch (...) {
    worker.detach();  // the caller ends the job (MPI_Abort), and this process with it
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ccsim::cluster
