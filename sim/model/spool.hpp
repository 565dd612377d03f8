// Replications' whole results on disk (an anonymous temporary file), in replication order, while a run
// keeps only the summary's running sums in memory: the HDF5 writer reads them back, one at a time, for the
// per-replication tables. Memory stays O(cells) however many replications run.
#pragma once

#include <cstdio>
#include <functional>

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

}  // namespace ccsim::model
