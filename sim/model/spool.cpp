#include "model/spool.hpp"

#include <cstdlib>
#include <type_traits>

#include "common/error.hpp"

namespace ccsim::model {
namespace {

void put(std::FILE* f, const void* p, std::size_t n) {
  if (n && std::fwrite(p, 1, n, f) != n)
    throw OutputError("cannot write replications to a temporary file (is the disk full?)");
}
void get(std::FILE* f, void* p, std::size_t n) {
  if (n && std::fread(p, 1, n, f) != n)
    throw OutputError("cannot read replications back from a temporary file");
}

template <class T>
void put_vector(std::FILE* f, const std::vector<T>& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::uint64_t n = v.size();
  put(f, &n, sizeof n);
  put(f, v.data(), n * sizeof(T));
}
template <class T>
void get_vector(std::FILE* f, std::vector<T>& v) {
  std::uint64_t n = 0;
  get(f, &n, sizeof n);
  v.resize(n);
  get(f, v.data(), n * sizeof(T));
}

// Contact cells without their wait histograms (pooled by the runner, not per replication).
struct StoredCell {
  ContactCounts counts;
  WaitPercentiles wait;
};
void put_cells(std::FILE* f, const std::vector<ContactCell>& v, std::vector<StoredCell>& buffer) {
  buffer.clear();
  for (const auto& c : v) buffer.push_back({c.counts, c.wait});
  put_vector(f, buffer);
}
void get_cells(std::FILE* f, std::vector<ContactCell>& v, std::vector<StoredCell>& buffer) {
  get_vector(f, buffer);
  v.resize(buffer.size());
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    v[i].counts = buffer[i].counts;
    v[i].wait = buffer[i].wait;
  }
}

// Every part of a replication's result after the header, in the one order writing and reading share.
template <class Result, class Cells, class Vector, class Raw>
void each_part(Result& r, Cells&& cells, Vector&& vector, Raw&& raw) {
  cells(r.contacts_by_interval);
  cells(r.contacts_by_day);
  vector(r.agents_by_interval);
  vector(r.agents_by_day);
  cells(r.contacts_per_day);
  vector(r.agents_per_day);
  vector(r.breaks_by_day);
  vector(r.served_by_interval);
  vector(r.served_by_day);
  vector(r.transfers_by_interval);
  vector(r.transfers_by_day);
  vector(r.predictions_by_interval);
  vector(r.predictions_by_day);
  vector(r.costs_by_interval);
  vector(r.costs_per_day);
  raw(r.costs_by_day);
  vector(r.paid_by_day);
}

void write_replication(std::FILE* f, const ReplicationResult& r) {
  std::vector<StoredCell> buffer;
  const std::int64_t header[2] = {r.series, static_cast<std::int64_t>(r.events)};
  put(f, header, sizeof header);
  each_part(
      r, [&](const auto& cells) { put_cells(f, cells, buffer); }, [&](const auto& v) { put_vector(f, v); },
      [&](const auto& x) { put(f, &x, sizeof x); });
}

// Into r, whose storage is reused; `buffer` too.
void read_replication(std::FILE* f, ReplicationResult& r, std::vector<StoredCell>& buffer) {
  std::int64_t header[2];
  get(f, header, sizeof header);
  r.series = static_cast<int>(header[0]);
  r.events = static_cast<std::uint64_t>(header[1]);
  each_part(
      r, [&](auto& cells) { get_cells(f, cells, buffer); }, [&](auto& v) { get_vector(f, v); },
      [&](auto& x) { get(f, &x, sizeof x); });
}

void put_waits(std::FILE* f, const std::vector<WaitHistogram>& v) {
  const std::uint64_t n = v.size();
  put(f, &n, sizeof n);
  for (const auto& h : v) put_vector(f, h.bins());
}
void get_waits(std::FILE* f, std::vector<WaitHistogram>& v) {
  std::uint64_t n = 0;
  get(f, &n, sizeof n);
  v.clear();
  std::vector<std::uint64_t> bins;
  for (std::uint64_t i = 0; i < n; ++i) {
    get_vector(f, bins);
    v.push_back(WaitHistogram::of_bins(bins));
  }
}

}  // namespace

ReplicationSpool::ReplicationSpool() : file_(std::tmpfile()) {
  if (!file_) throw OutputError("cannot create a temporary file for the replications (is TMPDIR writable?)");
}

ReplicationSpool::~ReplicationSpool() {
  std::fclose(file_);
}

void ReplicationSpool::append(const ReplicationResult& r) {
  write_replication(file_, r);
  ++count_;
}

void ReplicationSpool::for_each(const std::function<void(int, const ReplicationResult&)>& f) const {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    throw OutputError("cannot read replications back from a temporary file");
  ReplicationResult r;  // storage reused from one replication to the next
  std::vector<StoredCell> buffer;
  for (int i = 0; i < count_; ++i) {
    read_replication(file_, r, buffer);
    f(i, r);
  }
  std::fseek(file_, 0, SEEK_END);
}

std::vector<char> block_bytes(const ReplicationBlock& block) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* f = open_memstream(&data, &size);
  if (!f) throw OutputError("cannot hold a block of replications in memory");
  try {
    const std::int64_t header[4] = {block.point, block.from, block.to,
                                    static_cast<std::int64_t>(block.replications.size())};
    put(f, header, sizeof header);
    for (std::size_t p = 0; p < block.replications.size(); ++p) {
      put_waits(f, block.waits_by_interval[p]);
      put_waits(f, block.waits_by_day[p]);
      for (const auto& r : block.replications[p]) write_replication(f, r);
    }
  } catch (...) {
    std::fclose(f);
    std::free(data);
    throw;
  }
  std::fclose(f);
  std::vector<char> bytes(data, data + size);
  std::free(data);
  return bytes;
}

ReplicationBlock read_block(const std::vector<char>& bytes) {
  if (bytes.empty()) throw OutputError("an empty block of replications");
  std::FILE* f = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
  if (!f) throw OutputError("cannot read a block of replications");
  ReplicationBlock block;
  try {
    std::int64_t header[4];
    get(f, header, sizeof header);
    block.point = static_cast<int>(header[0]);
    block.from = static_cast<int>(header[1]);
    block.to = static_cast<int>(header[2]);
    const auto policies = static_cast<std::size_t>(header[3]);
    if (block.from < 0 || block.to < block.from || policies > bytes.size())
      throw OutputError("a block of replications came garbled");
    block.replications.resize(policies);
    block.waits_by_interval.resize(policies);
    block.waits_by_day.resize(policies);
    std::vector<StoredCell> buffer;
    for (std::size_t p = 0; p < policies; ++p) {
      get_waits(f, block.waits_by_interval[p]);
      get_waits(f, block.waits_by_day[p]);
      block.replications[p].resize(static_cast<std::size_t>(block.to - block.from));
      for (auto& r : block.replications[p]) read_replication(f, r, buffer);
    }
    if (std::fgetc(f) != EOF) throw OutputError("a block of replications came with bytes to spare");
  } catch (...) {
    std::fclose(f);
    throw;
  }
  std::fclose(f);
  return block;
}

}  // namespace ccsim::model
