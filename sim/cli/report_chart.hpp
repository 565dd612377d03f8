// The report's line charts as inline SVG: one line per policy, each with its own colour, dash pattern,
// marker and width (the first drawn widest), so that lines lying on each other stay visible; 95% bands;
// a target line; day separators and day labels over several days.
#pragma once

#include <string>
#include <vector>

#include "model/windows.hpp"

namespace ccsim::cli {

// The colour of the policy drawn `index`-th (as its legend shows it), e.g. "#1f77b4".
const char* policy_colour(std::size_t index);
// The plot area's frame colour: the screenshot test finds plot areas by it.
inline constexpr const char* kPlotFrameColour = "#7a7a7b";

struct ChartLine {
  std::string name;
  std::vector<double> mean, half_width;  // per interval; half_width empty or NaN: no band
};

struct Chart {
  std::string title, y_label;
  std::vector<model::RunInterval> intervals;  // the x axis, in run order
  std::vector<std::string> x_labels;          // per interval (clock only when the days are labelled above)
  double target = -1.0;                       // drawn as a labelled line when >= 0
  std::string target_label;
  bool small = false;     // half-width, for a chart beside another
  double y_limit = -1.0;  // the axis never goes above this (100 for a percentage) when >= 0
};

std::string line_chart(const Chart& chart, const std::vector<ChartLine>& lines);

}  // namespace ccsim::cli
