// ccsim report: a results file as a self-contained HTML page, written whole or not at all.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/comparison_table.hpp"
#include "cli/gap_chart.hpp"
#include "cli/html_report.hpp"
#include "cli/report_sweep.hpp"
#include "cli/report_text.hpp"
#include "common/error.hpp"
#include "output/hdf5_reader.hpp"
#include "output/target_file.hpp"

namespace ccsim::cli {

int cmd_report(const std::vector<std::string>& args) {
  po::options_description opts("ccsim report RESULTS.h5|STAFFING.h5 [-o REPORT.html] [--window W ...]");
  opts.add_options()("help,h", "this help")("output,o", po::value<std::string>(),
                                            "the HTML page (default: RESULTS with .html; - for standard output)")(
      "window", po::value<std::vector<std::string>>()->composing(),
      "\"[DAY ]HH:MM-[DAY ]HH:MM\": add that time window's totals (as compare --window; repeatable)");
  auto parsed = parse_with_file(args, opts, "report", "results");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string in = vm["results"].as<std::string>();
  const std::string out = vm.count("output") ? vm["output"].as<std::string>()
                                             : std::filesystem::path(in).replace_extension(".html").string();
  const bool to_stdout = out == "-";  // a page is plain text: it may go down a pipe
  if (!to_stdout) output::check_target(out);
  // A staffing file (staff or roster -o) makes a page of its gap charts; a results file its usual report,
  // with the gap charts after it when it holds the staffing table.
  const auto staffing = output::read_staffing(in);
  std::string html;
  if (staffing.format == "ccsim-staffing") {
    if (vm.count("window"))
      throw InputError("command line: --window: " + in + " is a staffing file; windows total a results file's intervals");
    html = render_staffing_report(staffing);
  } else {
    const auto data = output::read_report(in);
    const auto days = output::read_comparison(in, report_measures(), false);
    const auto by_interval = output::read_comparison(in, report_measures(), true);
    std::vector<model::Window> windows = model::day_windows(by_interval.intervals);
    const std::size_t whole_days = windows.size();
    std::string errors;  // every window's mistake at once
    if (vm.count("window"))
      for (const auto& w : vm["window"].as<std::vector<std::string>>()) try {
          windows.push_back(model::parse_window(w, by_interval.intervals, "command line: --window " + w));
        } catch (const InputError& e) {
          errors += (errors.empty() ? "" : "\n") + std::string(e.what());
        }
    if (!errors.empty()) throw InputError(errors);
    html = render_report(data, days, comparison_over_windows(by_interval, report_measures(), windows), whole_days);
    if (staffing.present) html.insert(html.rfind("</body>"), gap_section(staffing));
    if (days.points > 1) html.insert(html.rfind("</body>"), sweep_section(in, days));
  }
  if (to_stdout) {
    std::cout << html << std::flush;
    if (!std::cout) throw OutputError("standard output: cannot write the report");
    return kOk;
  }
  output::write_file_atomically(out, html, "report");
  std::cout << "report: " << out << "\n";
  return kOk;
}

}  // namespace ccsim::cli
