#include "finetune/finetune_file_check_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QThread>
#include <QVBoxLayout>
#include <memory>

#include "shell/background_job.h"
#include "shell/event_loop_wait.h"
#include "util/format.h"

namespace bertwb::ui {
namespace {

constexpr int kCheckDelayMs = 250;  // after the last keystroke, before the files are re-read
constexpr int kProblemListHeight = 90;
const QColor kProblemColour(170, 20, 20);

QString countText(qint64 value) {
  return QString::fromStdString(formatCount(value));
}

}  // namespace

FinetuneFileCheckView::FinetuneFileCheckView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)) {
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_ = new QListWidget(this);
  problems_->setMaximumHeight(kProblemListHeight);
  problems_->setToolTip(
      tr("Rows the reader rejects, with their file and line: fix them and the list updates."));
  problems_->setVisible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(summary_);
  layout->addWidget(problems_);

  delay_.setSingleShot(true);
  delay_.setInterval(kCheckDelayMs);
  connect(&delay_, &QTimer::timeout, this, &FinetuneFileCheckView::startCheck);
  connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
    summary_->setText(message);
    if (pending_) startCheck();
  });
  connect(job_, &BackgroundJob::cancelled, this, [this] {
    if (pending_) startCheck();
  });
}

FinetuneFileCheckView::~FinetuneFileCheckView() = default;  // job_ (a child) cancels and joins

void FinetuneFileCheckView::schedule(const FinetuneSettings& settings) {
  settings_ = settings;
  delay_.start();
}

void FinetuneFileCheckView::startCheck() {
  delay_.stop();
  if (job_->isRunning()) {
    pending_ = true;
    job_->cancel();
    return;
  }
  pending_ = false;
  const FinetuneSettings s = settings_;
  if (s.trainFile.isEmpty()) {
    trainCheck_ = devCheck_ = TaskFileCheck();
    summary_->clear();
    problems_->clear();
    problems_->setVisible(false);
    Q_EMIT checked();
    return;
  }
  summary_->setText(tr("Reading the files…"));
  auto train = std::make_shared<TaskFileCheck>();
  auto dev = std::make_shared<TaskFileCheck>();
  job_->start(tr("Checking the task files"),
              [s, train, dev](const ProgressCallback&, const CancelFlag& cancel) {
                *train = checkTaskFile(s.task, s.trainFile, s.columns());
                if (cancel.isRequested() || s.devFile.isEmpty()) return;
                // The dev file's labels must be among the training file's, as the run reads them.
                *dev = checkTaskFile(s.task, s.devFile, s.columns(), train->labels);
              });
  // This job's results: the holders stay alive in the connection until it succeeds.
  disconnect(job_, &BackgroundJob::succeeded, this, nullptr);
  connect(job_, &BackgroundJob::succeeded, this, [this, train, dev] {
    trainCheck_ = *train;
    devCheck_ = *dev;
    showCheck();
  });
}

void FinetuneFileCheckView::showCheck() {
  if (pending_) {  // the files changed meanwhile: what was read is already stale
    startCheck();
    return;
  }
  problems_->clear();
  for (const TaskFileCheck* check : {&trainCheck_, &devCheck_}) {
    for (const TaskFileProblem& problem : check->problems) {
      auto* item = new QListWidgetItem(problem.message, problems_);
      item->setForeground(kProblemColour);
      item->setToolTip(problem.message);
    }
    if (check->truncated) problems_->addItem(tr("… and more"));
  }
  problems_->setVisible(problems_->count() > 0);
  QString text = tr("<b>%1</b> training and <b>%2</b> dev examples")
                     .arg(countText(trainCheck_.examples), countText(devCheck_.examples));
  const QStringList names = labels();
  if (!names.isEmpty()) {
    // The first few: a file may have thousands of classes (up to kMostTaskLabels).
    constexpr int kLabelsShown = 20;
    QString shown = names.mid(0, kLabelsShown).join(QStringLiteral(", "));
    if (names.size() > kLabelsShown) shown += QStringLiteral(", …");
    text += tr("; <b>%1 labels</b>: %2").arg(names.size()).arg(shown.toHtmlEscaped());
  }
  bool wholeFile = false;  // a problem with no line: the file itself (missing, not a file)
  for (const TaskFileCheck* check : {&trainCheck_, &devCheck_})
    for (const TaskFileProblem& problem : check->problems) wholeFile |= problem.line == 0;
  if (problems_->count() > 0)
    text +=
        (wholeFile ? tr("; <span style='color:#aa1414'>%1 problem(s) listed below</span>")
                   : tr("; <span style='color:#aa1414'>%1 malformed row(s) listed below</span>"))
            .arg(problems_->count());
  summary_->setText(text);
  Q_EMIT checked();
}

bool FinetuneFileCheckView::isChecking() const {
  return delay_.isActive() || job_->isRunning() || pending_;
}

bool FinetuneFileCheckView::waitForCheck(int milliseconds) {
  return processEventsWhile([this] { return isChecking(); }, milliseconds);
}

QStringList FinetuneFileCheckView::labels() const {
  QStringList names;
  for (const std::string& label : trainCheck_.labels) names << QString::fromStdString(label);
  return names;
}

QStringList FinetuneFileCheckView::problemTexts() const {
  QStringList texts;
  for (int i = 0; i < problems_->count(); ++i) texts << problems_->item(i)->text();
  return texts;
}

}  // namespace bertwb::ui
