#include "cluster/mpi_sweep.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <deque>
#include <map>
#include <list>
#include <thread>

#include "cluster/dispenser.hpp"
#include "common/error.hpp"

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

using namespace std::chrono_literals;

// Message tags: a rank asks for work (how many blocks its idle threads take), rank 0 gives blocks (point,
// from, to for each; none: stop, every point is written), a rank sends a played block (model::block_bytes).
constexpr int kAsk = 1, kGive = 2, kBlock = 3;
// How long a rank's MPI thread waits for its players before it looks at the messages again: MPI's blocking
// calls spin (a core taken from the players), so the thread polls and sleeps instead. Rank 0 looks every
// millisecond (a rank asking waits at most that); another rank only while it waits for an answer or a send
// to finish, else it sleeps until a player finishes (or a while, to notice Ctrl-C): each wake-up takes the
// core from a player for a moment.
constexpr auto kPoll = 1ms, kIdle = 100ms;

// Rank 0's thread writing the points in order (HDF5, and the lines printed), so that the thread answering
// the ranks never keeps them waiting while a point is written.
class Writer {
 public:
  explicit Writer(const PointWritten& written) : written_(written), thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    moved_.notify_all();
    thread_.join();
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  void add(Dispenser::Complete point) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(point));
    }
    moved_.notify_all();
  }
  // Points given and not yet written; throws what the writing failed with.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    if (failure_) std::rethrow_exception(failure_);
    return queue_.size() + (writing_ ? 1 : 0);
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      moved_.wait(lock, [&] { return closed_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Dispenser::Complete point = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      lock.unlock();
      std::exception_ptr failure;
      try {
        written_(point.point, *point.study, point.results, point.by_rank);
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      writing_ = false;
      if (failure) {
        failure_ = failure;
        return;
      }
    }
  }
  const PointWritten& written_;
  std::mutex mutex_;
  std::condition_variable moved_;
  std::deque<Dispenser::Complete> queue_;
  bool closed_ = false, writing_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: started once the rest is made
};

int threads_per_rank(const model::RunOptions& o) {
  return o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void check_cancel(const model::RunOptions& o) {
  if (o.cancel && o.cancel->load()) throw Interrupted("interrupted");
}

// A rank other than 0: asks for blocks while it has idle threads, sends each played block to rank 0, and
// ends when rank 0 says every point is written.
void play_for_rank0(boost::mpi::communicator& world, const model::PointStudy& study_of, const model::RunOptions& o) {
  const int threads = threads_per_rank(o);
  Players players(threads, o);
  std::map<int, std::shared_ptr<const scenario::Study>> studies;  // the points given lately
  std::list<std::pair<boost::mpi::request, std::vector<char>>> sending;
  bool asked = false, stopped = false;
  for (;;) {
    check_cancel(o);
    bool moved = false;
    while (auto block = players.take()) {
      sending.emplace_back(boost::mpi::request(), model::block_bytes(*block));
      auto& [request, bytes] = sending.back();
      request = world.isend(0, kBlock, bytes.data(), static_cast<int>(bytes.size()));
      moved = true;
    }
    sending.remove_if([](auto& s) { return s.first.test().has_value(); });
    if (!asked && !stopped && players.idle() > 0) {
      world.send(0, kAsk, players.idle());
      asked = true;
    }
    if (asked) {
      if (auto given = world.iprobe(0, kGive)) {
        std::vector<int> blocks(static_cast<std::size_t>(given->count<int>().value_or(0)));
        world.recv(0, kGive, blocks.data(), static_cast<int>(blocks.size()));
        asked = false;
        moved = true;
        stopped = blocks.empty();
        for (std::size_t b = 0; b + 2 < blocks.size(); b += 3) {
          auto& study = studies[blocks[b]];
          if (!study) study = std::make_shared<const scenario::Study>(study_of(blocks[b]));
          players.give(Work{blocks[b], blocks[b + 1], blocks[b + 2], study});
        }
        // Keep the studies of the points given last (their blocks may still be under way or to come).
        while (studies.size() > static_cast<std::size_t>(threads) + 1) studies.erase(studies.begin());
      }
    }
    if (stopped && players.quiet() && sending.empty()) return;
    if (!moved) players.wait(asked || !sending.empty() ? kPoll : kIdle);
  }
}

}  // namespace

void run_sweep(Job& job, int first, int last, const model::PointStudy& study_of, const model::RunOptions& o,
               const PointWritten& written) {
  boost::mpi::communicator world;
  const int rank = job.rank(), size = job.size();
  if (rank != 0) {
    play_for_rank0(world, study_of, o);
    return;
  }
  // Rank 0: this thread, the only one calling MPI, hands out blocks to the other ranks and to its own
  // players, takes the blocks played, and gives every point in order, as it is complete, to the writer.
  const int threads = threads_per_rank(o);
  Dispenser dispenser(first, last, size, size * threads, study_of, o);
  Players players(threads, o);
  std::deque<std::pair<int, int>> asking;  // (rank, blocks wanted), in the order they asked
  int stopped = 0;
  Writer writer(written);
  while (!dispenser.finished() || stopped < size - 1 || writer.waiting() > 0) {
    check_cancel(o);
    bool moved = false;
    while (auto asked = world.iprobe(boost::mpi::any_source, kAsk)) {
      int wanted = 0;
      world.recv(asked->source(), kAsk, wanted);
      asking.emplace_back(asked->source(), wanted);
    }
    while (auto sent = world.iprobe(boost::mpi::any_source, kBlock)) {
      std::vector<char> bytes(static_cast<std::size_t>(sent->count<char>().value_or(0)));
      world.recv(sent->source(), kBlock, bytes.data(), static_cast<int>(bytes.size()));
      dispenser.add(model::read_block(bytes), sent->source());
      moved = true;
    }
    while (auto block = players.take()) {
      dispenser.add(std::move(*block), 0);
      moved = true;
    }
    // Ranks asked first are served first; then this rank's own idle threads.
    while (!asking.empty()) {
      auto& [to, wanted] = asking.front();
      std::vector<int> blocks;
      for (; wanted > 0; --wanted) {
        const auto work = dispenser.take();
        if (!work) break;
        blocks.insert(blocks.end(), {work->point, work->from, work->to});
      }
      if (blocks.empty() && !dispenser.finished()) break;  // nothing now: later
      if (blocks.empty()) ++stopped;
      world.send(to, kGive, blocks.data(), static_cast<int>(blocks.size()));
      asking.pop_front();
      moved = true;
    }
    if (asking.empty())
      for (int idle = players.idle(); idle > 0; --idle) {
        auto work = dispenser.take();
        if (!work) break;
        players.give(std::move(*work));
        moved = true;
      }
    // The points complete go to the writer; no more than a window of points waits for it.
    while (writer.waiting() < static_cast<std::size_t>(4 * size * threads)) {
      auto point = dispenser.next_complete();
      if (!point) break;
      writer.add(std::move(*point));
      moved = true;
    }
    dispenser.prepare();
    if (!moved) players.wait(kPoll);
  }
}

}  // namespace ccsim::cluster
