#pragma once
// Count histograms as QCustomPlot bars, styled alike in every panel (sentence lengths on the
// Data panel, instance lengths on the Masking panel).
#include <QColor>
#include <QString>
#include <cstdint>
#include <vector>

class QCustomPlot;
class QCPBars;

namespace bertwb::ui {

struct HistogramSpec {
  QString xLabel;
  QString yLabel;
  QColor colour;
  // The last count is "this length or more" (the corpus statistics' open top bucket).
  bool lastBucketIsOpen = false;
  // An optional dashed vertical line with a label ("mean 10.0", "max_seq_length 128").
  double markerAt = -1;  // negative: none
  QString markerLabel;
};

// Replaces `plot`'s bars with one bar per length from the shortest to the longest that occurs
// (counts[n] = items of length n). Returns the bars (owned by the plot), or nullptr when every
// count is zero.
QCPBars* showHistogram(QCustomPlot* plot, const std::vector<int64_t>& counts,
                       const HistogramSpec& spec);

// Larger tick and label fonts for projectors, no grid clutter.
void styleChart(QCustomPlot* plot);

}  // namespace bertwb::ui
