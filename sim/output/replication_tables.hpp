// The per-replication tables of one (point, policy), /replications/...: a replication's rows are added at
// a time, during the run (ResultsWriter, as the runner hands each one on) or afterwards from the spool, in
// replication order; batches of about 256 KiB are written as they fill. Internal to sim/output.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "output/result_rows.hpp"

namespace ccsim::output::detail {

class ReplicationTables {
 public:
  // The row types are built here, with the name width in force (NameWidthScope): rows added later, from
  // any thread, are packed to it.
  ReplicationTables(hid_t file, Key key, const scenario::Scenario& s, const std::vector<std::string>& series);
  void add(int replication, const model::ReplicationResult& rep);
  void finish();  // writes what is left (and makes the tables that got no rows)

 private:
  Key key_;
  const scenario::Scenario& s_;
  std::vector<std::string> series_;
  std::vector<std::pair<std::string, std::string>> skills_;     // contact type and group of each skill edge
  std::vector<std::pair<std::string, std::string>> transfers_;  // from and to of each transfer edge
  Appender<ContactRow> contacts_by_interval_, contacts_by_day_, contacts_per_day_;
  Appender<AgentRow> agents_by_interval_, agents_by_day_, agents_per_day_;
  Appender<BreakRow> breaks_;
  Appender<ServedRow> served_by_interval_, served_by_day_;
  Appender<TransferCountRow> transfers_by_interval_, transfers_by_day_;
  Appender<CostRow> costs_by_interval_, costs_by_day_, costs_per_day_;
  std::optional<Appender<PredictionRawRow>> predictions_;
};

}  // namespace ccsim::output::detail
