// The router answers the two routing questions from the compiled routing tables and decides nothing else:
// select_agent (a contact looks for an agent) and select_contact (a free agent looks for a contact). It
// reads the pool and the queues and takes the chosen agent off its list; the conductor takes the contact.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/agent_pool.hpp"
#include "model/contact_queues.hpp"
#include "model/entities.hpp"

namespace ccsim::model {

struct AgentPick {
  std::uint32_t agent = kNone;
  std::uint32_t edge = 0;  // the skill edge it serves the contact by
};

struct ContactPick {
  std::uint32_t slot = kNone;
  // The queue it is taken from: its type's, or (a callback) its type's callback queue.
  std::uint32_t queue = 0;
  std::uint32_t edge = 0;
};

// What a free agent may take: e-mail or not, and, when it holds chats, only chats it has room for (below
// `chat_limit`, the least concurrency of the chats it holds, and the new chat's own).
struct Appetite {
  bool real_time_only = false;
  std::uint32_t held_chats = 0;
  std::uint32_t chat_limit = kNone;
  [[nodiscard]] bool may_take(const Model& m, std::uint32_t type) const {
    if (real_time_only && m.traits[type].email) return false;
    return held_chats == 0 ||
           (m.traits[type].chat &&
            held_chats < std::min(chat_limit, static_cast<std::uint32_t>(m.concurrency[type])));
  }
};

class Router {
 public:
  Router(const Model& m, AgentPool& pool, ContactQueues& queues, const std::vector<Contact>& contacts)
      : m_(m), pool_(pool), queues_(queues), contacts_(contacts), rank_ordered_(m.types_for_group.size()) {
    for (std::size_t g = 0; g < m.types_for_group.size(); ++g) {
      const std::vector<Route>& routes = m.types_for_group[g];
      rank_ordered_[g] = std::is_sorted(routes.begin(), routes.end(), [&](const Route& a, const Route& b) {
        return least_rank(a) < least_rank(b);
      });
    }
  }

  // An agent for a contact of `type` queued since `queued_s`, per the agent-selection policy, among the
  // groups it may go to by now (overflow delays); the agent leaves its list. A chat goes first to an agent
  // already chatting with room to spare, keeping idle agents free.
  AgentPick select_agent(std::uint32_t type, double queued_s, double now) {
    if (m_.traits[type].chat)
      for (const Route& r : m_.groups_for_type[type]) {
        if (queued_s + r.overflow_s > now) continue;
        const std::uint32_t candidate = pool_.front_chat_open(r.group, type, now);
        if (candidate == kNone) continue;
        pool_.pop_chat_open(r.group);
        return {candidate, r.edge};
      }
    const std::vector<Route>& routes = m_.groups_for_type[type];
    // An agent past its shift end takes no e-mail (as its own appetite says when it looks for work).
    const bool email = m_.traits[type].email;
    auto front = [&](std::uint32_t group) {
      return email ? pool_.front_idle_on_shift(group, now) : pool_.front_idle(group);
    };
    if (routes.size() == 1) {  // one group: its longest idle agent, once the contact may go to it
      const Route& r = routes.front();
      if (queued_s + r.overflow_s > now) return {};
      const std::uint32_t candidate = front(r.group);
      if (candidate == kNone) return {};
      pool_.take_idle(r.group, candidate);
      return {candidate, r.edge};
    }
    AgentPick best;
    int best_priority = 0;
    for (const Route& r : routes) {
      if (queued_s + r.overflow_s > now) continue;
      const std::uint32_t candidate = front(r.group);
      if (candidate == kNone) continue;
      if (best.agent != kNone && m_.agent_selection == scenario::AgentSelection::preferred_group &&
          r.priority > best_priority)
        break;  // routes are sorted by priority: a worse group is never preferred
      if (best.agent == kNone || pool_[candidate].idle_since_s < pool_[best.agent].idle_since_s) {
        best = {candidate, r.edge};
        best_priority = r.priority;
      }
    }
    if (best.agent != kNone) pool_.take_idle(pool_[best.agent].group, best.agent);
    return best;
  }

  // The waiting contact a free agent of `group` takes, per the contact-selection policy; none if it may
  // take none now. Each queue is FIFO, so only heads compete, and a head not yet past its overflow delay
  // means nobody behind it is. Deferrable work (e-mail) is a lower tier, taken only when no real-time
  // contact waits for this agent; with appointments_first, booked contacts go before walk-ins.
  ContactPick select_contact(std::uint32_t group, double now, const Appetite& appetite) {
    const std::vector<Route>& routes = m_.types_for_group[group];
    // One type and no callback queue of its own: its head, once past the overflow delay (nothing to rank).
    if (routes.size() == 1 && !routes.front().callback_queue) {
      const Route& r = routes.front();
      if (!appetite.may_take(m_, r.type)) return {};
      const std::uint32_t slot = queues_.head(r.type);
      if (slot == kNone || contacts_[slot].queued_s + r.overflow_s > now) return {};
      return {slot, r.type, r.edge};
    }
    ContactPick best;
    int best_rank = 0;
    double best_score = 0.0;
    const bool ordered = rank_ordered_[group] != 0;
    for (const Route& r : routes) {
      // Routes in rank order (the usual case: ranked by the skills' priorities): none after a worse rank
      // than the best found can win.
      if (ordered && best.slot != kNone && least_rank(r) > best_rank) break;
      if (!appetite.may_take(m_, r.type)) continue;
      // Compared as (rank, score), lower first.
      consider(best, best_rank, best_score, r, r.type, r.rank, now);
      // Callbacks of their own queue (keep_place: false) rank by the callback's priority against the line.
      if (r.callback_queue)
        consider(best, best_rank, best_score, r, static_cast<std::uint32_t>(m_.types) + r.type,
                 r.rank + m_.callback[r.type].priority, now);
    }
    return best;
  }

 private:
  // The best rank a route's heads can have: its queue's, or its callbacks' queue's.
  [[nodiscard]] int least_rank(const Route& r) const {
    return r.callback_queue ? std::min(r.rank, r.rank + m_.callback[r.type].priority) : r.rank;
  }

  // The head of `queue` (of the route's type) against the best so far.
  void consider(ContactPick& best, int& best_rank, double& best_score, const Route& r, std::uint32_t queue,
                int rank, double now) {
    if (queues_.waiting(queue) == 0) return;  // nobody live: no head
    const std::uint32_t slot = queues_.head(queue);
    if (slot == kNone) return;
    // Eligible from queued_s + overflow_s, computed as the overflow event's time is: no rounding gap.
    if (contacts_[slot].queued_s + r.overflow_s > now) return;
    const double waited = now - contacts_[slot].queued_s;
    const double score =
        m_.contact_selection == scenario::ContactSelection::weighted_waiting ? -waited * r.weight : -waited;
    if (best.slot == kNone || rank < best_rank || (rank == best_rank && score < best_score)) {
      best = {slot, queue, r.edge};
      best_rank = rank;
      best_score = score;
    }
  }

  const Model& m_;
  AgentPool& pool_;
  ContactQueues& queues_;
  const std::vector<Contact>& contacts_;
  std::vector<char> rank_ordered_;  // per group: whether its routes come in rank order (least_rank)
};

}  // namespace ccsim::model
