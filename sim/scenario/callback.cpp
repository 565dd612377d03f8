// A contact type's `callback` (virtual hold): the offer's threshold on the predicted wait, the chance a
// caller takes it, and the call-out (ring time, chance the customer picks up, tries, talk time).
#include <string>

#include "scenario/sections.hpp"

namespace ccsim::scenario::sections {

void read_callback(const Field& t, ContactType& c) {
  if (!t.has("callback")) return;
  const Field f = t["callback"];
  f.expect_map({"offer_when_predicted_over", "accept", "keep_place", "priority", "success", "attempts",
                "retry_after", "handle_time", "ring_time"});
  if (c.channel != Channel::voice)
    f.fail("'" + c.name + "' is not a voice line: only callers waiting on the phone are offered a callback");
  if (c.has_appointments)
    f.fail("'" + c.name + "' has appointments: a booked customer comes at the slot, not by callback");
  Callback b;
  b.where = f.where();
  b.offer_over_s = f["offer_when_predicted_over"].duration();
  const Field accept = f["accept"];
  if (accept.node().IsSequence()) {
    // A table by predicted wait: [{over: 2min, probability: 0.3}, {over: 5min, probability: 0.6}].
    for (const Field& step : accept.items()) {
      step.expect_map({"over", "probability"});
      const double over = step["over"].duration();
      if (!b.accept_by_wait.empty() && !(over > b.accept_by_wait.back().first))
        step["over"].fail("steps must be in increasing order of predicted wait");
      b.accept_by_wait.emplace_back(over, step["probability"].probability());
    }
    if (b.accept_by_wait.empty()) accept.fail("give at least one step {over: DURATION, probability: P}");
  } else {
    b.accept = accept.probability();
  }
  if (f.has("keep_place")) b.keep_place = f["keep_place"].choice({"true", "false"}) == "true";
  if (f.has("priority")) {
    if (b.keep_place)
      f["priority"].fail("a callback that keeps its caller's place is served in that place: priority orders "
                         "callbacks of their own queue (keep_place: false)");
    b.priority = static_cast<int>(f["priority"].integer(-1000, 1000));
  }
  if (f.has("success")) b.success = f["success"].probability();
  if (f.has("attempts")) b.attempts = static_cast<int>(f["attempts"].integer(1, 32));  // tries drawn as bits
  if (f.has("retry_after")) {
    b.retry_after_s = f["retry_after"].duration();
  } else if (b.attempts > 1) {
    f.fail("give retry_after: how long after a try the customer does not answer the next try is made");
  }
  b.handle_time = f.has("handle_time") ? f["handle_time"].distribution(false) : c.handle_time;
  if (!(b.handle_time.mean() > 0.0)) f["handle_time"].fail("mean handle time must be > 0");
  if (f.has("ring_time")) b.ring_s = f["ring_time"].duration();
  c.callback = b;
}

}  // namespace ccsim::scenario::sections
