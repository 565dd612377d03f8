// Any table of a results (or staffing) file as text, for `ccsim export`: column names, then rows of cells
// with indices decoded to names and enums to their names. Reading only; the CLI writes the CSV.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ccsim::output {

// Every table (compound dataset) of the file by path ("/replications/contacts_by_interval"), in name
// order. Throws InputError when the file is not a ccsim file of a version this ccsim reads.
std::vector<std::string> table_paths(const std::string& file);

// Reads `table` a batch of rows at a time: `header` once with the column names, then `row` per row.
// Integer `policy`, `contact_type`, `transfer_to` and `group` columns hold the names of /policies,
// /contact_types and /agent_groups (empty for -1, "none"); enums give their names; numbers are written in
// the shortest form that reads back to the same value, NaN as an empty cell. Throws InputError for a
// table the file does not have (naming those it has).
void read_table_text(const std::string& file, const std::string& table,
                     const std::function<void(const std::vector<std::string>&)>& header,
                     const std::function<void(const std::vector<std::string>&)>& row);

}  // namespace ccsim::output
