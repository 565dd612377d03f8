#include "model/spool.hpp"

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

}  // namespace

ReplicationSpool::ReplicationSpool() : file_(std::tmpfile()) {
  if (!file_) throw OutputError("cannot create a temporary file for the replications (is TMPDIR writable?)");
}

ReplicationSpool::~ReplicationSpool() {
  std::fclose(file_);
}

void ReplicationSpool::append(const ReplicationResult& r) {
  std::vector<StoredCell> buffer;
  const std::int64_t header[2] = {r.series, static_cast<std::int64_t>(r.events)};
  put(file_, header, sizeof header);
  put_cells(file_, r.contacts_by_interval, buffer);
  put_cells(file_, r.contacts_by_day, buffer);
  put_vector(file_, r.agents_by_interval);
  put_vector(file_, r.agents_by_day);
  put_cells(file_, r.contacts_per_day, buffer);
  put_vector(file_, r.agents_per_day);
  put_vector(file_, r.breaks_by_day);
  put_vector(file_, r.served_by_interval);
  put_vector(file_, r.served_by_day);
  put_vector(file_, r.transfers_by_interval);
  put_vector(file_, r.transfers_by_day);
  put_vector(file_, r.predictions_by_interval);
  put_vector(file_, r.predictions_by_day);
  put_vector(file_, r.costs_by_interval);
  put_vector(file_, r.costs_per_day);
  put(file_, &r.costs_by_day, sizeof r.costs_by_day);
  put_vector(file_, r.paid_by_day);
  ++count_;
}

void ReplicationSpool::for_each(const std::function<void(int, const ReplicationResult&)>& f) const {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    throw OutputError("cannot read replications back from a temporary file");
  ReplicationResult r;  // storage reused from one replication to the next
  std::vector<StoredCell> buffer;
  for (int i = 0; i < count_; ++i) {
    std::int64_t header[2];
    get(file_, header, sizeof header);
    r.series = static_cast<int>(header[0]);
    r.events = static_cast<std::uint64_t>(header[1]);
    get_cells(file_, r.contacts_by_interval, buffer);
    get_cells(file_, r.contacts_by_day, buffer);
    get_vector(file_, r.agents_by_interval);
    get_vector(file_, r.agents_by_day);
    get_cells(file_, r.contacts_per_day, buffer);
    get_vector(file_, r.agents_per_day);
    get_vector(file_, r.breaks_by_day);
    get_vector(file_, r.served_by_interval);
    get_vector(file_, r.served_by_day);
    get_vector(file_, r.transfers_by_interval);
    get_vector(file_, r.transfers_by_day);
    get_vector(file_, r.predictions_by_interval);
    get_vector(file_, r.predictions_by_day);
    get_vector(file_, r.costs_by_interval);
    get_vector(file_, r.costs_per_day);
    get(file_, &r.costs_by_day, sizeof r.costs_by_day);
    get_vector(file_, r.paid_by_day);
    f(i, r);
  }
  std::fseek(file_, 0, SEEK_END);
}

}  // namespace ccsim::model
