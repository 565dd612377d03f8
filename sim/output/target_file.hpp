// Where a results file or report goes: the checks made before a run, and the temporary name it is written
// under until it is whole. No HDF5 here: the HTML report uses it too.
#pragma once

#include <string>

namespace ccsim::output {

// Throws InputError (before anything runs) when `path` cannot be a target: empty, "-" (standard output:
// HDF5 needs a file), a directory, or in a directory that cannot be created or written. Creates the directory when missing, and removes stale
// temporary files beside the target left by processes of this host that are gone.
void check_target(const std::string& path);

// "<path>.tmp-<host>-<pid>-<start>": unique to this process on this host, so that a later run can tell
// a leftover of a dead process from the file of a live one.
std::string temp_name(const std::string& path);

// The system's words for the last failure ("No space left on device"), for messages.
std::string system_cause();

// Writes `bytes` to `path` whole: under temp_name(path), flushed, then renamed. On any failure the
// temporary file is removed, an existing `path` is left as it was, and OutputError says the cause.
void write_file_atomically(const std::string& path, const std::string& bytes, const char* what);

}  // namespace ccsim::output
