// The writer's part for `--records`: /records/contacts and /records/agents, read back from the run's record
// store a batch at a time (so memory does not grow with the contacts), with outcomes, channels and agent
// states as HDF5 enums.
#include <cstddef>
#include <cstring>

#include "output/hdf5_util.hpp"

namespace ccsim::output::detail {
namespace {

struct ContactRecordRow {
  std::int32_t policy, point, replication;
  std::int64_t contact, customer, parent;
  std::int32_t attempt, contact_type, interval, group, agent, transfer_to;
  std::uint8_t channel, outcome;
  double arrival_s, queued_s, wait_s, handle_s, wrap_s, announced_s, predicted_s;
};

struct AgentRecordRow {
  std::int32_t policy, point, replication;
  double time_s;
  std::int32_t agent, group;
  std::uint8_t from, to;
};

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

template <class Name>
Handle enum_type(int count, Name name) {
  Handle t(check_id(H5Tenum_create(H5T_NATIVE_UINT8), "enum type"), H5Tclose);
  for (int i = 0; i < count; ++i) {
    const auto value = static_cast<std::uint8_t>(i);
    check(H5Tenum_insert(t, name(i), &value), "enum value");
  }
  return t;
}

Compound contact_record_type() {
  const Handle outcome =
      enum_type(model::kOutcomes, [](int i) { return model::outcome_name(static_cast<model::Outcome>(i)); });
  const Handle channel = enum_type(
      4, [](int i) { return model::channel_name(static_cast<scenario::Channel>(i)); });
  Compound t(sizeof(ContactRecordRow));
#define CCSIM_FIELD(f, type) t.add(#f, offsetof(ContactRecordRow, f), type)
  CCSIM_FIELD(policy, H5T_NATIVE_INT32);
  CCSIM_FIELD(point, H5T_NATIVE_INT32);
  CCSIM_FIELD(replication, H5T_NATIVE_INT32);
  CCSIM_FIELD(contact, H5T_NATIVE_INT64);
  CCSIM_FIELD(customer, H5T_NATIVE_INT64);
  CCSIM_FIELD(attempt, H5T_NATIVE_INT32);
  CCSIM_FIELD(contact_type, H5T_NATIVE_INT32);
  CCSIM_FIELD(channel, channel);
  CCSIM_FIELD(interval, H5T_NATIVE_INT32);
  CCSIM_FIELD(arrival_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(queued_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(outcome, outcome);
  CCSIM_FIELD(group, H5T_NATIVE_INT32);
  CCSIM_FIELD(agent, H5T_NATIVE_INT32);
  CCSIM_FIELD(handle_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wrap_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(transfer_to, H5T_NATIVE_INT32);
  CCSIM_FIELD(parent, H5T_NATIVE_INT64);
  CCSIM_FIELD(announced_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(predicted_s, H5T_NATIVE_DOUBLE);
#undef CCSIM_FIELD
  return t;
}

Compound agent_record_type() {
  const Handle state = enum_type(
      model::kAgentStates, [](int i) { return model::agent_state_name(static_cast<model::AgentState>(i)); });
  Compound t(sizeof(AgentRecordRow));
  t.add("policy", offsetof(AgentRecordRow, policy), H5T_NATIVE_INT32)
      .add("point", offsetof(AgentRecordRow, point), H5T_NATIVE_INT32)
      .add("replication", offsetof(AgentRecordRow, replication), H5T_NATIVE_INT32)
      .add("time_s", offsetof(AgentRecordRow, time_s), H5T_NATIVE_DOUBLE)
      .add("agent", offsetof(AgentRecordRow, agent), H5T_NATIVE_INT32)
      .add("group", offsetof(AgentRecordRow, group), H5T_NATIVE_INT32)
      .add("from", offsetof(AgentRecordRow, from), state)
      .add("to", offsetof(AgentRecordRow, to), state);
  return t;
}

}  // namespace

void write_records(hid_t file, Key key, const model::Results& r) {
  if (!r.records) return;
  if (r.records->kinds().contacts) {
    Appender<ContactRecordRow> table(file, "/records/contacts", contact_record_type());
    r.records->for_each_contacts([&](int rep, const std::vector<model::ContactRecord>& batch) {
      for (const model::ContactRecord& c : batch)
        table.push(contact_row(key.policy, key.point, rep, c));
    });
    table.finish();
  }
  if (r.records->kinds().agents) {
    Appender<AgentRecordRow> table(file, "/records/agents", agent_record_type());
    r.records->for_each_agents([&](int rep, const std::vector<model::AgentRecord>& batch) {
      for (const model::AgentRecord& a : batch)
        table.push(agent_row(key.policy, key.point, rep, a));
    });
    table.finish();
  }
}

}  // namespace ccsim::output::detail
