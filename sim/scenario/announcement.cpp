// The `announcement` section: the wait predictor, the message callers hear and how they react to it.
#include <string>

#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

void read_announcement(const Field& f, Scenario& s) {
  f.expect_map({"predictor", "message", "threshold", "cap", "reaction"});
  Announcement& a = s.announcement;
  a.measure = true;
  if (f.has("predictor")) {
    const std::string p =
        f["predictor"].choice({"queue_length", "head_of_line", "last_to_enter_service", "planned"});
    a.predictor = p == "head_of_line"            ? Predictor::head_of_line
                  : p == "last_to_enter_service" ? Predictor::last_to_enter_service
                  : p == "planned"               ? Predictor::planned
                                                 : Predictor::queue_length;
  }
  if (f.has("message")) {
    const std::string m = f["message"].choice({"none", "predicted_wait", "longer_than_usual"});
    a.message = m == "predicted_wait"      ? Message::predicted_wait
                : m == "longer_than_usual" ? Message::longer_than_usual
                                           : Message::none;
  }
  if (f.has("threshold")) a.threshold_s = f["threshold"].duration();
  if (f.has("cap")) a.cap_s = f["cap"].duration();
  if (!f.has("reaction")) return;
  const Field r = f["reaction"];
  r.expect_map({"balk", "patience_factor", "abandon_when_passed"});
  if (r.has("balk")) {
    const Field b = r["balk"];
    b.expect_map({"table", "logistic"});
    if (b.has("table") == b.has("logistic"))
      b.fail("give a 'table' of [announced wait, probability] or a 'logistic' {midpoint, scale}");
    if (b.has("table")) {
      double last = -1.0;
      for (const Field& row : b["table"].items()) {
        std::vector<Field> pair = row.items();
        if (pair.size() != 2) row.fail("each row is [announced wait, balking probability]");
        const double w = pair[0].duration(), p = pair[1].probability();
        if (w <= last) pair[0].fail("announced waits must increase down the table");
        last = w;
        a.balk_table.emplace_back(w, p);
      }
    } else {
      const Field l = b["logistic"];
      l.expect_map({"midpoint", "scale"});
      a.balk_midpoint_s = l["midpoint"].duration();
      a.balk_scale_s = l["scale"].duration();
      if (!(a.balk_scale_s > 0.0)) l["scale"].fail("must be > 0");
    }
  }
  if (r.has("patience_factor")) a.patience_factor = r["patience_factor"].positive();
  if (r.has("abandon_when_passed")) a.abandon_when_passed = r["abandon_when_passed"].probability();
}

}  // namespace ccsim::scenario::sections
