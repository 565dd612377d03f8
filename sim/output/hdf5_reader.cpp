#include "output/hdf5_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <map>
#include <tuple>

#include "common/error.hpp"

namespace ccsim::output {
namespace {

constexpr std::size_t kName = 32;

class File {
 public:
  explicit File(const std::string& path) : path_(path) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id_ < 0) throw OutputError(path + ": cannot open as an HDF5 results file");
  }
  ~File() { H5Fclose(id_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Reads the named fields of a compound table into rows of T (HDF5 matches fields by name).
  template <class T>
  std::vector<T> table(const char* path, hid_t memory_type) const {
    hid_t set = H5Dopen2(id_, path, H5P_DEFAULT);
    if (set < 0)
      throw OutputError(path_ + ": no table " + path + " (not a ccsim results file, or an older format)");
    hid_t space = H5Dget_space(set);
    std::vector<T> rows(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    herr_t status = rows.empty() ? 0 : H5Dread(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data());
    H5Sclose(space);
    H5Dclose(set);
    if (status < 0) throw OutputError(path_ + ": cannot read " + path);
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
};

hid_t text_type() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, kName);
  H5Tset_strpad(t, H5T_STR_NULLTERM);
  return t;
}

struct NameRow {
  std::int32_t index;
  char name[kName];
};

struct ContactRow {
  std::int32_t policy, replication, interval;
  char contact_type[kName];
  double service_level, asa, mean_wait, abandon_rate;
};

struct AgentRow {
  std::int32_t policy, replication, interval;
  double available_s, busy_s;
};

}  // namespace

ComparisonData read_comparison(const std::string& path, const std::vector<std::string>& measures,
                               bool by_interval) {
  File f(path);
  ComparisonData out;
  hid_t text = text_type();
  {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(NameRow));
    H5Tinsert(t, "index", offsetof(NameRow, index), H5T_NATIVE_INT32);
    H5Tinsert(t, "name", offsetof(NameRow, name), text);
    for (const auto& row : f.table<NameRow>("/policies", t)) out.policies.emplace_back(row.name);
    if (by_interval)
      for (const auto& row : f.table<NameRow>("/intervals", [&] {
             hid_t it = H5Tcreate(H5T_COMPOUND, sizeof(NameRow));
             H5Tinsert(it, "index", offsetof(NameRow, index), H5T_NATIVE_INT32);
             hid_t label = H5Tcopy(H5T_C_S1);
             H5Tset_size(label, 24);
             H5Tinsert(it, "label", offsetof(NameRow, name), label);
             return it;
           }()))
        out.interval_labels.emplace_back(row.name);
    H5Tclose(t);
  }
  out.baseline = f.int_attribute("baseline_policy", 0);

  hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(ContactRow));
  H5Tinsert(ct, "policy", offsetof(ContactRow, policy), H5T_NATIVE_INT32);
  H5Tinsert(ct, "replication", offsetof(ContactRow, replication), H5T_NATIVE_INT32);
  if (by_interval) H5Tinsert(ct, "interval", offsetof(ContactRow, interval), H5T_NATIVE_INT32);
  H5Tinsert(ct, "contact_type", offsetof(ContactRow, contact_type), text);
  H5Tinsert(ct, "service_level", offsetof(ContactRow, service_level), H5T_NATIVE_DOUBLE);
  H5Tinsert(ct, "asa", offsetof(ContactRow, asa), H5T_NATIVE_DOUBLE);
  H5Tinsert(ct, "mean_wait", offsetof(ContactRow, mean_wait), H5T_NATIVE_DOUBLE);
  H5Tinsert(ct, "abandon_rate", offsetof(ContactRow, abandon_rate), H5T_NATIVE_DOUBLE);
  const auto contacts = f.table<ContactRow>(
      by_interval ? "/replications/contacts_by_interval" : "/replications/contacts_by_day", ct);
  hid_t at = H5Tcreate(H5T_COMPOUND, sizeof(AgentRow));
  H5Tinsert(at, "policy", offsetof(AgentRow, policy), H5T_NATIVE_INT32);
  H5Tinsert(at, "replication", offsetof(AgentRow, replication), H5T_NATIVE_INT32);
  if (by_interval) H5Tinsert(at, "interval", offsetof(AgentRow, interval), H5T_NATIVE_INT32);
  H5Tinsert(at, "available_s", offsetof(AgentRow, available_s), H5T_NATIVE_DOUBLE);
  H5Tinsert(at, "busy_s", offsetof(AgentRow, busy_s), H5T_NATIVE_DOUBLE);
  const auto agents =
      f.table<AgentRow>(by_interval ? "/replications/agents_by_interval" : "/replications/agents_by_day", at);
  H5Tclose(ct);
  H5Tclose(at);
  H5Tclose(text);

  // The pooled series is "all" when there are several contact types, else the only one.
  bool has_all = false;
  for (const auto& r : contacts) has_all |= std::strcmp(r.contact_type, "all") == 0;
  int replications = 0;
  for (const auto& r : contacts) replications = std::max(replications, r.replication + 1);
  const std::size_t policies = out.policies.size(), intervals = by_interval ? out.interval_labels.size() : 1;
  for (const auto& m : measures) {
    auto& per_policy = out.values.emplace_back(
        policies, std::vector<std::vector<double>>(
                      intervals, std::vector<double>(static_cast<std::size_t>(replications), NAN)));
    if (m == "occupancy") {
      std::map<std::tuple<int, int, int>, std::pair<double, double>> pooled;  // busy, available
      for (const auto& r : agents) {
        auto& v = pooled[{r.policy, by_interval ? r.interval : 0, r.replication}];
        v.first += r.busy_s;
        v.second += r.available_s;
      }
      for (const auto& [key, v] : pooled) {
        auto [p, k, rep] = key;
        per_policy[static_cast<std::size_t>(p)][static_cast<std::size_t>(k)][static_cast<std::size_t>(rep)] =
            v.second > 0 ? v.first / v.second : NAN;
      }
      continue;
    }
    double ContactRow::*field = m == "sl"          ? &ContactRow::service_level
                                : m == "asa"       ? &ContactRow::asa
                                : m == "abandon"   ? &ContactRow::abandon_rate
                                : m == "mean_wait" ? &ContactRow::mean_wait
                                                   : nullptr;
    if (!field)
      throw InputError("compare: unknown measure '" + m +
                       "' (expected sl, asa, abandon, mean_wait, occupancy)");
    for (const auto& r : contacts) {
      if (has_all != (std::strcmp(r.contact_type, "all") == 0)) continue;
      per_policy[static_cast<std::size_t>(r.policy)][static_cast<std::size_t>(by_interval ? r.interval : 0)]
                [static_cast<std::size_t>(r.replication)] = r.*field;
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
  File f(path);
  ReportData out;
  out.scenario_name = f.text_attribute("scenario_name");
  out.ccsim_version = f.text_attribute("ccsim_version");
  out.replications = f.int_attribute("replications", 0);
  out.baseline = f.int_attribute("baseline_policy", 0);
  out.tau_s = f.double_attribute("service_level_tau_s", 20.0);
  const ComparisonData names = read_comparison(path, {}, true);
  out.policies = names.policies;
  out.interval_labels = names.interval_labels;
  hid_t text = text_type();
  auto summary = [&](const char* table, bool with_interval) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(SummaryRow));
    H5Tinsert(t, "policy", offsetof(SummaryRow, policy), H5T_NATIVE_INT32);
    if (with_interval) H5Tinsert(t, "interval", offsetof(SummaryRow, interval), H5T_NATIVE_INT32);
    H5Tinsert(t, "contact_type", offsetof(SummaryRow, subject), text);
    H5Tinsert(t, "measure", offsetof(SummaryRow, measure), text);
    H5Tinsert(t, "mean", offsetof(SummaryRow, mean), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "half_width", offsetof(SummaryRow, half_width), H5T_NATIVE_DOUBLE);
    std::vector<SummaryEntry> rows;
    for (const auto& r : f.table<SummaryRow>(table, t))
      rows.push_back({r.policy, with_interval ? r.interval : -1, r.subject, r.measure, r.mean, r.half_width});
    H5Tclose(t);
    return rows;
  };
  out.by_interval = summary("/summary/contacts_by_interval", true);
  out.by_day = summary("/summary/contacts_by_day", false);
  if (f.has("/summary/predictions_by_day")) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(PredictionRow));
    H5Tinsert(t, "policy", offsetof(PredictionRow, policy), H5T_NATIVE_INT32);
    H5Tinsert(t, "contact_type", offsetof(PredictionRow, contact_type), text);
    H5Tinsert(t, "predictor", offsetof(PredictionRow, predictor), text);
    H5Tinsert(t, "bias_s", offsetof(PredictionRow, bias_s), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "rmse_s", offsetof(PredictionRow, rmse_s), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "relative_error", offsetof(PredictionRow, relative_error), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "share_longer", offsetof(PredictionRow, share_longer), H5T_NATIVE_DOUBLE);
    for (const auto& r : f.table<PredictionRow>("/summary/predictions_by_day", t))
      out.predictions.push_back(
          {r.policy, r.contact_type, r.predictor, r.bias_s, r.rmse_s, r.relative_error, r.share_longer});
    H5Tclose(t);
  }
  H5Tclose(text);
  return out;
}

}  // namespace ccsim::output
