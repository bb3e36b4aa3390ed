#include "playground_checkpoints.h"

#include <torch/torch.h>

#include "io/checkpoint.h"
#include "io/task_model_io.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "text/vocab.h"
#include "text/wordpiece_tokenizer.h"
#include "tiny_bert_config.h"

namespace bertwb::test {

std::vector<std::string> playgroundTokens() {
  return {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the",   "film",   "was",    "great",
          "bad",   "and",   "music", "zoë",   "lives",  "in",    "zürich", "works",  "at",
          "café",  "köln",  "where", "does",  "live",   "?",     ".",      ",",      "a",
          "town",  "of",    "josé",  "is",    "##s",    "nurse", "lyon",   "france", "elena"};
}

namespace {

BertConfig playgroundTinyConfig() {
  return tinyBertConfig(static_cast<int64_t>(playgroundTokens().size()), /*maxPositions=*/128);
}

WordPieceTokenizer playgroundTokenizer() {
  return WordPieceTokenizer(Vocab::fromTokens(playgroundTokens(), "playground test vocab"),
                            WordPieceOptions{});
}

constexpr uint64_t kPlaygroundWeightSeed = 11;
constexpr double kTagWeightScale = 40.0;  // logit gaps of several units instead of ~0.1

}  // namespace

void savePlaygroundTaskModel(const QString& folder, TaskKind kind,
                             const std::vector<std::string>& labels) {
  TaskModel model = makeTaskModel(playgroundTinyConfig(), kind, labels);
  initializeBertWeights(*model.module(), 0.02, kPlaygroundWeightSeed);
  if (kind == TaskKind::TokenClassification) {
    torch::NoGradGuard noGrad;
    model.tokenClassifier->classifier->weight.mul_(kTagWeightScale);
  }
  const WordPieceTokenizer tokenizer = playgroundTokenizer();
  saveTaskModel(folder.toStdString(), model, &tokenizer);
}

void savePlaygroundPretrainedModel(const QString& folder) {
  BertForPreTraining model(playgroundTinyConfig());
  initializeBertWeights(*model, 0.02, kPlaygroundWeightSeed);
  const WordPieceTokenizer tokenizer = playgroundTokenizer();
  saveCheckpoint(folder.toStdString(), playgroundTinyConfig(), *model, "BertForPreTraining",
                 std::nullopt, &tokenizer);
}

}  // namespace bertwb::test
