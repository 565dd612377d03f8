#include "model/runner.hpp"

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

#include "common/error.hpp"
#include "model/replication.hpp"

namespace ccsim::model {
namespace {

// What `ccsim run` still reads from each replication after the run: its day cells.
ReplicationResult day_cells(const ReplicationResult& one) {
  ReplicationResult slim;
  slim.series = one.series;
  slim.contacts_by_day = one.contacts_by_day;
  slim.agents_by_day = one.agents_by_day;
  slim.costs_by_day = one.costs_by_day;
  slim.events = one.events;
  return slim;
}

// The memory a finished replication holds, near enough to bound the writer's queue by.
std::size_t held_bytes(const ReplicationResult& r) {
  auto b = [](const auto& v) {
    return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
  };
  return sizeof r + b(r.contacts_by_interval) + b(r.contacts_by_day) + b(r.agents_by_interval) +
         b(r.agents_by_day) + b(r.contacts_per_day) + b(r.agents_per_day) + b(r.costs_by_interval) +
         b(r.costs_per_day) + b(r.paid_by_day) + b(r.breaks_by_day) + b(r.served_by_interval) +
         b(r.served_by_day) + b(r.transfers_by_interval) + b(r.transfers_by_day) +
         b(r.predictions_by_interval) + b(r.predictions_by_day);
}

}  // namespace

void pool_waits(ReplicationResult& one, std::vector<WaitHistogram>& by_interval,
                std::vector<WaitHistogram>& by_day) {
  if (by_interval.size() < one.contacts_by_interval.size())
    by_interval.resize(one.contacts_by_interval.size());
  if (by_day.size() < one.contacts_by_day.size()) by_day.resize(one.contacts_by_day.size());
  for (std::size_t i = 0; i < one.contacts_by_interval.size(); ++i) {
    by_interval[i].add(one.contacts_by_interval[i].waits);
    one.contacts_by_interval[i].waits = WaitHistogram{};
  }
  for (std::size_t i = 0; i < one.contacts_by_day.size(); ++i) {
    by_day[i].add(one.contacts_by_day[i].waits);
    one.contacts_by_day[i].waits = WaitHistogram{};
  }
}

void prepare_results(std::vector<Results>& results, int to, const RunOptions& o) {
  for (std::size_t p = 0; p < results.size(); ++p) {
    Results& r = results[p];
    r.by_replication.resize(static_cast<std::size_t>(to));
    const bool streamed = o.sink && o.sink->takes(static_cast<int>(p));
    if (!o.keep_replications && !streamed && !r.spool) r.spool = std::make_shared<ReplicationSpool>();
    if (o.records.any() && !r.records) r.records = std::make_shared<RecordStore>(o.records);
    if (!std::isnan(o.save_state_at)) r.saved_states.resize(static_cast<std::size_t>(to));
  }
}

void add_in_order(const scenario::Scenario& s, const Model& m, Results& into, std::size_t p,
                  ReplicationResult& one, UntilMeasure* until) {
  accumulate(s, m, one, into);
  if (until) {
    const Fraction f = pooled_fraction(one, until->measure, -1, s.sl_definition);
    until->by_policy[p].add(f.numerator, f.denominator);
  }
}

void keep(Results& into, int i, ReplicationResult&& one, bool whole) {
  if (whole) {
    into.by_replication[static_cast<std::size_t>(i)] = std::move(one);
  } else {
    into.spool->append(one);
    into.by_replication[static_cast<std::size_t>(i)] = day_cells(one);
  }
}

ReplicationResult play(Replication& rep, const RunOptions& o,
                       const std::vector<std::vector<StartPlan>>& plans, std::size_t p, int i,
                       RecordStore* records, scenario::StartState* saved) {
  LiveState live;
  if (!plans.empty() && !plans[p].empty())
    live.start = &plans[p][plans[p].size() == 1 ? 0 : static_cast<std::size_t>(i)];
  if (saved) {
    live.save_at = o.save_state_at;
    live.save_text = o.save_state_text;
    live.saved = saved;
  }
  ReplicationResult one = rep.run(o.seed, static_cast<std::uint32_t>(i), o.cancel, records, live);
  if (records) records->finish();
  return one;
}

void simulate(const scenario::Study& study, const std::vector<Model>& models, std::vector<Results>& results,
              int from, int to, const RunOptions& o, int total_for_progress, UntilMeasure* until,
              const std::vector<std::vector<StartPlan>>& plans) {
  const bool saving = !std::isnan(o.save_state_at);
  const int policies = static_cast<int>(models.size());
  const int tasks = (to - from) * policies;
  prepare_results(results, to, o);
  int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, tasks));
  // Replications finish out of order; each policy's are handed on in order. A worker may start
  // replication i only while i < (the oldest not yet handed on) + window, so at most `window` finished
  // results per policy wait in the buffer. The oldest one is always running, so this cannot deadlock.
  const int window = 4 * threads;
  // Replications handed on wait for the writer up to a memory budget (which keeps memory independent of
  // the replications, as the window does), and the writer is woken once 256 KiB of them wait rather than
  // per replication: each wake-up is a system call and a context switch on both threads' paths (the futexes
  // were a quarter of W2's writer thread when it woke every second replication, 20 KB each). Not later:
  // rows the writer has not started on when the last replication ends are written after it (with half of
  // the budget, W4's 20 days of 200 KB each were all written at the end, 15% more wall time).
  constexpr std::size_t kWriteBudget = std::size_t{8} << 20, kWakeAt = std::size_t{256} << 10;
  // A finished replication waiting for its turn, with its records when they are kept.
  struct Finished {
    ReplicationResult result;
    std::unique_ptr<RecordStore> records;
  };
  std::vector<std::map<int, Finished>> pending(models.size());
  // Replications for the sink, in hand-on order: a writer thread of their own takes them one at a time,
  // so that writing goes on beside the simulation; at most `window` wait.
  struct ToWrite {
    int policy, replication;
    ReplicationResult result;
    std::size_t bytes;
  };
  std::deque<ToWrite> to_write;
  std::size_t to_write_bytes = 0;
  std::condition_variable written;
  bool simulated = false;
  std::vector<int> next_in_order(models.size(), from);
  std::mutex mutex;
  std::condition_variable room;
  std::atomic<int> next{0}, done{from * policies};
  std::exception_ptr failure;
  auto oldest = [&] { return *std::min_element(next_in_order.begin(), next_in_order.end()); };
  auto hand_on = [&](std::size_t p, int i, Finished&& finished) {  // under the lock, in order
    Results& into = results[p];
    ReplicationResult& one = finished.result;
    if (finished.records) into.records->append(*finished.records, i);
    add_in_order(study.policies[p], models[p], into, p, one, until);
    if (!o.keep_replications && o.sink && o.sink->takes(static_cast<int>(p))) {
      into.rows_streamed = true;
      into.by_replication[static_cast<std::size_t>(i)] = day_cells(one);
      const std::size_t bytes = held_bytes(one);
      to_write.push_back({static_cast<int>(p), i, std::move(one), bytes});
      to_write_bytes += bytes;
      if (to_write_bytes >= kWakeAt) written.notify_one();
    } else {
      keep(into, i, std::move(one), o.keep_replications);
    }
  };
  auto fail = [&](std::exception_ptr e) {
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = e;
    }
    next = tasks;
    room.notify_all();
    written.notify_all();
  };
  auto writer = [&] {
    try {
      o.sink->start();
      bool draining = false;  // once woken, everything waiting is written before the next sleep
      for (;;) {
        ToWrite item;
        {
          std::unique_lock lock(mutex);
          if (to_write.empty()) draining = false;
          written.wait(lock, [&] {
            return (draining && !to_write.empty()) || to_write_bytes >= kWakeAt || simulated || failure;
          });
          if (to_write.empty() || failure) return;
          draining = true;
          item = std::move(to_write.front());
          to_write.pop_front();
          to_write_bytes -= item.bytes;
        }
        room.notify_all();
        o.sink->take(item.policy, item.replication, item.result);
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };
  auto worker = [&] {
    try {
      std::vector<std::unique_ptr<Replication>> reps(models.size());  // storage reused per policy
      for (int task = next++; task < tasks; task = next++) {
        if (o.cancel && o.cancel->load()) throw Interrupted("interrupted: no results written");
        // Replication-major order: all policies of replication r before r + 1.
        const int p = task % policies, i = from + task / policies;
        const auto pu = static_cast<std::size_t>(p);
        {
          std::unique_lock lock(mutex);
          room.wait(lock, [&] {
            return (i < oldest() + window && (to_write.empty() || to_write_bytes < kWriteBudget)) || failure;
          });
          if (failure) return;
        }
        auto& rep = reps[pu];
        if (!rep) rep = std::make_unique<Replication>(models[pu], o.check_invariants);
        std::unique_ptr<RecordStore> records;
        if (o.records.any() && i < o.records_replications) records = std::make_unique<RecordStore>(o.records);
        scenario::StartState saved;
        ReplicationResult one = play(*rep, o, plans, pu, i, records.get(), saving ? &saved : nullptr);
        {
          std::lock_guard lock(mutex);
          pool_waits(one, results[pu].waits_by_interval, results[pu].waits_by_day);
          if (saving) results[pu].saved_states[static_cast<std::size_t>(i)] = std::move(saved);
          pending[pu].emplace(i, Finished{std::move(one), std::move(records)});
          for (auto it = pending[pu].begin(); it != pending[pu].end() && it->first == next_in_order[pu];
               it = pending[pu].erase(it)) {
            hand_on(pu, it->first, std::move(it->second));
            ++next_in_order[pu];
          }
        }
        room.notify_all();
        int d = ++done;
        if (o.progress) o.progress(d, total_for_progress);
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };
  std::thread writing;
  if (o.sink && !o.keep_replications) writing = std::thread(writer);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (writing.joinable()) {
    {
      std::lock_guard lock(mutex);
      simulated = true;
    }
    written.notify_all();
    writing.join();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ccsim::model
