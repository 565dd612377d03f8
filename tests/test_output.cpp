#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "output/hdf5_writer.hpp"
#include "sim_fixtures.hpp"

using namespace ccsim;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kDatasets = {"/policies",
                                            "/contact_types",
                                            "/agent_groups",
                                            "/intervals",
                                            "/replications/contacts_by_interval",
                                            "/replications/contacts_by_day",
                                            "/replications/agents_by_interval",
                                            "/replications/agents_by_day",
                                            "/summary/contacts_by_interval",
                                            "/summary/contacts_by_day",
                                            "/summary/agents_by_interval",
                                            "/summary/agents_by_day"};

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("ccsim_test_output_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

// The raw bytes of a dataset, read with its own stored type.
std::vector<unsigned char> dataset_bytes(hid_t file, const std::string& path, hsize_t* rows = nullptr) {
  hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t type = H5Dget_type(set), space = H5Dget_space(set);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<unsigned char> buf(static_cast<std::size_t>(n) * H5Tget_size(type));
  if (n > 0) REQUIRE(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) >= 0);
  if (rows) *rows = static_cast<hsize_t>(n);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(set);
  return buf;
}

scenario::Scenario small() {
  auto s = testing::stationary(300, engine::Distribution::exponential(180), 16,
                               engine::Distribution::exponential(200), 6, 1);
  s.source_text = "name: small";
  s.source_path = "small.yaml";
  return s;
}

void write(const fs::path& p, int threads, std::uint64_t seed = 4) {
  auto s = small();
  auto r = testing::run(s, 6, seed, threads);
  output::write_results(p.string(), s, r, {"test", "ccsim run small.yaml"});
}

}  // namespace

TEST_CASE("results file holds every table and explains itself", "[output]") {
  auto dir = temp_dir();
  auto p = dir / "r.h5";
  write(p, 0);
  REQUIRE(fs::exists(p));
  hid_t f = H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  for (const auto& d : kDatasets) {
    INFO(d);
    CHECK(H5Lexists(f, d.c_str(), H5P_DEFAULT) > 0);
  }
  std::int32_t version = 0;
  hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
  REQUIRE(H5Aread(a, H5T_NATIVE_INT32, &version) >= 0);
  H5Aclose(a);
  CHECK(version == output::kFormatVersion);
  for (const char* attr : {"scenario_text", "seed", "ccsim_version", "command_line", "replications"})
    CHECK(H5Aexists(f, attr) > 0);
  hsize_t rows = 0;
  dataset_bytes(f, "/replications/contacts_by_interval", &rows);
  CHECK(rows == 6 * 6);  // replications x intervals, one contact type
  dataset_bytes(f, "/summary/contacts_by_day", &rows);
  CHECK(rows == std::size(model::kContactMeasures));
  H5Fclose(f);
  // Nothing is left beside it.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);
  fs::remove_all(dir);
}

TEST_CASE("same seed gives bit-identical datasets, whatever the thread count", "[output][determinism]") {
  auto dir = temp_dir();
  write(dir / "a.h5", 1);
  write(dir / "b.h5", 2);
  write(dir / "c.h5", 1, 5);
  hid_t a = H5Fopen((dir / "a.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t b = H5Fopen((dir / "b.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t c = H5Fopen((dir / "c.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  for (const auto& d : kDatasets) {
    INFO(d);
    CHECK(dataset_bytes(a, d) == dataset_bytes(b, d));
  }
  CHECK(dataset_bytes(a, "/replications/contacts_by_interval") !=
        dataset_bytes(c, "/replications/contacts_by_interval"));
  H5Fclose(a);
  H5Fclose(b);
  H5Fclose(c);
  fs::remove_all(dir);
}

TEST_CASE("a failed write leaves no file and keeps what was there", "[output][atomic]") {
  auto dir = temp_dir();
  REQUIRE_THROWS_AS(write(dir / "missing_dir" / "r.h5", 1), OutputError);
  CHECK_FALSE(fs::exists(dir / "missing_dir"));
  // An existing results file is replaced only by a complete new one.
  write(dir / "keep.h5", 1);
  write(dir / "keep.h5", 1, 9);
  // The new file replaced the old one whole: it opens, holds every table and the new seed.
  hid_t f = H5Fopen((dir / "keep.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  for (const auto& d : kDatasets) CHECK(H5Lexists(f, d.c_str(), H5P_DEFAULT) > 0);
  std::uint64_t seed = 0;
  hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
  REQUIRE(H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0);
  H5Aclose(a);
  H5Fclose(f);
  CHECK(seed == 9);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);
  fs::remove_all(dir);
}

namespace {

// The width of a text field as stored in a table.
std::size_t stored_width(hid_t file, const char* table, const char* field) {
  hid_t set = H5Dopen2(file, table, H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t type = H5Dget_type(set);
  const int i = H5Tget_member_index(type, field);
  REQUIRE(i >= 0);
  hid_t member = H5Tget_member_type(type, static_cast<unsigned>(i));
  const std::size_t width = H5Tget_size(member);
  H5Tclose(member);
  H5Tclose(type);
  H5Dclose(set);
  return width;
}

}  // namespace

TEST_CASE("name columns are as wide as the file's longest name, at least 32 bytes", "[output]") {
  auto dir = temp_dir();
  auto s = small();
  auto r = testing::run(s, 2, 4, 1);
  output::write_results((dir / "short.h5").string(), s, r, {"test", "ccsim run small.yaml"});
  s.agent_groups[0].name = std::string(100, 'g');
  r = testing::run(s, 2, 4, 1);
  output::write_results((dir / "long.h5").string(), s, r, {"test", "ccsim run small.yaml"});
  hid_t a = H5Fopen((dir / "short.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t b = H5Fopen((dir / "long.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(stored_width(a, "/replications/contacts_by_interval", "contact_type") == 32);
  CHECK(stored_width(a, "/replications/agents_by_interval", "group") == 32);
  CHECK(stored_width(b, "/replications/contacts_by_interval", "contact_type") == 101);
  CHECK(stored_width(b, "/replications/agents_by_interval", "group") == 101);
  CHECK(stored_width(b, "/agent_groups", "name") == 101);
  H5Fclose(a);
  H5Fclose(b);
  fs::remove_all(dir);
}

TEST_CASE("the breaks table holds planned, taken and forfeited breaks by name", "[output][breaks]") {
  // A two-hour call from 08:00 outlasts the 08:00-09:00 shift: its 08:30 break is forfeited.
  auto s = scenario::parse_scenario(R"(name: forfeited
day: {open: "08:00", interval: 30min, close: "10:00"}
contact_types:
  - name: calls
    calls_per_hour: 600
    handle_time: {distribution: deterministic, value: 2h}
agent_groups:
  - name: desk
    shifts: [{start: "08:00", end: "09:00", agents: 1, breaks: [{start: "08:30", duration: 5min}]}]
)",
                                    "forfeited.yaml");
  auto dir = temp_dir();
  auto r = testing::run(s, 3, 4, 1);
  output::write_results((dir / "b.h5").string(), s, r, {"test", "ccsim run forfeited.yaml"});
  struct Row {
    std::uint64_t planned, taken, forfeited;
  };
  hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(Row));
  H5Tinsert(mem, "planned", offsetof(Row, planned), H5T_NATIVE_UINT64);
  H5Tinsert(mem, "taken", offsetof(Row, taken), H5T_NATIVE_UINT64);
  H5Tinsert(mem, "forfeited", offsetof(Row, forfeited), H5T_NATIVE_UINT64);
  hid_t f = H5Fopen((dir / "b.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t set = H5Dopen2(f, "/replications/breaks_by_day", H5P_DEFAULT);
  std::vector<Row> rows(3);
  REQUIRE(H5Dread(set, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) >= 0);
  for (const Row& row : rows) {
    CHECK(row.planned == 1);
    CHECK(row.taken == 0);
    CHECK(row.forfeited == 1);
  }
  H5Dclose(set);
  H5Tclose(mem);
  H5Fclose(f);
  fs::remove_all(dir);
}
