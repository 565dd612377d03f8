#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace ccsim::scenario {

// Reads a forecast as WFM tools export it — one row per interval and contact type:
//   interval_start,contact_type,volume[,aht]
//   08:00,general,14,240
// (columns found by their header names, in any order; aht in seconds) and fills the contact types'
// volume and AHT. Every interval of the day must appear exactly once per contact type in the file.
// Errors name the CSV file, line and column. Returns, per contact type, whether the file gave its rows.
std::vector<bool> read_forecast_csv(const std::string& path, Scenario& s);
// The same from text in memory (`path` names it in messages); the fuzzer's entry point.
std::vector<bool> parse_forecast_csv(const std::string& text, const std::string& path, Scenario& s);

}  // namespace ccsim::scenario
