#include "record_relations.hpp"

#include <cmath>
#include <map>
#include <set>

namespace ccsim::testing {
namespace {

using model::Outcome;

bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * (1.0 + std::fabs(a) + std::fabs(b));
}

std::string at(std::size_t policy, int rep, const std::string& cell) {
  return "policy " + std::to_string(policy) + ", replication " + std::to_string(rep) + ", " + cell;
}

// What the records say about one cell (interval x contact type) of one replication.
struct CellFromRecords {
  std::uint64_t offered = 0, answered = 0, abandoned = 0, balked = 0, unserved = 0, no_shows = 0,
                announced = 0, blocked = 0, redials = 0, callbacks = 0, called_back = 0, not_reached = 0,
                callbacks_unserved = 0;
  double callback_delay_s = 0.0;
  double wait_answered_s = 0.0, wait_abandoned_s = 0.0, wait_unserved_s = 0.0, handle_s = 0.0;
};

// Seconds of [from, to) inside the run's days, opening to closing (where the tally books agent time).
double inside_days(const model::Model& m, double from, double to) {
  double total = 0.0;
  for (int d = 0; d < m.days; ++d) {
    const double open = d * model::Model::kDayPeriod, close_at = open + m.day_length_s;
    total += std::max(0.0, std::min(to, close_at) - std::max(from, open));
  }
  return total;
}

}  // namespace

std::vector<RecordBreak> record_relations(const model::Model& m, const model::Results& results,
                                          std::size_t policy) {
  std::vector<RecordBreak> out;
  auto fail = [&](const std::string& relation, const std::string& detail) {
    for (const auto& b : out)
      if (b.relation == relation) return;
    out.push_back({relation, detail});
  };
  if (!results.records) return {{"records are kept", "no record store"}};
  const auto types = static_cast<std::size_t>(m.types), groups = static_cast<std::size_t>(m.groups);
  const auto reps = results.by_replication.size();
  std::vector<std::map<std::size_t, CellFromRecords>> cells(reps);
  std::vector<std::map<std::int64_t, model::ContactRecord>> transferred(reps);
  std::vector<std::vector<model::ContactRecord>> legs(reps);  // records with a parent
  std::vector<std::set<std::int64_t>> ids(reps);
  std::vector<std::set<std::int64_t>> first_calls(reps);
  std::vector<std::vector<model::ContactRecord>> redialled(reps);  // redials (attempt > 1, no parent)
  std::vector<std::map<std::int64_t, model::ContactRecord>> accepted(reps);  // callback_accepted, by id
  std::vector<std::vector<model::ContactRecord>> call_outs(reps);  // a callback's tries and its end unserved
  results.records->for_each_contacts([&](int rep, const std::vector<model::ContactRecord>& batch) {
    const auto r = static_cast<std::size_t>(rep);
    for (const model::ContactRecord& c : batch) {
      if (!ids[r].insert(c.contact).second)
        fail("record contact ids are unique", at(policy, rep, "contact " + std::to_string(c.contact)));
      CellFromRecords& x =
          cells[r][static_cast<std::size_t>(c.interval) * types + static_cast<std::size_t>(c.contact_type)];
      const bool call_out =
          c.outcome == Outcome::callback_completed || c.outcome == Outcome::callback_not_reached;
      // Rows of a callback's own (its tries, its end unserved) continue the caller's leg, not a transfer.
      const bool callback_row = call_out || c.outcome == Outcome::callback_unserved;
      x.offered += c.outcome != Outcome::no_show && c.outcome != Outcome::blocked &&
                   c.outcome != Outcome::callback_accepted && !callback_row;
      x.redials += c.attempt > 1 && c.parent < 0;
      if (c.attempt > 1 && c.parent < 0) redialled[r].push_back(c);
      if (c.attempt == 1 && c.parent < 0) first_calls[r].insert(c.contact);
      if (c.attempt < 1 || (c.parent < 0 && (c.attempt == 1) != (c.customer == c.contact)))
        fail("a first call is its own customer, a redial another's",
             at(policy, rep, "contact " + std::to_string(c.contact)));
      x.announced += !std::isnan(c.announced_s);
      switch (c.outcome) {
        case Outcome::answered:
        case Outcome::transferred:
          ++x.answered;
          x.wait_answered_s += c.wait_s;
          x.handle_s += c.handle_s + c.wrap_s;
          if (c.group < 0 || c.agent < 0 ||
              m.roster[static_cast<std::size_t>(c.agent)].group != static_cast<std::uint32_t>(c.group))
            fail("an answered record names its agent and the agent's group",
                 at(policy, rep, "contact " + std::to_string(c.contact)));
          break;
        case Outcome::abandoned:
          ++x.abandoned;
          x.wait_abandoned_s += c.wait_s;
          break;
        case Outcome::balked:
          ++x.abandoned, ++x.balked;
          break;
        case Outcome::unserved:
          ++x.unserved;
          x.wait_unserved_s += c.wait_s;
          break;
        case Outcome::no_show:
          ++x.no_shows;
          break;
        case Outcome::blocked:
          ++x.blocked;
          break;
        case Outcome::callback_accepted:
          ++x.callbacks;
          accepted[r][c.contact] = c;
          break;
        case Outcome::callback_completed:
        case Outcome::callback_not_reached:
          if (c.outcome == Outcome::callback_completed) {
            ++x.called_back;
            x.callback_delay_s += c.wait_s;
          } else {
            ++x.not_reached;
            if (!std::isnan(c.wait_s) || c.wrap_s != 0.0)
              fail("a call-out that did not reach its customer has no wait and no wrap-up",
                   at(policy, rep, "contact " + std::to_string(c.contact)));
          }
          if (c.group < 0 || c.agent < 0 ||
              m.roster[static_cast<std::size_t>(c.agent)].group != static_cast<std::uint32_t>(c.group) ||
              !(c.handle_s >= m.callback[static_cast<std::size_t>(c.contact_type)].ring_s - 1e-9))
            fail("a call-out names its agent and group and takes at least the ring",
                 at(policy, rep, "contact " + std::to_string(c.contact)));
          call_outs[r].push_back(c);
          break;
        case Outcome::callback_unserved:
          ++x.callbacks_unserved;
          if (!std::isnan(c.wait_s) || c.group >= 0 || c.agent >= 0)
            fail("a callback given up at the closing has no wait and no agent",
                 at(policy, rep, "contact " + std::to_string(c.contact)));
          call_outs[r].push_back(c);
          break;
      }
      if ((c.outcome == Outcome::transferred) != (c.transfer_to >= 0))
        fail("a transferred record names its target, no other does",
             at(policy, rep, "contact " + std::to_string(c.contact)));
      if (c.outcome == Outcome::transferred) transferred[r][c.contact] = c;
      if (c.parent >= 0 && !callback_row) legs[r].push_back(c);
    }
  });
  for (std::size_t rep = 0; rep < reps; ++rep) {
    const model::ReplicationResult& res = results.by_replication[rep];
    const auto series = static_cast<std::size_t>(res.series);
    for (std::size_t k = 0; k < static_cast<std::size_t>(m.intervals); ++k)
      for (std::size_t t = 0; t < types; ++t) {
        const model::ContactCounts& n = res.contacts_by_interval[k * series + t].counts;
        const auto found = cells[rep].find(k * types + t);
        const CellFromRecords x = found == cells[rep].end() ? CellFromRecords{} : found->second;
        const std::string where = at(policy, static_cast<int>(rep),
                                     "interval " + std::to_string(k) + ", type " + std::to_string(t));
        if (x.offered != n.offered || x.answered != n.answered || x.abandoned != n.abandoned ||
            x.balked != n.balked || x.unserved != n.unserved || x.no_shows != n.no_shows)
          fail("records by outcome = the interval table",
               where + ": records offered/answered/abandoned/balked/unserved/no-shows " +
                   std::to_string(x.offered) + "/" + std::to_string(x.answered) + "/" +
                   std::to_string(x.abandoned) + "/" + std::to_string(x.balked) + "/" +
                   std::to_string(x.unserved) + "/" + std::to_string(x.no_shows) + ", table " +
                   std::to_string(n.offered) + "/" + std::to_string(n.answered) + "/" +
                   std::to_string(n.abandoned) + "/" + std::to_string(n.balked) + "/" +
                   std::to_string(n.unserved) + "/" + std::to_string(n.no_shows));
        if (x.announced != n.announced) fail("records with an announced wait = announced", where);
        if (x.callbacks != n.callbacks_accepted)
          fail("callback_accepted records = the interval table's callbacks accepted",
               where + ": records " + std::to_string(x.callbacks) + ", table " +
                   std::to_string(n.callbacks_accepted));
        // Each callback either reaches its customer once (its delay the table's), or fails every try.
        if (x.called_back != n.callbacks_completed || !close(x.callback_delay_s, n.callback_delay_s) ||
            x.not_reached < n.callbacks_failed * static_cast<std::uint64_t>(m.callback[t].attempts))
          fail("call-out records = the interval table's callbacks completed, their delay, failed tries",
               where + ": records " + std::to_string(x.called_back) + " completed, " +
                   std::to_string(x.not_reached) + " not reached; table " +
                   std::to_string(n.callbacks_completed) + " completed, " +
                   std::to_string(n.callbacks_failed) + " failed");
        if (x.callbacks_unserved != n.callbacks_unserved)
          fail("callback_unserved records = the interval table's callbacks unserved",
               where + ": records " + std::to_string(x.callbacks_unserved) + ", table " +
                   std::to_string(n.callbacks_unserved));
        if (x.blocked != n.blocked || x.redials != n.redials)
          fail("blocked records and redials = the interval table",
               where + ": records " + std::to_string(x.blocked) + " blocked, " + std::to_string(x.redials) +
                   " redials; table " + std::to_string(n.blocked) + ", " + std::to_string(n.redials));
        // The mean wait of answered records is the ASA: their sum of waits is the table's.
        if (!close(x.wait_answered_s, n.wait_answered_s) || !close(x.handle_s, n.handle_s) ||
            !close(x.wait_abandoned_s, n.wait_abandoned_s) || !close(x.wait_unserved_s, n.wait_unserved_s))
          fail("records' waits and handle times = the interval table's",
               where + ": waits " + std::to_string(x.wait_answered_s) + " vs " +
                   std::to_string(n.wait_answered_s) + " s, handle " + std::to_string(x.handle_s) + " vs " +
                   std::to_string(n.handle_s) + " s");
      }
    // Every redial is a customer's who called first.
    for (const model::ContactRecord& c : redialled[rep])
      if (!first_calls[rep].count(c.customer))
        fail("a redial's customer made a first call",
             at(policy, static_cast<int>(rep), "contact " + std::to_string(c.contact)));
    // A callback's rows (its tries, and its end when given up at the closing) continue the callback_accepted
    // leg of its customer and type: at most `attempts` tries, none after one that reached the customer, and
    // given up only before both; one carried in by a start state (no parent) is its own customer.
    std::map<std::int64_t, std::pair<std::uint64_t, bool>> tries;  // per accepted leg: tries, ended
    for (const model::ContactRecord& c : call_outs[rep]) {
      const std::string where =
          at(policy, static_cast<int>(rep), "callback row " + std::to_string(c.contact));
      if (c.parent < 0) {
        if (c.customer != c.contact) fail("a callback's row continues its callback_accepted leg", where);
        continue;
      }
      const auto p = accepted[rep].find(c.parent);
      if (p == accepted[rep].end() || p->second.customer != c.customer ||
          p->second.contact_type != c.contact_type || c.arrival_s < p->second.arrival_s)
        fail("a callback's row continues its callback_accepted leg", where);
      auto& [n, ended] = tries[c.parent];
      const auto attempts =
          static_cast<std::uint64_t>(m.callback[static_cast<std::size_t>(c.contact_type)].attempts);
      if (c.outcome == Outcome::callback_unserved) {
        if (ended || n >= attempts)
          fail("a callback given up at the closing had neither reached its customer nor used every try",
               where);
        ended = true;
        continue;
      }
      if (ended || ++n > attempts)
        fail("a callback is tried at most `attempts` times and not after it reached its customer", where);
      ended = c.outcome == Outcome::callback_completed;
    }
    // Every transfer leg continues a transferred record, as its target type and for the same customer.
    std::uint64_t transfers = 0;
    for (std::uint64_t n : res.transfers_by_interval) transfers += n;
    if (transfers != transferred[rep].size() || legs[rep].size() != transferred[rep].size())
      fail("transferred records = transfer legs = the transfer table",
           at(policy, static_cast<int>(rep),
              std::to_string(transferred[rep].size()) + " transferred, " + std::to_string(legs[rep].size()) +
                  " legs, " + std::to_string(transfers) + " in the table"));
    for (const model::ContactRecord& leg : legs[rep]) {
      const auto p = transferred[rep].find(leg.parent);
      if (p == transferred[rep].end() || p->second.transfer_to != leg.contact_type ||
          p->second.customer != leg.customer)
        fail("a transfer leg continues its parent",
             at(policy, static_cast<int>(rep), "contact " + std::to_string(leg.contact)));
    }
  }
  // Agents' time per state rebuilt from their state changes equals the agent tables (summed over intervals).
  struct Clock {
    model::AgentState state = model::AgentState::off;
    double since = 0.0;
  };
  std::vector<std::vector<Clock>> clocks(reps, std::vector<Clock>(m.roster.size()));
  std::vector<std::vector<model::AgentTime>> rebuilt(reps, std::vector<model::AgentTime>(groups));
  auto book = [&](std::size_t rep, std::size_t agent, double to) {
    const Clock& c = clocks[rep][agent];
    const double d = inside_days(m, c.since, to);
    model::AgentTime& t = rebuilt[rep][m.roster[agent].group];
    using S = model::AgentState;
    if (c.state != S::off) t.staffed_s += d;
    if (c.state == S::busy || c.state == S::wrap) t.busy_s += d;
    if (c.state == S::wrap) t.wrap_s += d;
    if (c.state == S::on_break) t.break_s += d;
    if (c.state == S::shrinkage) t.shrinkage_s += d;
    if (c.state == S::interrupted) t.interrupted_s += d;
  };
  results.records->for_each_agents([&](int rep, const std::vector<model::AgentRecord>& batch) {
    const auto r = static_cast<std::size_t>(rep);
    for (const model::AgentRecord& a : batch) {
      const auto i = static_cast<std::size_t>(a.agent);
      Clock& c = clocks[r][i];
      if (a.from != c.state || a.from == a.to || a.time_s < c.since ||
          static_cast<std::uint32_t>(a.group) != m.roster[i].group)
        fail("agent records chain: from = the previous to, time never goes back",
             at(policy, rep, "agent " + std::to_string(a.agent) + " at " + std::to_string(a.time_s) + " s"));
      book(r, i, a.time_s);
      c = {a.to, a.time_s};
    }
  });
  for (std::size_t rep = 0; rep < reps; ++rep) {
    for (std::size_t i = 0; i < m.roster.size(); ++i) book(rep, i, m.day_end_s);
    const model::ReplicationResult& res = results.by_replication[rep];
    for (std::size_t g = 0; g < groups; ++g) {
      model::AgentTime table;
      for (std::size_t k = 0; k < static_cast<std::size_t>(m.intervals); ++k)
        table.add(res.agents_by_interval[k * groups + g]);
      const model::AgentTime& x = rebuilt[rep][g];
      auto near = [](double a, double b) { return std::fabs(a - b) <= 1e-6 * (1.0 + std::fabs(b)); };
      if (!near(x.staffed_s, table.staffed_s) || !near(x.busy_s, table.busy_s) ||
          !near(x.wrap_s, table.wrap_s) || !near(x.break_s, table.break_s) ||
          !near(x.shrinkage_s, table.shrinkage_s) || !near(x.interrupted_s, table.interrupted_s))
        fail("agent records add up to the agent time tables",
             at(policy, static_cast<int>(rep),
                "group " + std::to_string(g) + ": staffed " + std::to_string(x.staffed_s) + " vs " +
                    std::to_string(table.staffed_s) + ", busy " + std::to_string(x.busy_s) + " vs " +
                    std::to_string(table.busy_s) + ", break " + std::to_string(x.break_s) + " vs " +
                    std::to_string(table.break_s)));
    }
  }
  return out;
}

}  // namespace ccsim::testing
