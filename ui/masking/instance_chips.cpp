#include "masking/instance_chips.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace bertwb::ui {
namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("InstanceChips", text);
}

QString token(const Tokenizer& tokenizer, int32_t id) {
  return QString::fromStdString(tokenizer.idToToken(id));
}

// "pretrain.txt:340" from the full path the corpus keeps.
QString shortSource(const CorpusView& corpus, int64_t document) {
  const QString source =
      QString::fromStdString(corpus.documentSource(static_cast<size_t>(document)));
  return QFileInfo(source).fileName();
}

// Sentences are numbered from 1 for people.
QString sentenceRange(const SegmentSource& s) {
  return s.firstSentence == s.lastSentence
             ? tr("sentence %1").arg(s.firstSentence + 1)
             : tr("sentences %1–%2").arg(s.firstSentence + 1).arg(s.lastSentence + 1);
}

}  // namespace

QVector<TokenChip> instanceChips(const PretrainingInstance& instance, const Tokenizer& tokenizer) {
  const SpecialTokenIds special = tokenizer.specialTokenIds();
  QVector<TokenChip> chips;
  chips.reserve(static_cast<int>(instance.tokens.size()));
  size_t nextMasked = 0;  // masked positions are sorted, so one walk finds them all
  for (size_t i = 0; i < instance.tokens.size(); ++i) {
    TokenChip chip;
    chip.id = instance.tokens[i];
    chip.text = token(tokenizer, chip.id);
    chip.segment = i < instance.segmentIds.size() ? instance.segmentIds[i] : kNoSegment;
    const QString segmentName = chip.segment == kSegmentA ? tr("segment A") : tr("segment B");
    while (nextMasked < instance.masked.size() &&
           instance.masked[nextMasked].position < static_cast<int32_t>(i))
      ++nextMasked;
    const bool predicted = nextMasked < instance.masked.size() &&
                           instance.masked[nextMasked].position == static_cast<int32_t>(i);
    if (predicted) {
      const MaskedPosition& m = instance.masked[nextMasked];
      chip.original = token(tokenizer, m.originalId);
      switch (m.kind) {
        case MaskKind::Mask:
          chip.kind = ChipKind::Masked;
          chip.toolTip =
              tr("Position %1 (%2): “%3” was replaced by [MASK]. The model must predict “%3” from "
                 "the words around it.")
                  .arg(i)
                  .arg(segmentName, chip.original);
          break;
        case MaskKind::Random:
          chip.kind = ChipKind::RandomReplaced;
          chip.toolTip =
              tr("Position %1 (%2): “%3” was replaced by a random token, “%4”. The model must "
                 "notice "
                 "the wrong word and predict “%3”, so it cannot trust any input word blindly.")
                  .arg(i)
                  .arg(segmentName, chip.original, chip.text);
          break;
        case MaskKind::Keep:
          chip.kind = ChipKind::KeptPredicted;
          chip.toolTip =
              tr("Position %1 (%2): “%3” was left as it is, yet the model must still predict it, "
                 "so that it also learns good outputs for words it can see.")
                  .arg(i)
                  .arg(segmentName, chip.original);
          break;
      }
    } else if (chip.id == special.cls) {
      chip.kind = ChipKind::Special;
      chip.toolTip =
          tr("[CLS] starts every sequence; its final hidden state feeds the next-sentence "
             "classifier.");
    } else if (chip.id == special.sep) {
      chip.kind = ChipKind::Special;
      chip.toolTip = tr("[SEP] ends a segment.");
    } else if (chip.id == special.unk) {
      chip.kind = ChipKind::Unknown;
      chip.toolTip = tr("[UNK]: the vocabulary had no piece for this text.");
    } else {
      chip.toolTip = tr("Position %1 (%2), id %3: not chosen, no prediction here.")
                         .arg(i)
                         .arg(segmentName)
                         .arg(chip.id);
    }
    chips << chip;
  }
  return chips;
}

QString nspLabel(const PretrainingInstance& instance) {
  return instance.isRandomNext ? QStringLiteral("NotNext") : QStringLiteral("IsNext");
}

QString nspExplanation(const PretrainingInstance& instance, const CorpusView& corpus) {
  const SegmentSource& a = instance.segmentA;
  const SegmentSource& b = instance.segmentB;
  const QString aText = tr("A is %1 of document %2 (%3)")
                            .arg(sentenceRange(a))
                            .arg(a.document)
                            .arg(shortSource(corpus, a.document));
  if (!instance.isRandomNext) {
    return aText + tr("; B is %1 of the same document: the text that really follows A.")
                       .arg(sentenceRange(b));
  }
  return aText + tr("; B is %1 of document %2 (%3): another document, chosen at random.")
                     .arg(sentenceRange(b))
                     .arg(b.document)
                     .arg(shortSource(corpus, b.document));
}

}  // namespace bertwb::ui
