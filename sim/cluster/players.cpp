#include "cluster/players.hpp"

namespace ccsim::cluster {

Players::Players(int threads, const model::RunOptions& options) : threads_(std::max(1, threads)) {
  for (int t = 0; t < threads_; ++t) pool_.emplace_back([this, options] { play(options); });
}

Players::~Players() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  given_.notify_all();
  for (auto& t : pool_) t.join();
}

void Players::give(Work work) {
  {
    std::lock_guard lock(mutex_);
    todo_.push_back(std::move(work));
  }
  given_.notify_one();
}

int Players::idle() const {
  std::lock_guard lock(mutex_);
  return threads_ - playing_ - static_cast<int>(todo_.size());
}

bool Players::quiet() const {
  std::lock_guard lock(mutex_);
  return playing_ == 0 && todo_.empty() && finished_.empty();
}

std::optional<model::ReplicationBlock> Players::take() {
  std::lock_guard lock(mutex_);
  if (failure_) std::rethrow_exception(failure_);
  if (finished_.empty()) return std::nullopt;
  model::ReplicationBlock block = std::move(finished_.front());
  finished_.pop_front();
  return block;
}

void Players::wait(std::chrono::microseconds timeout) {
  std::unique_lock lock(mutex_);
  finished_cv_.wait_for(lock, timeout, [&] { return !finished_.empty() || failure_; });
}

void Players::play(const model::RunOptions& options) {
  try {
    model::BlockPlayer player(options);
    for (;;) {
      Work work;
      {
        std::unique_lock lock(mutex_);
        given_.wait(lock, [&] { return stop_ || !todo_.empty(); });
        if (stop_) return;
        work = std::move(todo_.front());
        todo_.pop_front();
        ++playing_;
      }
      model::ReplicationBlock block = player.play(work.point, *work.study, work.from, work.to);
      {
        std::lock_guard lock(mutex_);
        finished_.push_back(std::move(block));
        --playing_;
      }
      finished_cv_.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    finished_cv_.notify_all();
  }
}

}  // namespace ccsim::cluster
