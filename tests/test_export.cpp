// ccsim export: every table as CSV (RFC 4180), names decoded, read back and counted against the HDF5 rows.
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

int run_ccsim(const std::string& args) {
  const int status = std::system((std::string(CCSIM_BINARY) + " " + args).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// An RFC 4180 reader: records of fields, quoted fields with doubled quotes and line breaks inside.
std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    std::string& field = records.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      records.emplace_back(1);
    } else {
      field += c;
    }
  }
  if (records.back().size() == 1 && records.back()[0].empty()) records.pop_back();
  return records;
}

hsize_t rows(const fs::path& file, const char* table) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t set = H5Dopen2(f, table, H5P_DEFAULT), space = H5Dget_space(set);
  const auto n = static_cast<hsize_t>(H5Sget_simple_extent_npoints(space));
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(f);
  return n;
}

}  // namespace

TEST_CASE("export writes every table as RFC 4180 CSV with names decoded", "[export][cli]") {
  const fs::path dir = fs::temp_directory_path() / ("ccsim_export_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "s.yaml") << "name: export test\nreplications: 2\n"
                                   "day: {open: \"08:00\", interval: 60min, intervals: 3}\n"
                                   "contact_types:\n  - name: 'say \"hi\"'\n    calls_per_hour: 60\n"
                                   "    handle_time: {distribution: exponential, mean: 240s}\n"
                                   "    patience: {distribution: exponential, mean: 120s}\n"
                                   "agent_groups:\n  - {name: agents, agents: 4}\n"
                                   "policies:\n  - name: base\n  - name: '"
                                << "a \"quoted\"\", name" << "'\n    overrides: {agent_groups.agents.agents: 3}\n";
  const fs::path h5 = dir / "r.h5";
  REQUIRE(run_ccsim("run " + (dir / "s.yaml").string() + " -q --records contacts,agents -o " + h5.string()) ==
          0);
  REQUIRE(run_ccsim("export " + h5.string() + " --csv -o " + (dir / "csv").string() + " >/dev/null") == 0);
  for (const char* table : {"/replications/contacts_by_interval", "/summary/contacts_by_day", "/policies",
                            "/records/contacts", "/records/agents", "/intervals", "/measures"}) {
    INFO(table);
    std::string name = std::string(table).substr(1);
    std::replace(name.begin(), name.end(), '/', '_');
    const auto csv = read_csv(dir / "csv" / (name + ".csv"));
    REQUIRE(!csv.empty());
    CHECK(csv.size() - 1 == rows(h5, table));  // a header, then one line per row
    for (const auto& r : csv) CHECK(r.size() == csv[0].size());
  }
  const auto contacts = read_csv(dir / "csv" / "records_contacts.csv");
  CHECK(contacts[0][0] == "policy");
  bool hostile_seen = false, type_seen = false;
  for (const auto& r : contacts) {
    hostile_seen = hostile_seen || r[0] == "a \"quoted\"\", name";
    type_seen = type_seen || r[6] == "say \"hi\"";
  }
  CHECK(hostile_seen);
  CHECK(type_seen);
  // The hostile name is quoted in the file itself, its quotes doubled.
  std::ifstream in(dir / "csv" / "policies.csv");
  std::stringstream raw;
  raw << in.rdbuf();
  CHECK(raw.str() == "index,name\r\n0,base\r\n1,\"a \"\"quoted\"\"\"\", name\"\r\n");
  // Only the tables asked for; a table the file does not have and a file that is not ccsim's are bad input.
  REQUIRE(run_ccsim("export " + h5.string() + " records/agents summary_contacts_by_day --csv -o " +
                    (dir / "two").string() + " >/dev/null") == 0);
  CHECK(std::distance(fs::directory_iterator(dir / "two"), fs::directory_iterator{}) == 2);
  CHECK(run_ccsim("export " + h5.string() + " nonesuch --csv -o " + (dir / "x").string() + " 2>/dev/null") == 1);
  CHECK(run_ccsim("export " + (dir / "s.yaml").string() + " --csv -o " + (dir / "x").string() + " 2>/dev/null") ==
        1);
  CHECK(run_ccsim("export " + h5.string() + " -o " + (dir / "x").string() + " 2>/dev/null") == 1);
  fs::remove_all(dir);
}
