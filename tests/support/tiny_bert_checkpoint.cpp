#include "tiny_bert_checkpoint.h"

#include <torch/torch.h>

#include <algorithm>

#include "io/checkpoint.h"
#include "io/task_model_io.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "text/vocab.h"
#include "text/wordpiece_tokenizer.h"

namespace bertwb::test {

std::vector<std::string> tinyCheckpointWords() {
  return {"the",  "cat",    "sat",   "on",    "mat",    "a",     "dog",    "ran",   "in",
          "park", "is",     "town",  "river", "bakery", "bread", "warm",   "serve", "soup",
          "salt", "guitar", "old",   "shop",  "staff",  "meet",  "monday", "anna",  "lives",
          "bern", "works",  "as",    "nurse", "where",  "does",  "live",   "?",     ".",
          ",",    "great",  "movie", "was",   "##s",    "##ing", "and",    "of",    "to",
          "it",   "very",   "good",  "bad",   "every"};
}

namespace {

std::vector<std::string> tinyVocabulary(const std::vector<std::string>& extraWords) {
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  std::vector<std::string> words = tinyCheckpointWords();
  words.insert(words.end(), extraWords.begin(), extraWords.end());
  for (const std::string& word : words)
    if (std::find(tokens.begin(), tokens.end(), word) == tokens.end()) tokens.push_back(word);
  return tokens;
}

BertConfig tinyConfig(int64_t vocabularySize) {
  return tinyBertConfig(vocabularySize, 128);
}

}  // namespace

void saveTinyClassifierCheckpoint(const QString& folder) {
  const std::vector<std::string> tokens = tinyVocabulary({});
  TaskModel model = makeTaskModel(tinyConfig(static_cast<int64_t>(tokens.size())),
                                  TaskKind::SequenceClassification, {"negative", "positive"});
  initializeBertWeights(*model.module(), /*initializerRange=*/0.4, /*seed=*/13);
  const WordPieceTokenizer tokenizer(Vocab::fromTokens(tokens, "tiny test vocab"),
                                     WordPieceOptions{});
  saveTaskModel(folder.toStdString(), model, &tokenizer);
}

void saveTinyBertCheckpoint(const QString& folder, const std::vector<std::string>& extraWords) {
  const std::vector<std::string> tokens = tinyVocabulary(extraWords);
  const BertConfig config = tinyConfig(static_cast<int64_t>(tokens.size()));
  BertForPreTraining model(config);
  // 0.4 rather than BERT's 0.02: random heads then attend unevenly, so the pictures and the
  // normalisation checks have real contrast to show.
  initializeBertWeights(*model, /*initializerRange=*/0.4, /*seed=*/11);
  const WordPieceTokenizer tokenizer(Vocab::fromTokens(tokens, "tiny test vocab"),
                                     WordPieceOptions{});
  saveCheckpoint(folder.toStdString(), config, *model, "BertForPreTraining", std::nullopt,
                 &tokenizer);
}

}  // namespace bertwb::test
