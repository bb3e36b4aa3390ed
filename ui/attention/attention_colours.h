#pragma once
// The one colour ramp of the Attention stage, so the heatmap, the head thumbnails and the
// line view read the same: white for no attention to a deep blue for all of it (a single
// hue grows monotonically darker, which prints in greyscale and suits colour-blind readers).
#include <QColor>
#include <algorithm>

namespace bertwb::ui {

inline const QColor& attentionLowColour() {
  static const QColor colour(255, 255, 255);
  return colour;
}
inline const QColor& attentionMidColour() {
  static const QColor colour(107, 174, 214);  // a light steel blue at half weight
  return colour;
}
inline const QColor& attentionHighColour() {
  static const QColor colour(8, 48, 107);
  return colour;
}

// `fraction` in 0..1 of the largest weight shown.
inline QColor attentionColour(double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const QColor& from = fraction < 0.5 ? attentionLowColour() : attentionMidColour();
  const QColor& to = fraction < 0.5 ? attentionMidColour() : attentionHighColour();
  const double t = fraction < 0.5 ? fraction * 2 : (fraction - 0.5) * 2;
  auto mix = [t](int a, int b) { return static_cast<int>(a + (b - a) * t + 0.5); };
  return QColor(mix(from.red(), to.red()), mix(from.green(), to.green()),
                mix(from.blue(), to.blue()));
}

}  // namespace bertwb::ui
