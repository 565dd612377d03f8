#include "model/model.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/erlang.hpp"
#include "common/error.hpp"
#include "engine/calendar.hpp"
#include "model/results.hpp"

namespace ccsim::model {

namespace {

// Agent i of n works from home when the running count of home agents steps up at i: home agents are
// spread evenly through a pattern rather than bunched at its start.
bool at_home(int i, double share) {
  auto upto = [&](int k) { return static_cast<long long>(std::floor(k * share + 1e-9)); };
  return share > 0.0 && upto(i + 1) > upto(i);
}

// A list of available agents per interval as roster entries: agent i is on duty in the intervals whose count
// exceeds i, one entry per contiguous run within a day. When the count drops, the highest-numbered agents go
// (busy ones after their contact, the shift-end rule); one on duty at closing stays until the queue is empty,
// as an all-day agent does, so a constant list is the same roster as `agents: N` (with a list for the whole
// run, only on its last day).
template <class LocationOf>
void add_interval_list(const scenario::Scenario& s, std::uint32_t group, Model& m, LocationOf location_of) {
  const std::vector<int>& count = s.agent_groups[group].agents_by_interval;
  const int per_day = s.intervals;
  const bool whole_run = count.size() != static_cast<std::size_t>(per_day);
  const int days = whole_run ? s.days : 1;
  const int most = *std::max_element(count.begin(), count.end());
  // The head count is the largest day's number of stints: like a second shift, an agent's return after a
  // gap counts as another agent, so staffed time never exceeds head count x interval even while someone
  // who left finishes a contact.
  std::vector<int> stints(static_cast<std::size_t>(days), 0);
  for (int i = 0; i < most; ++i)
    for (int d = 0; d < days; ++d)
      for (int k = 0; k < per_day;) {
        auto on = [&](int j) { return count[static_cast<std::size_t>(d * per_day + j)] > i; };
        if (!on(k)) {
          ++k;
          continue;
        }
        const int from = k;
        while (k < per_day && on(k)) ++k;
        // Staying past closing needs the next day's shift start to renew the agent's shift end, which a
        // day's own entry never gets: before the last day, those on duty at closing leave as at a shift end.
        const bool stays = k == per_day && (!whole_run || d == days - 1);
        m.roster.push_back(
            {group, location_of(i), from * s.interval_s, k * s.interval_s, {}, stays, whole_run ? d : -1});
        ++stints[static_cast<std::size_t>(d)];
      }
  m.agents[group] = *std::max_element(stints.begin(), stints.end());
}

void build_roster(const scenario::Scenario& s, Model& m) {
  const double open = s.open_s;
  const int home = scenario::home_location(s);
  for (const auto& loc : s.locations)
    m.locations.push_back({loc.handle_time_factor,
                           loc.interruptions_per_hour > 0.0 ? 3600.0 / loc.interruptions_per_hour : 0.0,
                           loc.interruption_duration});
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    const auto& group = s.agent_groups[g];
    const auto gi = static_cast<std::uint32_t>(g);
    m.absence.push_back(group.absence);
    auto location_of = [&](int i, int fixed) {
      if (fixed >= 0) return static_cast<std::uint32_t>(fixed);
      return static_cast<std::uint32_t>(at_home(i, group.home_share) ? home : 0);
    };
    // Meetings belong to all-day groups as much as to rostered ones.
    for (const auto& k : group.shrinkage)
      m.shrinkage.push_back({gi, k.start_s - open, k.end_s - open, k.agents});
    if (!group.agents_by_interval.empty()) {
      add_interval_list(s, gi, m, [&](int i) { return location_of(i, -1); });
      continue;
    }
    if (group.shifts.empty()) {
      for (int i = 0; i < group.agents; ++i)
        m.roster.push_back({gi, location_of(i, -1), 0.0, s.day_length_s(), {}, true});
      continue;
    }
    int head_count = 0;
    for (const auto& sh : group.shifts) {
      head_count += sh.agents;
      for (int i = 0; i < sh.agents; ++i) {
        RosterAgent a{gi, location_of(i, sh.location), sh.start_s - open, sh.end_s - open, {}};
        for (const auto& b : sh.breaks) {
          // Staggered: the pattern's agents spread evenly from the earliest to the latest start.
          double start = b.earliest_s;
          if (sh.agents > 1) start += (b.latest_s - b.earliest_s) * i / (sh.agents - 1);
          a.breaks.push_back({start - open, b.duration_s});
        }
        if (sh.days.empty()) {
          m.roster.push_back(a);
          continue;
        }
        // A tour worked on some days only: one entry per day it is worked (the person is counted once).
        for (int d : sh.days) {
          a.day = d;
          m.roster.push_back(a);
        }
      }
    }
    m.agents[g] = head_count;
  }
}

}  // namespace

namespace {

// Seconds of [start, end) — times of a day's roster, from opening — inside run interval g, counting the
// roster of the interval's own day and, for what crosses midnight, of the day before (rosters repeat daily
// from the first day on).
double roster_overlap(const Model& m, double start, double end, int g, int only_day = -1) {
  const double from = m.interval_start(g), to = from + m.interval_s;
  const int day = g / m.intervals_per_day;
  double t = 0.0;
  for (int d = std::max(0, day - 1); d <= day; ++d) {
    if (only_day >= 0 && d != only_day) continue;
    const double offset = d * Model::kDayPeriod;
    t += std::max(0.0, std::min(end + offset, to) - std::max(start + offset, from));
  }
  return t;
}

}  // namespace

std::vector<GroupCapacity> planned_capacity(const Model& m, int interval) {
  std::vector<GroupCapacity> out(static_cast<std::size_t>(m.groups));
  std::vector<double> seconds(out.size(), 0.0), factor(out.size(), 0.0), interrupted(out.size(), 0.0);
  for (const auto& a : m.roster) {
    double t = roster_overlap(m, a.start_s, a.end_s, interval, a.day);
    for (const auto& b : a.breaks)
      t -= roster_overlap(m, b.start_s, b.start_s + b.duration_s, interval, a.day);
    t *= 1.0 - m.absence[a.group];
    const LocationModel& loc = m.locations[a.location];
    seconds[a.group] += t;
    factor[a.group] += t * loc.handle_time_factor;
    if (loc.interruption_gap_s > 0.0)
      interrupted[a.group] += t * loc.interruption_duration.mean() / loc.interruption_gap_s;
  }
  for (std::size_t g = 0; g < out.size(); ++g) {
    out[g].talk_factor = seconds[g] > 0.0 ? factor[g] / seconds[g] : 1.0;
    out[g].interrupted_per_idle = seconds[g] > 0.0 ? interrupted[g] / seconds[g] : 0.0;
    out[g].servers_per_agent = g < m.chat_servers.size() ? m.chat_servers[g] : 1;
  }
  // Meetings take agents from wherever they work: the group's mix of locations is kept.
  for (const auto& k : m.shrinkage)
    seconds[k.group] -= k.agents * roster_overlap(m, k.start_s, k.end_s, interval);
  for (std::size_t g = 0; g < out.size(); ++g) out[g].agents = std::max(0.0, seconds[g] / m.interval_s);
  return out;
}

std::vector<double> planned_agents(const Model& m, int interval) {
  std::vector<double> out;
  for (const GroupCapacity& c : planned_capacity(m, interval)) out.push_back(c.agents);
  return out;
}

double effective_handle(const Model& m, const std::vector<GroupCapacity>& capacity, int type, int interval) {
  const auto t = static_cast<std::size_t>(type);
  double agents = 0.0, factor = 0.0;
  for (const Route& r : m.groups_for_type[t]) {
    agents += capacity[r.group].agents;
    factor += capacity[r.group].agents * capacity[r.group].talk_factor;
  }
  double talk =
      m.handle_time[t].mean() *
      m.handle_scale[t * static_cast<std::size_t>(m.intervals) + static_cast<std::size_t>(interval)];
  talk *= agents > 0.0 ? factor / agents : 1.0;
  if (m.traits[t].chat) talk *= m.slowdown[t][static_cast<std::size_t>(m.concurrency[t] - 1)];
  return talk + m.wrap_up[t].mean();
}

std::vector<double> scheduled_seconds(const Model& m) {
  const auto groups = static_cast<std::size_t>(m.groups);
  std::vector<double> out(static_cast<std::size_t>(m.intervals) * groups, 0.0);
  for (const RosterAgent& a : m.roster)
    for (int g = 0; g < m.intervals; ++g)
      out[static_cast<std::size_t>(g) * groups + a.group] += roster_overlap(m, a.start_s, a.end_s, g, a.day);
  return out;
}

namespace {

// The engine's calendar holds at most engine::Calendar::kMaxPending events at once. A replication schedules
// its whole roster up front (every agent's shift start and end and breaks, every day), its shrinkage blocks,
// appointments and interval ends, and then holds a few events per agent in flight (a contact's or each
// chat's end, wrap-up, a break's end, an interruption): refused before anything runs when that could exceed
// the limit.
void check_calendar_limit(const Model& m, const scenario::Scenario& s) {
  double up_front = static_cast<double>(m.intervals) + static_cast<double>(m.shrinkage.size()) * m.days;
  for (const RosterAgent& r : m.roster)
    up_front += (2.0 + static_cast<double>(r.breaks.size())) * (r.day >= 0 ? 1.0 : m.days);
  for (const AppointmentModel& a : m.appointments) up_front += static_cast<double>(a.slots_s.size()) * m.days;
  const int concurrency =
      m.concurrency.empty() ? 1 : *std::max_element(m.concurrency.begin(), m.concurrency.end());
  const double in_flight = static_cast<double>(m.roster.size()) * (concurrency + 4.0);
  const double bound = up_front + in_flight;
  if (bound > static_cast<double>(engine::Calendar::kMaxPending))
    throw InputError(s.source_path + ": up to " + std::to_string(static_cast<long long>(bound)) +
                     " events would be pending at once in a replication (" + std::to_string(m.roster.size()) +
                     " rostered agents' shifts and breaks on each of " + std::to_string(m.days) +
                     " days), beyond the engine's limit of " + std::to_string(engine::Calendar::kMaxPending) +
                     ": run fewer days or agents per scenario");
}

}  // namespace

Model build_model(const scenario::Scenario& s) {
  Model m;
  m.types = static_cast<int>(s.contact_types.size());
  m.groups = static_cast<int>(s.agent_groups.size());
  m.days = s.days;
  m.intervals_per_day = s.intervals;
  m.intervals = s.days * s.intervals;
  m.warmup_intervals = s.warmup_intervals;
  m.interval_s = s.interval_s;
  m.day_length_s = s.day_length_s();
  m.day_end_s = (m.days - 1) * Model::kDayPeriod + m.day_length_s;
  m.tau_s = s.tau_s;
  m.short_abandon_s = s.short_abandon_s;
  m.agent_selection = s.routing.agent_selection;
  m.busyness_cv = s.busyness_cv;
  m.appointments_first = s.routing.appointments_first;
  m.announcement = s.announcement;
  m.early_wait_for_slot = s.routing.early_wait_for_slot;
  m.contact_selection = s.routing.contact_selection;
  m.costs = cost_rates(s);
  m.absence_paid = s.costs.absence_paid;
  m.rate.reserve(static_cast<std::size_t>(m.types * m.intervals));
  m.transfers_from.resize(static_cast<std::size_t>(m.types));
  for (std::size_t t = 0; t < s.contact_types.size(); ++t) {
    const auto& ct = s.contact_types[t];
    for (int g = 0; g < m.intervals; ++g) {
      const auto d = static_cast<std::size_t>(g / s.intervals), k = static_cast<std::size_t>(g % s.intervals);
      const double volume = !ct.volume_by_day.empty()
                                ? ct.volume_by_day[static_cast<std::size_t>(g)]
                                : ct.volume[k] * (s.day_profile.empty() ? 1.0 : s.day_profile[d]);
      m.rate.push_back(volume / s.interval_s);
      // A forecast AHT is one per interval of a day (repeated every day) or, with a day column, per interval
      // of the run.
      double aht = ct.handle_time.mean();
      if (ct.aht.size() == static_cast<std::size_t>(s.intervals))
        aht = ct.aht[k];
      else if (!ct.aht.empty())
        aht = ct.aht[static_cast<std::size_t>(g)];
      m.handle_scale.push_back(aht / ct.handle_time.mean());
    }
    m.handle_time.push_back(ct.handle_time);
    m.patience.push_back(ct.patience);
    m.wrap_up.push_back(ct.wrap_up);
    m.channel.push_back(ct.channel);
    m.balk_at_queue.push_back(ct.balk_at_queue);
    m.concurrency.push_back(ct.channel == scenario::Channel::chat ? ct.concurrency : 1);
    m.slowdown.push_back(ct.slowdown.empty()
                             ? std::vector<double>(static_cast<std::size_t>(m.concurrency.back()), 1.0)
                             : ct.slowdown);
    m.deferrable_work |= ct.channel == scenario::Channel::email;
    AppointmentModel am;
    if (ct.has_appointments) {
      for (double slot : ct.appointments.slots_s) am.slots_s.push_back(slot - s.open_s);
      am.punctuality = ct.appointments.punctuality;
      am.no_show = ct.appointments.no_show;
      am.on_time_s = ct.appointments.on_time_within_s;
    }
    m.appointments.push_back(am);
    m.traits.push_back({ct.channel == scenario::Channel::chat, ct.channel == scenario::Channel::email,
                        ct.due_s, am.on_time_s});
    double cumulative = 0.0;
    for (const auto& x : ct.transfers) {
      cumulative += x.probability;
      m.transfers_from[t].push_back(
          {static_cast<std::uint32_t>(x.to), static_cast<std::uint32_t>(m.transfer_edges++), cumulative});
    }
  }
  build_redials(s, m);
  // Runs of intervals with the same rate within a day: arrivals are drawn across a run in one step, so 15-
  // and 60-minute intervals give the same arrival times to the last bit.
  m.rate_run_end.resize(m.rate.size());
  for (int t = 0; t < m.types; ++t)
    for (int k = m.intervals - 1; k >= 0; --k) {
      const auto i = static_cast<std::size_t>(t * m.intervals + k);
      const bool joins =
          k + 1 < m.intervals && (k + 1) % m.intervals_per_day != 0 && m.rate[i + 1] == m.rate[i];
      m.rate_run_end[i] = joins ? m.rate_run_end[i + 1] : k + 1;
    }
  m.transfer_reach.resize(static_cast<std::size_t>(m.types));
  for (std::size_t t = 0; t < m.transfer_reach.size(); ++t) {
    std::vector<bool> seen(m.transfer_reach.size(), false);
    std::vector<std::uint32_t> todo{static_cast<std::uint32_t>(t)};
    seen[t] = true;
    while (!todo.empty()) {
      const std::uint32_t x = todo.back();
      todo.pop_back();
      m.transfer_reach[t].push_back(x);
      for (const TransferRoute& r : m.transfers_from[x])
        if (!seen[r.to]) seen[r.to] = true, todo.push_back(r.to);
    }
  }
  m.groups_for_type.resize(static_cast<std::size_t>(m.types));
  m.types_for_group.resize(static_cast<std::size_t>(m.groups));
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    m.agents.push_back(s.agent_groups[g].agents);
    for (const auto& k : s.agent_groups[g].skills) {
      // The type's traits, appointments and callbacks are built above: the free agent's ranking is known.
      const auto t = static_cast<std::size_t>(k.type);
      const bool walk_in = m.appointments_first && m.appointments[t].slots_s.empty();
      const bool ranks_by_priority =
          m.contact_selection == scenario::ContactSelection::priority_then_longest_waiting;
      const int rank =
          (m.traits[t].email ? 1 << 20 : 0) + (walk_in ? 1 << 19 : 0) + (ranks_by_priority ? k.priority : 0);
      Route r{static_cast<std::uint32_t>(k.type),
              static_cast<std::uint32_t>(g),
              static_cast<std::uint32_t>(m.skills.size()),
              k.priority,
              k.overflow_s,
              k.weight,
              rank,
              m.callback[t].any() && !m.callback[t].keep_place};
      m.skills.push_back(r);
      m.groups_for_type[static_cast<std::size_t>(k.type)].push_back(r);
      m.types_for_group[g].push_back(r);
    }
  }
  build_roster(s, m);
  // A group that takes only chats holds as many at once as the least concurrency among them: for the Erlang
  // column and the predictors it counts as that many servers per agent.
  for (int g = 0; g < m.groups; ++g) {
    int servers = 0;
    bool chat_only = true;
    for (const Route& r : m.types_for_group[static_cast<std::size_t>(g)]) {
      chat_only = chat_only && m.traits[r.type].chat;
      servers = servers == 0 ? m.concurrency[r.type] : std::min(servers, m.concurrency[r.type]);
    }
    m.chat_servers.push_back(chat_only ? std::max(1, servers) : 1);
  }
  for (int k = 0; k < m.intervals; ++k) {
    const std::vector<GroupCapacity> capacity = planned_capacity(m, k);
    for (int t = 0; t < m.types; ++t) m.effective_handle_s.push_back(effective_handle(m, capacity, t, k));
  }
  if (m.announcement.measure || m.callbacks)  // the predictors of announcements and callback offers
    for (int g = 0; g < m.intervals; ++g) {
      // Built below; the planned wait needs the routing tables, so it is filled after them.
      m.planned_wait_s.push_back(0.0);
    }
  // Best priority first; ties keep scenario order, so routing is deterministic.
  auto by_priority = [](const Route& a, const Route& b) { return a.priority < b.priority; };
  for (auto& v : m.groups_for_type) std::stable_sort(v.begin(), v.end(), by_priority);
  for (auto& v : m.types_for_group) std::stable_sort(v.begin(), v.end(), by_priority);
  for (int g = 0; g < static_cast<int>(m.planned_wait_s.size()); ++g) {
    const analysis::QueueMeasures q = queue_measures_once(erlang_a_input(m, g));
    m.planned_wait_s[static_cast<std::size_t>(g)] = q.stable && std::isfinite(q.asa) ? q.asa : 0.0;
  }
  check_calendar_limit(m, s);
  return m;
}

std::vector<double> offered_rates(const Model& m, int interval) {
  // Without transfers the system is the identity: the external rates, without a dense solve per call.
  bool transfers = false;
  for (const auto& from : m.transfers_from) transfers = transfers || !from.empty();
  if (!transfers) {
    std::vector<double> v;
    for (int t = 0; t < m.types; ++t) v.push_back(m.rate_at(t, interval));
    return v;
  }
  const auto n = static_cast<Eigen::Index>(m.types);
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd external(n);
  for (Eigen::Index t = 0; t < n; ++t) {
    external(t) = m.rate_at(static_cast<int>(t), interval);
    double previous = 0.0;
    for (const auto& x : m.transfers_from[static_cast<std::size_t>(t)]) {
      a(static_cast<Eigen::Index>(x.to), t) -= x.cumulative - previous;
      previous = x.cumulative;
    }
  }
  Eigen::VectorXd v = a.partialPivLu().solve(external);
  return {v.data(), v.data() + n};
}

}  // namespace ccsim::model
