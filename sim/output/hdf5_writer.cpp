#include "output/hdf5_writer.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/error.hpp"

namespace ccsim::output {
namespace {

constexpr std::size_t kName = 32;

template <std::size_t N>
void copy_name(char (&dst)[N], const std::string& src) {
  std::memset(dst, 0, N);
  std::memcpy(dst, src.data(), std::min(src.size(), N - 1));
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: " + what + " failed");
}
hid_t check_id(hid_t id, const std::string& what) {
  if (id < 0) throw OutputError("HDF5: " + what + " failed");
  return id;
}

// Owns an hid_t and closes it with the matching function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  operator hid_t() const { return id_; }  // NOLINT: used where HDF5 wants an id

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

Handle string_type(std::size_t size) {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(t, size), "string size");
  check(H5Tset_strpad(t, H5T_STR_NULLTERM), "string padding");
  return t;
}

// A compound type assembled field by field from a row struct.
class Compound {
 public:
  explicit Compound(std::size_t size)
      : type_(check_id(H5Tcreate(H5T_COMPOUND, size), "compound type"), H5Tclose) {}
  Compound& add(const char* name, std::size_t offset, hid_t t) {
    check(H5Tinsert(type_, name, offset, t), std::string("field ") + name);
    return *this;
  }
  Compound& text(const char* name, std::size_t offset, std::size_t size) {
    Handle s = string_type(size);
    return add(name, offset, s);
  }
  operator hid_t() const { return type_; }  // NOLINT

 private:
  Handle type_;
};

// Appends rows to a table, creating it on first use: chunked and compressed, with no fixed length, so
// each policy adds its own rows.
template <class Row>
void write_table(hid_t file, const char* path, const Compound& type, const std::vector<Row>& rows) {
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) {
    hsize_t zero[1] = {0}, unlimited[1] = {H5S_UNLIMITED},
            chunk[1] = {std::max<hsize_t>(1, std::min<hsize_t>(4096, 65536 / sizeof(Row)))};
    Handle space(check_id(H5Screate_simple(1, zero, unlimited), "dataspace"), H5Sclose);
    Handle lcpl(check_id(H5Pcreate(H5P_LINK_CREATE), "link property"), H5Pclose);
    check(H5Pset_create_intermediate_group(lcpl, 1), "intermediate groups");
    Handle dcpl(check_id(H5Pcreate(H5P_DATASET_CREATE), "dataset property"), H5Pclose);
    check(H5Pset_chunk(dcpl, 1, chunk), "chunking");
    check(H5Pset_deflate(dcpl, 4), "compression");
    Handle created(
        check_id(H5Dcreate2(file, path, type, space, lcpl, dcpl, H5P_DEFAULT), std::string("create ") + path),
        H5Dclose);
  }
  if (rows.empty()) return;
  Handle set(check_id(H5Dopen2(file, path, H5P_DEFAULT), std::string("open ") + path), H5Dclose);
  hsize_t old_size[1] = {0};
  {
    Handle space(check_id(H5Dget_space(set), "dataspace"), H5Sclose);
    H5Sget_simple_extent_dims(space, old_size, nullptr);
  }
  hsize_t new_size[1] = {old_size[0] + rows.size()}, count[1] = {rows.size()};
  check(H5Dset_extent(set, new_size), std::string("extend ") + path);
  Handle file_space(check_id(H5Dget_space(set), "dataspace"), H5Sclose);
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, old_size, nullptr, count, nullptr), "selection");
  Handle memory(check_id(H5Screate_simple(1, count, nullptr), "dataspace"), H5Sclose);
  check(H5Dwrite(set, type, memory, file_space, H5P_DEFAULT, rows.data()), std::string("write ") + path);
}

// Text attributes are variable-length UTF-8, which h5py reads as str (fixed-length ones come back as bytes).
void attribute(hid_t obj, const char* name, const std::string& value) {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(t, H5T_VARIABLE), "string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string charset");
  Handle space(check_id(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
  Handle a(
      check_id(H5Acreate2(obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT), std::string("attribute ") + name),
      H5Aclose);
  const char* text = value.c_str();
  check(H5Awrite(a, t, &text), std::string("attribute ") + name);
}

template <class T>
void attribute(hid_t obj, const char* name, hid_t type, T value) {
  Handle space(check_id(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
  Handle a(check_id(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                    std::string("attribute ") + name),
           H5Aclose);
  check(H5Awrite(a, type, &value), std::string("attribute ") + name);
}

struct ContactRow {
  std::int32_t policy, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau;
  std::uint64_t balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered, due_met,
      backlog;
  double wait_answered_s, wait_abandoned_s, handle_s;
  double service_level, asa, mean_wait, abandon_rate, aht, wait_p50, wait_p80, wait_p90, wait_p95;
};

// `index_field`: "interval", "day", or nullptr for whole-run rows.
Compound contact_row_type(const char* index_field) {
  Compound t(sizeof(ContactRow));
  t.add("policy", offsetof(ContactRow, policy), H5T_NATIVE_INT32)
      .add("replication", offsetof(ContactRow, replication), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(ContactRow, interval), H5T_NATIVE_INT32);
  t.text("contact_type", offsetof(ContactRow, contact_type), kName);
#define CCSIM_FIELD(f, type) t.add(#f, offsetof(ContactRow, f), type)
  CCSIM_FIELD(offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(answered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(abandoned, H5T_NATIVE_UINT64);
  CCSIM_FIELD(unserved, H5T_NATIVE_UINT64);
  CCSIM_FIELD(short_abandoned, H5T_NATIVE_UINT64);
  CCSIM_FIELD(answered_within_tau, H5T_NATIVE_UINT64);
  CCSIM_FIELD(abandoned_within_tau, H5T_NATIVE_UINT64);
  CCSIM_FIELD(balked, H5T_NATIVE_UINT64);
  CCSIM_FIELD(appointments, H5T_NATIVE_UINT64);
  CCSIM_FIELD(no_shows, H5T_NATIVE_UINT64);
  CCSIM_FIELD(booked_answered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(served_on_time, H5T_NATIVE_UINT64);
  CCSIM_FIELD(deferred_offered, H5T_NATIVE_UINT64);
  CCSIM_FIELD(due_met, H5T_NATIVE_UINT64);
  CCSIM_FIELD(backlog, H5T_NATIVE_UINT64);
  CCSIM_FIELD(wait_answered_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_abandoned_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(handle_s, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(service_level, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(asa, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(mean_wait, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(abandon_rate, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(aht, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p50, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p80, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p90, H5T_NATIVE_DOUBLE);
  CCSIM_FIELD(wait_p95, H5T_NATIVE_DOUBLE);
#undef CCSIM_FIELD
  return t;
}

ContactRow contact_row(std::int32_t policy, int rep, int interval, const std::string& series,
                       const model::ContactCell& cell, scenario::ServiceLevelDefinition sl) {
  ContactRow row{};
  row.policy = policy;
  row.replication = rep;
  row.interval = interval;
  copy_name(row.contact_type, series);
  const auto& c = cell.counts;
  row.offered = c.offered;
  row.answered = c.answered;
  row.abandoned = c.abandoned;
  row.unserved = c.unserved;
  row.short_abandoned = c.short_abandoned;
  row.answered_within_tau = c.answered_within_tau;
  row.abandoned_within_tau = c.abandoned_within_tau;
  row.balked = c.balked;
  row.appointments = c.appointments;
  row.no_shows = c.no_shows;
  row.booked_answered = c.booked_answered;
  row.served_on_time = c.served_on_time;
  row.deferred_offered = c.deferred_offered;
  row.due_met = c.due_met;
  row.backlog = c.backlog;
  row.wait_answered_s = c.wait_answered_s;
  row.wait_abandoned_s = c.wait_abandoned_s;
  row.handle_s = c.handle_s;
  using model::Measure;
  row.service_level = model::value(cell, Measure::service_level, sl);
  row.asa = model::value(cell, Measure::asa, sl);
  row.mean_wait = model::value(cell, Measure::mean_wait, sl);
  row.abandon_rate = model::value(cell, Measure::abandon_rate, sl);
  row.aht = model::value(cell, Measure::aht, sl);
  row.wait_p50 = cell.wait.p50;
  row.wait_p80 = cell.wait.p80;
  row.wait_p90 = cell.wait.p90;
  row.wait_p95 = cell.wait.p95;
  return row;
}

struct AgentRow {
  std::int32_t policy, replication, interval;
  char group[kName];
  double scheduled_s, staffed_s, available_s, busy_s, wrap_s, break_s, shrinkage_s, interrupted_s, occupancy;
};

Compound agent_row_type(const char* index_field) {
  Compound t(sizeof(AgentRow));
  t.add("policy", offsetof(AgentRow, policy), H5T_NATIVE_INT32)
      .add("replication", offsetof(AgentRow, replication), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(AgentRow, interval), H5T_NATIVE_INT32);
  t.text("group", offsetof(AgentRow, group), kName);
  for (auto [name, offset] : {std::pair{"scheduled_s", offsetof(AgentRow, scheduled_s)},
                              {"staffed_s", offsetof(AgentRow, staffed_s)},
                              {"available_s", offsetof(AgentRow, available_s)},
                              {"busy_s", offsetof(AgentRow, busy_s)},
                              {"wrap_s", offsetof(AgentRow, wrap_s)},
                              {"break_s", offsetof(AgentRow, break_s)},
                              {"shrinkage_s", offsetof(AgentRow, shrinkage_s)},
                              {"interrupted_s", offsetof(AgentRow, interrupted_s)},
                              {"occupancy", offsetof(AgentRow, occupancy)}})
    t.add(name, offset, H5T_NATIVE_DOUBLE);
  return t;
}

struct SummaryRow {
  std::int32_t policy, interval;
  char subject[kName];  // contact type ("all" for the pooled series) or agent group
  char measure[kName];
  double mean, half_width, ci_low, ci_high;
  std::int32_t n;
  double erlang_a;
};

Compound summary_row_type(const char* index_field, const char* subject) {
  Compound t(sizeof(SummaryRow));
  t.add("policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32);
  if (index_field) t.add(index_field, offsetof(SummaryRow, interval), H5T_NATIVE_INT32);
  t.text(subject, offsetof(SummaryRow, subject), kName)
      .text("measure", offsetof(SummaryRow, measure), kName)
      .add("mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE)
      .add("half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE)
      .add("ci_low", offsetof(SummaryRow, ci_low), H5T_NATIVE_DOUBLE)
      .add("ci_high", offsetof(SummaryRow, ci_high), H5T_NATIVE_DOUBLE)
      .add("n", offsetof(SummaryRow, n), H5T_NATIVE_INT32)
      .add("erlang_a", offsetof(SummaryRow, erlang_a), H5T_NATIVE_DOUBLE);
  return t;
}

SummaryRow summary_row(std::int32_t policy, int interval, const std::string& subject, const char* measure,
                       const analysis::Estimate& e, double erlang_a) {
  SummaryRow row{};
  row.policy = policy;
  row.interval = interval;
  copy_name(row.subject, subject);
  copy_name(row.measure, measure);
  row.mean = e.mean;
  row.half_width = e.half_width;
  row.ci_low = e.low();
  row.ci_high = e.high();
  row.n = static_cast<std::int32_t>(e.n);
  row.erlang_a = erlang_a;
  return row;
}

struct IntervalRow {
  std::int32_t index, day;
  char label[24];
  double start_s, length_s;
  std::uint8_t warmup;
};

struct NameRow {
  std::int32_t index;
  char name[kName];
};

// The routing graph's edges, and per edge who served whom and how many were transferred.
struct SkillRow {
  std::int32_t policy, index;
  char contact_type[kName], group[kName];
  std::int32_t priority;
  double overflow_after_s, weight;
};

struct TransferEdgeRow {
  std::int32_t policy, index;
  char from[kName], to[kName];
  double probability;
};

struct ServedRow {
  std::int32_t policy, replication, interval, skill;
  char contact_type[kName], group[kName];
  std::uint64_t answered;
  double handle_s;
};

struct ServedSummaryRow {
  std::int32_t policy, interval, skill;
  char contact_type[kName], group[kName], measure[kName];
  double mean, half_width, ci_low, ci_high;
  std::int32_t n;
};

struct TransferCountRow {
  std::int32_t policy, replication, interval, transfer;
  char from[kName], to[kName];
  std::uint64_t transferred;
};

void write_routing(hid_t file, std::int32_t policy, const scenario::Scenario& s, const model::Results& r) {
  struct Edge {
    std::string type, group;
  };
  std::vector<Edge> edges;
  std::vector<SkillRow> skills;
  for (const auto& g : s.agent_groups)
    for (const auto& k : g.skills) {
      SkillRow row{policy,  static_cast<std::int32_t>(skills.size()), {}, {}, k.priority, k.overflow_s,
                   k.weight};
      edges.push_back({s.contact_types[static_cast<std::size_t>(k.type)].name, g.name});
      copy_name(row.contact_type, edges.back().type);
      copy_name(row.group, g.name);
      skills.push_back(row);
    }
  std::vector<TransferEdgeRow> transfer_edges;
  for (const auto& t : s.contact_types)
    for (const auto& x : t.transfers) {
      TransferEdgeRow row{policy, static_cast<std::int32_t>(transfer_edges.size()), {}, {}, x.probability};
      copy_name(row.from, t.name);
      copy_name(row.to, s.contact_types[static_cast<std::size_t>(x.to)].name);
      transfer_edges.push_back(row);
    }
  {
    Compound t(sizeof(SkillRow));
    t.add("policy", offsetof(SkillRow, policy), H5T_NATIVE_INT32)
        .add("index", offsetof(SkillRow, index), H5T_NATIVE_INT32)
        .text("contact_type", offsetof(SkillRow, contact_type), kName)
        .text("group", offsetof(SkillRow, group), kName)
        .add("priority", offsetof(SkillRow, priority), H5T_NATIVE_INT32)
        .add("overflow_after_s", offsetof(SkillRow, overflow_after_s), H5T_NATIVE_DOUBLE)
        .add("weight", offsetof(SkillRow, weight), H5T_NATIVE_DOUBLE);
    write_table(file, "/skills", t, skills);
  }
  {
    Compound t(sizeof(TransferEdgeRow));
    t.add("policy", offsetof(TransferEdgeRow, policy), H5T_NATIVE_INT32)
        .add("index", offsetof(TransferEdgeRow, index), H5T_NATIVE_INT32)
        .text("from", offsetof(TransferEdgeRow, from), kName)
        .text("to", offsetof(TransferEdgeRow, to), kName)
        .add("probability", offsetof(TransferEdgeRow, probability), H5T_NATIVE_DOUBLE);
    write_table(file, "/transfers", t, transfer_edges);
  }
  auto served_type = [](bool with_interval) {
    Compound t(sizeof(ServedRow));
    t.add("policy", offsetof(ServedRow, policy), H5T_NATIVE_INT32)
        .add("replication", offsetof(ServedRow, replication), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(ServedRow, interval), H5T_NATIVE_INT32);
    t.add("skill", offsetof(ServedRow, skill), H5T_NATIVE_INT32)
        .text("contact_type", offsetof(ServedRow, contact_type), kName)
        .text("group", offsetof(ServedRow, group), kName)
        .add("answered", offsetof(ServedRow, answered), H5T_NATIVE_UINT64)
        .add("handle_s", offsetof(ServedRow, handle_s), H5T_NATIVE_DOUBLE);
    return t;
  };
  auto transfer_type = [](bool with_interval) {
    Compound t(sizeof(TransferCountRow));
    t.add("policy", offsetof(TransferCountRow, policy), H5T_NATIVE_INT32)
        .add("replication", offsetof(TransferCountRow, replication), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(TransferCountRow, interval), H5T_NATIVE_INT32);
    t.add("transfer", offsetof(TransferCountRow, transfer), H5T_NATIVE_INT32)
        .text("from", offsetof(TransferCountRow, from), kName)
        .text("to", offsetof(TransferCountRow, to), kName)
        .add("transferred", offsetof(TransferCountRow, transferred), H5T_NATIVE_UINT64);
    return t;
  };
  const std::size_t ne = edges.size(), nt = transfer_edges.size();
  std::vector<ServedRow> served_interval, served_day;
  std::vector<TransferCountRow> transfers_interval, transfers_day;
  auto served_row = [&](int rep, int interval, std::size_t e, const model::ServedCount& c) {
    ServedRow row{policy, rep, interval, static_cast<std::int32_t>(e), {}, {}, c.answered, c.handle_s};
    copy_name(row.contact_type, edges[e].type);
    copy_name(row.group, edges[e].group);
    return row;
  };
  auto transfer_row = [&](int rep, int interval, std::size_t e, std::uint64_t n) {
    TransferCountRow row{policy, rep, interval, static_cast<std::int32_t>(e), {}, {}, n};
    std::memcpy(row.from, transfer_edges[e].from, kName);
    std::memcpy(row.to, transfer_edges[e].to, kName);
    return row;
  };
  for (std::size_t i = 0; i < r.by_replication.size(); ++i) {
    const auto& rep = r.by_replication[i];
    const auto ri = static_cast<int>(i);
    for (int k = 0; k < s.run_intervals(); ++k) {
      const auto ku = static_cast<std::size_t>(k);
      for (std::size_t e = 0; e < ne; ++e)
        served_interval.push_back(served_row(ri, k, e, rep.served_by_interval[ku * ne + e]));
      for (std::size_t e = 0; e < nt; ++e)
        transfers_interval.push_back(transfer_row(ri, k, e, rep.transfers_by_interval[ku * nt + e]));
    }
    for (std::size_t e = 0; e < ne; ++e) served_day.push_back(served_row(ri, -1, e, rep.served_by_day[e]));
    for (std::size_t e = 0; e < nt; ++e)
      transfers_day.push_back(transfer_row(ri, -1, e, rep.transfers_by_day[e]));
  }
  write_table(file, "/replications/served_by_interval", served_type(true), served_interval);
  write_table(file, "/replications/served_by_day", served_type(false), served_day);
  write_table(file, "/replications/transfers_by_interval", transfer_type(true), transfers_interval);
  write_table(file, "/replications/transfers_by_day", transfer_type(false), transfers_day);

  auto summary_type = [](bool with_interval) {
    Compound t(sizeof(ServedSummaryRow));
    t.add("policy", offsetof(ServedSummaryRow, policy), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(ServedSummaryRow, interval), H5T_NATIVE_INT32);
    t.add("skill", offsetof(ServedSummaryRow, skill), H5T_NATIVE_INT32)
        .text("contact_type", offsetof(ServedSummaryRow, contact_type), kName)
        .text("group", offsetof(ServedSummaryRow, group), kName)
        .text("measure", offsetof(ServedSummaryRow, measure), kName)
        .add("mean", offsetof(ServedSummaryRow, mean), H5T_NATIVE_DOUBLE)
        .add("half_width", offsetof(ServedSummaryRow, half_width), H5T_NATIVE_DOUBLE)
        .add("ci_low", offsetof(ServedSummaryRow, ci_low), H5T_NATIVE_DOUBLE)
        .add("ci_high", offsetof(ServedSummaryRow, ci_high), H5T_NATIVE_DOUBLE)
        .add("n", offsetof(ServedSummaryRow, n), H5T_NATIVE_INT32);
    return t;
  };
  auto summary = [&](const model::ServedRow& row, const char* measure, const analysis::Estimate& e) {
    ServedSummaryRow out{policy,
                         row.interval,
                         row.edge,
                         {},
                         {},
                         {},
                         e.mean,
                         e.half_width,
                         e.low(),
                         e.high(),
                         static_cast<std::int32_t>(e.n)};
    copy_name(out.contact_type, edges[static_cast<std::size_t>(row.edge)].type);
    copy_name(out.group, edges[static_cast<std::size_t>(row.edge)].group);
    copy_name(out.measure, measure);
    return out;
  };
  std::vector<ServedSummaryRow> sum_interval, sum_day;
  for (const auto& row : r.served_by_interval) {
    sum_interval.push_back(summary(row, "answered", row.answered));
    sum_interval.push_back(summary(row, "aht", row.aht));
  }
  for (const auto& row : r.served_by_day) {
    sum_day.push_back(summary(row, "answered", row.answered));
    sum_day.push_back(summary(row, "aht", row.aht));
  }
  write_table(file, "/summary/served_by_interval", summary_type(true), sum_interval);
  write_table(file, "/summary/served_by_day", summary_type(false), sum_day);
}

struct PredictionSummaryRow {
  std::int32_t policy, interval;
  char contact_type[kName], predictor[kName];
  double bias_s, bias_half_width, rmse_s, rmse_half_width, relative_error, relative_error_half_width,
      share_longer, share_longer_half_width;
};

struct PredictionRawRow {
  std::int32_t policy, replication, interval;
  char contact_type[kName], predictor[kName];
  std::uint64_t n, n_relative, waited_longer;
  double sum_error, sum_squared_error, sum_relative_error;
};

void write_predictions(hid_t file, std::int32_t policy, const scenario::Scenario& s,
                       const model::Results& r) {
  if (!s.announcement.measure) return;
  auto summary_type = [](bool with_interval) {
    Compound t(sizeof(PredictionSummaryRow));
    t.add("policy", offsetof(PredictionSummaryRow, policy), H5T_NATIVE_INT32);
    if (with_interval) t.add("interval", offsetof(PredictionSummaryRow, interval), H5T_NATIVE_INT32);
    t.text("contact_type", offsetof(PredictionSummaryRow, contact_type), kName)
        .text("predictor", offsetof(PredictionSummaryRow, predictor), kName);
    for (auto [name, offset] :
         {std::pair{"bias_s", offsetof(PredictionSummaryRow, bias_s)},
          {"bias_half_width", offsetof(PredictionSummaryRow, bias_half_width)},
          {"rmse_s", offsetof(PredictionSummaryRow, rmse_s)},
          {"rmse_half_width", offsetof(PredictionSummaryRow, rmse_half_width)},
          {"relative_error", offsetof(PredictionSummaryRow, relative_error)},
          {"relative_error_half_width", offsetof(PredictionSummaryRow, relative_error_half_width)},
          {"share_longer", offsetof(PredictionSummaryRow, share_longer)},
          {"share_longer_half_width", offsetof(PredictionSummaryRow, share_longer_half_width)}})
      t.add(name, offset, H5T_NATIVE_DOUBLE);
    return t;
  };
  auto summary_rows = [&](const std::vector<model::PredictionRow>& rows) {
    std::vector<PredictionSummaryRow> out;
    for (const auto& row : rows) {
      PredictionSummaryRow o{policy,
                             row.interval,
                             {},
                             {},
                             row.bias_s.mean,
                             row.bias_s.half_width,
                             row.rmse_s.mean,
                             row.rmse_s.half_width,
                             row.relative_error.mean,
                             row.relative_error.half_width,
                             row.share_longer.mean,
                             row.share_longer.half_width};
      copy_name(o.contact_type, r.series_names[static_cast<std::size_t>(row.series)]);
      copy_name(o.predictor, scenario::to_string(static_cast<scenario::Predictor>(row.predictor)));
      out.push_back(o);
    }
    return out;
  };
  write_table(file, "/summary/predictions_by_day", summary_type(false), summary_rows(r.predictions_by_day));
  write_table(file, "/summary/predictions_by_interval", summary_type(true),
              summary_rows(r.predictions_by_interval));
  Compound raw(sizeof(PredictionRawRow));
  raw.add("policy", offsetof(PredictionRawRow, policy), H5T_NATIVE_INT32)
      .add("replication", offsetof(PredictionRawRow, replication), H5T_NATIVE_INT32)
      .add("interval", offsetof(PredictionRawRow, interval), H5T_NATIVE_INT32)
      .text("contact_type", offsetof(PredictionRawRow, contact_type), kName)
      .text("predictor", offsetof(PredictionRawRow, predictor), kName)
      .add("n", offsetof(PredictionRawRow, n), H5T_NATIVE_UINT64)
      .add("n_relative", offsetof(PredictionRawRow, n_relative), H5T_NATIVE_UINT64)
      .add("waited_longer", offsetof(PredictionRawRow, waited_longer), H5T_NATIVE_UINT64)
      .add("sum_error", offsetof(PredictionRawRow, sum_error), H5T_NATIVE_DOUBLE)
      .add("sum_squared_error", offsetof(PredictionRawRow, sum_squared_error), H5T_NATIVE_DOUBLE)
      .add("sum_relative_error", offsetof(PredictionRawRow, sum_relative_error), H5T_NATIVE_DOUBLE);
  std::vector<PredictionRawRow> rows;
  const std::size_t types = s.contact_types.size();
  for (std::size_t i = 0; i < r.by_replication.size(); ++i) {
    const auto& v = r.by_replication[i].predictions_by_interval;
    for (std::size_t j = 0; j < v.size(); ++j) {
      const std::size_t p = j % model::kPredictors, t = (j / model::kPredictors) % types,
                        k = j / (model::kPredictors * types);
      PredictionRawRow row{policy,
                           static_cast<std::int32_t>(i),
                           static_cast<std::int32_t>(k),
                           {},
                           {},
                           v[j].n,
                           v[j].n_relative,
                           v[j].waited_longer,
                           v[j].sum_error,
                           v[j].sum_squared_error,
                           v[j].sum_relative_error};
      copy_name(row.contact_type, s.contact_types[t].name);
      copy_name(row.predictor, scenario::to_string(static_cast<scenario::Predictor>(p)));
      rows.push_back(row);
    }
  }
  write_table(file, "/replications/predictions_by_interval", raw, rows);
}

struct BreakRow {
  std::int32_t policy, replication;
  char group[kName];
  std::uint64_t planned, taken, late;
  double delay_s;
};

void write_breaks(hid_t file, std::int32_t policy, const scenario::Scenario& s, const model::Results& r) {
  Compound t(sizeof(BreakRow));
  t.add("policy", offsetof(BreakRow, policy), H5T_NATIVE_INT32)
      .add("replication", offsetof(BreakRow, replication), H5T_NATIVE_INT32)
      .text("group", offsetof(BreakRow, group), kName)
      .add("planned", offsetof(BreakRow, planned), H5T_NATIVE_UINT64)
      .add("taken", offsetof(BreakRow, taken), H5T_NATIVE_UINT64)
      .add("late", offsetof(BreakRow, late), H5T_NATIVE_UINT64)
      .add("delay_s", offsetof(BreakRow, delay_s), H5T_NATIVE_DOUBLE);
  std::vector<BreakRow> rows;
  for (std::size_t i = 0; i < r.by_replication.size(); ++i)
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
      const auto& b = r.by_replication[i].breaks_by_day[g];
      BreakRow row{policy, static_cast<std::int32_t>(i), {}, b.planned, b.taken, b.late, b.delay_s};
      copy_name(row.group, s.agent_groups[g].name);
      rows.push_back(row);
    }
  write_table(file, "/replications/breaks_by_day", t, rows);
}

void write_header(hid_t file, const scenario::Study& study, const model::Results& r, const RunInfo& info) {
  const scenario::Scenario& s = study.policies[static_cast<std::size_t>(study.baseline)];
  attribute(file, "format", "ccsim-results");
  attribute(file, "format_version", H5T_NATIVE_INT32, std::int32_t{kFormatVersion});
  attribute(file, "ccsim_version", info.ccsim_version);
  attribute(file, "command_line", info.command_line);
  attribute(file, "scenario_name", s.name);
  attribute(file, "scenario_path", s.source_path);
  attribute(file, "scenario_text", s.source_text);
  attribute(file, "seed", H5T_NATIVE_UINT64, r.seed);
  attribute(file, "replications", H5T_NATIVE_INT32, std::int32_t{r.replications});
  attribute(file, "service_level_tau_s", H5T_NATIVE_DOUBLE, s.tau_s);
  attribute(file, "service_level_definition", scenario::to_string(s.sl_definition));
  attribute(file, "short_abandon_s", H5T_NATIVE_DOUBLE, s.short_abandon_s);

  {
    Compound t(sizeof(NameRow));
    t.add("index", offsetof(NameRow, index), H5T_NATIVE_INT32).text("name", offsetof(NameRow, name), kName);
    std::vector<NameRow> policies, types, groups;
    for (std::size_t i = 0; i < study.names.size(); ++i) {
      policies.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(policies.back().name, study.names[i]);
    }
    attribute(file, "baseline_policy", H5T_NATIVE_INT32, std::int32_t{study.baseline});
    attribute(file, "precision_met", H5T_NATIVE_INT32, std::int32_t{r.precision_met});
    for (std::size_t i = 0; i < s.contact_types.size(); ++i) {
      types.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(types.back().name, s.contact_types[i].name);
    }
    for (std::size_t i = 0; i < s.agent_groups.size(); ++i) {
      groups.push_back({static_cast<std::int32_t>(i), {}});
      copy_name(groups.back().name, s.agent_groups[i].name);
    }
    write_table(file, "/policies", t, policies);
    write_table(file, "/contact_types", t, types);
    write_table(file, "/agent_groups", t, groups);
  }
  {
    Compound t(sizeof(IntervalRow));
    t.add("index", offsetof(IntervalRow, index), H5T_NATIVE_INT32)
        .add("day", offsetof(IntervalRow, day), H5T_NATIVE_INT32)
        .text("label", offsetof(IntervalRow, label), sizeof(IntervalRow::label))
        .add("start_s", offsetof(IntervalRow, start_s), H5T_NATIVE_DOUBLE)
        .add("length_s", offsetof(IntervalRow, length_s), H5T_NATIVE_DOUBLE)
        .add("warmup", offsetof(IntervalRow, warmup), H5T_NATIVE_UINT8);
    std::vector<IntervalRow> rows;
    for (int k = 0; k < s.run_intervals(); ++k) {
      IntervalRow row{};
      row.index = k;
      row.day = k / s.intervals;
      row.start_s = s.open_s + (k % s.intervals) * s.interval_s;  // clock time of day
      row.length_s = s.interval_s;
      row.warmup = k < s.warmup_intervals;
      copy_name(row.label, scenario::interval_label(s, k));
      rows.push_back(row);
    }
    write_table(file, "/intervals", t, rows);
  }
}

void write_policy(hid_t file, std::int32_t policy, const scenario::Scenario& s, const model::Results& r) {
  const auto series = r.series_names.size();
  const auto groups = s.agent_groups.size();
  std::vector<ContactRow> by_interval, by_day;
  std::vector<AgentRow> agents_interval, agents_day;
  auto agent_row = [&](int rep, int interval, std::size_t g, const model::AgentTime& at) {
    AgentRow a{policy,           rep,       interval,  {},         at.scheduled_s, at.staffed_s,
               at.available_s(), at.busy_s, at.wrap_s, at.break_s, at.shrinkage_s, at.interrupted_s,
               at.occupancy()};
    copy_name(a.group, s.agent_groups[g].name);
    return a;
  };
  for (std::size_t i = 0; i < r.by_replication.size(); ++i) {
    const auto& rep = r.by_replication[i];
    const auto ri = static_cast<int>(i);
    for (int k = 0; k < s.run_intervals(); ++k) {
      for (std::size_t si = 0; si < series; ++si)
        by_interval.push_back(contact_row(policy, ri, k, r.series_names[si],
                                          rep.contacts_by_interval[static_cast<std::size_t>(k) * series + si],
                                          s.sl_definition));
      for (std::size_t g = 0; g < groups; ++g)
        agents_interval.push_back(
            agent_row(ri, k, g, rep.agents_by_interval[static_cast<std::size_t>(k) * groups + g]));
    }
    for (std::size_t si = 0; si < series; ++si)
      by_day.push_back(
          contact_row(policy, ri, -1, r.series_names[si], rep.contacts_by_day[si], s.sl_definition));
    for (std::size_t g = 0; g < groups; ++g) agents_day.push_back(agent_row(ri, -1, g, rep.agents_by_day[g]));
  }
  write_table(file, "/replications/contacts_by_interval", contact_row_type("interval"), by_interval);
  write_table(file, "/replications/contacts_by_day", contact_row_type(nullptr), by_day);
  write_table(file, "/replications/agents_by_interval", agent_row_type("interval"), agents_interval);
  write_table(file, "/replications/agents_by_day", agent_row_type(nullptr), agents_day);
  {
    std::vector<ContactRow> per_day;
    std::vector<AgentRow> agents_per_day;
    for (std::size_t i = 0; i < r.by_replication.size(); ++i) {
      const auto& rep = r.by_replication[i];
      for (int d = 0; d < s.days; ++d) {
        for (std::size_t si = 0; si < series; ++si)
          per_day.push_back(contact_row(policy, static_cast<int>(i), d, r.series_names[si],
                                        rep.contacts_per_day[static_cast<std::size_t>(d) * series + si],
                                        s.sl_definition));
        for (std::size_t g = 0; g < groups; ++g)
          agents_per_day.push_back(agent_row(static_cast<int>(i), d, g,
                                             rep.agents_per_day[static_cast<std::size_t>(d) * groups + g]));
      }
    }
    write_table(file, "/replications/contacts_per_day", contact_row_type("day"), per_day);
    write_table(file, "/replications/agents_per_day", agent_row_type("day"), agents_per_day);
    std::vector<SummaryRow> sum_per_day, occ_per_day;
    for (const auto& row : r.contacts_per_day)
      sum_per_day.push_back(summary_row(policy, row.interval,
                                        r.series_names[static_cast<std::size_t>(row.series)],
                                        model::to_string(row.measure), row.estimate, row.erlang_a));
    for (const auto& row : r.occupancy_per_day)
      occ_per_day.push_back(summary_row(policy, row.interval,
                                        s.agent_groups[static_cast<std::size_t>(row.group)].name, "occupancy",
                                        row.estimate, row.erlang_a));
    write_table(file, "/summary/contacts_per_day", summary_row_type("day", "contact_type"), sum_per_day);
    write_table(file, "/summary/agents_per_day", summary_row_type("day", "group"), occ_per_day);
  }
  write_breaks(file, policy, s, r);

  std::vector<SummaryRow> sum_interval, sum_day, occ_interval, occ_day;
  for (const auto& row : r.contacts_by_interval)
    sum_interval.push_back(summary_row(policy, row.interval,
                                       r.series_names[static_cast<std::size_t>(row.series)],
                                       model::to_string(row.measure), row.estimate, row.erlang_a));
  for (const auto& row : r.contacts_by_day)
    sum_day.push_back(summary_row(policy, -1, r.series_names[static_cast<std::size_t>(row.series)],
                                  model::to_string(row.measure), row.estimate, row.erlang_a));
  for (const auto& row : r.occupancy_by_interval)
    occ_interval.push_back(summary_row(policy, row.interval,
                                       s.agent_groups[static_cast<std::size_t>(row.group)].name, "occupancy",
                                       row.estimate, row.erlang_a));
  for (const auto& row : r.occupancy_by_day)
    occ_day.push_back(summary_row(policy, -1, s.agent_groups[static_cast<std::size_t>(row.group)].name,
                                  "occupancy", row.estimate, row.erlang_a));
  write_table(file, "/summary/contacts_by_interval", summary_row_type("interval", "contact_type"),
              sum_interval);
  write_table(file, "/summary/contacts_by_day", summary_row_type(nullptr, "contact_type"), sum_day);
  write_table(file, "/summary/agents_by_interval", summary_row_type("interval", "group"), occ_interval);
  write_table(file, "/summary/agents_by_day", summary_row_type(nullptr, "group"), occ_day);
  write_routing(file, policy, s, r);
  write_predictions(file, policy, s, r);
}

}  // namespace

void write_results(const std::string& path, const scenario::Scenario& s, const model::Results& r,
                   const RunInfo& info) {
  scenario::Study study;
  study.policies.push_back(s);
  study.names.push_back("base");
  write_results(path, study, std::vector<model::Results>{r}, info);
}

void write_results(const std::string& path, const scenario::Study& study,
                   const std::vector<model::Results>& results, const RunInfo& info) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become OutputError, not stack dumps on stderr
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    throw OutputError(path + ": cannot create results file (is the directory there and writable?)");
  try {
    write_header(file, study, results.at(static_cast<std::size_t>(study.baseline)), info);
    for (std::size_t p = 0; p < results.size(); ++p)
      write_policy(file, static_cast<std::int32_t>(p), study.policies[p], results[p]);
  } catch (...) {
    H5Fclose(file);
    std::remove(tmp.c_str());
    throw;
  }
  if (H5Fclose(file) < 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError(path + ": could not finish writing the results file");
  }
}

}  // namespace ccsim::output
