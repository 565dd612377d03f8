// sim/cli: the ccsim command — one file per command (run, validate, compare, report, erlang, fit, ...), main.cpp
// dispatching and mapping errors to exit codes. It parses arguments, calls the model and the writers, and
// prints; it holds no simulation logic.
#pragma once

#include <string>
#include <vector>

namespace ccsim::cli {

// Each takes the arguments after the command's name and returns the exit code; bad input is thrown as
// InputError, before anything is run or written.
int cmd_run(const std::vector<std::string>& args, const std::string& command_line);    // run.cpp
int cmd_validate(const std::vector<std::string>& args);                                // validate.cpp
int cmd_compare(const std::vector<std::string>& args);                                 // compare.cpp
int cmd_report(const std::vector<std::string>& args);                                  // report.cpp
int cmd_erlang(const std::vector<std::string>& args);                                  // erlang.cpp
int cmd_roster(const std::vector<std::string>& args, const std::string& command_line);  // roster.cpp
int cmd_staff(const std::vector<std::string>& args, const std::string& command_line);  // staff.cpp
int cmd_export(const std::vector<std::string>& args);                                  // export.cpp
int cmd_sweep(const std::vector<std::string>& args, const std::string& command_line);  // sweep.cpp
int cmd_fit(const std::vector<std::string>& args);                                     // fit.cpp

}  // namespace ccsim::cli
