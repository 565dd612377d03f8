#include "output/hdf5_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <map>
#include <tuple>

#include "common/error.hpp"
#include "model/results.hpp"

namespace ccsim::output {
namespace {

constexpr std::size_t kName = 256;  // format 6; format 5's 32-byte names convert into it
constexpr std::size_t kLabel = kName + 16;

// A field of a row struct: name, offset, and either a numeric HDF5 type or a text size.
struct FieldSpec {
  const char* name;
  std::size_t offset;
  hid_t type;             // a native numeric type, or -1 for text
  std::size_t text_size;  // for text
};
FieldSpec number(const char* name, std::size_t offset, hid_t type) {
  return {name, offset, type, 0};
}
FieldSpec text(const char* name, std::size_t offset, std::size_t size) {
  return {name, offset, -1, size};
}

class File {
 public:
  explicit File(const std::string& path) : path_(path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    // A results file named on the command line is the user's input: what is wrong with it is exit 1.
    if (id_ < 0)
      throw InputError(path + ": not a ccsim results file (not HDF5, truncated, or unreadable: " +
                       (std::filesystem::is_directory(path) ? "a directory"
                        : std::filesystem::exists(path)     ? "HDF5 cannot open it"
                                                            : "no such file") +
                       ")");
    if (H5Aexists(id_, "format_version") <= 0) {
      H5Fclose(id_);
      throw InputError(path + ": an HDF5 file, but not a ccsim results file (no format_version attribute)");
    }
    version_ = int_attribute("format_version", 0);
    if (version_ < kOldestReadableVersion || version_ > kNewestReadableVersion) {
      H5Fclose(id_);
      throw InputError(path + ": results format_version " + std::to_string(version_) + "; this ccsim reads " +
                       std::to_string(kOldestReadableVersion) + " to " +
                       std::to_string(kNewestReadableVersion) +
                       (version_ > kNewestReadableVersion ? " (written by a newer ccsim)" : ""));
    }
  }
  ~File() { H5Fclose(id_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  [[nodiscard]] int version() const { return version_; }

  // Reads the named fields of a compound table into rows of T (HDF5 matches fields by name). Fields the
  // file does not have (an older format) stay zero; text fields take the file's character set, since HDF5
  // does not convert between ASCII and UTF-8.
  template <class T>
  std::vector<T> table(const char* path, std::initializer_list<FieldSpec> fields) const {
    hid_t set = H5Dopen2(id_, path, H5P_DEFAULT);
    if (set < 0)
      throw InputError(path_ + ": no table " + path + " (not a ccsim results file, or an older format)");
    hid_t file_type = H5Dget_type(set);
    hid_t memory = H5Tcreate(H5T_COMPOUND, sizeof(T));
    std::vector<hid_t> owned;
    for (const FieldSpec& f : fields) {
      const int member = H5Tget_member_index(file_type, f.name);
      if (member < 0) continue;
      hid_t t = f.type;
      if (f.type < 0) {
        hid_t in_file = H5Tget_member_type(file_type, static_cast<unsigned>(member));
        t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, f.text_size);
        H5Tset_strpad(t, H5T_STR_NULLTERM);
        H5Tset_cset(t, H5Tget_cset(in_file));
        H5Tclose(in_file);
        owned.push_back(t);
      }
      H5Tinsert(memory, f.name, f.offset, t);
    }
    hid_t space = H5Dget_space(set);
    std::vector<T> rows(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    herr_t status = rows.empty() ? 0 : H5Dread(set, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data());
    for (hid_t t : owned) H5Tclose(t);
    H5Tclose(memory);
    H5Tclose(file_type);
    H5Sclose(space);
    H5Dclose(set);
    if (status < 0) throw InputError(path_ + ": cannot read " + path + " (the file is truncated or damaged)");
    return rows;
  }

  [[nodiscard]] bool has(const char* path) const { return H5Lexists(id_, path, H5P_DEFAULT) > 0; }

  std::string text_attribute(const char* name) const {
    if (H5Aexists(id_, name) <= 0) return {};
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    std::string out;
    if (H5Tis_variable_str(t) > 0) {
      char* value = nullptr;
      hid_t mem = H5Tcopy(H5T_C_S1);
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, H5Tget_cset(t));  // HDF5 does not convert between character sets
      if (H5Aread(a, mem, &value) >= 0 && value) out = value;
      hid_t space = H5Aget_space(a);
      if (value) H5Dvlen_reclaim(mem, space, H5P_DEFAULT, &value);
      H5Sclose(space);
      H5Tclose(mem);
    }
    H5Tclose(t);
    H5Aclose(a);
    return out;
  }

  double double_attribute(const char* name, double fallback) const {
    if (H5Aexists(id_, name) <= 0) return fallback;
    double v = fallback;
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(a);
    return v;
  }

  int int_attribute(const char* name, int fallback) const {
    if (H5Aexists(id_, name) <= 0) return fallback;
    std::int32_t v = fallback;
    hid_t a = H5Aopen(id_, name, H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    return v;
  }

 private:
  std::string path_;
  hid_t id_ = -1;
  int version_ = 0;
};

struct NameRow {
  std::int32_t index;
  char name[kName];
};

struct LabelRow {
  std::int32_t index;
  char label[kLabel];
};

struct ContactRow {
  std::int32_t policy, replication, interval;
  char contact_type[kName];
  std::uint64_t offered, answered, abandoned, unserved, short_abandoned, answered_within_tau,
      abandoned_within_tau, balked, appointments, no_shows, booked_answered, served_on_time, deferred_offered,
      due_met, backlog, announced, balked_announced;
  double wait_answered_s, wait_abandoned_s, handle_s;
  double wait_unserved_s = 0.0;  // from format 6
};

struct AgentRow {
  std::int32_t policy, replication, interval;
  double available_s, busy_s;
};

scenario::ServiceLevelDefinition sl_definition(const std::string& name) {
  using D = scenario::ServiceLevelDefinition;
  for (D d : {D::offered, D::offered_minus_short_abandons, D::answered, D::answered_plus_late_abandons})
    if (name == scenario::to_string(d)) return d;
  return D::offered;
}

std::vector<std::string> names_of(const File& f, const char* path) {
  std::vector<std::string> out;
  for (const auto& row : f.table<NameRow>(path, {number("index", offsetof(NameRow, index), H5T_NATIVE_INT32),
                                                 text("name", offsetof(NameRow, name), kName)}))
    out.emplace_back(row.name);
  return out;
}

}  // namespace

ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval) {
  std::vector<model::Measure> wanted;
  for (const auto& m : measures) wanted.push_back(model::comparable_measure(m));
  File f(path);
  ComparisonData out;
  out.format_version = f.version();
  out.policies = names_of(f, "/policies");
  if (by_interval)
    for (const auto& row :
         f.table<LabelRow>("/intervals", {number("index", offsetof(LabelRow, index), H5T_NATIVE_INT32),
                                          text("label", offsetof(LabelRow, label), kLabel)}))
      out.interval_labels.emplace_back(row.label);
  out.baseline = f.int_attribute("baseline_policy", 0);
  const auto sl = sl_definition(f.text_attribute("service_level_definition"));

#define CCSIM_COUNT(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_UINT64)
#define CCSIM_SUM(x) number(#x, offsetof(ContactRow, x), H5T_NATIVE_DOUBLE)
  const auto contacts = f.table<ContactRow>(
      by_interval ? "/replications/contacts_by_interval" : "/replications/contacts_by_day",
      {number("policy", offsetof(ContactRow, policy), H5T_NATIVE_INT32),
       number("replication", offsetof(ContactRow, replication), H5T_NATIVE_INT32),
       number("interval", offsetof(ContactRow, interval), H5T_NATIVE_INT32),
       text("contact_type", offsetof(ContactRow, contact_type), kName),
       CCSIM_COUNT(offered),
       CCSIM_COUNT(answered),
       CCSIM_COUNT(abandoned),
       CCSIM_COUNT(unserved),
       CCSIM_COUNT(short_abandoned),
       CCSIM_COUNT(answered_within_tau),
       CCSIM_COUNT(abandoned_within_tau),
       CCSIM_COUNT(balked),
       CCSIM_COUNT(appointments),
       CCSIM_COUNT(no_shows),
       CCSIM_COUNT(booked_answered),
       CCSIM_COUNT(served_on_time),
       CCSIM_COUNT(deferred_offered),
       CCSIM_COUNT(due_met),
       CCSIM_COUNT(backlog),
       CCSIM_COUNT(announced),
       CCSIM_COUNT(balked_announced),
       CCSIM_SUM(wait_answered_s),
       CCSIM_SUM(wait_abandoned_s),
       CCSIM_SUM(handle_s),
       CCSIM_SUM(wait_unserved_s)});  // absent before format 6: stays zero
#undef CCSIM_COUNT
#undef CCSIM_SUM
  const auto agents =
      f.table<AgentRow>(by_interval ? "/replications/agents_by_interval" : "/replications/agents_by_day",
                        {number("policy", offsetof(AgentRow, policy), H5T_NATIVE_INT32),
                         number("replication", offsetof(AgentRow, replication), H5T_NATIVE_INT32),
                         number("interval", offsetof(AgentRow, interval), H5T_NATIVE_INT32),
                         number("available_s", offsetof(AgentRow, available_s), H5T_NATIVE_DOUBLE),
                         number("busy_s", offsetof(AgentRow, busy_s), H5T_NATIVE_DOUBLE)});

  // The pooled series is "all" when there are several contact types, else the only one.
  bool has_all = false;
  for (const auto& r : contacts) has_all |= std::strcmp(r.contact_type, "all") == 0;
  int replications = 0;
  for (const auto& r : contacts) replications = std::max(replications, r.replication + 1);
  const std::size_t policies = out.policies.size(), intervals = by_interval ? out.interval_labels.size() : 1;
  const auto empty = [&] {
    return std::vector<std::vector<std::vector<double>>>(
        policies, std::vector<std::vector<double>>(
                      intervals, std::vector<double>(static_cast<std::size_t>(replications), NAN)));
  };
  auto at = [&](auto& table, int policy, int interval, int rep) -> double& {
    return table[static_cast<std::size_t>(policy)][static_cast<std::size_t>(by_interval ? interval : 0)]
                [static_cast<std::size_t>(rep)];
  };
  for (model::Measure m : wanted) {
    auto& num = out.numerators.emplace_back(empty());
    auto& den = out.denominators.emplace_back(empty());
    if (m == model::Measure::occupancy) {
      std::map<std::tuple<int, int, int>, model::AgentTime> pooled;  // all groups together
      for (const auto& r : agents) {
        auto& t = pooled[{r.policy, r.interval, r.replication}];
        t.busy_s += r.busy_s;
        t.staffed_s += r.available_s;  // only available time matters to occupancy
      }
      for (const auto& [key, t] : pooled) {
        auto [p, k, rep] = key;
        const model::Fraction q = model::fraction(t);
        at(num, p, k, rep) = q.numerator;
        at(den, p, k, rep) = q.denominator;
      }
      continue;
    }
    for (const auto& r : contacts) {
      if (has_all != (std::strcmp(r.contact_type, "all") == 0)) continue;
      model::ContactCounts c;
      c.offered = r.offered;
      c.answered = r.answered;
      c.abandoned = r.abandoned;
      c.unserved = r.unserved;
      c.short_abandoned = r.short_abandoned;
      c.answered_within_tau = r.answered_within_tau;
      c.abandoned_within_tau = r.abandoned_within_tau;
      c.balked = r.balked;
      c.appointments = r.appointments;
      c.no_shows = r.no_shows;
      c.booked_answered = r.booked_answered;
      c.served_on_time = r.served_on_time;
      c.deferred_offered = r.deferred_offered;
      c.due_met = r.due_met;
      c.backlog = r.backlog;
      c.announced = r.announced;
      c.balked_announced = r.balked_announced;
      c.wait_answered_s = r.wait_answered_s;
      c.wait_abandoned_s = r.wait_abandoned_s;
      c.wait_unserved_s = r.wait_unserved_s;
      c.handle_s = r.handle_s;
      const model::Fraction q = model::fraction(c, m, sl);
      at(num, r.policy, r.interval, r.replication) = q.numerator;
      at(den, r.policy, r.interval, r.replication) = q.denominator;
    }
  }
  return out;
}

namespace {

struct SummaryRow {
  std::int32_t policy, interval;
  char subject[kName], measure[kName];
  double mean, half_width;
};

struct PredictionRow {
  std::int32_t policy;
  char contact_type[kName], predictor[kName];
  double bias_s, rmse_s, relative_error, share_longer;
};

}  // namespace

ReportData read_report(const std::string& path) {
  const ComparisonData names = read_comparison(path, {}, true);
  File f(path);
  ReportData out;
  out.format_version = f.version();
  out.scenario_name = f.text_attribute("scenario_name");
  out.ccsim_version = f.text_attribute("ccsim_version");
  out.replications = f.int_attribute("replications", 0);
  out.baseline = f.int_attribute("baseline_policy", 0);
  out.tau_s = f.double_attribute("service_level_tau_s", 20.0);
  out.policies = names.policies;
  out.interval_labels = names.interval_labels;
  auto summary = [&](const char* table, bool with_interval) {
    std::vector<SummaryEntry> rows;
    for (const auto& r : f.table<SummaryRow>(
             table, {number("policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32),
                     number("interval", offsetof(SummaryRow, interval), H5T_NATIVE_INT32),
                     text("contact_type", offsetof(SummaryRow, subject), kName),
                     text("measure", offsetof(SummaryRow, measure), kName),
                     number("mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE),
                     number("half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE)}))
      rows.push_back({r.policy, with_interval ? r.interval : -1, r.subject, r.measure, r.mean, r.half_width});
    return rows;
  };
  out.by_interval = summary("/summary/contacts_by_interval", true);
  out.by_day = summary("/summary/contacts_by_day", false);
  if (f.has("/summary/predictions_by_day"))
    for (const auto& r : f.table<PredictionRow>(
             "/summary/predictions_by_day",
             {number("policy", offsetof(PredictionRow, policy), H5T_NATIVE_INT32),
              text("contact_type", offsetof(PredictionRow, contact_type), kName),
              text("predictor", offsetof(PredictionRow, predictor), kName),
              number("bias_s", offsetof(PredictionRow, bias_s), H5T_NATIVE_DOUBLE),
              number("rmse_s", offsetof(PredictionRow, rmse_s), H5T_NATIVE_DOUBLE),
              number("relative_error", offsetof(PredictionRow, relative_error), H5T_NATIVE_DOUBLE),
              number("share_longer", offsetof(PredictionRow, share_longer), H5T_NATIVE_DOUBLE)}))
      out.predictions.push_back(
          {r.policy, r.contact_type, r.predictor, r.bias_s, r.rmse_s, r.relative_error, r.share_longer});
  return out;
}

namespace {

struct GapRow {
  std::int32_t interval, day;
  char label[kLabel];
  char group[kName];
  std::int32_t required;
  double available;
};

}  // namespace

StaffingData read_staffing(const std::string& path) {
  File f(path);
  StaffingData out;
  out.format = f.text_attribute("format");
  out.scenario_name = f.text_attribute("scenario_name");
  out.ccsim_version = f.text_attribute("ccsim_version");
  out.roster = f.has("/roster/tours");
  if (!f.has("/staffing/by_interval")) return out;
  out.present = true;
  for (const auto& r : f.table<GapRow>("/staffing/by_interval",
                                       {number("interval", offsetof(GapRow, interval), H5T_NATIVE_INT32),
                                        number("day", offsetof(GapRow, day), H5T_NATIVE_INT32),
                                        text("label", offsetof(GapRow, label), kLabel),
                                        text("group", offsetof(GapRow, group), kName),
                                        number("required", offsetof(GapRow, required), H5T_NATIVE_INT32),
                                        number("available", offsetof(GapRow, available), H5T_NATIVE_DOUBLE)}))
    out.rows.push_back({r.interval, r.day, r.label, r.group, r.required, r.available});
  return out;
}

}  // namespace ccsim::output
