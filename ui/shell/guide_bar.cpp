#include "shell/guide_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "shell/guide_steps.h"

namespace bertwb::ui {
namespace {

const char* const kStartHereHiddenKey = "guide/startHereHidden";
const char* const kTourStepKey = "guide/tourStep";

int lastStep() {
  return static_cast<int>(guideSteps().size()) - 1;
}

}  // namespace

GuideBar::GuideBar(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("guideBar"));
  setAttribute(Qt::WA_StyledBackground);
  setStyleSheet(QStringLiteral("#guideBar { background: #e8f1fb; border: 1px solid #9cc3e6; }"));
  heading_ = new QLabel(this);
  heading_->setTextFormat(Qt::RichText);
  // Elided by the layout rather than widening the window: the strip never sets its width.
  heading_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  body_ = new QLabel(this);
  body_->setWordWrap(true);
  body_->setTextFormat(Qt::RichText);
  body_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  backButton_ = new QPushButton(tr("◀ Back"), this);
  nextButton_ = new QPushButton(this);
  allSteps_ = new QToolButton(this);
  allSteps_->setText(tr("All steps"));
  allSteps_->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(allSteps_);
  for (int i = 0; i <= lastStep(); ++i) {
    const GuideStep& s = guideSteps()[i];
    menu->addAction(QStringLiteral("%1. %2 — %3").arg(i + 1).arg(s.title, s.todo), this,
                    [this, i] { goToStep(i); });
  }
  allSteps_->setMenu(menu);
  closeButton_ = new QPushButton(this);
  connect(backButton_, &QPushButton::clicked, this, &GuideBar::back);
  connect(nextButton_, &QPushButton::clicked, this, &GuideBar::next);
  connect(closeButton_, &QPushButton::clicked, this, &GuideBar::leave);

  auto* row = new QHBoxLayout;
  row->addWidget(heading_, 1);
  row->addWidget(backButton_);
  row->addWidget(nextButton_);
  row->addWidget(allSteps_);
  row->addWidget(closeButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 4);
  layout->addLayout(row);
  layout->addWidget(body_);
  hide();
}

bool GuideBar::startHereWanted() {
  return !QSettings().value(kStartHereHiddenKey, false).toBool();
}

void GuideBar::showStartHere() {
  mode_ = Mode::StartHere;
  QSettings().setValue(kStartHereHiddenKey, false);
  refresh();
  show();
}

void GuideBar::startTour() {
  mode_ = Mode::Tour;
  const int saved = QSettings().value(kTourStepKey, 0).toInt();
  show();
  goToStep(saved >= 0 && saved <= lastStep() ? saved : 0);
}

void GuideBar::leave() {
  if (mode_ == Mode::StartHere) QSettings().setValue(kStartHereHiddenKey, true);
  if (mode_ == Mode::Tour) saveTourStep();
  mode_ = Mode::Hidden;
  hide();
}

void GuideBar::goToStep(int step) {
  step_ = std::clamp(step, 0, lastStep());
  if (mode_ == Mode::Tour) saveTourStep();
  refresh();
  const GuideStep& s = guideSteps()[step_];
  Q_EMIT goTo(s.stage, s.tab);
}

void GuideBar::setPage(StageId stage, int tab) {
  // The first step on that page (the Pre-train stage has two: one per tab).
  for (int i = 0; i <= lastStep(); ++i) {
    const GuideStep& s = guideSteps()[i];
    if (s.stage == stage && (s.tab == tab || tab < 0)) {
      if (i == step_) return;
      step_ = i;
      if (mode_ == Mode::Tour) saveTourStep();
      refresh();
      return;
    }
  }
}

QString GuideBar::text() const {
  QTextDocument document;
  document.setHtml(heading_->text() + QStringLiteral("<br>") +
                   (body_->isHidden() ? QString() : body_->text()));
  return document.toPlainText();
}

void GuideBar::saveTourStep() const {
  QSettings().setValue(kTourStepKey, step_);
}

void GuideBar::refresh() {
  const GuideStep& s = guideSteps()[step_];
  const int count = lastStep() + 1;
  const bool tour = mode_ == Mode::Tour;
  heading_->setText(tour ? tr("<b>Tour, step %1 of %2: %3.</b> %4")
                               .arg(step_ + 1)
                               .arg(count)
                               .arg(s.title.toHtmlEscaped(), s.todo.toHtmlEscaped())
                         : tr("<b>Start here, step %1 of %2: %3.</b> %4")
                               .arg(step_ + 1)
                               .arg(count)
                               .arg(s.title.toHtmlEscaped(), s.todo.toHtmlEscaped()));
  body_->setText(s.tourText);
  body_->setVisible(tour);
  backButton_->setVisible(tour);
  backButton_->setEnabled(step_ > 0);
  const bool last = step_ == lastStep();
  nextButton_->setEnabled(!last);
  nextButton_->setText(last ? tr("Done") : tr("Next: %1 ▶").arg(guideSteps()[step_ + 1].title));
  closeButton_->setText(tour ? tr("Leave tour") : tr("Hide"));
  closeButton_->setToolTip(tour ? tr("Help ▸ Tour continues from this step.")
                                : tr("Help ▸ Start Here shows this again."));
}

}  // namespace bertwb::ui
