#include "cluster/mpi_sweep.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
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

// Message tags: a rank asks for work (empty), rank 0 gives a range of points ([from, to); empty: no more),
// a rank sends a finished point (its index, then the point's image).
constexpr int kAsk = 1, kGive = 2, kPoint = 3;

// The points not yet handed out, in order, in chunks; a chunk is given only while it starts less than
// `window` points after the next point to write.
class Dispenser {
 public:
  Dispenser(int first, int last, int chunk, int window)
      : next_(first), last_(last), chunk_(chunk), window_(window), written_(first) {}
  // The next chunk; nullopt while the window is full; an empty range when every point is handed out.
  std::optional<std::array<int, 2>> take() {
    std::lock_guard lock(mutex_);
    return take_locked();
  }
  // The same for a thread that may wait (rank 0's worker): waits while the window is full.
  std::array<int, 2> wait_take(const std::function<bool()>& give_up) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (auto range = take_locked()) return *range;
      if (give_up()) return {last_, last_};
      moved_.wait_for(lock, std::chrono::milliseconds(10));
    }
  }
  void written(int next) {
    std::lock_guard lock(mutex_);
    written_ = next;
    moved_.notify_all();
  }

 private:
  std::optional<std::array<int, 2>> take_locked() {
    if (next_ >= last_) return std::array<int, 2>{last_, last_};
    if (next_ >= written_ + window_) return std::nullopt;
    const int from = next_;
    next_ = std::min(last_, next_ + chunk_);
    return std::array<int, 2>{from, next_};
  }
  std::mutex mutex_;
  std::condition_variable moved_;
  int next_, last_, chunk_, window_, written_;
};

std::vector<int> points_of(const std::array<int, 2>& range) {
  std::vector<int> points;
  for (int i = range[0]; i < range[1]; ++i) points.push_back(i);
  return points;
}

// Enough points per chunk to keep the rank's threads busy (as one process batches them), one point when
// each point settles its own replications (--until-ci).
int chunk_size(int policies, const model::RunOptions& o) {
  if (!o.until_measure.empty()) return 1;
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int tasks = std::max(1, policies * o.replications);
  return std::max(1, (4 * threads + tasks - 1) / tasks);
}

}  // namespace

void run_sweep(
    Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
    const model::PointDone& write_own,
    const std::function<std::vector<char>(int, const scenario::Study&, std::vector<model::Results>&)>& image,
    const std::function<void(int point, int rank, const std::vector<char>&)>& write_image) {
  using namespace std::chrono_literals;
  boost::mpi::communicator world;
  const int rank = job.rank(), size = job.size();
  if (rank != 0) {
    // Ask, run the chunk, send each finished point before the next starts (a send waits for rank 0:
    // memory stays bounded), ask again. Waits sleep between tests instead of spinning in MPI, so that
    // they take no core from the ranks still computing.
    for (;;) {
      world.send(0, kAsk);
      std::array<int, 2> range{};
      boost::mpi::request given = world.irecv(0, kGive, range.data(), 2);
      while (!given.test()) std::this_thread::sleep_for(1ms);
      if (range[0] >= range[1]) return;
      model::run_sweep(points_of(range), study_of, o,
                       [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
                         std::vector<char> bytes(sizeof point);
                         std::memcpy(bytes.data(), &point, sizeof point);
                         const std::vector<char> tables = image(point, s, r);
                         bytes.insert(bytes.end(), tables.begin(), tables.end());
                         boost::mpi::request sent =
                             world.isend(0, kPoint, bytes.data(), static_cast<int>(bytes.size()));
                         while (!sent.test()) std::this_thread::sleep_for(1ms);
                       });
    }
  }
  if (first >= last) {
    for (int r = 1; r < size; ++r) {
      world.recv(r, kAsk);
      const std::array<int, 2> none{last, last};
      world.send(r, kGive, none.data(), 2);
    }
    return;
  }
  const int chunk = chunk_size(static_cast<int>(study_of(first).policies.size()), o);
  Dispenser dispenser(first, last, chunk, 4 * size * chunk);
  // Rank 0 computes on a worker thread while this thread, the only one calling MPI and HDF5, answers the
  // other ranks and writes every point in order as it arrives.
  struct Own {
    scenario::Study study;
    std::vector<model::Results> results;
  };
  std::mutex mutex;
  std::map<int, Own> own;
  std::exception_ptr failure;
  std::atomic<bool> stop{false};
  std::thread worker([&] {
    try {
      for (;;) {
        const std::array<int, 2> range = dispenser.wait_take([&] { return stop.load(); });
        if (range[0] >= range[1]) break;
        model::run_sweep(points_of(range), study_of, o,
                         [&](int point, const scenario::Study& s, std::vector<model::Results>& r) {
                           std::lock_guard lock(mutex);
                           own.emplace(point, Own{s, std::move(r)});
                         });
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      failure = std::current_exception();
    }
  });
  auto failed = [&] {
    std::lock_guard lock(mutex);
    return failure != nullptr;
  };
  std::map<int, std::pair<int, std::vector<char>>> received;  // point -> (rank, image)
  std::deque<int> asking;                                      // ranks waiting for the window to move
  int stopped = 0;
  try {
    for (int next = first; (next < last || stopped < size - 1) && !failed();) {
      bool moved = false;
      while (auto asked = world.iprobe(boost::mpi::any_source, kAsk)) {
        world.recv(asked->source(), kAsk);
        asking.push_back(asked->source());
      }
      while (!asking.empty()) {
        const auto range = dispenser.take();
        if (!range) break;
        world.send(asking.front(), kGive, range->data(), 2);
        if ((*range)[0] >= (*range)[1]) ++stopped;
        asking.pop_front();
        moved = true;
      }
      while (auto sent = world.iprobe(boost::mpi::any_source, kPoint)) {
        std::vector<char> bytes(static_cast<std::size_t>(sent->count<char>().value_or(0)));
        world.recv(sent->source(), kPoint, bytes.data(), static_cast<int>(bytes.size()));
        int point = 0;
        std::memcpy(&point, bytes.data(), sizeof point);
        bytes.erase(bytes.begin(), bytes.begin() + sizeof point);
        received.emplace(point, std::make_pair(sent->source(), std::move(bytes)));
        moved = true;
      }
      for (; next < last; ++next) {
        if (auto it = received.find(next); it != received.end()) {
          write_image(next, it->second.first, it->second.second);
          received.erase(it);
        } else {
          std::unique_lock lock(mutex);
          auto mine = own.find(next);
          if (mine == own.end()) break;
          Own done = std::move(mine->second);
          own.erase(mine);
          lock.unlock();
          write_own(next, done.study, done.results);
        }
        moved = true;
        dispenser.written(next + 1);
      }
      if (!moved) std::this_thread::sleep_for(1ms);
    }
  } catch (...) {
    worker.detach();  // the caller ends the job (MPI_Abort), and this process with it
    throw;
  }
  stop = true;
  worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ccsim::cluster
