// ccsim export: tables of a results file as CSV files, one per table, for spreadsheets.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/text_format.hpp"
#include "common/error.hpp"
#include "output/table_text.hpp"
#include "output/target_file.hpp"

namespace ccsim::cli {
namespace {

namespace fs = std::filesystem;

// "/records/contacts" -> "records_contacts" (the CSV file's name without .csv).
std::string flat_name(const std::string& table) {
  std::string out = table.substr(table.find_first_not_of('/'));
  for (char& c : out)
    if (c == '/') c = '_';
  return out;
}

// The tables named on the command line ("records/contacts", "/records/contacts" or "records_contacts"),
// or all of them.
std::vector<std::string> chosen_tables(const std::string& file, const std::vector<std::string>& asked) {
  const std::vector<std::string> all = output::table_paths(file);
  if (asked.empty()) return all;
  std::vector<std::string> out;
  for (const std::string& name : asked) {
    const std::string flat = flat_name("/" + name);
    auto found = std::find_if(all.begin(), all.end(), [&](const std::string& t) { return flat_name(t) == flat; });
    if (found == all.end()) {
      std::string list;
      for (const auto& t : all) list += (list.empty() ? "" : ", ") + t.substr(1);
      throw InputError("command line: ccsim export: " + file + " has no table '" + name + "' (it has " + list +
                       ")");
    }
    out.push_back(*found);
  }
  return out;
}

}  // namespace

int cmd_export(const std::vector<std::string>& args) {
  po::options_description opts("ccsim export RESULTS.h5 [TABLE...] --csv [-o DIR]");
  opts.add_options()("help,h", "this help")("csv", "write CSV (RFC 4180, UTF-8), one file per table")(
      "output,o", po::value<std::string>(), "directory for the files (default: the results file's name without .h5)");
  po::options_description hidden;
  hidden.add_options()("results", po::value<std::string>())("tables", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("results", 1).add("tables", -1);
  const po::variables_map vm = parse(args, opts, &positional, &hidden);
  if (vm.count("help")) {
    std::cout << opts;
    return kOk;
  }
  if (!vm.count("results")) throw InputError("command line: ccsim export needs a RESULTS.h5 file (see --help)");
  if (!vm.count("csv")) throw InputError("command line: ccsim export: say the format: --csv (the only one so far)");
  const std::string file = vm["results"].as<std::string>();
  const std::vector<std::string> tables = chosen_tables(
      file, vm.count("tables") ? vm["tables"].as<std::vector<std::string>>() : std::vector<std::string>{});
  const fs::path dir = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                          : fs::path(file).replace_extension();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw InputError("command line: -o: cannot make the directory " + dir.string() + ": " +
                     (ec ? ec.message() : "a file of that name is in the way"));
  for (const std::string& table : tables) {
    const fs::path target = dir / (flat_name(table) + ".csv");
    std::ofstream out(target, std::ios::binary);
    if (!out) throw OutputError(target.string() + ": cannot write: " + output::system_cause());
    // RFC 4180: CRLF line ends, fields quoted where they hold a comma, quote or line break.
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_field(cells[i]);
      out << "\r\n";
    };
    output::read_table_text(file, table, line, line);
    out.close();
    if (!out) throw OutputError(target.string() + ": cannot write: " + output::system_cause());
  }
  std::cout << tables.size() << (tables.size() == 1 ? " table" : " tables") << " written to " << dir.string()
            << "\n";
  return kOk;
}

}  // namespace ccsim::cli
