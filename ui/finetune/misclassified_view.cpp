#include "finetune/misclassified_view.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "io/manifests.h"
#include "shell/bounded_read.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

enum Column { kTextColumn, kGoldColumn, kPredictedColumn, kConfidenceColumn, kSourceColumn };

QString csvField(QString text) {
  text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + text + QLatin1Char('"');
}

}  // namespace

QVector<DevPrediction> readDevPredictions(const QString& path, QString* error) {
  const std::optional<QByteArray> bytes = readBoundedFile(path, kJsonInputFile, error);
  if (!bytes) return {};
  QVector<DevPrediction> predictions;
  int lineNumber = 0;
  for (const QByteArray& line : bytes->split('\n')) {
    ++lineNumber;
    if (line.trimmed().isEmpty()) continue;
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.isEmpty()) {
      if (error) *error = QObject::tr("%1:%2 is not a JSON object").arg(path).arg(lineNumber);
      return {};
    }
    predictions.push_back({o.value(QStringLiteral("source")).toString(),
                           o.value(QStringLiteral("text")).toString(),
                           o.value(QStringLiteral("gold")).toString(),
                           o.value(QStringLiteral("predicted")).toString(),
                           o.value(QStringLiteral("confidence")).toDouble(-1)});
  }
  return predictions;
}

MisclassifiedView::MisclassifiedView(QWidget* parent) : QWidget(parent) {
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Filter by words in the text"));
  filter_->setClearButtonEnabled(true);
  goldFilter_ = new QComboBox(this);
  goldFilter_->setToolTip(tr("Only the mistakes on examples of this gold label."));
  exportButton_ = new QPushButton(tr("Export CSV…"), this);
  exportButton_->setToolTip(tr("The mistakes shown, as a spreadsheet."));
  table_ = new QTableWidget(0, 5, this);
  table_->setHorizontalHeaderLabels(
      {tr("Text"), tr("Gold"), tr("Predicted"), tr("Confidence"), tr("Source")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setWordWrap(true);
  table_->verticalHeader()->hide();
  // The text takes what the labels leave: the confidence must stay in view.
  for (int column = 0; column < 5; ++column)
    table_->horizontalHeader()->setSectionResizeMode(
        column, column == kTextColumn ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
  table_->horizontalHeaderItem(kConfidenceColumn)
      ->setToolTip(tr("The probability the model gave its (wrong) answer: a confident mistake "
                      "is worth reading, the gold label may be wrong."));

  connect(filter_, &QLineEdit::textChanged, this, &MisclassifiedView::refill);
  connect(goldFilter_, &QComboBox::currentIndexChanged, this, &MisclassifiedView::refill);
  connect(exportButton_, &QPushButton::clicked, this, &MisclassifiedView::exportWithDialog);

  auto* tools = new QHBoxLayout;
  tools->addWidget(filter_, 1);
  tools->addWidget(goldFilter_);
  tools->addWidget(exportButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(summary_);
  layout->addLayout(tools);
  layout->addWidget(table_, 1);
  clear(tr("The dev examples the best model gets wrong appear here when a run ends."));
}

void MisclassifiedView::clear(const QString& note) {
  mistakes_.clear();
  scored_ = 0;
  summary_->setText(note);
  const QSignalBlocker block(goldFilter_);
  goldFilter_->clear();
  refill();
}

void MisclassifiedView::showRun(const QString& runFolder) {
  QString error;
  const QVector<DevPrediction> all = readDevPredictions(
      QDir(runFolder).filePath(QString::fromLatin1(kDevPredictionsFile)), &error);
  if (all.isEmpty()) {
    clear(error.isEmpty() ? tr("This run scored no dev example.")
                          : tr("No list of mistakes for this run (%1).").arg(error));
    return;
  }
  mistakes_.clear();
  QStringList labels;
  for (const DevPrediction& p : all) {
    if (!labels.contains(p.gold)) labels << p.gold;
    if (p.predicted != p.gold) mistakes_.push_back(p);
  }
  // The most confident mistakes first: the ones a person should read.
  std::stable_sort(
      mistakes_.begin(), mistakes_.end(),
      [](const DevPrediction& a, const DevPrediction& b) { return a.confidence > b.confidence; });
  scored_ = static_cast<int>(all.size());
  {
    const QSignalBlocker block(goldFilter_);
    goldFilter_->clear();
    goldFilter_->addItem(tr("every gold label"), QString());
    labels.sort();
    // Tag sequences and answers are too many and too long to filter by.
    if (labels.size() <= scored_ / 2 || labels.size() <= 20)
      for (const QString& label : labels) goldFilter_->addItem(tr("gold: %1").arg(label), label);
  }
  summary_->setText(tr("<b>%1 of %2</b> dev examples are misclassified by the best model "
                       "(%3%), the most confident mistakes first.")
                        .arg(mistakes_.size())
                        .arg(scored_)
                        .arg(kPercent * mistakes_.size() / scored_, 0, 'f', 1));
  refill();
}

void MisclassifiedView::setTextFilter(const QString& words) {
  filter_->setText(words);
}

void MisclassifiedView::setGoldFilter(const QString& label) {
  const int index = goldFilter_->findData(label);
  goldFilter_->setCurrentIndex(std::max(index, 0));
}

int MisclassifiedView::shownCount() const {
  return table_->rowCount();
}

QString MisclassifiedView::summary() const {
  return summary_->text();
}

void MisclassifiedView::refill() {
  const QString words = filter_->text().trimmed();
  const QString gold = goldFilter_->currentData().toString();
  table_->setRowCount(0);
  for (const DevPrediction& p : mistakes_) {
    if (!words.isEmpty() && !p.text.contains(words, Qt::CaseInsensitive)) continue;
    if (!gold.isEmpty() && p.gold != gold) continue;
    const int row = table_->rowCount();
    table_->insertRow(row);
    const QString confidence = p.confidence < 0
                                   ? QStringLiteral("—")
                                   : QStringLiteral("%1%").arg(p.confidence * kPercent, 0, 'f', 1);
    // "dev.tsv:139" in the table, the whole path in its tooltip.
    const QString where = p.source.mid(p.source.lastIndexOf(QLatin1Char('/')) + 1);
    const QString cells[] = {p.text, p.gold, p.predicted, confidence, where};
    for (int column = 0; column < 5; ++column) {
      auto* item = new QTableWidgetItem(cells[column]);
      item->setToolTip(column == kSourceColumn ? p.source : cells[column]);
      table_->setItem(row, column, item);
    }
  }
  exportButton_->setEnabled(table_->rowCount() > 0);
}

bool MisclassifiedView::exportCsv(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = file.errorString();
    return false;
  }
  QString text = QStringLiteral("text,gold,predicted,confidence,source\n");
  for (int row = 0; row < table_->rowCount(); ++row) {
    QStringList fields;
    for (int column = 0; column < 5; ++column) {
      const QTableWidgetItem* item = table_->item(row, column);
      fields << csvField(column == kSourceColumn ? item->toolTip() : item->text());
    }
    text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  file.write(text.toUtf8());
  if (!file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

void MisclassifiedView::exportWithDialog() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export the mistakes"),
                                   QStringLiteral("misclassified.csv"), tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) summary_->setText(tr("Could not write '%1': %2").arg(path, error));
}

}  // namespace bertwb::ui
