// Golden digests: a hash of every per-replication result of the benchmark workloads (W1, W2) and of one
// small scenario per channel (voice, counter with appointments, e-mail, chat) and announcements, compared
// with tests/data/golden_digests.txt. They pin the model's behaviour to the last bit, so that a
// refactoring that should change nothing is seen to change nothing.
//
// A change to the model that is meant to change results (another order of random draws, a new rule)
// regenerates the file with one command, and the diff of the file shows which tables moved:
//   CCSIM_GOLDEN_UPDATE=1 ./build/tests/test_golden
//
// The digest is FNV-1a 64 over every field of every per-replication result, in a fixed order (policy,
// replication, table, cell, field), doubles by their bit patterns. The events count is left out: it
// measures the engine, not the results, and changes when events are merged or removed.
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/results.hpp"
#include "scenario/scenario.hpp"

using namespace ccsim;

namespace {

const std::string kDigestFile = std::string(CCSIM_SOURCE_DIR) + "/tests/data/golden_digests.txt";

class Fnv1a {
 public:
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= b[i];
      h_ *= 0x100000001B3ull;
    }
  }
  void u64(std::uint64_t x) {
    for (int i = 0; i < 8; ++i) {  // little-endian byte order whatever the machine
      const auto b = static_cast<unsigned char>(x >> (8 * i));
      bytes(&b, 1);
    }
  }
  void f64(double x) { u64(std::bit_cast<std::uint64_t>(x)); }
  [[nodiscard]] std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xCBF29CE484222325ull;
};

void add(Fnv1a& h, const model::ContactCell& cell) {
  const auto& c = cell.counts;
  for (std::uint64_t x :
       {c.offered, c.answered, c.abandoned, c.unserved, c.short_abandoned, c.answered_within_tau,
        c.abandoned_within_tau, c.balked, c.appointments, c.no_shows, c.booked_answered, c.served_on_time,
        c.deferred_offered, c.due_met, c.backlog, c.announced, c.balked_announced})
    h.u64(x);
  for (double x : {c.wait_answered_s, c.wait_abandoned_s, c.wait_unserved_s, c.handle_s,
                   c.longest_announced_stayed_s, cell.wait.p50, cell.wait.p80, cell.wait.p90, cell.wait.p95})
    h.f64(x);
}
void add(Fnv1a& h, const model::AgentTime& t) {
  for (double x : {t.scheduled_s, t.staffed_s, t.busy_s, t.wrap_s, t.break_s, t.shrinkage_s, t.interrupted_s})
    h.f64(x);
}
void add(Fnv1a& h, const model::BreakStats& b) {
  h.u64(b.planned);
  h.u64(b.taken);
  h.u64(b.forfeited);
  h.u64(b.late);
  h.f64(b.delay_s);
}
void add(Fnv1a& h, const model::ServedCount& s) {
  h.u64(s.answered);
  h.f64(s.handle_s);
}
void add(Fnv1a& h, std::uint64_t x) {
  h.u64(x);
}
void add(Fnv1a& h, const model::PredictionStats& p) {
  for (std::uint64_t x : {p.n, p.n_relative, p.waited_longer}) h.u64(x);
  for (double x : {p.sum_error, p.sum_squared_error, p.sum_relative_error}) h.f64(x);
}

// One digest per table of the per-replication results, over every policy and replication in order.
using Digests = std::map<std::string, std::uint64_t>;

template <class F>
void table(Digests& out, const std::string& name, const std::vector<model::Results>& results, F&& cells_of) {
  Fnv1a h;
  for (const auto& r : results) {
    h.u64(r.by_replication.size());
    for (const auto& rep : r.by_replication) {
      const auto& cells = cells_of(rep);
      h.u64(cells.size());
      for (const auto& c : cells) add(h, c);
    }
  }
  out[name] = h.value();
}

Digests digests_of(const std::vector<model::Results>& results) {
  using R = model::ReplicationResult;
  Digests d;
  table(
      d, "contacts_by_interval", results, [](const R& r) -> auto& { return r.contacts_by_interval; });
  table(
      d, "contacts_by_day", results, [](const R& r) -> auto& { return r.contacts_by_day; });
  table(
      d, "contacts_per_day", results, [](const R& r) -> auto& { return r.contacts_per_day; });
  table(
      d, "agents_by_interval", results, [](const R& r) -> auto& { return r.agents_by_interval; });
  table(
      d, "agents_by_day", results, [](const R& r) -> auto& { return r.agents_by_day; });
  table(
      d, "agents_per_day", results, [](const R& r) -> auto& { return r.agents_per_day; });
  table(
      d, "breaks_by_day", results, [](const R& r) -> auto& { return r.breaks_by_day; });
  table(
      d, "served_by_interval", results, [](const R& r) -> auto& { return r.served_by_interval; });
  table(
      d, "served_by_day", results, [](const R& r) -> auto& { return r.served_by_day; });
  table(
      d, "transfers_by_interval", results, [](const R& r) -> auto& { return r.transfers_by_interval; });
  table(
      d, "transfers_by_day", results, [](const R& r) -> auto& { return r.transfers_by_day; });
  table(
      d, "predictions_by_interval", results, [](const R& r) -> auto& { return r.predictions_by_interval; });
  table(
      d, "predictions_by_day", results, [](const R& r) -> auto& { return r.predictions_by_day; });
  return d;
}

// The file: "case/table 0x0123456789abcdef" per line; '#' starts a comment.
std::map<std::string, std::string> read_file() {
  std::map<std::string, std::string> out;
  std::ifstream in(kDigestFile);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream is(line);
    std::string key, value;
    if (is >> key >> value) out[key] = value;
  }
  return out;
}

void write_file(const std::map<std::string, std::string>& digests) {
  std::ofstream out(kDigestFile);
  out << "# Golden digests of tests/test_golden.cpp: FNV-1a 64 of every per-replication result, per case "
         "and\n"
         "# table. Regenerate after an intended change of results: CCSIM_GOLDEN_UPDATE=1 "
         "./build/tests/test_golden\n";
  for (const auto& [key, value] : digests) out << key << " " << value << "\n";
}

std::string hex(std::uint64_t x) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(x));
  return buf;
}

void check_case(const std::string& name, const std::string& path, int replications) {
  const scenario::Study study = scenario::load_study(std::string(CCSIM_SOURCE_DIR) + "/" + path);
  model::RunOptions o;
  o.seed = study.policies.front().seed;
  o.replications = replications;
  o.threads = 2;
  o.keep_replications = true;
  const Digests got = digests_of(model::run_study(study, o));
  auto file = read_file();
  if (std::getenv("CCSIM_GOLDEN_UPDATE")) {
    for (const auto& [table_name, digest] : got) file[name + "/" + table_name] = hex(digest);
    write_file(file);
    WARN("golden digests of '" << name << "' written to " << kDigestFile);
    return;
  }
  std::vector<std::string> changed;
  for (const auto& [table_name, digest] : got) {
    const std::string key = name + "/" + table_name;
    const auto it = file.find(key);
    if (it == file.end() || it->second != hex(digest))
      changed.push_back(key + ": expected " + (it == file.end() ? "(none)" : it->second) + ", got " +
                        hex(digest));
  }
  std::string message;
  for (const auto& c : changed) message += "\n  golden digest changed: " + c;
  INFO(message << "\nIf the change of results is intended: CCSIM_GOLDEN_UPDATE=1 ./build/tests/test_golden");
  CHECK(changed.empty());
}

}  // namespace

TEST_CASE("golden: W1, the single queue M/M/190+M", "[golden]") {
  check_case("w1", "bench/w1.yaml", 1);
}

TEST_CASE("golden: W2, a time-varying day (20 days)", "[golden]") {
  check_case("w2", "bench/w2.yaml", 20);
}

TEST_CASE("golden: voice (the Erlang A textbook line)", "[golden]") {
  check_case("voice", "scenarios/erlang_a_textbook.yaml", 5);
}

TEST_CASE("golden: counter with appointments (bank branch, every policy)", "[golden]") {
  check_case("counter", "scenarios/bank_branch.yaml", 5);
}

TEST_CASE("golden: e-mail (complaints team, a week)", "[golden]") {
  check_case("email", "scenarios/complaints_team.yaml", 3);
}

TEST_CASE("golden: chat", "[golden]") {
  check_case("chat", "tests/data/golden_chat.yaml", 5);
}

TEST_CASE("golden: announcements and home work (every policy)", "[golden]") {
  check_case("announcements", "scenarios/home_work_announcements.yaml", 3);
}
