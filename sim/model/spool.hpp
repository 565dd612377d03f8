// Replications' whole results on disk (an anonymous temporary file), in replication order, while a run
// keeps only the summary's running sums in memory: the HDF5 writer reads them back, one at a time, for the
// per-replication tables. Memory stays O(cells) however many replications run. The same encoding carries
// a block of replications from one process of an MPI job to the one that writes.
#pragma once

#include <cstdio>
#include <functional>
#include <vector>

#include "model/model.hpp"

namespace ccsim::model {

class ReplicationSpool {
 public:
  ReplicationSpool();  // throws OutputError when no temporary file can be made
  ~ReplicationSpool();
  ReplicationSpool(const ReplicationSpool&) = delete;
  ReplicationSpool& operator=(const ReplicationSpool&) = delete;

  void append(const ReplicationResult& r);  // the next replication (its wait histograms are not kept)
  [[nodiscard]] int size() const { return count_; }
  // Reads every replication back, in order (not thread-safe; after the run).
  void for_each(const std::function<void(int, const ReplicationResult&)>& f) const;

 private:
  std::FILE* file_;
  int count_ = 0;
};

// Replications [from, to) of every policy of one sweep point, played together (they share their
// customers) on some process of an MPI job: each replication's whole result but its answered waits, which
// are pooled over the block per policy (bin counts: their sum does not depend on the order of adding).
struct ReplicationBlock {
  int point = 0, from = 0, to = 0;
  std::vector<std::vector<ReplicationResult>> replications;               // [policy][replication - from]
  std::vector<std::vector<WaitHistogram>> waits_by_interval, waits_by_day;  // [policy][cell]
};
// A block as bytes (an MPI message) and back; throws OutputError when the bytes are not a whole block.
std::vector<char> block_bytes(const ReplicationBlock& block);
ReplicationBlock read_block(const std::vector<char>& bytes);

}  // namespace ccsim::model
