#include "masking/masking_legend.h"

#include <QGridLayout>
#include <QLabel>

#include "widgets/display_units.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {
namespace {

constexpr int kEntriesPerRow = 3;  // two short rows: fits a 1280-pixel projector beside the knobs
// The legend's sample word: any short, familiar word reads better than a real corpus token.
const char* const kSampleWord = "cat";
const char* const kSampleReplacement = "blue";

TokenChipsView* sampleChip(QWidget* parent, const TokenChip& chip) {
  auto* view = new TokenChipsView(parent);
  view->setShowIds(false);
  view->setChips({chip});
  view->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  view->setFixedSize(view->minimumSizeHint());
  return view;
}

QString percent(double share) {
  return QString::number(kPercent * share, 'f', 0) + QLatin1Char('%');
}

}  // namespace

MaskingLegend::MaskingLegend(QWidget* parent) : QWidget(parent) {
  const QString word = QString::fromLatin1(kSampleWord);
  TokenChip special{QStringLiteral("[CLS]"), -1, ChipKind::Special, kNoSegment, {}, {}};
  TokenChip a{QStringLiteral("the"), -1, ChipKind::Plain, kSegmentA, {}, {}};
  TokenChip b{QStringLiteral("the"), -1, ChipKind::Plain, kSegmentB, {}, {}};
  TokenChip masked{QStringLiteral("[MASK]"), -1, ChipKind::Masked, kSegmentA, word, {}};
  TokenChip random{
      QString::fromLatin1(kSampleReplacement), -1, ChipKind::RandomReplaced, kSegmentA, word, {}};
  TokenChip kept{word, -1, ChipKind::KeptPredicted, kSegmentA, word, {}};

  maskDescription_ = new QLabel(this);
  randomDescription_ = new QLabel(this);
  keptDescription_ = new QLabel(this);
  struct Entry {
    TokenChip chip;
    QLabel* description;
  };
  const QList<Entry> entries = {
      {special, new QLabel(tr("[CLS] starts, [SEP] ends a segment"), this)},
      {a, new QLabel(tr("segment A: the first text"), this)},
      {b, new QLabel(tr("segment B: what follows A, or text from elsewhere"), this)},
      {masked, maskDescription_},
      {random, randomDescription_},
      {kept, keptDescription_},
  };
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < entries.size(); ++i) {
    const int row = i / kEntriesPerRow, column = 2 * (i % kEntriesPerRow);
    grid->addWidget(sampleChip(this, entries[i].chip), row, column, Qt::AlignVCenter);
    entries[i].description->setWordWrap(true);
    grid->addWidget(entries[i].description, row, column + 1);
    grid->setColumnStretch(column + 1, 1);
  }
  setOptions(PretrainingDataOptions{});
}

void MaskingLegend::setOptions(const PretrainingDataOptions& o) {
  const double kept = std::max(0.0, 1.0 - o.maskTokenShare - o.randomTokenShare);
  maskDescription_->setText(tr("<b>%1</b> of chosen → [MASK]").arg(percent(o.maskTokenShare)));
  randomDescription_->setText(
      tr("<b>%1</b> of chosen → a random token").arg(percent(o.randomTokenShare)));
  keptDescription_->setText(tr("<b>%1</b> of chosen kept, still predicted").arg(percent(kept)));
}

}  // namespace bertwb::ui
