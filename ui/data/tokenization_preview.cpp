#include "data/tokenization_preview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <exception>

#include "text/tokenizer.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {
namespace {

// A sample line wider than this is shortened in the picker (the full line still goes in).
constexpr int kSampleDisplayChars = 90;

bool isContinuation(const Tokenizer& tokenizer, const Piece& piece) {
  if (tokenizer.kind() == "sentencepiece")
    return piece.text.rfind("\xe2\x96\x81", 0) != 0;  // no leading ▁
  return piece.text.rfind("##", 0) == 0;
}

}  // namespace

TokenizationPreview::TokenizationPreview(QWidget* parent) : QWidget(parent) {
  input_ = new QLineEdit(this);
  input_->setPlaceholderText(
      tr("Type a sentence to see how the tokenizer cuts it, e.g. \"The knobmakers ordered "
         "new lanterns.\""));
  input_->setClearButtonEnabled(true);
  input_->setToolTip(
      tr("Any text. Each chip below is one piece the model receives, with its row "
         "number in the vocabulary (the id) under it."));
  samples_ = new QComboBox(this);
  samples_->setToolTip(tr("Pick a line of the corpus to preview it."));
  samples_->setMinimumContentsLength(kSampleDisplayChars / 3);
  samples_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  chips_ = new TokenChipsView(this);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  rules_ = new QLabel(this);
  rules_->setWordWrap(true);
  rules_->setTextFormat(Qt::RichText);

  auto* sampleRow = new QHBoxLayout;
  sampleRow->addWidget(new QLabel(tr("or a corpus line:"), this));
  sampleRow->addWidget(samples_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(input_);
  layout->addLayout(sampleRow);
  layout->addWidget(chips_);
  layout->addWidget(summary_);
  layout->addWidget(rules_);
  layout->addStretch(1);

  connect(input_, &QLineEdit::textChanged, this, [this] { retokenize(); });
  connect(samples_, &QComboBox::activated, this, [this](int index) {
    const QString line = samples_->itemData(index).toString();
    if (!line.isEmpty()) input_->setText(line);
  });
  retokenize();
}

void TokenizationPreview::setTokenizer(std::shared_ptr<const Tokenizer> tokenizer) {
  tokenizer_ = std::move(tokenizer);
  if (!tokenizer_) {
    rules_->clear();
  } else if (tokenizer_->kind() == "sentencepiece") {
    rules_->setText(
        tr("<b>How SentencePiece cuts text</b>: spaces become part of the pieces (▁ marks a word "
           "start), "
           "and the text is split into the most probable sequence of vocabulary pieces. "
           "Vocabulary: %1 pieces.")
            .arg(tokenizer_->vocabSize()));
  } else {
    rules_->setText(tr("<b>How WordPiece cuts text</b> (the original BERT rules): lower-case and "
                       "strip accents when uncased, "
                       "split at spaces and punctuation; then each word, from its start, takes the "
                       "longest piece "
                       "in the vocabulary, and the rest continues as <b>##</b>pieces. A word that "
                       "cannot be cut "
                       "this way becomes a single <b>[UNK]</b>. Vocabulary: %1 pieces.")
                        .arg(tokenizer_->vocabSize()));
  }
  retokenize();
}

void TokenizationPreview::setSampleLines(const QStringList& lines) {
  samples_->clear();
  samples_->addItem(tr("(choose)"), QString());
  for (const QString& line : lines) {
    const QString shown = line.size() > kSampleDisplayChars
                              ? line.left(kSampleDisplayChars) + QStringLiteral("…")
                              : line;
    samples_->addItem(shown, line);
  }
  samples_->setEnabled(!lines.isEmpty());
}

void TokenizationPreview::setText(const QString& text) {
  input_->setText(text);
}

QString TokenizationPreview::text() const {
  return input_->text();
}

QString TokenizationPreview::summary() const {
  return summary_->text();
}

void TokenizationPreview::retokenize() {
  if (!tokenizer_) {
    chips_->setChips({});
    chips_->setPlaceholder(tr("No tokenizer yet: the preview appears once the workspace has one."));
    summary_->clear();
    return;
  }
  chips_->setPlaceholder(tr("The pieces appear here as you type."));
  QVector<TokenChip> chips;
  int unknown = 0, continuations = 0;
  try {
    const int32_t unknownId = tokenizer_->specialTokenIds().unk;
    // Piece offsets count code points, QString counts UTF-16 units: slice the code points.
    const QList<uint> codePoints = input_->text().toUcs4();
    for (const Piece& piece : tokenizer_->tokenize(input_->text().toStdString())) {
      TokenChip chip;
      chip.text = QString::fromStdString(piece.text);
      chip.id = piece.id;
      const bool isUnknown = piece.id == unknownId;
      chip.kind = isUnknown ? ChipKind::Unknown : ChipKind::Plain;
      const QString source =
          QString::fromUcs4(reinterpret_cast<const char32_t*>(codePoints.constData()) + piece.start,
                            static_cast<qsizetype>(piece.end - piece.start));
      chip.toolTip =
          isUnknown
              ? tr("“%1” has no piece in the vocabulary: the model sees only [UNK].").arg(source)
              : tr("“%1” → piece %2, id %3").arg(source, chip.text).arg(piece.id);
      unknown += isUnknown;
      continuations += !isUnknown && isContinuation(*tokenizer_, piece);
      chips << chip;
    }
  } catch (const std::exception& e) {
    summary_->setText(
        tr("The tokenizer failed on this text: %1").arg(QString::fromStdString(e.what())));
    chips_->setChips({});
    return;
  }
  const int pieces = chips.size();
  chips_->setChips(std::move(chips));
  if (pieces == 0) {
    summary_->clear();
    return;
  }
  const QString continuationNote =
      tokenizer_->kind() == "sentencepiece"
          ? (continuations == 1 ? tr("1 piece continues a word (no leading ▁)")
                                : tr("%1 pieces continue a word (no leading ▁)").arg(continuations))
          : (continuations == 1 ? tr("1 ##piece continues a word")
                                : tr("%1 ##pieces continue a word").arg(continuations));
  summary_->setText((pieces == 1 ? tr("<b>1 piece</b>") : tr("<b>%1 pieces</b>").arg(pieces)) +
                    QStringLiteral(" · ") + continuationNote + QStringLiteral(" · ") +
                    tr("%1 [UNK]").arg(unknown) +
                    tr(" — the model adds [CLS] at the start and [SEP] at the end."));
}

}  // namespace bertwb::ui
