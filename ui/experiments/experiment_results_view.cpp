#include "experiments/experiment_results_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>

#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

enum ResultColumn { kVariant, kTask, kScore, kSeeds, kPaper, kColumns };

// A verdict's mark and colour: green supported, red contradicted, grey undecided or waiting.
QString verdictHtml(const ClaimVerdict& verdict) {
  const char* mark = "…";
  const char* colour = "#666666";
  switch (verdict.outcome) {
    case ClaimVerdict::Outcome::Supported:
      mark = "✔";
      colour = "#1b7f3b";
      break;
    case ClaimVerdict::Outcome::Contradicted:
      mark = "✘";
      colour = "#b00020";
      break;
    case ClaimVerdict::Outcome::Undecided:
      mark = "≈";
      colour = "#8a6d00";
      break;
    case ClaimVerdict::Outcome::Missing:
      break;
  }
  return QStringLiteral(
             "<p style='margin:2px 0'><span style='color:%1; font-weight:bold'>%2</span> %3</p>")
      .arg(QLatin1String(colour), QString::fromUtf8(mark), fromStd(verdict.text).toHtmlEscaped());
}

}  // namespace

ExperimentResultsView::ExperimentResultsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new QTableWidget(0, kColumns);
  table_->setHorizontalHeaderLabels(
      {tr("Variant"), tr("Task"), tr("Dev score (mean ± sd)"), tr("Seeds"), tr("Paper")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->verticalHeader()->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table_, 3);
  auto* heading =
      new QLabel(tr("<b>Claims</b> (an effect counts when it exceeds two standard "
                    "errors of the difference)"));
  layout->addWidget(heading);
  verdicts_ = new QLabel;
  verdicts_->setWordWrap(true);
  verdicts_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  verdicts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(verdicts_, 1);
}

void ExperimentResultsView::setResults(const ExperimentResults& results) {
  // The dev scores, the majority-class baselines, then each pre-training's perplexity (lower
  // is better).
  std::vector<ResultSummary> rows = results.table;
  rows.insert(rows.end(), results.baselines.begin(), results.baselines.end());
  rows.insert(rows.end(), results.pretraining.begin(), results.pretraining.end());
  table_->setRowCount(static_cast<int>(rows.size()));
  for (int row = 0; row < table_->rowCount(); ++row) {
    const ResultSummary& s = rows[row];
    // A baseline is one number, not a mean over seeds.
    const bool baseline = s.seeds == 0 && s.variant == "majority class";
    const QString single = QStringLiteral("%1 %2").arg(s.mean, 0, 'f', 1).arg(fromStd(s.metric));
    const QString score = baseline       ? single
                          : s.seeds == 0 ? tr("waiting")
                          : s.seeds == 1 ? single
                                         : QStringLiteral("%1 ± %2 %3")
                                               .arg(s.mean, 0, 'f', 1)
                                               .arg(s.sd, 0, 'f', 1)
                                               .arg(fromStd(s.metric));
    const QStringList cells = {fromStd(s.variant), fromStd(s.task), score,
                               baseline ? QStringLiteral("—") : QString::number(s.seeds),
                               s.paper ? QString::number(*s.paper, 'g', 4) : QStringLiteral("—")};
    for (int c = 0; c < kColumns; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c >= kScore) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(row, c, item);
    }
  }
  QString html;
  for (const ClaimVerdict& verdict : results.verdicts) html += verdictHtml(verdict);
  verdicts_->setText(html.isEmpty() ? tr("This recipe states no claims.") : html);
}

QString ExperimentResultsView::verdictText() const {
  QTextDocument document;
  document.setHtml(verdicts_->text());
  return document.toPlainText();
}

}  // namespace bertwb::ui
