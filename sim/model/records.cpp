#include "model/records.hpp"

#include <type_traits>

#include "common/error.hpp"

namespace ccsim::model {

const char* outcome_name(Outcome o) {
  static constexpr const char* names[kOutcomes] = {
      "answered",           "abandoned",           "balked",  "blocked",
      "unserved",           "transferred",         "no_show", "callback_accepted",
      "callback_completed", "callback_not_reached", "callback_unserved"};
  return names[static_cast<int>(o)];
}

const char* agent_state_name(AgentState s) {
  static constexpr const char* names[kAgentStates] = {"off",      "idle",      "busy",       "wrap",
                                                      "on_break", "shrinkage", "interrupted"};
  return names[static_cast<int>(s)];
}

const char* channel_name(scenario::Channel c) {
  switch (c) {
    case scenario::Channel::voice:
      return "voice";
    case scenario::Channel::counter:
      return "counter";
    case scenario::Channel::email:
      return "email";
    case scenario::Channel::chat:
      return "chat";
  }
  return "voice";
}

namespace {

std::FILE* temporary() {
  std::FILE* f = std::tmpfile();
  if (!f) throw OutputError("cannot create a temporary file for the records (is TMPDIR writable?)");
  return f;
}

}  // namespace

RecordStore::RecordStore(RecordKinds kinds) : kinds_(kinds) {
  static_assert(std::is_trivially_copyable_v<ContactRecord> && std::is_trivially_copyable_v<AgentRecord>);
  if (kinds.contacts) contacts_.file = temporary();
  if (kinds.agents) agents_.file = temporary();
}

RecordStore::~RecordStore() {
  if (contacts_.file) std::fclose(contacts_.file);
  if (agents_.file) std::fclose(agents_.file);
}

template <class T>
void RecordStore::Stream<T>::flush() {
  if (buffer.empty()) return;
  if (!file) {  // this kind was not asked for
    buffer.clear();
    return;
  }
  if (std::fwrite(buffer.data(), sizeof(T), buffer.size(), file) != buffer.size())
    throw OutputError("cannot write records to a temporary file (is the disk full?)");
  written += buffer.size();
  buffer.clear();
}

template <class T>
void RecordStore::Stream<T>::append(Stream& from) {
  from.flush();
  flush();
  if (!file || !from.file) return;
  if (std::fflush(from.file) != 0 || std::fseek(from.file, 0, SEEK_SET) != 0)
    throw OutputError("cannot read records back from a temporary file");
  std::vector<T> chunk(kBatch);
  for (std::uint64_t left = from.written; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kBatch));
    if (std::fread(chunk.data(), sizeof(T), n, from.file) != n)
      throw OutputError("cannot read records back from a temporary file");
    if (std::fwrite(chunk.data(), sizeof(T), n, file) != n)
      throw OutputError("cannot write records to a temporary file (is the disk full?)");
    written += n;
    left -= n;
  }
}

template <class T>
void RecordStore::Stream<T>::for_each(const std::vector<std::pair<int, std::uint64_t>>& parts,
                                      const std::function<void(int, const std::vector<T>&)>& f) {
  flush();
  if (!file) return;
  if (std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0)
    throw OutputError("cannot read records back from a temporary file");
  std::vector<T> chunk;
  for (const auto& [index, count] : parts)
    for (std::uint64_t left = count; left > 0;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kBatch));
      chunk.resize(n);
      if (std::fread(chunk.data(), sizeof(T), n, file) != n)
        throw OutputError("cannot read records back from a temporary file");
      f(index, chunk);
      left -= n;
    }
  std::fseek(file, 0, SEEK_END);
}

void RecordStore::finish() {
  contacts_.flush();
  agents_.flush();
  contacts_.buffer.shrink_to_fit();
  agents_.buffer.shrink_to_fit();
}

void RecordStore::append(RecordStore& one, int index) {
  const std::uint64_t contacts = contacts_.written, agents = agents_.written;
  contacts_.append(one.contacts_);
  agents_.append(one.agents_);
  contact_parts_.emplace_back(index, contacts_.written - contacts);
  agent_parts_.emplace_back(index, agents_.written - agents);
}

void RecordStore::for_each_contacts(const std::function<void(int, const std::vector<ContactRecord>&)>& f) {
  contacts_.for_each(contact_parts_, f);
}

void RecordStore::for_each_agents(const std::function<void(int, const std::vector<AgentRecord>&)>& f) {
  agents_.for_each(agent_parts_, f);
}

}  // namespace ccsim::model
