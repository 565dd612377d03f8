#include "random_scenario.hpp"

#include "random_distributions.hpp"  // and random_scenario_text.hpp
#include "random_scenario_redials.hpp"

namespace ccsim::testing {
namespace {

using namespace random_text;

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed), seed_(seed) {}

  RandomScenario run() {
    RandomScenario out;
    out.seed = seed_;
    day();
    types();
    std::ostringstream tail;
    lines_section(rng_, callers_, tail);
    locations(tail);
    groups(tail);
    routing(tail);
    announced_ = announcement_section(rng_, tail);
    costs_section(rng_, tail);
    out.identical_policies = policies(tail);
    spec_.tail = tail.str();
    out.aligned = spec_.aligned;
    out.yaml = emit(spec_, false);
    if (spec_.aligned) out.yaml_quarter = emit(spec_, true);
    return out;
  }

 private:
  Rng rng_;
  std::uint64_t seed_;
  Spec spec_;
  int open_ = 0, close_ = 0;  // minutes after midnight
  int step_ = 15;             // grid of rostered times: 60 when aligned
  int days_ = 1;
  bool home_ = false, chat_ = false, booked_ = false, announced_ = false;
  std::vector<std::string> type_names_, callers_;
  struct Group {
    std::string name;
    int head_count = 0;
    bool all_day = false;
    bool listed = false;         // `agents` is a list per interval: absence and shrinkage do not apply
    int first_shift_agents = 0;  // 0: first shift is a named agent (or no shifts)
    double absence = 0.0;
  };
  std::vector<Group> groups_;
  std::string agent_selection_ = "longest_idle";

  int on_grid(int lo, int hi) { return lo + step_ * rng_.between(0, std::max(0, (hi - lo) / step_)); }

  std::string duration_dist(double mean_min, bool patience) {
    const int kind = rng_.between(0, patience ? 6 : 5);
    const double m = mean_min;
    switch (kind) {
      case 0:
        return "{distribution: exponential, mean: " + minutes(m) + "}";
      case 1:
        return "{distribution: lognormal, mean: " + minutes(m) + ", sd: " + minutes(m * 0.5) + "}";
      case 2:
        return "{distribution: gamma, mean: " + minutes(m) + ", cv: 0.7}";
      case 3:
        return "{distribution: weibull, shape: 1.5, scale: " + minutes(m) + "}";
      case 4:
        return "{distribution: deterministic, value: " + minutes(m) + "}";
      case 5:
        return empirical_inline(rng_, m);
      default:
        return "none";
    }
  }

  void day() {
    Spec& s = spec_;
    s.aligned = rng_.chance(0.35);
    s.interval = s.aligned ? 60 : rng_.pick(std::vector<int>{15, 30, 60});
    step_ = s.aligned ? 60 : 15;
    const int hours = rng_.between(2, 5);
    s.units = hours * 60 / s.interval;
    // Late openings make shifts that run past midnight worth rostering.
    s.open = rng_.chance(0.3) ? on_grid(17 * 60, 21 * 60) : on_grid(7 * 60, 10 * 60);
    open_ = s.open;
    close_ = open_ + hours * 60;
    s.use_close = rng_.chance(0.5);
    if (rng_.chance(0.25)) s.warmup_units = rng_.between(1, std::max(1, s.units / 4));
    std::ostringstream head;
    head << "name: random scenario " << seed_ << "\nseed: " << seed_ << "\nreplications: 2\n";
    if (rng_.chance(0.3))
      head << "service_level: {tau: " << rng_.pick(std::vector<int>{10, 20, 30}) << "s, definition: "
           << rng_.pick(std::vector<std::string>{"offered", "offered_minus_short_abandons", "answered",
                                                 "answered_plus_late_abandons"})
           << ", short_abandon: 5s" << (seed_ % 3 == 0 ? ", target: 0.8" : "") << "}\n";
    s.head = head.str();
    if (rng_.chance(0.3)) s.day_extra = "  busyness_cv: " + num(rng_.between(1, 3) / 10.0) + "\n";
    if (rng_.chance(0.35)) {
      const int days = rng_.between(2, 3);
      days_ = days;
      std::vector<double> profile;
      for (int d = 0; d < days; ++d) profile.push_back(rng_.between(7, 13) / 10.0);
      s.days = "days: {count: " + std::to_string(days);
      if (rng_.chance(0.7)) s.days += ", profile: " + list(profile, 1, 1.0, "");
      if (rng_.chance(0.5)) s.days += days == 2 ? ", labels: [Mon, Tue]" : ", labels: [Mon, Tue, Wed]";
      s.days += "}\n";
    }
  }

  // Per-interval values for a type arriving at about `per_hour` an hour; never all zero.
  std::vector<double> rates(double per_hour) {
    std::vector<double> v;
    for (int k = 0; k < spec_.units; ++k)
      v.push_back(rng_.chance(0.15) ? 0.0 : std::round(per_hour * rng_.between(5, 15) / 10.0));
    v[0] = std::max(v[0], 2.0);
    return v;
  }

  void arrivals(TypeSpec& t, double per_hour) {
    using A = TypeSpec::Arrivals;
    const int kind = rng_.between(0, 2);
    t.arrivals = kind == 0 ? A::per_hour_scalar : kind == 1 ? A::per_hour_list : A::volume_list;
    t.values = rates(per_hour);
    if (t.arrivals == A::per_hour_scalar) t.values.assign(1, t.values[0]);
    // Expected contacts per interval; halves so that a quarter of an hourly value is exact in decimal.
    if (t.arrivals == A::volume_list)
      for (double& x : t.values) x = std::round(x * spec_.interval / 30.0) / 2.0;
  }

  void add_type(TypeSpec t) {
    type_names_.push_back(t.name);
    spec_.types.push_back(std::move(t));
  }

  void types() {
    const bool second = rng_.chance(0.4), complaint = rng_.chance(0.3);
    chat_ = rng_.chance(0.55);
    const bool letters = rng_.chance(0.4), walk_in = rng_.chance(0.35);
    booked_ = rng_.chance(0.35);
    auto voice = [&](TypeSpec& t, double handle_min) {
      t.tail = "    handle_time: " + duration_dist(handle_min, false) + "\n";
      t.tail += "    patience: " + duration_dist(rng_.between(2, 6), true) + "\n";
      if (rng_.chance(0.3)) t.tail += "    wrap_up: " + duration_dist(rng_.between(1, 2) * 0.5, false) + "\n";
    };
    TypeSpec general = make_type("general");
    if (rng_.chance(0.5)) general.head = "    channel: voice\n";
    arrivals(general, rng_.between(10, 30));
    voice(general, rng_.between(3, 6));
    if (rng_.chance(0.4)) general.tail += "    cost_per_abandoned: " + num(rng_.between(1, 20) / 4.0) + "\n";
    if (rng_.chance(0.2)) general.tail += "    cost_per_unserved: 7\n";
    if (second)
      general.tail +=
          "    transfers: [{to: second_line, probability: " + num(rng_.between(1, 4) / 10.0) + "}]\n";
    add_type(general);
    if (second) {
      TypeSpec t = make_type("second_line");
      voice(t, rng_.between(5, 10));
      // A cycle back to first line that contacts still leave.
      if (rng_.chance(0.4)) t.tail += "    transfers: [{to: general, probability: 0.1}]\n";
      add_type(t);
    }
    if (complaint) {
      TypeSpec t = make_type("complaint");
      arrivals(t, rng_.between(4, 10));
      voice(t, rng_.between(4, 8));
      if (rng_.chance(0.6))
        for (int k = 0; k < spec_.units; ++k) t.aht_s.push_back(rng_.between(20, 40) * 10.0);
      add_type(t);
    }
    if (chat_) {
      TypeSpec t = make_type("chat", "    channel: chat\n");
      const int k = rng_.between(1, 3);
      t.head += "    concurrency: " + std::to_string(k) + "\n";
      if (rng_.chance(0.7)) {
        std::vector<double> f{1.0, 1.2, 1.5};
        f.resize(static_cast<std::size_t>(k));
        t.head += "    slowdown: " + list(f, 1, 1.0, "") + "\n";
      }
      arrivals(t, rng_.between(10, 30));
      voice(t, rng_.between(4, 8));
      if (second && rng_.chance(0.3)) t.tail += "    transfers: [{to: second_line, probability: 0.1}]\n";
      add_type(t);
    }
    if (letters) {
      TypeSpec t = make_type(
          "letters", "    channel: email\n    due_within: " + std::to_string(rng_.between(1, 4)) + "h\n");
      arrivals(t, rng_.between(3, 8));
      t.tail = "    handle_time: " + duration_dist(rng_.between(5, 12), false) + "\n";
      add_type(t);
    }
    if (walk_in) {
      TypeSpec t = make_type("walk_in", "    channel: counter\n");
      if (rng_.chance(0.7)) t.head += "    balk_at_queue: " + std::to_string(rng_.between(2, 5)) + "\n";
      arrivals(t, rng_.between(4, 10));
      voice(t, rng_.between(4, 10));
      add_type(t);
    }
    if (booked_) {
      TypeSpec t = make_type("booked", "    channel: counter\n    appointments:\n");
      const int from = open_ + 15 * rng_.between(0, 4);
      if (rng_.chance(0.6)) {
        const int every = rng_.pick(std::vector<int>{20, 30, 60});
        const int to = std::min(close_, from + every * rng_.between(2, 6));
        t.head += "      slots: {from: " + clock(from) + ", to: " + clock(std::max(to, from + every)) +
                  ", every: " + std::to_string(every) + "min, desks: " + std::to_string(rng_.between(1, 2)) +
                  "}\n";
      } else {
        t.head += "      times: [" + clock(from) + ", " + clock(from) + ", " + clock(from + 45) + "]\n";
      }
      t.head += "      punctuality: " +
                rng_.pick(std::vector<std::string>{"{distribution: normal, mean: -2min, sd: 5min}",
                                                   "{distribution: deterministic, value: -3min}",
                                                   "{distribution: uniform, low: -10min, high: 8min}"}) +
                "\n";
      t.head += "      no_show: " + num(rng_.between(0, 3) / 10.0) + "\n";
      if (rng_.chance(0.5)) t.head += "      on_time_within: 5min\n";
      t.tail = "    handle_time: " + duration_dist(rng_.between(10, 20), false) + "\n";
      if (rng_.chance(0.5)) t.tail += "    patience: " + duration_dist(30, true) + "\n";
      add_type(t);
    }
    callers_ = add_redials(rng_, spec_.types);
    add_callbacks(rng_, spec_.types);
  }

  bool has(const std::string& type) const {
    return std::find(type_names_.begin(), type_names_.end(), type) != type_names_.end();
  }

  void locations(std::ostream& o) {
    home_ = rng_.chance(0.45);
    if (!home_) return;
    o << "locations:\n";
    if (rng_.chance(0.3))
      o << "  office: {handle_time_factor: 1.0" << (rng_.chance(0.5) ? ", cost_per_hour: 4.5" : "") << "}\n";
    o << "  home:\n    handle_time_factor: " << num(rng_.between(10, 13) / 10.0) << "\n";
    if (rng_.chance(0.4)) o << "    cost_per_hour: " << rng_.between(0, 3) << "\n";  // an allowance
    if (rng_.chance(0.7))
      o << "    interruptions: {per_hour: " << rng_.between(1, 4)
        << ", duration: {distribution: exponential, mean: " << rng_.between(2, 5) << "min}}\n";
  }

  // Breaks placed one after another inside the shift, so they never overlap, ending at least 90 minutes
  // before the shift does: an agent busy when a break falls due still has time to take it.
  std::string breaks(int start, int shift_end, int agents) {
    const int end = shift_end - 90;
    std::string out;
    int cursor = start;
    for (int n = rng_.between(0, 2); n > 0; --n) {
      const int dur = spec_.aligned ? 60 : rng_.pick(std::vector<int>{10, 15, 30});
      if (cursor + dur > end) break;
      const bool first_instant = cursor == start && rng_.chance(0.3);
      if (first_instant || rng_.chance(0.5)) {
        const int at = first_instant ? start : on_grid(cursor, end - dur);
        out += std::string(out.empty() ? "" : ", ") + "{start: " + clock(at) +
               ", duration: " + std::to_string(dur) + "min}";
        cursor = at + dur;
      } else {
        // Staggered evenly over the pattern's agents: whole-hour steps when aligned.
        const int span = spec_.aligned ? 60 * std::max(agents, 1) : dur + 15 * rng_.between(0, 8);
        if (cursor + span > end) break;
        const int from = on_grid(cursor, end - span);
        out += std::string(out.empty() ? "" : ", ") + "{window: [" + clock(from) + ", " + clock(from + span) +
               "], duration: " + std::to_string(dur) + "min}";
        cursor = from + span;
      }
    }
    return out.empty() ? "" : ", breaks: [" + out + "]";
  }

  void staffing(std::ostream& o, Group& g) {
    if (rng_.chance(0.2)) {  // available agents per interval, of a day or of the run; zeros too
      const bool whole_run = days_ > 1 && rng_.chance(0.5);
      const int n = spec_.units * (whole_run ? days_ : 1);
      std::vector<double> counts;
      for (int k = 0; k < n; ++k) counts.push_back(rng_.chance(0.15) ? 0.0 : rng_.between(1, 4));
      g.listed = true;
      g.head_count = static_cast<int>(*std::max_element(counts.begin(), counts.end()));
      o << "    agents: @agents" << spec_.agent_lists.size() << "@\n";
      spec_.agent_lists.push_back(counts);
      return;
    }
    if (rng_.chance(0.3)) {
      g.all_day = true;
      g.head_count = rng_.between(1, 3);
      o << "    agents: " << g.head_count << "\n";
      return;
    }
    o << "    shifts:\n";
    for (int n = rng_.between(1, 3), i = 0; i < n; ++i) {
      int start = 0, end = 0;
      switch (rng_.between(0, 4)) {
        case 0:  // opening to closing, or past it
          start = open_, end = close_ + (rng_.chance(0.4) ? step_ * rng_.between(1, 4) : 0);
          break;
        case 1:  // from before opening
          start = open_ - step_ * rng_.between(1, 4), end = on_grid(open_ + 60, close_);
          break;
        case 2:  // across midnight (18:00-30:00 style) when the day runs late
          start = on_grid(open_, close_ - 60);
          end = std::max(close_, 24 * 60) + 60 * rng_.between(1, 6);
          break;
        default:  // somewhere inside the day
          start = on_grid(open_, close_ - 60), end = on_grid(start + 60, close_ + 60);
          break;
      }
      const bool named = rng_.chance(0.2);
      const int agents = named ? 1 : rng_.between(1, 3);
      if (i == 0) g.first_shift_agents = named ? 0 : agents;
      o << "      - {";
      if (named)
        o << "agent: " << g.name << "_" << i
          << ", location: " << (home_ && rng_.chance(0.5) ? "home" : "office");
      else
        o << "agents: " << agents;
      o << ", start: " << clock(start) << ", end: " << clock(end) << breaks(start, end, agents);
      // A weekly tour: the shift on some days of the run only (by number; a day label would need labels).
      if (days_ > 1 && rng_.chance(0.3)) {
        o << ", days: [";
        for (int d = 1, first = 1; d <= days_; ++d)
          if (rng_.chance(0.6) || (d == days_ && first)) o << (first ? "" : ", ") << d, first = 0;
        o << "]";
      }
      o << "}\n";
      g.head_count += agents;
    }
  }

  void groups(std::ostream& o) {
    o << "agent_groups:\n";
    if (rng_.chance(0.15)) {  // one group: `skills` may be left out, it then serves every type
      Group g;
      g.name = "everyone";
      o << "  - name: everyone\n";
      group_body(o, g);
      return;
    }
    struct Edge {
      std::string type;
      int priority;
      int overflow_s;
    };
    std::vector<std::pair<std::string, std::vector<Edge>>> plan;
    std::vector<Edge> front{{"general", 1, 0}}, back;
    if (has("complaint")) front.push_back({"complaint", rng_.between(1, 2), 0});
    if (has("walk_in") && !booked_) front.push_back({"walk_in", 2, 0});
    if (has("second_line")) back.push_back({"second_line", 1, 0});
    if (has("letters")) back.push_back({"letters", 2, 0});
    if (back.empty() || rng_.chance(0.5)) back.push_back({"general", 2, rng_.between(1, 4) * 30});
    plan.push_back({"front", front});
    if (chat_) {
      plan.push_back({"chat_team", {{"chat", 1, 0}}});
      // Chat overflowing to a group that also takes voice: where chats and calls meet one agent.
      if (rng_.chance(0.7)) {
        std::vector<Edge>& to = rng_.chance(0.5) ? front : back;
        to.push_back({"chat", 2, rng_.between(1, 6) * 10});
      }
      plan[0].second = front;
    }
    plan.push_back({"back", back});
    if (booked_) {
      std::vector<Edge> desk{{"booked", 1, 0}};
      if (has("walk_in")) desk.push_back({"walk_in", rng_.between(1, 2), 0});
      plan.push_back({"desk", desk});
    }
    for (auto& [name, edges] : plan) {
      Group g;
      g.name = name;
      o << "  - name: " << name << "\n";
      group_body(o, g);
      o << "    skills:";
      if (edges.size() == 1 && edges[0].overflow_s == 0 && rng_.chance(0.5)) {
        o << " [" << edges[0].type << "]\n";  // shorthand
        continue;
      }
      o << "\n";
      for (const Edge& e : edges) {
        o << "      - {contact_type: " << e.type << ", priority: " << e.priority;
        if (e.overflow_s > 0) o << ", overflow_after: " << e.overflow_s << "s";
        if (rng_.chance(0.3)) o << ", weight: " << num(rng_.between(5, 20) / 10.0);
        o << "}\n";
      }
    }
  }

  void group_body(std::ostream& o, Group& g) {
    staffing(o, g);
    if (rng_.chance(0.6)) o << "    cost_per_hour: " << num(rng_.between(30, 60) / 2.0) << "\n";
    if (home_ && rng_.chance(0.5)) o << "    home_share: " << num(rng_.between(2, 7) / 10.0) << "\n";
    if (g.listed) {
      groups_.push_back(g);
      return;
    }
    if (rng_.chance(0.35)) {
      g.absence = rng_.between(1, 3) / 20.0;
      o << "    absence: " << num(g.absence) << "\n";
    }
    std::string meetings;
    if (rng_.chance(0.3))  // a briefing at opening for everyone
      meetings += "{name: briefing, start: " + clock(open_) + ", end: " + clock(open_ + std::max(step_, 30)) +
                  ", agents: " + std::to_string(std::max(g.head_count, 1)) + "}";
    if (rng_.chance(0.25)) {
      const int start = on_grid(open_, close_ - 60);
      meetings += std::string(meetings.empty() ? "" : ", ") + "{name: coaching, start: " + clock(start) +
                  ", end: " + clock(start + std::max(step_, 30)) + ", agents: 1}";
    }
    if (!meetings.empty()) o << "    shrinkage: [" << meetings << "]\n";
    groups_.push_back(g);
  }

  void routing(std::ostream& o) {
    if (!rng_.chance(0.7)) return;
    agent_selection_ = rng_.pick(std::vector<std::string>{"longest_idle", "preferred_group"});
    o << "routing:\n  agent_selection: " << agent_selection_ << "\n  contact_selection: "
      << rng_.pick(
             std::vector<std::string>{"priority_then_longest_waiting", "longest_waiting", "weighted_waiting"})
      << "\n";
    if (booked_) {
      o << "  appointments_first: " << (rng_.chance(0.5) ? "true" : "false") << "\n";
      o << "  early_appointments: " << (rng_.chance(0.5) ? "wait_for_slot" : "serve_when_free") << "\n";
    }
  }

  // Returns whether policies 0 and 1 must give identical results (they always do when present).
  bool policies(std::ostream& o) {
    if (!rng_.chance(0.7)) return false;
    const Group& g = groups_[rng_.next() % groups_.size()];
    const std::string at = "agent_groups." + g.name + ".";
    // Factors (on odd seeds, drawing nothing) say what a policy is made of and change nothing in the run.
    o << "policies:\n  - name: as written\n" << (seed_ % 2 ? "    factors: {variant: a}\n" : "")
      << "  - name: unchanged\n" << (seed_ % 2 ? "    factors: {variant: b}\n" : "");
    // Overrides that set a value to what it already is (or nothing at all).
    switch (rng_.between(0, 3)) {
      case 0:
        o << "    overrides:\n      routing.agent_selection: " << agent_selection_ << "\n";
        break;
      case 1:
        if (!g.listed) o << "    overrides:\n      " << at << "absence: " << num(g.absence) << "\n";
        break;
      case 2:
        if (g.all_day) o << "    overrides:\n      " << at << "agents: " << g.head_count << "\n";
        if (!g.all_day && g.first_shift_agents > 0)
          o << "    overrides:\n      " << at << "shifts[0].agents: " << g.first_shift_agents << "\n";
        break;
      default:
        break;
    }
    if (rng_.chance(0.6)) {
      o << "  - name: changed\n" << (seed_ % 2 ? "    factors: {variant: c}\n" : "");
      if (rng_.chance(0.3)) o << "    baseline: true\n";
      switch (rng_.between(0, 3)) {
        case 0:
          o << "    overrides:\n      routing.contact_selection: weighted_waiting\n";
          if (rng_.chance(0.5)) o << "      " << at << "cost_per_hour: 99\n";  // money changes, nothing else
          break;
        case 1:
          if (!g.listed) {
            o << "    overrides:\n      " << at << "absence: " << num(g.absence + 0.1) << "\n";
            break;
          }
          [[fallthrough]];
        case 2:
          if (announced_) {
            o << "    overrides:\n      announcement.message: none\n";
            break;
          }
          [[fallthrough]];
        default:
          if (home_)
            o << "    overrides:\n      " << at << "home_share: 0.5\n";
          else
            o << "    overrides:\n      routing.agent_selection: preferred_group\n";
          break;
      }
    }
    return true;
  }
};

}  // namespace

RandomScenario random_scenario(std::uint64_t seed) {
  return Generator(seed).run();
}

}  // namespace ccsim::testing
