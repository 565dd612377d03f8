// How much a results file will hold, known before anything runs: what `run` and `sweep` check against
// --max-output and `validate` reports. Each table's bytes are its rows times its row's stored size (the
// compound types of result_rows.hpp, names at the file's width), before compression.
#pragma once

#include <map>
#include <string>

#include "model/records.hpp"
#include "output/sweep_writer.hpp"
#include "scenario/scenario.hpp"

namespace ccsim::output {

// What a run asks of the file beyond the study itself.
struct OutputRequest {
  int replications = 10;  // per policy (with --until-ci: the most it may run)
  model::RecordKinds records;
  int records_replications = 1;  // of each policy (at most `replications`)
};

struct ResultsSize {
  // Bytes per table path ("/replications/contacts_by_interval"), rows x stored row size: exact for every
  // table but /records/..., whose rows are estimated (expected contact legs; agent state changes per leg,
  // shift, break and shrinkage block).
  std::map<std::string, double> tables;
  double attribute_bytes = 0.0;  // the scenario's text, path and name stored beside the tables
  [[nodiscard]] double total() const;
  ResultsSize& operator+=(const ResultsSize& more);
  [[nodiscard]] std::string largest() const;  // the path of the largest table
};

// The file `ccsim run` writes for the study.
ResultsSize results_size(const scenario::Study& study, const OutputRequest& request);

// A sweep's file, point by point: the header and /points from `start`, then `add_point` for each point's
// study (every point may differ in days, types, groups...). A sweep's names are stored 255 bytes wide.
ResultsSize sweep_header_size(const scenario::Study& first, const PointColumns& points);
void add_point_size(ResultsSize& size, const scenario::Study& point, const OutputRequest& request);

// A byte count as people read it: "512 B", "3.2 MiB", "2 GiB".
std::string format_bytes(double bytes);

}  // namespace ccsim::output
