#include "playground/playground_ner_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTextEdit>
#include <QVBoxLayout>

#include "widgets/text_highlighting.h"

namespace bertwb::ui {
namespace {

constexpr int kNerInputRows = 3;
constexpr int kNerHighlightRows = 4;
enum NerColumn { NerWords, NerType, NerStart, NerEnd, NerScore, NerColumnCount };

QTableWidgetItem* nerCell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

PlaygroundNerView::PlaygroundNerView(QWidget* parent) : PlaygroundModeView(parent) {
  input_ = new QPlainTextEdit(this);
  input_->setPlaceholderText(tr("Type a sentence with names of people, places and organisations…"));
  input_->setFixedHeight(input_->fontMetrics().lineSpacing() * kNerInputRows + 16);
  highlighted_ = new QTextEdit(this);
  highlighted_->setReadOnly(true);
  highlighted_->setFixedHeight(highlighted_->fontMetrics().lineSpacing() * kNerHighlightRows + 16);
  QFont larger = highlighted_->font();
  larger.setPointSizeF(larger.pointSizeF() * 1.2);
  highlighted_->document()->setDefaultFont(larger);
  legend_ = new QLabel(this);
  legend_->setTextFormat(Qt::RichText);
  table_ = new QTableWidget(0, NerColumnCount, this);
  table_->setHorizontalHeaderLabels({tr("Words"), tr("Type"), tr("Start"), tr("End"), tr("Score")});
  table_->horizontalHeader()->setSectionResizeMode(NerWords, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setToolTip(
      tr("Start and end count Unicode characters (code points) into the text; end is exclusive."));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Text"), this));
  layout->addWidget(input_);
  layout->addWidget(new QLabel(tr("Entities"), this));
  layout->addWidget(highlighted_);
  layout->addWidget(legend_);
  layout->addWidget(table_, 1);

  connect(input_, &QPlainTextEdit::textChanged, this, &PlaygroundModeView::edited);
  showLegend({});
}

QString PlaygroundNerView::textA() const {
  return input_->toPlainText();
}

void PlaygroundNerView::setTexts(const QString& textA, const QString&) {
  input_->setPlainText(textA);
}

PredictorService::Work PlaygroundNerView::request() const {
  const std::string text = textA().toStdString();
  return [text](const Predictor& predictor) -> std::any { return predictor.tag(text); };
}

void PlaygroundNerView::showResult(const std::any& result) {
  const auto* tags = std::any_cast<TagResult>(&result);
  if (!tags) return;
  const QString text = QString::fromStdString(tags->text);
  std::vector<HighlightSpan> spans;
  QStringList types;
  table_->setRowCount(static_cast<int>(tags->prediction.entities.size()));
  int row = 0;
  for (const TaggedEntity& entity : tags->prediction.entities) {
    const QString type = QString::fromStdString(entity.type);
    if (!types.contains(type)) types << type;
    spans.push_back({entity.start, entity.end, entityTypeColour(type),
                     tr("%1 · score %2").arg(type).arg(entity.score, 0, 'f', 3)});
    auto* typeCell = nerCell(type);
    typeCell->setBackground(entityTypeColour(type));
    table_->setItem(row, NerWords, nerCell(QString::fromStdString(entity.text)));
    table_->setItem(row, NerType, typeCell);
    table_->setItem(row, NerStart, nerCell(QString::number(entity.start), true));
    table_->setItem(row, NerEnd, nerCell(QString::number(entity.end), true));
    table_->setItem(row, NerScore, nerCell(QString::number(entity.score, 'f', 3), true));
    ++row;
  }
  showHighlightedText(highlighted_->document(), text, spans);
  showLegend(types);
}

void PlaygroundNerView::clearResult() {
  highlighted_->clear();
  table_->setRowCount(0);
  showLegend({});
}

void PlaygroundNerView::showLegend(const QStringList& types) {
  // The CoNLL types always, so the colours are learnt before they appear; others as seen.
  QStringList shown = {QStringLiteral("PER"), QStringLiteral("LOC"), QStringLiteral("ORG"),
                       QStringLiteral("MISC")};
  for (const QString& type : types)
    if (!shown.contains(type)) shown << type;
  QString html;
  for (const QString& type : shown)
    html += QStringLiteral("<span style='background:%1'>&nbsp;%2&nbsp;</span>&nbsp;&nbsp;")
                .arg(entityTypeColour(type).name(), type.toHtmlEscaped());
  legend_->setText(tr("Legend: ") + html);
}

}  // namespace bertwb::ui
