// Reading results back (issue 16 item 4): `compare` and `report` read every table by its path and every
// column by its name — never by position — and refuse another format_version, or a damaged table, saying
// what they found and what this ccsim reads.
#include <hdf5.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_fixtures.hpp"
#include "output/hdf5_reader.hpp"

namespace fs = std::filesystem;
using ccsim::testing::run_ccsim;

namespace {

fs::path dir() {
  return ccsim::testing::work_dir("read_back");
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A results file of the announcements scenario (four policies, predictions), written once per process.
fs::path results() {
  const fs::path out = dir() / "original.h5";
  if (!fs::exists(out)) {
    const auto r = run_ccsim("run " + std::string(CCSIM_SOURCE_DIR) +
                                 "/scenarios/home_work_announcements.yaml -r 2 -q -o " + out.string(),
                             dir());
    REQUIRE(r.code == 0);
  }
  return out;
}

fs::path copy_of(const std::string& name) {
  const fs::path to = dir() / name;
  fs::copy_file(results(), to, fs::copy_options::overwrite_existing);
  return to;
}

void set_version(const fs::path& file, std::int32_t version) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
  REQUIRE(a >= 0);
  REQUIRE(H5Awrite(a, H5T_NATIVE_INT32, &version) >= 0);
  H5Aclose(a);
  H5Fclose(f);
}

// Writes table `path` anew with its columns in reverse order (packed at new offsets), its rows reversed
// when `reverse_rows`, and without the column `drop`: the same data, nothing where it was.
void rewrite_table(hid_t file, const char* path, bool reverse_rows, const std::string& drop = "") {
  hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t type = H5Dget_type(set);
  const int members = H5Tget_nmembers(type);
  std::vector<std::string> names;
  std::vector<hid_t> types;
  std::size_t size = 0;
  for (int i = members - 1; i >= 0; --i) {
    char* name = H5Tget_member_name(type, static_cast<unsigned>(i));
    if (drop != name) {
      names.emplace_back(name);
      types.push_back(H5Tget_member_type(type, static_cast<unsigned>(i)));
      size += H5Tget_size(types.back());
    }
    H5free_memory(name);
  }
  hid_t reordered = H5Tcreate(H5T_COMPOUND, size);
  std::size_t offset = 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    REQUIRE(H5Tinsert(reordered, names[k].c_str(), offset, types[k]) >= 0);
    offset += H5Tget_size(types[k]);
  }
  hid_t space = H5Dget_space(set);
  const auto rows = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<char> data(rows * size);
  if (rows > 0) REQUIRE(H5Dread(set, reordered, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) >= 0);
  if (reverse_rows)
    for (std::size_t i = 0; i < rows / 2; ++i)
      std::swap_ranges(data.begin() + static_cast<long>(i * size),
                       data.begin() + static_cast<long>((i + 1) * size),
                       data.begin() + static_cast<long>((rows - 1 - i) * size));
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(set);
  REQUIRE(H5Ldelete(file, path, H5P_DEFAULT) >= 0);
  hsize_t dims[1] = {rows};
  hid_t new_space = H5Screate_simple(1, dims, nullptr);
  hid_t created = H5Dcreate2(file, path, reordered, new_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(created >= 0);
  if (rows > 0) REQUIRE(H5Dwrite(created, reordered, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) >= 0);
  H5Dclose(created);
  H5Sclose(new_space);
  H5Tclose(reordered);
  for (hid_t t : types) H5Tclose(t);
}

// Sets integer column `column` of every row of table `path` to `value` (HDF5 writes that member only).
void set_column(hid_t file, const char* path, const char* column, std::int32_t value) {
  hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t only = H5Tcreate(H5T_COMPOUND, sizeof(std::int32_t));
  REQUIRE(H5Tinsert(only, column, 0, H5T_NATIVE_INT32) >= 0);
  hid_t space = H5Dget_space(set);
  std::vector<std::int32_t> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)), value);
  REQUIRE(H5Dwrite(set, only, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Sclose(space);
  H5Tclose(only);
  H5Dclose(set);
}

// What `ccsim staff -o` writes (HDF5 with a format_version, but format "ccsim-staffing"), once per process.
fs::path staffing_file() {
  const fs::path out = dir() / "staffing.h5";
  if (!fs::exists(out))
    REQUIRE(run_ccsim("staff " + std::string(CCSIM_SOURCE_DIR) +
                          "/scenarios/erlang_a_textbook.yaml --target sl=0.8 -r 2 --verify-replications 2 "
                          "--max-steps 2 -o " +
                          out.string(),
                      dir())
                .code == 0);
  return out;
}

template <class Change>
fs::path changed(const std::string& name, Change change) {
  const fs::path p = copy_of(name);
  hid_t f = H5Fopen(p.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(f >= 0);
  change(f);
  H5Fclose(f);
  return p;
}

// Table `path` without column `drop`, columns reversed, rows kept.
void drop_column(hid_t file, const char* path, const std::string& drop) {
  rewrite_table(file, path, false, drop);
}

const char* const kReadTables[] = {"/policies",
                                   "/intervals",
                                   "/replications/contacts_by_day",
                                   "/replications/contacts_by_interval",
                                   "/replications/agents_by_day",
                                   "/replications/agents_by_interval",
                                   "/summary/contacts_by_day",
                                   "/summary/contacts_by_interval",
                                   "/summary/predictions_by_day"};

}  // namespace

TEST_CASE("compare and report read columns by name and names by their index, not by position",
          "[output][read_back]") {
  const fs::path moved = changed("moved.h5", [](hid_t f) {
    // Rows reversed too, but for the predictions, which the report lists in the file's order.
    for (const char* table : kReadTables)
      rewrite_table(f, table, std::string(table) != "/summary/predictions_by_day");
  });
  const fs::path original = results();
  for (const char* args : {" --json", " --by interval --json", " --measures offered,mean_wait --csv"}) {
    INFO(args);
    const auto a = run_ccsim("compare " + original.string() + args, dir());
    const auto b = run_ccsim("compare " + moved.string() + args, dir());
    REQUIRE(a.code == 0);
    CHECK(b.code == 0);
    CHECK(b.err.empty());
    CHECK(a.out == b.out);
  }
  const auto a = run_ccsim("report " + original.string() + " -o -", dir());
  const auto b = run_ccsim("report " + moved.string() + " -o -", dir());
  REQUIRE(a.code == 0);
  CHECK(b.code == 0);
  CHECK(a.out == b.out);
}

TEST_CASE("another format_version is refused with the version found and those read", "[output][read_back]") {
  using ccsim::output::kNewestReadableVersion;
  using ccsim::output::kOldestReadableVersion;
  const std::string reads = "this ccsim (" CCSIM_VERSION ") reads format_version " +
                            std::to_string(kOldestReadableVersion) + " to " +
                            std::to_string(kNewestReadableVersion);
  const fs::path newer = copy_of("newer.h5");
  set_version(newer, kNewestReadableVersion + 1);
  const fs::path older = copy_of("older.h5");
  set_version(older, kOldestReadableVersion - 1);
  for (const std::string& command :
       std::vector<std::string>{"compare ", "report -o " + (dir() / "never.html").string() + " "}) {
    const auto n = run_ccsim(command + newer.string(), dir());
    INFO(n.err);
    CHECK(n.code == 1);
    CHECK(has(n.err, "newer.h5: results format_version " + std::to_string(kNewestReadableVersion + 1) + "; " +
                         reads + " (the file was written by a newer ccsim"));
    const auto o = run_ccsim(command + older.string(), dir());
    INFO(o.err);
    CHECK(o.code == 1);
    CHECK(has(o.err, "older.h5: results format_version " + std::to_string(kOldestReadableVersion - 1) + "; " +
                         reads + " (the file was written by an older ccsim"));
  }
  CHECK(!fs::exists(dir() / "never.html"));
}

TEST_CASE("a missing table or column, a misplaced row or a staffing file is a clear error",
          "[output][read_back]") {
  const fs::path no_column = changed("no_column.h5", [](hid_t f) {
    rewrite_table(f, "/replications/contacts_by_day", false, "answered_within_tau");
  });
  const auto c = run_ccsim("compare " + no_column.string(), dir());
  CHECK(c.code == 1);
  CHECK(has(c.err, "/replications/contacts_by_day: no column 'answered_within_tau'"));

  const fs::path no_table = changed(
      "no_table.h5", [](hid_t f) { REQUIRE(H5Ldelete(f, "/summary/contacts_by_day", H5P_DEFAULT) >= 0); });
  const auto t = run_ccsim("report " + no_table.string() + " -o -", dir());
  CHECK(t.code == 1);
  CHECK(has(t.err, "no table /summary/contacts_by_day"));

  // Every policy claiming index 0: the names cannot be placed.
  const fs::path twice = changed("twice.h5", [](hid_t f) { set_column(f, "/policies", "index", 0); });
  const auto i = run_ccsim("compare " + twice.string(), dir());
  CHECK(i.code == 1);
  CHECK(has(i.err, "/policies: index 0 is out of place among 6 rows"));

  // A row of a policy the file does not have would index past the tables built from it.
  const fs::path outside =
      changed("outside.h5", [](hid_t f) { set_column(f, "/replications/agents_by_day", "policy", 6); });
  const auto o = run_ccsim("compare " + outside.string(), dir());
  CHECK(o.code == 1);
  CHECK(has(o.err, "/replications/agents_by_day: a row of policy 6"));
  CHECK(has(o.err, "lies outside the file's 6 policies"));

  const fs::path staffing = staffing_file();
  const auto s = run_ccsim("compare " + staffing.string(), dir());
  CHECK(s.code == 1);
  CHECK(has(s.err, "a 'ccsim-staffing' file, not a ccsim results file"));
}

TEST_CASE("a column newer than the file's format is not required; in a file of its format it is",
          "[output][read_back]") {
  // Results tables got their `point` column with format 11: a format-10 file without it reads as point 0.
  const char* const with_point[] = {"/replications/contacts_by_day", "/replications/contacts_by_interval",
                                    "/replications/agents_by_day",   "/replications/agents_by_interval",
                                    "/summary/contacts_by_day",      "/summary/contacts_by_interval",
                                    "/summary/predictions_by_day"};
  const fs::path before_points = changed("before_points.h5", [&](hid_t f) {
    for (const char* table : with_point) drop_column(f, table, "point");
  });
  const fs::path without_point = dir() / "without_point.h5";
  fs::copy_file(before_points, without_point, fs::copy_options::overwrite_existing);
  set_version(before_points, 10);
  const fs::path original = results();
  for (const char* args : {" --json", " --by interval --json"}) {
    INFO(args);
    const auto a = run_ccsim("compare " + original.string() + args, dir());
    const auto b = run_ccsim("compare " + before_points.string() + args, dir());
    REQUIRE(a.code == 0);
    CHECK(b.code == 0);
    // The JSON names the file's format_version; all else is the same.
    std::string expected = a.out;
    const std::string now = "\"format_version\": " + std::to_string(ccsim::output::kNewestReadableVersion);
    if (expected.find(now) != std::string::npos)
      expected.replace(expected.find(now), now.size(), "\"format_version\": 10");
    CHECK(b.out == expected);
  }
  const auto r = run_ccsim("report " + before_points.string() + " -o -", dir());
  CHECK(r.code == 0);
  // The same file claiming today's format lacks a column that format has.
  const auto c = run_ccsim("compare " + without_point.string(), dir());
  CHECK(c.code == 1);
  CHECK(has(c.err, "/replications/contacts_by_day: no column 'point'"));
  const auto p = run_ccsim("report " + without_point.string() + " -o -", dir());
  CHECK(p.code == 1);
  CHECK(has(p.err, "no column 'point'"));
}

TEST_CASE("a staffing file is read where one is wanted", "[output][read_back]") {
  const fs::path staffing = staffing_file();
  const auto page = run_ccsim("report " + staffing.string() + " -o -", dir());
  CHECK(page.code == 0);
  CHECK(page.err.empty());
  const auto csv =
      run_ccsim("export " + staffing.string() + " --csv -o " + (dir() / "staffing_csv").string(), dir());
  CHECK(csv.code == 0);
  CHECK(fs::exists(dir() / "staffing_csv"));
  const auto refused = run_ccsim("compare " + staffing.string() + " --json", dir());
  CHECK(refused.code == 1);
  CHECK(has(refused.err, "ccsim staff -o or ccsim roster -o writes it"));
}
