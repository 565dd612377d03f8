// Blocks of a sweep's replications: played on any process of an MPI job, put together in replication
// order on the one that writes (the order of floating-point sums decides the last bits of the results).
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include "model/runner.hpp"
#include "model/sweep.hpp"

namespace ccsim::model {

struct BlockPlayer::Point {
  int index = -1;
  StudyRun run;
  std::vector<std::unique_ptr<Replication>> replications;  // per policy; storage reused
};

BlockPlayer::BlockPlayer(const RunOptions& options) : options_(options) {
  if (options_.records.any() || !std::isnan(options_.save_state_at) || options_.sink)
    throw std::logic_error("BlockPlayer: records, saved states and sinks are not played in blocks");
  options_.progress = nullptr;
}
BlockPlayer::~BlockPlayer() = default;

ReplicationBlock BlockPlayer::play(int point, const scenario::Study& study, int from, int to) {
  if (!point_ || point_->index != point) {
    point_.reset();  // the last point's replications refer to its models: gone first
    auto next = std::make_unique<Point>();
    next->index = point;
    next->run = start_study(study, options_);
    for (const auto& m : next->run.models)
      next->replications.push_back(std::make_unique<Replication>(m, options_.check_invariants));
    point_ = std::move(next);
  }
  const std::size_t policies = point_->run.models.size();
  ReplicationBlock block;
  block.point = point;
  block.from = from;
  block.to = to;
  block.replications.resize(policies);
  block.waits_by_interval.resize(policies);
  block.waits_by_day.resize(policies);
  for (int i = from; i < to; ++i)
    for (std::size_t p = 0; p < policies; ++p) {
      ReplicationResult one = model::play(*point_->replications[p], options_, point_->run.plans, p, i, nullptr, nullptr);
      pool_waits(one, block.waits_by_interval[p], block.waits_by_day[p]);
      block.replications[p].push_back(std::move(one));
    }
  return block;
}

struct PointAssembly::State {
  StudyRun run;
  std::optional<UntilMeasure> until;
  int merged = 0, round_end = 0;
  bool done = false;
  std::map<int, ReplicationBlock> pending;  // by first replication: blocks that came before their turn
};

PointAssembly::PointAssembly(std::shared_ptr<const scenario::Study> study, const RunOptions& options)
    : study_(std::move(study)), options_(options), state_(std::make_unique<State>()) {
  options_.progress = nullptr;
  State& s = *state_;
  s.run = start_study(*study_, options_);
  if (!options_.until_measure.empty()) {
    s.until = UntilMeasure{comparable_measure(options_.until_measure),
                           std::vector<analysis::RatioAccumulator>(s.run.models.size())};
    s.round_end = first_round(options_);
  } else {
    s.round_end = options_.replications;
  }
  prepare_results(s.run.results, s.round_end, options_);
}
PointAssembly::~PointAssembly() = default;

int PointAssembly::round_end() const {
  return state_->round_end;
}
bool PointAssembly::done() const {
  return state_->done;
}
int PointAssembly::waiting() const {
  return static_cast<int>(state_->pending.size());
}
std::vector<Results>& PointAssembly::results() {
  return state_->run.results;
}

void PointAssembly::add(ReplicationBlock&& block) {
  State& s = *state_;
  const std::size_t policies = s.run.models.size();
  if (s.done || block.from < s.merged || block.to > s.round_end || block.from >= block.to ||
      block.replications.size() != policies || s.pending.count(block.from))
    throw std::logic_error("PointAssembly: a block of replications out of place");
  for (std::size_t p = 0; p < policies; ++p) {
    if (block.replications[p].size() != static_cast<std::size_t>(block.to - block.from))
      throw std::logic_error("PointAssembly: a block of replications short of some");
    Results& r = s.run.results[p];
    auto pool = [](std::vector<WaitHistogram>& into, const std::vector<WaitHistogram>& from) {
      if (into.size() < from.size()) into.resize(from.size());
      for (std::size_t c = 0; c < from.size(); ++c) into[c].add(from[c]);
    };
    pool(r.waits_by_interval, block.waits_by_interval[p]);
    pool(r.waits_by_day, block.waits_by_day[p]);
    block.waits_by_interval[p].clear();
    block.waits_by_day[p].clear();
  }
  s.pending.emplace(block.from, std::move(block));
  while (!s.done && !s.pending.empty() && s.pending.begin()->first == s.merged) {
    ReplicationBlock next = std::move(s.pending.begin()->second);
    s.pending.erase(s.pending.begin());
    for (std::size_t p = 0; p < policies; ++p)
      for (int i = next.from; i < next.to; ++i) {
        ReplicationResult& one = next.replications[p][static_cast<std::size_t>(i - next.from)];
        add_in_order(study_->policies[p], s.run.models[p], s.run.results[p], p, one, s.until ? &*s.until : nullptr);
        keep(s.run.results[p], i, std::move(one), options_.keep_replications);
      }
    s.merged = next.to;
    if (s.merged < s.round_end) continue;
    if (s.until) {
      const bool met = precision_met(*s.until, options_);
      if (!met && s.round_end < options_.max_replications) {
        s.round_end = next_round(s.round_end, options_);
        prepare_results(s.run.results, s.round_end, options_);
        continue;
      }
      for (auto& r : s.run.results) r.precision_met = met;
    }
    finish_study(*study_, s.run, s.round_end);
    s.done = true;
  }
}

}  // namespace ccsim::model
