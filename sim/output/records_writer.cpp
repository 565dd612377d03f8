// The writer's part for `--records`: /records/contacts and /records/agents, read back from the run's record
// store a batch at a time (so memory does not grow with the contacts), with outcomes, channels and agent
// states as HDF5 enums.
#include <cstddef>
#include <cstring>

#include "output/hdf5_util.hpp"
#include "output/result_rows.hpp"

namespace ccsim::output::detail {
namespace {

// Rows with their padding bytes zeroed: HDF5 stores them, and the file must not depend on what was in memory.
ContactRecordRow contact_row(std::int32_t policy, std::int32_t point, int rep, const model::ContactRecord& c) {
  ContactRecordRow row;
  std::memset(static_cast<void*>(&row), 0, sizeof row);
  row.policy = policy, row.point = point, row.replication = rep;
  row.contact = c.contact, row.customer = c.customer, row.parent = c.parent;
  row.attempt = c.attempt, row.contact_type = c.contact_type, row.interval = c.interval;
  row.group = c.group, row.agent = c.agent, row.transfer_to = c.transfer_to;
  row.channel = c.channel, row.outcome = static_cast<std::uint8_t>(c.outcome);
  row.arrival_s = c.arrival_s, row.queued_s = c.queued_s, row.wait_s = c.wait_s;
  row.handle_s = c.handle_s, row.wrap_s = c.wrap_s;
  row.announced_s = c.announced_s, row.predicted_s = c.predicted_s;
  return row;
}

AgentRecordRow agent_row(std::int32_t policy, std::int32_t point, int rep, const model::AgentRecord& a) {
  AgentRecordRow row;
  std::memset(static_cast<void*>(&row), 0, sizeof row);
  row.policy = policy, row.point = point, row.replication = rep;
  row.time_s = a.time_s, row.agent = a.agent, row.group = a.group;
  row.from = static_cast<std::uint8_t>(a.from), row.to = static_cast<std::uint8_t>(a.to);
  return row;
}

}  // namespace

void write_records(hid_t file, Key key, const model::Results& r) {
  if (!r.records) return;
  if (r.records->kinds().contacts) {
    Appender<ContactRecordRow> table(file, "/records/contacts", contact_record_row_type());
    r.records->for_each_contacts([&](int rep, const std::vector<model::ContactRecord>& batch) {
      for (const model::ContactRecord& c : batch)
        table.push(contact_row(key.policy, key.point, rep, c));
    });
    table.finish();
  }
  if (r.records->kinds().agents) {
    Appender<AgentRecordRow> table(file, "/records/agents", agent_record_row_type());
    r.records->for_each_agents([&](int rep, const std::vector<model::AgentRecord>& batch) {
      for (const model::AgentRecord& a : batch)
        table.push(agent_row(key.policy, key.point, rep, a));
    });
    table.finish();
  }
}

}  // namespace ccsim::output::detail
