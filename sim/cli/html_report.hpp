#pragma once

#include <string>

#include "output/hdf5_reader.hpp"

namespace ccsim::cli {

// A self-contained HTML page (inline CSS and SVG, no scripts, no network) a manager can read: per policy
// the wait and abandonment by interval as charts, the effect of announcements, the predictors' accuracy
// and a plain-language summary against the baseline. `days` holds the per-day numerators and
// denominators of sl, asa, abandon and mean_wait (in that order) for the paired differences. Names are
// HTML-escaped; the page says which estimator its figures are (the file's format version tells).
std::string render_report(const output::ReportData& data, const output::ComparisonData& days);

// The page's style sheet, shared by the staffing page (gap_chart.cpp).
const char* report_css();

}  // namespace ccsim::cli
