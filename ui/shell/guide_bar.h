#pragma once
// The strip above the stages that shows a newcomer the way (guide_steps.h). Two forms:
// - Start here (first start, Help ▸ Start Here): one line, the step of the page on screen and
//   a button to the next one, "All steps" listing every step with its page, and Hide.
// - Tour (Help ▸ Tour): the same strip with a few sentences per step, Back and Next. Leaving
//   it keeps the step, and Help ▸ Tour resumes there (also after a restart).
// The window moves the pages (goTo) and tells the bar where the user went (setPage).
#include <QWidget>

#include "shell/stage_table.h"

class QLabel;
class QPushButton;
class QToolButton;

namespace bertwb::ui {

class GuideBar : public QWidget {
  Q_OBJECT
 public:
  enum class Mode { Hidden, StartHere, Tour };
  explicit GuideBar(QWidget* parent = nullptr);

  Mode mode() const { return mode_; }
  // Shown on first start, until hidden once (remembered in the user's settings).
  static bool startHereWanted();
  void showStartHere();
  // The tour at its remembered step (the first, or where it was left).
  void startTour();
  void leave();  // hides either form; the tour's step is kept

  int step() const { return step_; }
  void goToStep(int step);  // moves the pages there (emits goTo)
  void next() { goToStep(step_ + 1); }
  void back() { goToStep(step_ - 1); }
  // The page on screen changed (the user clicked the sidebar or a tab): the bar follows.
  void setPage(StageId stage, int tab);

  QString text() const;  // what the bar says now, as plain text

 Q_SIGNALS:
  void goTo(StageId stage, int tab);

 private:
  void refresh();
  void saveTourStep() const;

  Mode mode_ = Mode::Hidden;
  int step_ = 0;
  QLabel* heading_;
  QLabel* body_;
  QPushButton* backButton_;
  QPushButton* nextButton_;
  QToolButton* allSteps_;
  QPushButton* closeButton_;
};

}  // namespace bertwb::ui
