#pragma once
// Turns one pre-training instance into what the Masking panel draws: a chip per position
// (segment, what happened to it, the label to predict) and plain sentences that explain the
// next-sentence label.
#include <QString>
#include <QVector>

#include "data/corpus_view.h"
#include "data/pretraining_instance.h"
#include "text/tokenizer.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {

QVector<TokenChip> instanceChips(const PretrainingInstance& instance, const Tokenizer& tokenizer);

// "IsNext" or "NotNext".
QString nspLabel(const PretrainingInstance& instance);
// Where A and B came from, in words: "B is the text that follows A in document 12 …" or
// "B was taken from document 57 …". `corpus` names the documents' files and lines.
QString nspExplanation(const PretrainingInstance& instance, const CorpusView& corpus);

}  // namespace bertwb::ui
