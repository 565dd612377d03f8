#include "cluster/dispenser.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/work_limits.hpp"

namespace ccsim::cluster {

int block_size(const scenario::Study& study, int replications, int points_left, int slots) {
  double contacts = 0.0;
  for (const auto& s : study.policies)
    for (const double c : scenario::expected_contacts(s)) contacts += c;
  const int by_work =
      std::isfinite(contacts) && contacts > 0.0
          ? static_cast<int>(std::min(1e9, std::ceil(kContactsPerBlock / contacts)))
          : 1;
  const int pieces = std::max(1, (2 * slots + points_left - 1) / std::max(1, points_left));
  const int by_slots = (replications + pieces - 1) / pieces;
  return std::clamp(std::min(by_work, by_slots), 1, std::max(1, replications));
}

Dispenser::Dispenser(int first, int last, int ranks, int slots, const model::PointStudy& study_of,
                     const model::RunOptions& options)
    : last_(last),
      slots_(std::max(1, slots)),
      ranks_(ranks),
      window_(4 * std::max(1, slots)),
      study_of_(study_of),
      options_(options),
      next_open_(first),
      next_write_(first) {}

Work Dispenser::hand(int point, Open& open) {
  const int end = open.assembly->round_end();
  if (open.sized_for != end) {
    open.block = block_size(*open.assembly->study(), end - open.handed, last_ - point, slots_);
    open.sized_for = end;
  }
  Work work{point, open.handed, std::min(end, open.handed + open.block), open.assembly->study()};
  open.handed = work.to;
  ++out_;
  return work;
}

bool Dispenser::can_open() const {
  return next_open_ < last_ && next_open_ < next_write_ + window_;
}

Dispenser::Open& Dispenser::open_next() {
  const int point = next_open_++;
  Open& open = open_[point];
  open.assembly = std::make_unique<model::PointAssembly>(
      std::make_shared<const scenario::Study>(study_of_(point)), options_);
  open.by_rank.assign(static_cast<std::size_t>(ranks_), 0);
  return open;
}

std::optional<Work> Dispenser::take() {
  // Blocks out, and blocks back but waiting for an earlier one of their point, stay within the window; the
  // earliest block of a point not handed on is always out, so the window frees as blocks come back.
  int held = out_;
  for (const auto& [point, open] : open_) held += open.assembly->waiting();
  if (held >= window_) return std::nullopt;
  for (auto& [point, open] : open_)
    if (!open.assembly->done() && open.handed < open.assembly->round_end()) return hand(point, open);
  if (!can_open()) return std::nullopt;
  const int point = next_open_;
  return hand(point, open_next());
}

void Dispenser::prepare() {
  for (auto& [point, open] : open_)
    if (!open.assembly->done() && open.handed < open.assembly->round_end()) return;
  if (can_open()) open_next();
}

void Dispenser::add(model::ReplicationBlock&& block, int rank) {
  const auto it = open_.find(block.point);
  if (it == open_.end()) throw std::logic_error("a block of a point not handed out");
  it->second.by_rank.at(static_cast<std::size_t>(rank)) += block.to - block.from;
  --out_;
  it->second.assembly->add(std::move(block));
}

std::optional<Dispenser::Complete> Dispenser::next_complete() {
  const auto it = open_.find(next_write_);
  if (it == open_.end() || !it->second.assembly->done()) return std::nullopt;
  Complete c{next_write_, it->second.assembly->study(), std::move(it->second.assembly->results()),
             std::move(it->second.by_rank)};
  open_.erase(it);
  ++next_write_;
  return c;
}

}  // namespace ccsim::cluster
