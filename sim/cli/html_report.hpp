#pragma once

#include <string>

#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

// A self-contained HTML page (inline CSS and SVG, no scripts, no network) a manager can read: a first
// paragraph answering the scenario's question (its factors' paired effects, or each policy against the
// baseline), the day's figures, per day and per window totals, charts by interval (every policy visible,
// 95% bands, the service-level target, day separators; per contact type), the announced waits' accuracy in
// plain words and a "how to read this" note. `days` holds the run's totals and `windows` the totals of each
// day (the first `day_windows`) and of each window asked for, both of report_measures() (report_text.hpp)
// in that order, for the paired differences. Names are HTML-escaped.
std::string render_report(const output::ReportData& data, const output::ComparisonData& days,
                          const output::ComparisonData& windows, std::size_t day_windows);

// The page's style sheet, shared by the staffing page (gap_chart.cpp).
const char* report_css();

}  // namespace ccsim::cli
