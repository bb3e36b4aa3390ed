#include "masking/instance_card.h"

#include <QFileInfo>
#include <QFrame>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <cmath>

#include "masking/instance_chips.h"
#include "masking/masking_legend.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {
namespace {

constexpr double kNspFontScale = 1.15;
constexpr int kExportMargin = 12;              // white border around an exported picture
constexpr int kExportSpacing = 8;              // between its parts
const char* const kIsNextColour = "#1e6e3c";   // green: B is the real continuation
const char* const kNotNextColour = "#a0421e";  // rust: B is from elsewhere

}  // namespace

InstanceCard::InstanceCard(QWidget* parent) : QWidget(parent) {
  // Exports must not depend on the window's theme: the card paints its own white background.
  setAutoFillBackground(true);
  QPalette white = palette();
  white.setColor(QPalette::Window, Qt::white);
  white.setColor(QPalette::Base, Qt::white);
  setPalette(white);

  title_ = new QLabel(this);
  title_->setWordWrap(true);
  chips_ = new TokenChipsView(this);
  // Only the chips scroll when the window is small: the label and the legend stay in view.
  auto* chipsScroll = new QScrollArea(this);
  chipsScroll->setWidgetResizable(true);
  chipsScroll->setFrameShape(QFrame::NoFrame);
  chipsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  chipsScroll->setWidget(chips_);
  nsp_ = new QLabel(this);
  nsp_->setWordWrap(true);
  nsp_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont nspFont = nsp_->font();
  nspFont.setPointSizeF(nspFont.pointSizeF() * kNspFontScale);
  nsp_->setFont(nspFont);
  legend_ = new MaskingLegend(this);

  auto* rule = new QFrame(this);
  rule->setFrameShape(QFrame::HLine);
  rule->setFrameShadow(QFrame::Plain);
  rule->setStyleSheet(QStringLiteral("color: #d0d0d0;"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(title_);
  layout->addWidget(chipsScroll, 1);
  layout->addWidget(nsp_);
  layout->addWidget(rule);
  layout->addWidget(legend_);
}

void InstanceCard::showInstance(const PretrainingInstance& instance, const Tokenizer& tokenizer,
                                const CorpusView& corpus, const PretrainingDataOptions& options,
                                quint64 seed, int index) {
  const int length = static_cast<int>(instance.tokens.size());
  QString title =
      tr("<b>Instance %1 of seed %2</b> · %3 tokens (at most %4) · <b>%5 to predict</b> "
         "(round(%3 × %6%) = %7, at most %8)")
          .arg(index + 1)
          .arg(seed)
          .arg(length)
          .arg(options.maxSeqLength)
          .arg(instance.masked.size())
          .arg(options.maskedLmProb * 100, 0, 'g', 3)
          .arg(std::lround(length * options.maskedLmProb))
          .arg(options.maxPredictionsPerSeq);
  if (instance.truncatedTokens > 0)
    title += tr(" · %1 trimmed to fit").arg(instance.truncatedTokens);
  title_->setText(title);
  chips_->setChips(instanceChips(instance, tokenizer));
  const QString colour =
      QString::fromLatin1(instance.isRandomNext ? kNotNextColour : kIsNextColour);
  nsp_->setText(
      tr("Next-sentence label: <b><span style='color:%1'>%2</span></b> — %3")
          .arg(colour, nspLabel(instance), nspExplanation(instance, corpus).toHtmlEscaped()));
  setOptions(options);
}

void InstanceCard::showMessage(const QString& message) {
  title_->setText(message);
  chips_->setChips({});
  nsp_->clear();
}

void InstanceCard::setOptions(const PretrainingDataOptions& options) {
  legend_->setOptions(options);
}

QString InstanceCard::titleText() const {
  return title_->text();
}

QString InstanceCard::nspText() const {
  return nsp_->text();
}

QSize InstanceCard::exportSize() const {
  int height = kExportMargin;
  for (const QWidget* part : exportParts()) height += part->height() + kExportSpacing;
  return {width(), height - kExportSpacing + kExportMargin};
}

QList<QWidget*> InstanceCard::exportParts() const {
  // The chips at their full height, even the rows scrolled out of view.
  return {title_, chips_, nsp_, legend_};
}

void InstanceCard::paintExport(QPainter& painter) const {
  painter.fillRect(QRect(QPoint(0, 0), exportSize()), Qt::white);
  int y = kExportMargin;
  for (QWidget* part : exportParts()) {
    part->render(&painter, QPoint(part->mapTo(this, QPoint(0, 0)).x(), y), QRegion(),
                 QWidget::DrawChildren);
    y += part->height() + kExportSpacing;
  }
}

bool InstanceCard::exportPng(const QString& path, QString* error) {
  const qreal ratio = devicePixelRatioF();
  QImage image(exportSize() * ratio, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(ratio);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    paintExport(painter);
  }
  if (!image.save(path, "PNG")) {
    if (error) *error = tr("Cannot write the picture to %1.").arg(path);
    return false;
  }
  return true;
}

bool InstanceCard::exportSvg(const QString& path, QString* error) {
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(exportSize());
  svg.setViewBox(QRect(QPoint(0, 0), exportSize()));
  svg.setTitle(tr("BERT pre-training instance"));
  svg.setDescription(titleText());
  {
    QPainter painter;
    if (!painter.begin(&svg)) {
      if (error) *error = tr("Cannot write the drawing to %1.").arg(path);
      return false;
    }
    paintExport(painter);
  }
  if (QFileInfo(path).size() <= 0) {
    if (error) *error = tr("Cannot write the drawing to %1.").arg(path);
    return false;
  }
  return true;
}

}  // namespace bertwb::ui
