// Per-contact and agent-state records (`ccsim run --records`): the same file for any thread count, streamed
// through batches, only the first N replications, and records that change no result.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "hdf5_datasets.hpp"
#include "output/hdf5_writer.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

fs::path work_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("ccsim_records_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

int run_ccsim(const std::string& args) {
  return std::system((std::string(CCSIM_BINARY) + " " + args + " -q").c_str());
}

// One int32 column of a records table.
std::vector<std::int32_t> column(const fs::path& file, const char* table, const char* field) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t set = H5Dopen2(f, table, H5P_DEFAULT), space = H5Dget_space(set);
  std::vector<std::int32_t> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(std::int32_t));
  H5Tinsert(t, field, 0, H5T_NATIVE_INT32);
  if (!out.empty()) H5Dread(set, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Tclose(t);
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(f);
  return out;
}

}  // namespace

TEST_CASE("records: 1 and 2 threads write the same file, records change no other table", "[records]") {
  const auto dir = work_dir("threads");
  // Policies, transfers, walk-ins who balk, breaks: every kind of record.
  const std::string scenario = std::string(CCSIM_SOURCE_DIR) + "/scenarios/municipal_service.yaml";
  const std::string common = "run " + scenario + " -r 5 --records contacts,agents --records-replications 3";
  REQUIRE(run_ccsim(common + " -t 1 -o " + (dir / "one.h5").string()) == 0);
  REQUIRE(run_ccsim(common + " -t 2 -o " + (dir / "two.h5").string()) == 0);
  testing::same_datasets(dir / "one.h5", dir / "two.h5");
  const auto replications = column(dir / "one.h5", "/records/contacts", "replication");
  CHECK(std::set<std::int32_t>(replications.begin(), replications.end()) == std::set<std::int32_t>{0, 1, 2});
  const auto agents = column(dir / "one.h5", "/records/agents", "replication");
  CHECK(std::set<std::int32_t>(agents.begin(), agents.end()) == std::set<std::int32_t>{0, 1, 2});
  // Without records: every other table the same, byte for byte.
  REQUIRE(run_ccsim("run " + scenario + " -r 5 -t 2 -o " + (dir / "plain.h5").string()) == 0);
  hid_t a = H5Fopen((dir / "one.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t b = H5Fopen((dir / "plain.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const auto plain = testing::datasets(b);
  CHECK(plain.size() + 2 == testing::datasets(a).size());
  for (const auto& name : plain) {
    INFO(name);
    CHECK(testing::bytes(a, name) == testing::bytes(b, name));
  }
  H5Fclose(a);
  H5Fclose(b);
  fs::remove_all(dir);
}

TEST_CASE("records stream through batches and cover the first N replications of each policy", "[records]") {
  // About 7,200 calls a day: more than one batch of records per replication.
  auto s = testing::stationary(900.0, engine::Distribution::exponential(240.0), 62,
                               engine::Distribution::exponential(300.0), 8, 0);
  model::RunOptions o;
  o.seed = 5;
  o.replications = 4;
  o.threads = 2;
  o.records = {true, true};
  o.records_replications = 2;
  const model::Results r = model::run(s, o);
  REQUIRE(r.records);
  std::uint64_t offered = 0;
  for (int rep = 0; rep < 2; ++rep) {
    // by_replication keeps each replication's day cells when streaming.
    offered += r.by_replication[static_cast<std::size_t>(rep)].contacts_by_day[0].counts.offered;
  }
  REQUIRE(offered > 2 * model::RecordStore::kBatch);
  std::uint64_t seen = 0;
  int last = -1;
  std::set<std::pair<int, std::int64_t>> ids;
  r.records->for_each_contacts([&](int rep, const std::vector<model::ContactRecord>& batch) {
    CHECK(rep >= last);
    CHECK(batch.size() <= model::RecordStore::kBatch);
    last = rep;
    for (const auto& c : batch) ids.emplace(rep, c.contact);
    seen += batch.size();
  });
  CHECK(ids.size() == seen);
  CHECK(last == 1);
  CHECK(seen == offered);
  const auto dir = work_dir("batches");
  output::write_results((dir / "r.h5").string(), s, r, {"test", "test"});
  CHECK(column(dir / "r.h5", "/records/contacts", "replication").size() == offered);
  fs::remove_all(dir);
}

TEST_CASE("records: a mistaken --records is bad input", "[records][cli]") {
  const auto dir = work_dir("cli");
  const std::string scenario =
      std::string(CCSIM_SOURCE_DIR) + "/scenarios/erlang_a_textbook.yaml -r 2 -o " + (dir / "r.h5").string();
  CHECK(WEXITSTATUS(run_ccsim("run " + scenario + " --records agents --records-replications 2")) == 0);
  for (const char* args : {"--records contactz", "--records contacts,contacts", "--records-replications 2",
                           "--records agents --records-replications 0"}) {
    INFO(args);
    CHECK(WEXITSTATUS(run_ccsim("run " + scenario + " " + args + " 2>/dev/null")) == 1);
  }
  fs::remove_all(dir);
}
