#include "scenario/work_limits.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "common/error.hpp"

namespace ccsim::scenario {
namespace {

// External arrivals of type t over one replication (every day, with the day profile).
double external_contacts(const Scenario& s, const ContactType& t) {
  if (t.has_appointments) return static_cast<double>(t.appointments.slots_s.size()) * s.days;
  double total = 0.0;
  for (int d = 0; d < s.days; ++d) {
    const double factor = s.day_profile.empty() ? 1.0 : s.day_profile[static_cast<std::size_t>(d)];
    for (int k = 0; k < s.intervals; ++k) {
      const auto i = static_cast<std::size_t>(k);
      const double v = t.volume_by_day.empty()
                           ? (i < t.volume.size() ? t.volume[i] : 0.0)
                           : t.volume_by_day[static_cast<std::size_t>(d) * s.intervals + i];
      total += v * factor;
    }
  }
  return total;
}

std::string number(double x) {
  std::ostringstream os;
  os.precision(3);
  os << x;
  return os.str();
}

}  // namespace

std::vector<double> expected_contacts(const Scenario& s) {
  // Solve (I - P^T) v = external by Gaussian elimination with partial pivoting: types are few, and a
  // singular or nearly singular system is exactly the never-ending transfer loop to refuse.
  const std::size_t n = s.contact_types.size();
  bool transfers = false;
  for (const auto& t : s.contact_types) transfers = transfers || !t.transfers.empty();
  if (!transfers) {
    std::vector<double> v;
    for (const auto& t : s.contact_types) v.push_back(external_contacts(s, t));
    return v;
  }
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    a[i][i] = 1.0;
    a[i][n] = external_contacts(s, s.contact_types[i]);
  }
  for (std::size_t from = 0; from < n; ++from)
    for (const auto& x : s.contact_types[from].transfers)
      a[static_cast<std::size_t>(x.to)][from] -= x.probability;
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    if (std::abs(a[pivot][c]) < 1e-12) return std::vector<double>(n, inf);
    std::swap(a[c], a[pivot]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c || a[r][c] == 0.0) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t k = c; k <= n; ++k) a[r][k] -= f * a[c][k];
    }
  }
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = a[i][n] / a[i][i];
    if (!std::isfinite(v[i]) || v[i] < -1e-6) return std::vector<double>(n, inf);
  }
  return v;
}

void check_work(const Scenario& s, const WorkLimits& limits, const std::string& policy) {
  const std::string in_policy = policy.empty() ? "" : " (policy '" + policy + "')";
  const std::vector<double> v = expected_contacts(s);
  double total = 0.0;
  std::size_t largest = 0;
  for (std::size_t t = 0; t < v.size(); ++t) {
    total += v[t];
    if (v[t] > v[largest]) largest = t;
  }
  if (!(total <= limits.max_contacts)) {
    const ContactType& t = s.contact_types[largest];
    // A loop of transfers is blamed on its first transfer: that is where the probability is written.
    const std::string where =
        !std::isfinite(total) && !t.transfers.empty() ? t.transfers.front().where : t.where;
    throw InputError(where + ": " +
                     (std::isfinite(total)
                          ? "about " + number(total) + " contacts expected per replication"
                          : std::string("transfers loop back with probability 1: contacts never end")) +
                     in_policy + ", beyond the limit of " + number(limits.max_contacts) +
                     " (a typo? if not, raise it with --max-contacts N)");
  }
  for (std::size_t i = 0; i < s.contact_types.size(); ++i) {
    const ContactType& t = s.contact_types[i];
    const double amplification = external_contacts(s, t) > 0.0 ? v[i] / external_contacts(s, t) : 1.0;
    const double handle = t.handle_time.mean();
    for (std::size_t k = 0; k < t.volume.size(); ++k) {
      const double aht = k < t.aht.size() && t.aht[k] > 0.0 ? t.aht[k] : handle;
      const double load = t.volume[k] * amplification * aht / s.interval_s;
      if (load > limits.max_load)
        throw InputError(t.where + ": an offered load of " + number(load) + " Erlang in interval " +
                         std::to_string(k + 1) + in_policy + ", beyond the limit of " +
                         number(limits.max_load) + " (a typo? if not, raise it with --max-load E)");
    }
  }
}

}  // namespace ccsim::scenario
