// The random-scenario checker: hundreds of small generated scenarios that mix every feature, each run with
// the model's invariant checks on, and relations that must hold whatever the input — conservation, agent
// time adding up, identical policies giving identical results, the interval length and the thread count
// changing nothing. A failing case prints its seed, the relation and the whole scenario text.
//
// CCSIM_RANDOM_CASES=N runs N cases (default 400), CCSIM_RANDOM_SEED=S starts at seed S (one seed:
// CCSIM_RANDOM_SEED=S CCSIM_RANDOM_CASES=1), CCSIM_RANDOM_DUMP=DIR writes failing scenarios there,
// CCSIM_RANDOM_WRITE=DIR every scenario.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "common/error.hpp"
#include "model/results.hpp"
#include "model/sweep.hpp"
#include "random_scenario.hpp"
#include "random_start_state.hpp"
#include "record_relations.hpp"
#include "result_compare.hpp"
#include "scenario/scenario.hpp"
#include "scenario/sweep.hpp"

using namespace ccsim;

namespace {

constexpr std::uint64_t kFirstSeed = 1;
constexpr int kDefaultCases = 400;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// Day totals are booked as the day goes (not summed from the intervals) and arrivals are drawn across runs of
// equal rate, so 15- and 60-minute intervals agree to the last bit; CCSIM_RANDOM_TOLERANT=1 relaxes sums of
// seconds to 1e-9 when hunting another failure.
bool bit_identical_resolution() {
  return env_number("CCSIM_RANDOM_TOLERANT", 0) == 0;
}

struct Failure {
  std::string relation, detail;
};

// Collects what broke in one case; stops at the first break of each relation (one is enough to rerun).
class Checker {
 public:
  std::vector<Failure> failures;

  void fail(const std::string& relation, const std::string& detail) {
    for (const auto& f : failures)
      if (f.relation == relation) return;
    failures.push_back({relation, detail});
  }
  void expect(bool ok, const std::string& relation, const std::string& detail) {
    if (!ok) fail(relation, detail);
  }
};

// With records: every replication's per-contact and agent-state records, checked against the tables.
std::vector<model::Results> run(const scenario::Study& study, int threads, bool records = false) {
  model::RunOptions o;
  o.records = {records, records};
  o.records_replications = 2;
  o.seed = study.policies[0].seed;
  o.replications = 2;
  o.threads = threads;
  o.check_invariants = true;
  o.keep_replications = true;
  return model::run_study(study, o);
}

std::string where(std::size_t policy, std::size_t rep, const std::string& cell) {
  return "policy " + std::to_string(policy) + ", replication " + std::to_string(rep) + ", " + cell;
}

// Counts inside one cell that can only nest one way.
void check_counts(Checker& c, const model::ContactCounts& n, const std::string& at) {
  c.expect(n.offered == n.answered + n.abandoned + n.unserved, "conservation",
           at + ": offered " + std::to_string(n.offered) + " != answered " + std::to_string(n.answered) +
               " + abandoned " + std::to_string(n.abandoned) + " + unserved " + std::to_string(n.unserved));
  c.expect(n.answered <= n.offered, "answered <= offered", at);
  c.expect(
      n.balked <= n.abandoned && n.short_abandoned <= n.abandoned && n.abandoned_within_tau <= n.abandoned,
      "balked, short and early abandons are abandons", at);
  c.expect(n.answered_within_tau <= n.answered && n.booked_answered <= n.answered, "parts of answered", at);
  c.expect(n.served_on_time <= n.booked_answered && n.no_shows <= n.appointments, "appointment counts", at);
  c.expect(n.due_met <= n.answered && n.due_met <= n.deferred_offered && n.deferred_offered <= n.offered,
           "e-mail counts", at);
  c.expect(n.announced <= n.offered && n.balked_announced <= n.balked, "announcement counts", at);
  c.expect(n.customers == n.customers_served + n.customers_lost && n.first_offered <= n.customers,
           "every customer served or lost, counted by the first call",
           at + ": customers " + std::to_string(n.customers) + ", served " +
               std::to_string(n.customers_served) + ", lost " + std::to_string(n.customers_lost));
  c.expect(n.first_answered_within_tau <= n.answered_within_tau && n.first_abandoned <= n.abandoned,
           "first calls' counts are parts of all attempts'", at);
  c.expect(n.wait_answered_s >= 0.0 && n.wait_abandoned_s >= 0.0 && n.handle_s >= 0.0, "no negative sums",
           at);
  c.expect(n.callbacks_accepted <= n.callbacks_offered &&
               n.callbacks_accepted == n.callbacks_completed + n.callbacks_failed + n.callbacks_unserved,
           "every callback accepted is completed, failed or unserved by the end",
           at + ": accepted " + std::to_string(n.callbacks_accepted) + ", completed " +
               std::to_string(n.callbacks_completed) + ", failed " + std::to_string(n.callbacks_failed) +
               ", unserved " + std::to_string(n.callbacks_unserved));
}

void check_time(Checker& c, const model::AgentTime& t, const std::string& at) {
  const double eps = 1e-6 * (1.0 + t.staffed_s);
  c.expect(t.scheduled_s >= 0.0 && t.staffed_s >= 0.0 && t.busy_s >= 0.0 && t.wrap_s >= 0.0 &&
               t.break_s >= 0.0 && t.shrinkage_s >= 0.0 && t.interrupted_s >= 0.0,
           "no negative agent time", at);
  c.expect(t.busy_s <= t.staffed_s + eps, "busy <= staffed",
           at + ": busy " + std::to_string(t.busy_s) + " s, staffed " + std::to_string(t.staffed_s) + " s");
  c.expect(t.wrap_s <= t.busy_s + eps, "wrap <= busy", at);
  c.expect(t.busy_s + t.break_s + t.shrinkage_s + t.interrupted_s <= t.staffed_s + eps,
           "busy + break + shrinkage + interrupted <= staffed",
           at + ": busy " + std::to_string(t.busy_s) + " + break " + std::to_string(t.break_s) +
               " + shrinkage " + std::to_string(t.shrinkage_s) + " + interrupted " +
               std::to_string(t.interrupted_s) + " > staffed " + std::to_string(t.staffed_s));
}

// Relations inside one replication's results.
void check_replication(Checker& c, const model::Model& m, const model::ReplicationResult& r, std::size_t p,
                       std::size_t rep) {
  const auto series = static_cast<std::size_t>(r.series), types = static_cast<std::size_t>(m.types);
  const auto groups = static_cast<std::size_t>(m.groups);
  auto name = [&](std::size_t s) { return s < types ? "type " + std::to_string(s) : std::string("all"); };
  for (std::size_t i = 0; i < r.contacts_by_interval.size(); ++i)
    check_counts(c, r.contacts_by_interval[i].counts,
                 where(p, rep, "interval " + std::to_string(i / series) + ", " + name(i % series)));
  for (std::size_t i = 0; i < r.contacts_per_day.size(); ++i)
    check_counts(c, r.contacts_per_day[i].counts,
                 where(p, rep, "day " + std::to_string(i / series) + ", " + name(i % series)));
  for (std::size_t s = 0; s < r.contacts_by_day.size(); ++s)
    check_counts(c, r.contacts_by_day[s].counts, where(p, rep, "run total, " + name(s)));
  // "all" is the sum of the types, and the days add up to their intervals after each day's warm-up.
  std::vector<model::ContactCounts> run_total(series), measured_total(series);
  for (std::size_t i = 0; i < r.contacts_by_interval.size(); ++i) {
    run_total[i % series].add(r.contacts_by_interval[i].counts);
    if (static_cast<int>(i / series) % m.intervals_per_day >= m.warmup_intervals)
      measured_total[i % series].add(r.contacts_by_interval[i].counts);
  }
  std::vector<model::ContactCounts> days_total(series);
  for (std::size_t i = 0; i < r.contacts_per_day.size(); ++i)
    days_total[i % series].add(r.contacts_per_day[i].counts);
  for (std::size_t s = 0; s < series; ++s)
    c.expect(days_total[s].offered == measured_total[s].offered &&
                 days_total[s].answered == measured_total[s].answered,
             "days add up to intervals", where(p, rep, name(s)));
  if (series > types) {
    model::ContactCounts sum;
    for (std::size_t t = 0; t < types; ++t) sum.add(run_total[t]);
    c.expect(sum.offered == run_total[types].offered && sum.answered == run_total[types].answered &&
                 sum.abandoned == run_total[types].abandoned,
             "all = sum of types", where(p, rep, "run"));
  }
  for (std::size_t i = 0; i < r.agents_by_interval.size(); ++i) {
    const std::string at =
        where(p, rep, "interval " + std::to_string(i / groups) + ", group " + std::to_string(i % groups));
    check_time(c, r.agents_by_interval[i], at);
    const double most = m.agents[i % groups] * m.interval_s;
    c.expect(r.agents_by_interval[i].staffed_s <= most + 1e-6, "staffed <= head count x interval",
             at + ": staffed " + std::to_string(r.agents_by_interval[i].staffed_s) + " s of at most " +
                 std::to_string(most));
  }
  for (std::size_t i = 0; i < r.agents_per_day.size(); ++i)
    check_time(c, r.agents_per_day[i],
               where(p, rep, "day " + std::to_string(i / groups) + ", group " + std::to_string(i % groups)));
  for (std::size_t g = 0; g < r.agents_by_day.size(); ++g)
    check_time(c, r.agents_by_day[g], where(p, rep, "run, group " + std::to_string(g)));
  for (std::size_t g = 0; g < r.breaks_by_day.size(); ++g) {
    const auto& b = r.breaks_by_day[g];
    c.expect(b.taken <= b.planned && b.late <= b.taken && b.delay_s >= 0.0, "breaks taken <= planned",
             where(p, rep, "group " + std::to_string(g)) + ": planned " + std::to_string(b.planned) +
                 ", taken " + std::to_string(b.taken) + ", late " + std::to_string(b.late));
  }
  // Who served whom adds up to answered; transfers bring contacts only where they count as offered.
  const std::size_t edges = m.skills.size(), tedges = static_cast<std::size_t>(m.transfer_edges);
  std::vector<std::uint64_t> served(types, 0), in(types, 0), out(types, 0);
  for (std::size_t i = 0; i < r.served_by_interval.size(); ++i)
    served[m.skills[i % edges].type] += r.served_by_interval[i].answered;
  for (std::size_t t = 0; t < types; ++t)
    for (const auto& x : m.transfers_from[t])
      for (std::size_t k = 0; k < static_cast<std::size_t>(m.intervals); ++k) {
        in[x.to] += r.transfers_by_interval[k * tedges + x.edge];
        out[t] += r.transfers_by_interval[k * tedges + x.edge];
      }
  for (std::size_t t = 0; t < types; ++t) {
    const std::string at = where(p, rep, "run, type " + std::to_string(t));
    c.expect(served[t] == run_total[t].answered, "who served whom = answered",
             at + ": " + std::to_string(served[t]) + " by skill edges, " +
                 std::to_string(run_total[t].answered) + " answered");
    c.expect(out[t] <= run_total[t].answered, "transferred out <= answered", at);
    bool external = false;
    for (int k = 0; k < m.intervals; ++k) external = external || m.rate_at(static_cast<int>(t), k) > 0.0;
    external = external || !m.appointments[t].slots_s.empty();
    // Without arrivals of its own a type's attempts are transfers (never blocked) and redials as it.
    const std::uint64_t in_or_redialled = in[t] + run_total[t].redials,
                        attempts =
                            run_total[t].offered + run_total[t].blocked + run_total[t].callbacks_accepted;
    c.expect(external ? in_or_redialled <= attempts : in_or_redialled == attempts,
             "transferred in + redials = offered + blocked + callbacks accepted",
             at + ": " + std::to_string(in[t]) + " transferred in, " + std::to_string(run_total[t].redials) +
                 " redials, " + std::to_string(run_total[t].offered) + " offered, " +
                 std::to_string(run_total[t].blocked) + " blocked");
  }
}

// Relations that name a known rule of the workday (README, issue 10's decisions).
void check_rules(Checker& c, const model::Model& m, const model::ReplicationResult& r, std::size_t p,
                 std::size_t rep) {
  const auto types = static_cast<std::size_t>(m.types), series = static_cast<std::size_t>(r.series);
  std::vector<model::ContactCounts> total(types);
  for (std::size_t i = 0; i < r.contacts_by_interval.size(); ++i)
    if (i % series < types) total[i % series].add(r.contacts_by_interval[i].counts);
  // Groups without shifts serve the queue until it is empty (README): a real-time type that only such
  // groups serve, with nobody absent, leaves nobody unserved — if every day has such an agent (a list of
  // agents for the whole run may leave a day with nobody: that day's queue is unserved at night).
  for (std::size_t t = 0; t < types; ++t) {
    if (m.channel[t] == scenario::Channel::email) continue;
    bool all_day = true;
    for (const model::Route& route : m.groups_for_type[t]) {
      bool staffed = m.absence[route.group] == 0.0 && m.agents[route.group] > 0;
      for (int d = 0; d < m.days; ++d) {
        bool on_day = false;
        for (const model::RosterAgent& a : m.roster)
          if (a.group == route.group && (a.day < 0 || a.day == d)) on_day = true;
        staffed = staffed && on_day;
      }
      for (const model::RosterAgent& a : m.roster)
        if (a.group == route.group) staffed = staffed && a.until_queue_empty;
      all_day = all_day && staffed;
    }
    c.expect(
        !all_day || total[t].unserved == 0, "all-day agents leave nobody unserved",
        where(p, rep, "type " + std::to_string(t)) + ": " + std::to_string(total[t].unserved) + " unserved");
  }
  // A deterministic talk time and wrap-up are reported as they are: talk x location factor x chat slowdown
  // + wrap-up, per answered contact.
  double fmin = 1.0, fmax = 1.0;
  for (const auto& l : m.locations)
    fmin = std::min(fmin, l.handle_time_factor), fmax = std::max(fmax, l.handle_time_factor);
  for (std::size_t t = 0; t < types; ++t) {
    bool fixed =
        m.handle_time[t].variance() == 0.0 && m.wrap_up[t].variance() == 0.0 && total[t].answered > 0;
    for (int k = 0; k < m.intervals; ++k)
      fixed = fixed &&
              m.handle_scale[t * static_cast<std::size_t>(m.intervals) + static_cast<std::size_t>(k)] == 1.0;
    if (!fixed) continue;
    double smin = 1.0, smax = 1.0;
    for (double x : m.slowdown[t]) smin = std::min(smin, x), smax = std::max(smax, x);
    const double talk = m.handle_time[t].mean(), wrap = m.wrap_up[t].mean();
    const double aht = total[t].handle_s / static_cast<double>(total[t].answered);
    c.expect(aht >= talk * fmin * smin + wrap - 1e-6 && aht <= talk * fmax * smax + wrap + 1e-6,
             "a deterministic handle time is reported as it is",
             where(p, rep, "type " + std::to_string(t)) + ": AHT " + std::to_string(aht) + " s for talk " +
                 std::to_string(talk) + " s + wrap-up " + std::to_string(wrap) + " s");
  }
  // One day without warm-up: the day table is the run's total.
  if (m.days == 1 && m.warmup_intervals == 0) {
    testing::Differ d;
    for (std::size_t s = 0; s < series; ++s)
      d.counts("series " + std::to_string(s), r.contacts_per_day[s].counts, r.contacts_by_day[s].counts);
    c.expect(d.first().empty(), "one day without warm-up: the day is the run", where(p, rep, d.first()));
  }
  // Every planned break is taken (an agent busy when it falls due takes it after the contact in hand), or
  // forfeited when that contact outlasts the agent's shift.
  for (std::size_t g = 0; g < r.breaks_by_day.size(); ++g)
    c.expect(r.breaks_by_day[g].taken + r.breaks_by_day[g].forfeited == r.breaks_by_day[g].planned,
             "every planned break is taken or forfeited at the shift's end",
             where(p, rep, "group " + std::to_string(g)) + ": planned " +
                 std::to_string(r.breaks_by_day[g].planned) + ", taken " +
                 std::to_string(r.breaks_by_day[g].taken) + ", forfeited " +
                 std::to_string(r.breaks_by_day[g].forfeited));
}

// Money (README, "Costs"): the staff cost is every group's and location's paid hours at the group's rate plus
// the location's, paid hours are the rostered time (absent agents' too unless absence is not paid), lost
// contacts cost their type's price, and the days and intervals add up to the run.
void check_costs(Checker& c, const scenario::Scenario& s, const model::Model& m,
                 const model::ReplicationResult& r, std::size_t p, std::size_t rep) {
  const std::size_t groups = s.agent_groups.size(), locations = s.locations.size();
  const auto types = static_cast<std::size_t>(m.types);
  const model::CostCell& run = r.costs_by_day;
  double staff = 0.0, paid = 0.0;
  for (std::size_t g = 0; g < groups; ++g) {
    double group_paid = 0.0;
    for (std::size_t l = 0; l < locations; ++l) {
      const double x = r.paid_by_day[g * locations + l];
      staff += (s.agent_groups[g].cost_per_hour + s.locations[l].cost_per_hour) * x / 3600.0;
      group_paid += x;
    }
    paid += group_paid;
    const double scheduled = r.agents_by_day[g].scheduled_s, eps = 1e-9 * (1.0 + scheduled);
    c.expect(s.costs.absence_paid ? std::abs(group_paid - scheduled) <= eps : group_paid <= scheduled + eps,
             "paid hours are rostered time",
             where(p, rep, "group " + std::to_string(g)) + ": paid " + std::to_string(group_paid) +
                 " s, scheduled " + std::to_string(scheduled) + " s");
  }
  double abandon = 0.0, unserved = 0.0;
  for (std::size_t t = 0; t < types; ++t) {
    abandon +=
        s.contact_types[t].cost_per_abandoned * static_cast<double>(r.contacts_by_day[t].counts.abandoned);
    unserved +=
        s.contact_types[t].cost_per_unserved * static_cast<double>(r.contacts_by_day[t].counts.unserved);
  }
  auto near = [](double a, double b) { return std::abs(a - b) <= 1e-9 * (1.0 + std::abs(a) + std::abs(b)); };
  c.expect(near(run.paid_s, paid) && near(run.staff, staff) && near(run.abandon, abandon) &&
               near(run.unserved, unserved),
           "cost = rate x paid hours + price x lost contacts",
           where(p, rep, "run") + ": staff " + std::to_string(run.staff) + " vs " + std::to_string(staff) +
               ", abandon " + std::to_string(run.abandon) + " vs " + std::to_string(abandon) + ", unserved " +
               std::to_string(run.unserved) + " vs " + std::to_string(unserved));
  model::CostCell days, intervals;
  for (const auto& d : r.costs_per_day) days.add(d);
  for (std::size_t k = 0; k < r.costs_by_interval.size(); ++k)
    if (static_cast<int>(k) % m.intervals_per_day >= m.warmup_intervals)
      intervals.add(r.costs_by_interval[k]);
  c.expect(near(days.total(), run.total()) && near(intervals.total(), run.total()) &&
               near(intervals.paid_s, run.paid_s),
           "days and intervals add up to the run's cost",
           where(p, rep, "run") + ": days " + std::to_string(days.total()) + ", intervals " +
               std::to_string(intervals.total()) + ", run " + std::to_string(run.total()));
}

// Types whose every contact arrives on its own (no transfer leads to them): the same customers under
// every policy (common random numbers), so their offered counts agree per interval.
void check_common_customers(Checker& c, const model::Model& m, const std::vector<model::Results>& res) {
  std::vector<bool> fed(static_cast<std::size_t>(m.types), false);
  for (const auto& from : m.transfers_from)
    for (const auto& x : from) fed[x.to] = true;
  const auto series = static_cast<std::size_t>(res[0].by_replication[0].series);
  for (std::size_t p = 1; p < res.size(); ++p)
    for (std::size_t rep = 0; rep < res[p].by_replication.size(); ++rep)
      for (std::size_t i = 0; i < res[p].by_replication[rep].contacts_by_interval.size(); ++i) {
        const std::size_t t = i % series;
        if (t >= fed.size() || fed[t]) continue;
        const auto& a = res[0].by_replication[rep].contacts_by_interval[i].counts;
        const auto& b = res[p].by_replication[rep].contacts_by_interval[i].counts;
        // Offered attempts depend on the policy where callers find no place or call again; customers never.
        const bool same_offered = (m.redials || m.limited || m.callbacks) || a.offered == b.offered;
        c.expect(same_offered && a.customers == b.customers && a.appointments == b.appointments &&
                     a.no_shows == b.no_shows,
                 "same customers under every policy",
                 where(p, rep, "interval " + std::to_string(i / series) + ", type " + std::to_string(t)) +
                     ": offered " + std::to_string(a.offered) + " vs " + std::to_string(b.offered));
      }
}

void compare_runs(Checker& c, const std::vector<model::Results>& a, const std::vector<model::Results>& b,
                  const std::string& relation, bool day_totals_only, double tolerance = 0.0) {
  for (std::size_t p = 0; p < a.size() && p < b.size(); ++p)
    for (std::size_t rep = 0; rep < a[p].by_replication.size() && rep < b[p].by_replication.size(); ++rep) {
      testing::Differ d(tolerance);
      if (day_totals_only)
        d.day_totals(a[p].by_replication[rep], b[p].by_replication[rep]);
      else
        d.all(a[p].by_replication[rep], b[p].by_replication[rep]);
      if (!d.first().empty()) return c.fail(relation, where(p, rep, d.first()));
    }
}

// Sweeps (every fourth case, from a `sweep` section added to the file): two identical points give identical
// results, and a point is the plain study with the same --set (the sweep runs on 2 threads, batched).
void check_sweep(Checker& c, const std::string& yaml, const std::string& file) {
  const std::string text = yaml + "sweep:\n  grid:\n    service_level.tau: [20s, 20s, 45s]\n";
  bool zip = false;
  const scenario::Sweep sweep = scenario::combine(scenario::file_axes(text, file, &zip), zip);
  scenario::validate_points(text, file, {}, sweep, [](const scenario::Study&) {});
  model::RunOptions o;
  o.seed = scenario::parse_study(text, file).policies[0].seed;
  o.replications = 2;
  o.threads = 2;
  o.check_invariants = true;
  o.keep_replications = true;
  std::vector<std::vector<model::Results>> points;
  model::run_sweep(
      0, 3, [&](int i) { return scenario::point_study(text, file, {}, sweep, static_cast<std::size_t>(i)); },
      o,
      [&](int, const scenario::Study&, std::vector<model::Results>& r) { points.push_back(std::move(r)); });
  compare_runs(c, points[0], points[1], "a sweep's identical points give identical results", false);
  compare_runs(
      c, points[2],
      run(scenario::parse_study(yaml, file, scenario::command_line_overrides({"service_level.tau=45s"})), 1),
      "a sweep point equals the plain run with the same --set", false);
}

// Runs one generated case; returns what broke.
std::vector<Failure> check_case(const testing::RandomScenario& rs) {
  Checker c;
  const std::string file = "random-" + std::to_string(rs.seed) + ".yaml";
  try {
    const scenario::Study study = scenario::parse_study(rs.yaml, file);
    const auto one = run(study, 1, true);
    for (std::size_t p = 0; p < one.size(); ++p) {
      const model::Model m = model::build_model(study.policies[p]);
      for (std::size_t rep = 0; rep < one[p].by_replication.size(); ++rep) {
        check_replication(c, m, one[p].by_replication[rep], p, rep);
        check_rules(c, m, one[p].by_replication[rep], p, rep);
        check_costs(c, study.policies[p], m, one[p].by_replication[rep], p, rep);
      }
      for (const auto& b : testing::record_relations(m, one[p], p)) c.fail(b.relation, b.detail);
    }
    check_common_customers(c, model::build_model(study.policies[0]), one);
    if (rs.identical_policies) {
      const std::vector<model::Results> first{one[0]}, second{one[1]};
      compare_runs(c, first, second, "identical policies give identical results", false);
    }
    // The first run keeps records and this one does not: records change no draw and no result.
    compare_runs(c, one, run(study, 2), "1 and 2 threads (and records on or off) give identical results",
                 false);
    if (rs.seed % 4 == 0) check_sweep(c, rs.yaml, file);
    for (const auto& f : testing::check_start_states(study, rs.seed)) c.fail(f.relation, f.detail);
    if (rs.aligned) {
      const auto quarter = run(scenario::parse_study(rs.yaml_quarter, file), 1);
      // Counts always agree exactly; sums of seconds to the last bit only where the model accumulates day
      // totals directly rather than adding up the intervals (quarters add the same terms in another order).
      compare_runs(c, one, quarter, "15- and 60-minute intervals give the same day totals", true,
                   bit_identical_resolution() ? 0.0 : 1e-9);
    }
  } catch (const InputError& e) {
    c.fail("the scenario parses", e.what());
  } catch (const SimulationError& e) {
    c.fail("invariants hold at every event", e.what());
  } catch (const std::exception& e) {
    c.fail("runs without an exception", e.what());
  }
  return c.failures;
}

}  // namespace

TEST_CASE("random scenarios keep the model's relations", "[random]") {
  // CCSIM_RANDOM_FILE=X.yaml checks a scenario written by hand (a minimised failure), with its 15-minute
  // twin from CCSIM_RANDOM_QUARTER_FILE if given; policies "as written" and "unchanged" must agree.
  if (const char* path = std::getenv("CCSIM_RANDOM_FILE")) {
    testing::RandomScenario rs;
    auto read = [](const char* p) {
      std::ifstream in(p);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    rs.yaml = read(path);
    rs.identical_policies = rs.yaml.find("- name: unchanged") != std::string::npos;
    if (const char* quarter = std::getenv("CCSIM_RANDOM_QUARTER_FILE")) {
      rs.aligned = true;
      rs.yaml_quarter = read(quarter);
    }
    for (const auto& f : check_case(rs)) FAIL_CHECK(f.relation << " — " << f.detail);
    return;
  }
  const std::uint64_t first = env_number("CCSIM_RANDOM_SEED", kFirstSeed);
  const auto cases = static_cast<int>(env_number("CCSIM_RANDOM_CASES", kDefaultCases));
  const char* dump = std::getenv("CCSIM_RANDOM_DUMP");
  std::map<std::string, int> by_relation;
  for (int i = 0; i < cases; ++i) {
    const testing::RandomScenario rs = testing::random_scenario(first + static_cast<std::uint64_t>(i));
    // CCSIM_RANDOM_WRITE=DIR keeps every scenario (the run fuzzer's seed corpus, fuzz/corpus_run, came so).
    if (const char* keep = std::getenv("CCSIM_RANDOM_WRITE"))
      std::ofstream(std::string(keep) + "/random-" + std::to_string(rs.seed) + ".yaml") << rs.yaml;
    const auto failures = check_case(rs);
    if (failures.empty()) continue;
    std::string msg = "seed " + std::to_string(rs.seed) + " broke:";
    // The whole scenario for the first few cases of each relation; the rest by seed, so that a relation
    // broken in every case does not bury the others.
    bool show = false;
    for (const auto& f : failures) {
      msg += "\n  " + f.relation + " — " + f.detail;
      show = show || ++by_relation[f.relation] <= 3;
    }
    if (dump) {
      const std::string stem = std::string(dump) + "/random-" + std::to_string(rs.seed);
      std::ofstream(stem + ".yaml") << rs.yaml;
      if (rs.aligned) std::ofstream(stem + "-quarter.yaml") << rs.yaml_quarter;
    }
    msg += "\nrerun: CCSIM_RANDOM_SEED=" + std::to_string(rs.seed) + " CCSIM_RANDOM_CASES=1";
    if (show)
      msg += "\n--- scenario ---\n" + rs.yaml +
             (rs.aligned ? "--- in 15-minute intervals ---\n" + rs.yaml_quarter : "");
    FAIL_CHECK(msg);
  }
  std::string summary;
  for (const auto& [relation, n] : by_relation) summary += "\n  " + std::to_string(n) + " cases: " + relation;
  INFO("cases " << cases << " from seed " << first << summary);
  CHECK(by_relation.empty());
}
