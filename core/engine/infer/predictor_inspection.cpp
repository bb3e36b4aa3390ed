// Looking inside the model: what it puts in each [MASK], where each head attends, and the
// vectors it makes of a text.
#include <algorithm>

#include "infer/feature_extraction.h"
#include "infer/predictor.h"
#include "infer/predictor_state.h"
#include "util/error.h"

namespace bertwb {

FillMaskResult Predictor::fillMask(const std::string& text, int topK) const {
  State& s = *state_;  // non-const: forward() is not a const method
  s.requireCapability(
      s.capabilities.fillMask, "fillMask",
      "a pre-trained model with its masked-LM head (BertForPreTraining or BertForMaskedLM)");
  requirePredictorText(text, "fillMask", "text");
  if (topK < 1)
    throw Error("fillMask: top-k must be at least 1 (got " + std::to_string(topK) + ")");
  const Encoding encoding = s.tokenizer->encode(text, std::nullopt, s.maxSequenceLength());
  const int32_t maskId = s.tokenizer->specialTokenIds().mask;
  if (maskId < 0)
    throw Error("fillMask: the tokenizer of '" + s.folder +
                "' has no [MASK] token, so nothing can be masked");
  std::vector<int64_t> positions;
  for (size_t i = 0; i < encoding.ids.size(); ++i)
    if (encoding.ids[i] == maskId) positions.push_back(static_cast<int64_t>(i));
  if (maskId < 0 || positions.empty())
    throw Error(
        "fillMask: the text has no [MASK] to fill (write e.g. \"the capital of France is "
        "[MASK].\")");

  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  const torch::Tensor where =
      torch::tensor(positions, torch::kInt64).unsqueeze(0).to(s.device);  // (1, P)
  const PreTrainingOutput output =
      s.pretraining->forward(predictorInputsOf(encoding, s.device), where);
  const torch::Tensor probabilities =
      torch::softmax(output.predictionLogits[0].to(torch::kFloat32), -1);  // (P, V)
  const auto top = probabilities.topk(std::min<int64_t>(topK, probabilities.size(-1)), -1);
  const torch::Tensor values = std::get<0>(top).cpu(), ids = std::get<1>(top).cpu();  // (P, k)

  FillMaskResult result;
  result.pieces = encoding.pieces;
  for (int64_t m = 0; m < values.size(0); ++m) {
    MaskFill fill;
    fill.position = static_cast<int>(positions[static_cast<size_t>(m)]);
    for (int64_t k = 0; k < values.size(1); ++k) {
      const auto id = static_cast<int32_t>(ids[m][k].item<int64_t>());
      fill.candidates.push_back({s.tokenizer->idToToken(id), id, values[m][k].item<double>()});
    }
    result.masks.push_back(std::move(fill));
  }
  return result;
}

AttentionMaps Predictor::attentions(const std::string& text,
                                    const std::optional<std::string>& textB) const {
  State& s = *state_;  // non-const: forward() is not a const method
  requirePredictorText(text, "attentions", "text");
  const Encoding encoding = s.tokenizer->encode(
      text, textB ? std::optional<std::string_view>(*textB) : std::nullopt, s.maxSequenceLength());

  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  ForwardOptions forward;
  forward.outputAttentions = true;
  const BertModelOutput output = s.body()->forward(predictorInputsOf(encoding, s.device), forward);
  const torch::Tensor stacked =
      torch::stack(output.attentions).squeeze(1);  // L × (1, A, S, S) → (L, A, S, S)

  AttentionMaps result;
  result.pieces = encoding.pieces;
  result.layers = static_cast<int>(stacked.size(0));
  result.heads = static_cast<int>(stacked.size(1));
  result.length = static_cast<int>(stacked.size(2));
  result.weights = predictorFloats(stacked);
  return result;
}

EmbeddingResult Predictor::embed(const std::string& text, const std::optional<std::string>& textB,
                                 const EmbedOptions& options) const {
  State& s = *state_;  // non-const: forward() is not a const method
  requirePredictorText(text, "embed", "text");
  const LayerSelection selection =
      parseLayerSpec(options.layers, static_cast<int>(s.config.num_hidden_layers));
  const Encoding encoding = s.tokenizer->encode(
      text, textB ? std::optional<std::string_view>(*textB) : std::nullopt, s.maxSequenceLength());

  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  ForwardOptions forward;
  forward.outputHiddenStates = true;
  const BertModelOutput output = s.body()->forward(predictorInputsOf(encoding, s.device), forward);
  std::vector<torch::Tensor> chosen;
  for (int layer : selection.layers)
    chosen.push_back(output.hiddenStates[static_cast<size_t>(layer)][0]);  // (S, H)
  const torch::Tensor combined =
      selection.sum ? torch::stack(chosen).sum(0) : torch::cat(chosen, -1);  // (S, D)

  // The word pieces only: [CLS] and [SEP] carry no text of their own.
  std::vector<int64_t> pieceRows;
  EmbeddingResult result;
  for (size_t i = 0; i < encoding.ids.size(); ++i) {
    if (encoding.specialMask[i]) continue;
    pieceRows.push_back(static_cast<int64_t>(i));
    result.pieces.push_back(encoding.pieces[i]);
  }
  result.dimension = combined.size(1);
  const torch::Tensor rows = torch::tensor(pieceRows, torch::kInt64).to(combined.device());
  const torch::Tensor pieceVectors = combined.index_select(0, rows);  // (pieces, D)
  result.pieceVectors = predictorFloats(pieceVectors);
  // A text the tokenizer drops entirely (control characters only) has no pieces to average:
  // it falls back to [CLS].
  const bool mean = options.pooling == EmbeddingPooling::Mean && !pieceRows.empty();
  result.sentenceVector = predictorFloats(mean ? pieceVectors.mean(0) : combined[0]);
  return result;
}

}  // namespace bertwb
