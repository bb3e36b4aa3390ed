#include "shell/presentation_mode.h"

#include <QApplication>
#include <QWidget>
#include <algorithm>
#include <array>
#include <cmath>

#include "widgets/presentation_style.h"

namespace bertwb::ui {
namespace {

// Steps a class can tell apart; 200% is a 1280-px projector read from the back row.
constexpr std::array<double, 5> kSteps = {1.0, 1.25, 1.5, 1.75, 2.0};
constexpr double kFirstPresentationScale = 1.5;
constexpr double kDefaultPointSize = 9.0;  // where the font was given in pixels

// The application font at 100%: taken from the first window, so a second window (or one
// opened while the first is enlarged) never takes an enlarged font for the normal one.
QFont normalApplicationFont() {
  static const QFont normal = QApplication::font();
  return normal;
}

int nearestStep(double scale) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(kSteps.size()); ++i)
    if (std::abs(kSteps[i] - scale) < std::abs(kSteps[best] - scale)) best = i;
  return best;
}

}  // namespace

PresentationMode::PresentationMode(QWidget* window)
    : QObject(window),
      window_(window),
      normalFont_(normalApplicationFont()),
      lastPresentationScale_(kFirstPresentationScale) {}

void PresentationMode::setScale(double scale) {
  const double snapped = kSteps[nearestStep(scale)];
  if (snapped == scale_) return;
  scale_ = snapped;
  if (isOn()) lastPresentationScale_ = scale_;
  apply();
  Q_EMIT scaleChanged(scale_);
}

void PresentationMode::larger() {
  setScale(kSteps[std::min<int>(nearestStep(scale_) + 1, kSteps.size() - 1)]);
}

void PresentationMode::smaller() {
  setScale(kSteps[std::max(nearestStep(scale_) - 1, 0)]);
}

void PresentationMode::toggle() {
  setScale(isOn() ? 1.0 : lastPresentationScale_);
}

void PresentationMode::restyle() {
  restylePlotsUnder(window_);
}

void PresentationMode::apply() {
  QFont font = normalFont_;
  const double normalSize =
      normalFont_.pointSizeF() > 0 ? normalFont_.pointSizeF() : kDefaultPointSize;
  font.setPointSizeF(normalSize * scale_);
  QApplication::setFont(font);
  setPresentationScale(scale_);
  restyle();
}

}  // namespace bertwb::ui
