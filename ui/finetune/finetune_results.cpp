#include "finetune/finetune_results.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace bertwb::ui {
namespace {

// The darkest confusion cell: a full row on the diagonal.
const QColor kConfusionColour(33, 102, 172);
constexpr int kMaxShade = 200;  // of 255: text stays readable on the darkest cell

QString latin1(const char* text) {
  return QString::fromLatin1(text);
}

// Counts ("total", "HasAns_total") as whole numbers; percentages (QA) with 2 decimals;
// fractions with 4.
QString metricText(const std::string& name, double value, bool percent) {
  if (name.size() >= 5 && name.compare(name.size() - 5, 5, "total") == 0)
    return QString::number(static_cast<qint64>(value));
  return QString::number(value, 'f', percent ? 2 : 4);
}

QTableWidgetItem* cell(const QString& text,
                       Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(alignment);
  return item;
}

QTableWidget* makeTable(QWidget* parent) {
  auto* table = new QTableWidget(parent);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::NoSelection);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  return table;
}

void fitHeight(QTableWidget* table) {
  int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
  for (int r = 0; r < table->rowCount(); ++r) height += table->rowHeight(r);
  table->setFixedHeight(height + 2);
}

double valueOf(const TaskMetrics& scores, const char* name) {
  const auto found = scores.values.find(name);
  return found == scores.values.end() ? 0 : found->second;
}

}  // namespace

FinetuneResults::FinetuneResults(QWidget* parent) : QWidget(parent) {
  headline_ = new QLabel(this);
  headline_->setWordWrap(true);
  headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  metrics_ = makeTable(this);
  confusionTitle_ =
      new QLabel(tr("<b>Confusion matrix</b> (rows: gold label, columns: predicted)"), this);
  confusion_ = makeTable(this);
  confusion_->setToolTip(
      tr("How many dev examples of each gold label (row) got each predicted label (column); "
         "the diagonal is right."));
  detailTitle_ = new QLabel(this);
  detail_ = makeTable(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(headline_);
  layout->addWidget(metrics_);
  layout->addWidget(confusionTitle_);
  layout->addWidget(confusion_);
  layout->addWidget(detailTitle_);
  layout->addWidget(detail_);
  layout->addStretch(1);
  clear(tr("Results appear after the first evaluation on the dev set."));
}

void FinetuneResults::clear(const QString& note) {
  headline_->setText(note);
  for (QTableWidget* table : {metrics_, confusion_, detail_}) {
    table->clear();
    table->setRowCount(0);
    table->setColumnCount(0);
    table->hide();
  }
  confusionTitle_->hide();
  detailTitle_->hide();
}

void FinetuneResults::showEvaluation(const EvaluationEvent& e) {
  clear(QString());
  headline_->setText(
      tr("<b>Best evaluation</b> at step %1 (epoch %2): <b>%3 %4</b> on %5 dev examples; this "
         "model "
         "is kept in best/.")
          .arg(e.step)
          .arg(e.epoch, 0, 'f', 2)
          .arg(QString::fromStdString(e.scores.mainMetric))
          .arg(metricText(e.scores.mainMetric, e.scores.main(), e.scores.values.count("exact") > 0))
          .arg(e.details.scoredExamples));
  showMetrics(e);
  if (e.details.classification) {
    showConfusion(e);
    showClassScores(e);
  } else if (e.details.entities) {
    showEntityScores(e);
  } else if (e.scores.values.count("exact")) {
    showQaSubsets(e);
  }
}

void FinetuneResults::showMetrics(const EvaluationEvent& e) {
  const bool percent = e.scores.values.count("exact") > 0;  // SQuAD scores are percentages
  QStringList names;
  QList<QString> values;
  // The main metric first, then the rest in name order.
  names << QString::fromStdString(e.scores.mainMetric);
  values << metricText(e.scores.mainMetric, e.scores.main(), percent);
  for (const auto& [name, value] : e.scores.values) {
    if (name == e.scores.mainMetric) continue;
    names << QString::fromStdString(name);
    values << metricText(name, value, percent);
  }
  metrics_->setColumnCount(static_cast<int>(names.size()));
  metrics_->setRowCount(1);
  metrics_->setHorizontalHeaderLabels(names);
  metrics_->verticalHeader()->hide();
  for (int c = 0; c < names.size(); ++c) {
    QTableWidgetItem* item = cell(values[c], Qt::AlignCenter);
    if (c == 0) {
      QFont bold = item->font();
      bold.setBold(true);
      item->setFont(bold);
    }
    metrics_->setItem(0, c, item);
  }
  fitHeight(metrics_);
  metrics_->show();
}

void FinetuneResults::showConfusion(const EvaluationEvent& e) {
  const auto& matrix = e.details.classification->confusion;
  const int classes = static_cast<int>(e.details.labels.size());
  QStringList names;
  for (const std::string& label : e.details.labels) names << QString::fromStdString(label);
  confusion_->setRowCount(classes);
  confusion_->setColumnCount(classes);
  confusion_->setHorizontalHeaderLabels(names);
  confusion_->setVerticalHeaderLabels(names);
  confusion_->verticalHeader()->show();
  for (int gold = 0; gold < classes && gold < static_cast<int>(matrix.size()); ++gold) {
    qint64 rowTotal = 0;
    for (int64_t count : matrix[static_cast<size_t>(gold)]) rowTotal += count;
    for (int predicted = 0; predicted < classes; ++predicted) {
      const int64_t count = matrix[static_cast<size_t>(gold)][static_cast<size_t>(predicted)];
      QTableWidgetItem* item = cell(QString::number(count), Qt::AlignCenter);
      const double share =
          rowTotal > 0 ? static_cast<double>(count) / static_cast<double>(rowTotal) : 0;
      QColor shade = kConfusionColour;
      shade.setAlpha(static_cast<int>(share * kMaxShade));
      item->setBackground(shade);
      if (share > 0.5) item->setForeground(Qt::white);
      confusion_->setItem(gold, predicted, item);
    }
  }
  fitHeight(confusion_);
  confusionTitle_->show();
  confusion_->show();
}

void FinetuneResults::showClassScores(const EvaluationEvent& e) {
  detailTitle_->setText(tr("<b>Per label</b>"));
  detail_->setColumnCount(5);
  detail_->setHorizontalHeaderLabels(
      {tr("label"), tr("precision"), tr("recall"), tr("F1"), tr("support")});
  detail_->verticalHeader()->hide();
  const auto& perClass = e.details.classification->perClass;
  detail_->setRowCount(static_cast<int>(perClass.size()));
  for (int r = 0; r < static_cast<int>(perClass.size()); ++r) {
    const ClassScores& s = perClass[static_cast<size_t>(r)];
    const QString name = r < static_cast<int>(e.details.labels.size())
                             ? QString::fromStdString(e.details.labels[static_cast<size_t>(r)])
                             : QString::number(r);
    detail_->setItem(r, 0, cell(name, Qt::AlignLeft | Qt::AlignVCenter));
    detail_->setItem(r, 1, cell(QString::number(s.precision, 'f', 4)));
    detail_->setItem(r, 2, cell(QString::number(s.recall, 'f', 4)));
    detail_->setItem(r, 3, cell(QString::number(s.f1, 'f', 4)));
    detail_->setItem(r, 4, cell(QString::number(s.support)));
  }
  fitHeight(detail_);
  detailTitle_->show();
  detail_->show();
}

void FinetuneResults::showEntityScores(const EvaluationEvent& e) {
  detailTitle_->setText(
      tr("<b>Per entity type</b> (entity-level, as seqeval: type and both ends must match)"));
  detail_->setColumnCount(5);
  detail_->setHorizontalHeaderLabels(
      {tr("type"), tr("precision"), tr("recall"), tr("F1"), tr("support")});
  detail_->verticalHeader()->hide();
  const auto& types = e.details.entities->perType;
  detail_->setRowCount(static_cast<int>(types.size()) + 1);
  int r = 0;
  auto addRow = [this, &r](const QString& name, const EntityScores& s, bool bold) {
    QTableWidgetItem* first = cell(name, Qt::AlignLeft | Qt::AlignVCenter);
    if (bold) {
      QFont font = first->font();
      font.setBold(true);
      first->setFont(font);
    }
    detail_->setItem(r, 0, first);
    detail_->setItem(r, 1, cell(QString::number(s.precision, 'f', 4)));
    detail_->setItem(r, 2, cell(QString::number(s.recall, 'f', 4)));
    detail_->setItem(r, 3, cell(QString::number(s.f1, 'f', 4)));
    detail_->setItem(r, 4, cell(QString::number(s.support)));
    ++r;
  };
  for (const auto& [type, scores] : types) addRow(QString::fromStdString(type), scores, false);
  addRow(tr("all (micro)"), e.details.entities->overall, true);
  fitHeight(detail_);
  detailTitle_->show();
  detail_->show();
}

void FinetuneResults::showQaSubsets(const EvaluationEvent& e) {
  detailTitle_->setText(
      tr("<b>By question kind</b> (SQuAD v2: HasAns answerable, NoAns unanswerable)"));
  detail_->setColumnCount(4);
  detail_->setHorizontalHeaderLabels({tr("questions"), tr("exact match"), tr("F1"), tr("count")});
  detail_->verticalHeader()->hide();
  struct Subset {
    QString name;
    const char *exact, *f1, *total;
  };
  QList<Subset> subsets = {{tr("all"), "exact", "f1", "total"}};
  if (e.scores.values.count("HasAns_total"))
    subsets << Subset{latin1("HasAns"), "HasAns_exact", "HasAns_f1", "HasAns_total"};
  if (e.scores.values.count("NoAns_total"))
    subsets << Subset{latin1("NoAns"), "NoAns_exact", "NoAns_f1", "NoAns_total"};
  detail_->setRowCount(static_cast<int>(subsets.size()));
  for (int r = 0; r < subsets.size(); ++r) {
    const Subset& s = subsets[r];
    detail_->setItem(r, 0, cell(s.name, Qt::AlignLeft | Qt::AlignVCenter));
    detail_->setItem(r, 1, cell(QString::number(valueOf(e.scores, s.exact), 'f', 2)));
    detail_->setItem(r, 2, cell(QString::number(valueOf(e.scores, s.f1), 'f', 2)));
    detail_->setItem(r, 3, cell(QString::number(static_cast<qint64>(valueOf(e.scores, s.total)))));
  }
  fitHeight(detail_);
  detailTitle_->show();
  detail_->show();
}

qint64 FinetuneResults::confusionTotal() const {
  qint64 total = 0;
  for (int r = 0; r < confusion_->rowCount(); ++r)
    for (int c = 0; c < confusion_->columnCount(); ++c)
      if (const QTableWidgetItem* item = confusion_->item(r, c)) total += item->text().toLongLong();
  return total;
}

QString FinetuneResults::headline() const {
  return headline_->text();
}

}  // namespace bertwb::ui
