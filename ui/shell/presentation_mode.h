#pragma once
// Presentation mode, for a projector at the back of a classroom: the whole window's text
// larger (the application font) and the charts' fonts and lines thicker (presentation_style.h),
// in steps from 100% to 200%. View ▸ Presentation mode switches between normal and the last
// presentation size; Ctrl +/− step; Ctrl 0 goes back. The main window saves the size with
// the workspace, so a prepared class opens as it was left.
#include <QFont>
#include <QObject>

class QWidget;

namespace bertwb::ui {

class PresentationMode : public QObject {
  Q_OBJECT
 public:
  // Restyles `window` and everything under it; the application font as it is now is 100%.
  explicit PresentationMode(QWidget* window);

  double scale() const { return scale_; }
  bool isOn() const { return scale_ > 1.0; }
  // Snapped to the nearest step; restyles and emits scaleChanged when it changes.
  void setScale(double scale);
  void larger();
  void smaller();
  void toggle();  // normal ↔ the last presentation size (150% the first time)
  // Restyles plots made since (a workspace's stages were rebuilt) at the current scale.
  void restyle();

 Q_SIGNALS:
  void scaleChanged(double scale);

 private:
  void apply();

  QWidget* window_;
  QFont normalFont_;
  double scale_ = 1.0;
  double lastPresentationScale_;
};

}  // namespace bertwb::ui
