#pragma once
// A tiny pre-trained BERT checkpoint (tinyBertConfig: L=2, H=32, A=2, random weights, a
// hand-written WordPiece vocabulary) saved in a folder that Predictor::load reads, for the tests of
// the Attention and Embedding stages. Torch stays in the .cpp so the Qt test files need none.
#include <QString>
#include <string>
#include <vector>

#include "tiny_bert_config.h"  // kTinyLayers, kTinyHeads, kTinyHidden

namespace bertwb::test {

// The words the tiny vocabulary knows (after [PAD] [UNK] [CLS] [SEP] [MASK]).
std::vector<std::string> tinyCheckpointWords();

// Writes config.json, model.safetensors and vocab.txt of a BertForPreTraining to `folder`;
// the vocabulary also knows `extraWords` (lower-case words the test's texts use).
void saveTinyBertCheckpoint(const QString& folder, const std::vector<std::string>& extraWords = {});

// A fine-tuned sentence classifier (BertForSequenceClassification, labels negative/positive)
// of the same size and vocabulary, saved with saveTaskModel.
void saveTinyClassifierCheckpoint(const QString& folder);

}  // namespace bertwb::test
