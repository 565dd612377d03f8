// A time window of a run ("Mon 09:00-12:00") as the run's intervals it covers, and a measure's totals over
// it per replication: what `compare --window` and the report's day and window summaries pool.
#pragma once

#include <string>
#include <vector>

#include "model/measures.hpp"

namespace ccsim::model {

// One interval of the run as a results file describes it (`/intervals`).
struct RunInterval {
  int day = 0;            // 0-based day of the run
  std::string day_label;  // "Mon", "day 2"; empty in a one-day run
  double start_s = 0.0;   // clock time of day, seconds after midnight
  double length_s = 0.0;
  bool warmup = false;  // excluded from every total, as from the day figures
};

// The day label of a results file's interval label: "Tue 08:30" -> "Tue" over several days, "" in a one-day
// run (whose labels are the clock alone).
std::string day_label_of(const std::string& interval_label, bool several_days);

struct Window {
  std::string name;            // as given, or the day's label for a whole day
  std::vector<int> intervals;  // run intervals in order, warm-up left out; never empty
};

// Reads "[DAY ]HH:MM-[DAY ]HH:MM" against the run's intervals: the start on an interval's start, the end on
// an interval's end (the end's day defaults to the start's; a one-day run may leave the day out; a window
// may run over several days). Every mistake — no such day, a time off the interval edges or outside the
// opening hours, an end before the start, a window of warm-up only — is an InputError beginning `origin`
// (e.g. "command line: --window Mon 09:00-12:00").
Window parse_window(const std::string& text, const std::vector<RunInterval>& intervals, const std::string& origin);

// The whole of each day (warm-up left out), named by its label ("day 1" when it has none); days of only
// warm-up are left out.
std::vector<Window> day_windows(const std::vector<RunInterval>& intervals);

// Per replication, the sum of by_interval[interval][replication] over the window's intervals: numerators
// and denominators summed so that the ratio of totals over replications is the window's own (a NaN
// interval, one the file had no row for, makes the replication's total NaN, never a silent gap).
std::vector<double> window_total(const std::vector<std::vector<double>>& by_interval, const Window& w);

// A measure's numerator and denominator per replication over the window, from theirs per interval
// ([interval][replication]): a ratio sums both (so its ratio of totals is the window's own), a count sums
// its numerator and keeps the denominator of 1 (the mean over replications of the window's count), a level
// (backlog) is the one at the window's last interval.
struct WindowTotals {
  std::vector<double> numerator, denominator;
};
WindowTotals window_totals(const std::vector<std::vector<double>>& numerators,
                           const std::vector<std::vector<double>>& denominators, const Window& w, Pooling pooling);

}  // namespace ccsim::model
