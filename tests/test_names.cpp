// Names survive whole: up to 255 bytes of UTF-8 into HDF5, compare (text, CSV, JSON) and the report; bad
// names (empty, too long, invalid UTF-8, duplicate, reserved, with a path separator) are located errors.
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "common/error.hpp"
#include "scenario/scenario.hpp"
#include "scenario_text.hpp"

using namespace ccsim;
using testing::error_of;
using testing::with;
namespace fs = std::filesystem;

namespace {

// Line numbers below refer to this text (line 1 is "name: ...").
const std::string kTwoTypes = R"(name: names
replications: 4
day: {open: "08:00", interval: 60min, intervals: 2}
contact_types:
  - name: TYPE_A
    calls_per_hour: 60
    handle_time: {distribution: exponential, mean: 120s}
  - name: TYPE_B
    calls_per_hour: 60
    handle_time: {distribution: exponential, mean: 120s}
agent_groups:
  - name: GROUP_A
    agents: 3
    skills: [{contact_type: TYPE_A}, {contact_type: TYPE_B}]
)";

// "é" is two bytes: 127 of them and one "x" make 255 bytes.
std::string long_name(char last) {
  std::string s;
  for (int i = 0; i < 127; ++i) s += "\xC3\xA9";
  return s + last;
}

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("ccsim_test_names_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

std::tuple<int, std::string, std::string> run_ccsim(const fs::path& dir, const std::string& args) {
  const std::string cmd =
      std::string(CCSIM_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  std::ifstream out(dir / "out"), err(dir / "err");
  std::stringstream o, e;
  o << out.rdbuf();
  e << err.rdbuf();
  return {WEXITSTATUS(status), o.str(), e.str()};
}

// The `name` column of a name list, read as UTF-8 text of the stored width.
std::vector<std::string> names_in(const fs::path& file, const char* table, const char* field,
                                  std::size_t width) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  hid_t set = H5Dopen2(f, table, H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, width);
  H5Tset_cset(str, H5T_CSET_UTF8);
  hid_t mem = H5Tcreate(H5T_COMPOUND, width);
  H5Tinsert(mem, field, 0, str);
  hid_t space = H5Dget_space(set);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<char> buf(n * width);
  REQUIRE(H5Dread(set, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) >= 0);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(buf.data() + i * width);
  H5Sclose(space);
  H5Tclose(mem);
  H5Tclose(str);
  H5Dclose(set);
  H5Fclose(f);
  return out;
}

}  // namespace

TEST_CASE("each kind of bad name is a located error", "[names][scenario]") {
  CHECK(error_of(with(kTwoTypes, "name: TYPE_B", "name: \"\"")) ==
        "bad.yaml:8:11: contact_types[1].name: a contact type needs a name that is not empty");
  CHECK(
      error_of(with(kTwoTypes, "name: TYPE_B", "name: " + long_name('x') + "y"))
          .starts_with("bad.yaml:8:11: contact_types[1].name: a name is at most 255 bytes of UTF-8; this one "
                       "has 256"));
  CHECK(error_of(with(kTwoTypes, "name: TYPE_B", "name: \"b\xC3\"")) ==
        "bad.yaml:8:11: contact_types[1].name: the name is not valid UTF-8 (at byte 1); save the file as "
        "UTF-8");
  CHECK(error_of(with(kTwoTypes, "name: TYPE_B", "name: \"b\\x01\""))
            .starts_with(
                "bad.yaml:8:11: contact_types[1].name: the name holds a control character (at byte 1)"));
  CHECK(error_of(with(kTwoTypes, "name: TYPE_B", "name: TYPE_A")) ==
        "bad.yaml:8:11: contact_types[1].name: contact type 'TYPE_A' is defined twice");
  CHECK(error_of(with(kTwoTypes, "name: TYPE_B", "name: all")) ==
        "bad.yaml:8:11: contact_types[1].name: 'all' is reserved: it names all contact types together in the "
        "results");
  CHECK(error_of(with(kTwoTypes, "name: GROUP_A", "name: all"))
            .starts_with(
                "bad.yaml:12:11: agent_groups[0].name: 'all' is reserved: it names all groups together"));
  // A duplicate group is said as such, not as a missing key of the second one.
  const std::string two_groups = kTwoTypes + "  - name: GROUP_A\n    agents: 2\n";
  CHECK(error_of(two_groups) ==
        "bad.yaml:15:11: agent_groups[1].name: agent group 'GROUP_A' is defined twice");
  for (const char* sep : {".", "[", "]", ":", "=", ","}) {
    INFO(sep);
    CHECK(error_of(with(kTwoTypes, "name: TYPE_B", std::string("name: \"a") + sep + "b\""))
              .starts_with(std::string("bad.yaml:8:11: contact_types[1].name: 'a") + sep + "b' holds '" +
                           sep + "', which override paths"));
  }
  CHECK(error_of(with(kTwoTypes, "name: GROUP_A", "name: a.b"))
            .starts_with("bad.yaml:12:11: agent_groups[0].name: 'a.b' holds '.'"));
  CHECK(error_of(kTwoTypes + "locations: {\"ho.me\": {handle_time_factor: 1.1}}\n")
            .starts_with("bad.yaml:15:13: locations: 'ho.me' holds '.'"));
  CHECK(error_of(kTwoTypes + "policies:\n  - name: one\n  - name: one\n") ==
        "bad.yaml:17:11: policies[1].name: policy 'one' is defined twice");
  CHECK(error_of(kTwoTypes + "policies:\n  - name: \"\"\n") ==
        "bad.yaml:16:11: policies[0].name: a policy needs a name that is not empty");
  // Policy names are never part of a path: commas and dots are fine there.
  CHECK_NOTHROW(scenario::parse_study(kTwoTypes + "policies:\n  - name: \"office, 2.5 h\"\n", "ok.yaml"));
}

TEST_CASE("names up to 255 bytes survive whole into HDF5, compare and the report", "[names][output]") {
  const auto dir = temp_dir();
  const std::string type_a = long_name('x'), type_b = long_name('y');  // share their first 254 bytes
  REQUIRE(type_a.size() == 255);
  const std::string shared(40, 'p');
  const std::string policy_a = shared + " \"quoted\", and more", policy_b = shared + " <b>other</b>";
  std::string text =
      with(with(with(kTwoTypes, "name: TYPE_A", "name: " + type_a), "name: TYPE_B", "name: " + type_b),
           "contact_type: TYPE_A}", "contact_type: " + type_a + "}");
  text = with(text, "contact_type: TYPE_B}", "contact_type: " + type_b + "}");
  text += "policies:\n  - name: '" + policy_a + "'\n  - name: '" + policy_b +
          "'\n    overrides: {agent_groups.GROUP_A.agents: 4}\n";
  std::ofstream(dir / "n.yaml", std::ios::trunc) << text;
  auto [code, out, err] =
      run_ccsim(dir, "run " + (dir / "n.yaml").string() + " -q -o " + (dir / "n.h5").string());
  INFO(err);
  REQUIRE(code == 0);
  CHECK(names_in(dir / "n.h5", "/contact_types", "name", 256) == std::vector<std::string>{type_a, type_b});
  CHECK(names_in(dir / "n.h5", "/policies", "name", 256) == std::vector<std::string>{policy_a, policy_b});
  const auto in_summary = names_in(dir / "n.h5", "/summary/contacts_by_day", "contact_type", 256);
  CHECK(std::count(in_summary.begin(), in_summary.end(), type_a) == 2 * 34);  // per policy, per contact measure
  CHECK(std::count(in_summary.begin(), in_summary.end(), type_b) == 2 * 34);

  auto [c1, csv, e1] = run_ccsim(dir, "compare " + (dir / "n.h5").string() + " --csv --measures sl");
  REQUIRE(c1 == 0);
  CHECK(csv.find(",\"" + shared + " \"\"quoted\"\", and more\",1,ratio_of_totals,") != std::string::npos);
  CHECK(csv.find("," + policy_b + ",0,ratio_of_totals,") != std::string::npos);
  auto [c2, json, e2] = run_ccsim(dir, "compare " + (dir / "n.h5").string() + " --json --measures sl");
  REQUIRE(c2 == 0);
  CHECK(json.find("\"policy\": \"" + shared + " \\\"quoted\\\", and more\"") != std::string::npos);
  CHECK(json.find("\"policy\": \"" + policy_b + "\"") != std::string::npos);
  auto [c3, rep, e3] =
      run_ccsim(dir, "report " + (dir / "n.h5").string() + " -o " + (dir / "n.html").string());
  REQUIRE(c3 == 0);
  std::ifstream html_in(dir / "n.html");
  std::stringstream html;
  html << html_in.rdbuf();
  CHECK(html.str().find(shared + " &lt;b&gt;other&lt;/b&gt;") != std::string::npos);
  CHECK(html.str().find(shared + " &quot;quoted&quot;, and more") != std::string::npos);
  CHECK(html.str().find("<b>other</b>") == std::string::npos);
}
