#pragma once
// The inside of a Predictor (predictor.h keeps torch out of its includers): the loaded
// model, its tokenizer and device, plus the small helpers the predictor's files share.
// Shape legend: B batch (windows), S sequence, K labels, V vocabulary, L layers, A heads.
#include <torch/torch.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "infer/predictor.h"
#include "io/task_model_io.h"
#include "model/bert_pretraining.h"
#include "runtime/precision.h"
#include "text/tokenizer.h"

namespace bertwb {

struct Predictor::State {
  std::string folder;
  std::string architecture;
  PredictorCapabilities capabilities;
  BertConfig config;
  std::vector<std::string> labels;  // id2label of a classifier
  std::unique_ptr<Tokenizer> tokenizer;
  torch::Device device{torch::kCPU};
  PrecisionChoice precision;  // every forward pass runs under its autocast; results are fp32
  // Exactly one of these holds the weights: a fine-tuned head, the pre-training heads, or
  // the bare encoder.
  std::optional<TaskModel> taskModel;
  BertForPreTraining pretraining{nullptr};
  BertModel bareModel{nullptr};

  // The encoder inside whichever model was loaded (attentions and embeddings read it).
  BertModel body() const;
  // The longest input the position table takes.
  int maxSequenceLength() const { return static_cast<int>(config.max_position_embeddings); }
  // Throws bertwb::Error when `available` is false: "this checkpoint is a <architecture>;
  // <method> needs <what>".
  void requireCapability(bool available, const std::string& method, const std::string& what) const;
};

// Throws bertwb::Error "<method>: the <field> is empty" for text that is empty or all spaces.
void requirePredictorText(const std::string& text, const std::string& method,
                          const std::string& field);

// `[CLS] A [SEP] (B [SEP])` as a batch of one on `device`.
BertInputs predictorInputsOf(const Encoding& encoding, const torch::Device& device);

// Sequences of different lengths (QA windows) padded into one batch with an attention mask.
BertInputs predictorPaddedInputs(const std::vector<const std::vector<int32_t>*>& ids,
                                 const std::vector<const std::vector<int32_t>*>& segmentIds,
                                 int32_t padId, const torch::Device& device);

// A CPU float32 copy of `tensor`, flattened row-major.
std::vector<float> predictorFloats(const torch::Tensor& tensor);

}  // namespace bertwb
