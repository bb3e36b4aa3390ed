#include "shell/run_history_dialog.h"

#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "util/format.h"

namespace bertwb::ui {
namespace {

enum RunColumn {
  kKindColumn,
  kNameColumn,
  kStateColumn,
  kStepsColumn,
  kTimeColumn,
  kLossColumn,
  kScoreColumn,
  kTaskColumn,
  kPrecisionColumn,
  kDeviceColumn,
  kStartedColumn,
  kRunColumns
};
constexpr int kHistoryWidth = 1000, kHistoryHeight = 640;

QTableWidgetItem* historyCell(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setToolTip(text);
  return item;
}

}  // namespace

RunHistoryDialog::RunHistoryDialog(QString runsFolder, QString finetunedFolder, QWidget* parent)
    : QDialog(parent),
      runsFolder_(std::move(runsFolder)),
      finetunedFolder_(std::move(finetunedFolder)) {
  setWindowTitle(tr("Run History"));
  table_ = new QTableWidget(0, kRunColumns, this);
  table_->setHorizontalHeaderLabels({tr("Kind"), tr("Run"), tr("State"), tr("Steps"),
                                     tr("Training time"), tr("Last loss"), tr("Score"), tr("Task"),
                                     tr("Precision"), tr("Device"), tr("Started")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setToolTip(tr("Select one run to see its settings; select two to compare them."));

  settingsTitle_ = new QLabel(this);
  onlyDifferences_ = new QCheckBox(tr("Only the settings that differ"), this);
  onlyDifferences_->setChecked(true);
  onlyDifferences_->setToolTip(tr("With two runs selected: hide the settings they share."));
  settings_ = new QTableWidget(0, 2, this);
  settings_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  settings_->verticalHeader()->hide();
  settings_->horizontalHeader()->setStretchLastSection(true);
  settings_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

  showButton_ = new QPushButton(tr("Show in Its Stage"), this);
  showButton_->setToolTip(tr("Open the run's curves and results in Pre-train or Fine-tune."));
  auto* refreshButton = new QPushButton(tr("Refresh"), this);
  auto* closeButton = new QPushButton(tr("Close"), this);

  connect(table_, &QTableWidget::itemSelectionChanged, this, &RunHistoryDialog::showSelection);
  connect(onlyDifferences_, &QCheckBox::toggled, this, &RunHistoryDialog::showSelection);
  connect(table_, &QTableWidget::cellDoubleClicked, this, [this] { showButton_->click(); });
  connect(showButton_, &QPushButton::clicked, this, [this] {
    const QVector<int> rows = selectedRuns();
    if (rows.size() == 1) Q_EMIT showRunRequested(runs_[rows[0]].folder, runs_[rows[0]].kind);
  });
  connect(refreshButton, &QPushButton::clicked, this, &RunHistoryDialog::refresh);
  connect(closeButton, &QPushButton::clicked, this, &QDialog::close);

  auto* lower = new QWidget(this);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  auto* titleRow = new QHBoxLayout;
  titleRow->addWidget(settingsTitle_, 1);
  titleRow->addWidget(onlyDifferences_);
  lowerLayout->addLayout(titleRow);
  lowerLayout->addWidget(settings_, 1);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(table_);
  splitter->addWidget(lower);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(showButton_);
  buttons->addStretch(1);
  buttons->addWidget(refreshButton);
  buttons->addWidget(closeButton);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter, 1);
  layout->addLayout(buttons);
  resize(kHistoryWidth, kHistoryHeight);
  refresh();
}

void RunHistoryDialog::refresh() {
  runs_ = listRuns(runsFolder_, finetunedFolder_);
  const QSignalBlocker block(table_);
  table_->clearSelection();
  table_->setRowCount(0);
  for (const RunRecord& run : runs_) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    const QString cells[kRunColumns] = {
        runKindName(run.kind),
        run.name,
        run.state,
        QString::fromStdString(formatCount(run.step)),
        QString::fromStdString(formatSeconds(run.seconds)),
        std::isnan(run.lastLoss) ? QStringLiteral("—") : QString::number(run.lastLoss, 'f', 4),
        run.score,
        run.task,
        run.settings.value(QStringLiteral("precision"),
                           run.settings.value(QStringLiteral("engine.precision"))),
        run.settings.value(QStringLiteral("device"),
                           run.settings.value(QStringLiteral("engine.device"))),
        run.started.toString(QStringLiteral("yyyy-MM-dd HH:mm"))};
    for (int column = 0; column < kRunColumns; ++column)
      table_->setItem(row, column, historyCell(cells[column]));
    table_->item(row, kNameColumn)->setToolTip(run.folder);
  }
  showSelection();
}

void RunHistoryDialog::selectRuns(const QStringList& folders) {
  table_->clearSelection();
  table_->setSelectionMode(QAbstractItemView::MultiSelection);
  for (int row = 0; row < runs_.size(); ++row)
    if (folders.contains(runs_[row].folder)) table_->selectRow(row);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
}

QVector<int> RunHistoryDialog::selectedRuns() const {
  QVector<int> rows;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows()) rows << index.row();
  std::sort(rows.begin(), rows.end());
  return rows;
}

QString RunHistoryDialog::settingsTitle() const {
  return settingsTitle_->text();
}

void RunHistoryDialog::showSelection() {
  const QVector<int> rows = selectedRuns();
  showButton_->setEnabled(rows.size() == 1);
  onlyDifferences_->setVisible(rows.size() == 2);
  settings_->setRowCount(0);
  if (rows.size() == 1) {
    const RunRecord& run = runs_[rows[0]];
    settingsTitle_->setText(tr("<b>%1</b>: what it was started with").arg(run.name));
    settings_->setColumnCount(2);
    settings_->setHorizontalHeaderLabels({tr("Setting"), tr("Value")});
    for (auto it = run.settings.begin(); it != run.settings.end(); ++it) {
      const int row = settings_->rowCount();
      settings_->insertRow(row);
      settings_->setItem(row, 0, historyCell(it.key()));
      settings_->setItem(row, 1, historyCell(it.value()));
    }
    if (run.settings.isEmpty())
      settingsTitle_->setText(tr("<b>%1</b> recorded no settings (a run made before they were "
                                 "recorded).")
                                  .arg(run.name));
    return;
  }
  if (rows.size() == 2) {
    const RunRecord& a = runs_[rows[0]];
    const RunRecord& b = runs_[rows[1]];
    settings_->setColumnCount(3);
    settings_->setHorizontalHeaderLabels({tr("Setting"), a.name, b.name});
    const auto difference = settingsDifference(a, b);
    settingsTitle_->setText(tr("<b>%1</b> and <b>%2</b> differ in %n setting(s)", nullptr,
                               static_cast<int>(difference.size()))
                                .arg(a.name, b.name));
    QStringList keys = a.settings.keys() + b.settings.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString& key : keys) {
      const bool differs = difference.contains(key);
      if (onlyDifferences_->isChecked() && !differs) continue;
      const int row = settings_->rowCount();
      settings_->insertRow(row);
      settings_->setItem(row, 0, historyCell(key));
      settings_->setItem(row, 1, historyCell(a.settings.value(key, QStringLiteral("—"))));
      settings_->setItem(row, 2, historyCell(b.settings.value(key, QStringLiteral("—"))));
      if (differs)
        for (int column = 0; column < 3; ++column)
          settings_->item(row, column)->setBackground(QColor(255, 243, 205));
    }
    return;
  }
  settingsTitle_->setText(runs_.isEmpty()
                              ? tr("No runs in this workspace yet.")
                              : tr("Select a run to see its settings, or two to compare them."));
}

}  // namespace bertwb::ui
