#include "model/bert_model.h"

#include <limits>

#include "model/linear.h"

#include "util/error.h"

namespace bertwb {

BertPoolerImpl::BertPoolerImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& hidden) {
  return torch::tanh(
      linearForward(dense, hidden.select(/*dim=*/1, /*index=*/0)));  // [CLS] position
}

BertModelImpl::BertModelImpl(const BertConfig& config, bool addPoolingLayer) : config_(config) {
  validateConfig(config);
  embeddings = register_module("embeddings", BertEmbeddings(config));
  encoder = register_module("encoder", BertEncoder(config));
  if (addPoolingLayer) pooler = register_module("pooler", BertPooler(config));
}

torch::Tensor makeAdditiveAttentionMask(const torch::Tensor& attentionMask, bool causal,
                                        torch::ScalarType dtype) {
  const double lowest = dtype == torch::kFloat16 ? -65504.0 : std::numeric_limits<float>::lowest();
  auto blocked = (1 - attentionMask.to(dtype)) * lowest;  // (B, S)
  auto mask = blocked.unsqueeze(1).unsqueeze(2);          // (B, S) → (B, 1, 1, S)
  if (causal) {
    const int64_t S = attentionMask.size(1);
    auto future =
        torch::ones({S, S}, attentionMask.options().dtype(torch::kBool)).triu(/*diagonal=*/1);
    auto causalMask = torch::zeros({S, S}, mask.options()).masked_fill(future, lowest);  // (S, S)
    // Adding two `lowest` values would overflow to -inf; clamp keeps the sum finite.
    mask = (mask + causalMask.view({1, 1, S, S})).clamp_min(lowest);  // (B, 1, S, S)
  }
  return mask;
}

BertModelOutput BertModelImpl::forward(const BertInputs& inputs, const ForwardOptions& options) {
  const auto& ids = inputs.inputIds;
  auto tokenTypes = inputs.tokenTypeIds.defined() ? inputs.tokenTypeIds : torch::zeros_like(ids);
  auto attentionMask =
      inputs.attentionMask.defined() ? inputs.attentionMask : torch::ones_like(ids);

  auto embedded = embeddings(ids, tokenTypes);  // (B, S, H)
  const bool causal = options.causal || config_.is_decoder;
  auto additiveMask = makeAdditiveAttentionMask(attentionMask, causal, embedded.scalar_type());
  EncoderResult encoded =
      encoder(embedded, additiveMask, options.outputAttentions, options.outputHiddenStates);

  BertModelOutput out;
  out.lastHiddenState = encoded.lastHiddenState;
  if (pooler && causal) {
    // Under the causal mask [CLS] sees only itself; the last real token sees the whole input
    // (a left-to-right model classifies from it, as GPT does).
    const torch::Tensor last = (attentionMask.sum(1) - 1).clamp_min(0).to(torch::kLong);
    const int64_t hidden = encoded.lastHiddenState.size(2);
    out.pooledOutput = pooler(
        encoded.lastHiddenState.gather(1, last.view({-1, 1, 1}).expand({last.size(0), 1, hidden})));
  } else if (pooler) {
    out.pooledOutput = pooler(encoded.lastHiddenState);
  }
  out.hiddenStates = std::move(encoded.hiddenStates);
  out.attentions = std::move(encoded.attentions);
  return out;
}

void checkModelInputs(const BertConfig& config, const BertInputs& inputs) {
  const auto& ids = inputs.inputIds;
  if (!ids.defined() || ids.dim() != 2)
    throw Error("input_ids must be a (batch, sequence) array of token ids");
  if (ids.size(0) == 0 || ids.size(1) == 0) throw Error("input_ids is empty");
  if (ids.size(1) > config.max_position_embeddings) {
    throw Error("input_ids has " + std::to_string(ids.size(1)) +
                " tokens per sequence, more than the model's " + "max_position_embeddings (" +
                std::to_string(config.max_position_embeddings) + ")");
  }
  auto checkRange = [&](const torch::Tensor& t, const char* name, int64_t limit,
                        const char* limitName) {
    if (!t.defined()) return;
    if (t.sizes() != ids.sizes()) {
      throw Error(std::string(name) + " has shape " + c10::str(t.sizes()) + " but input_ids has " +
                  c10::str(ids.sizes()));
    }
    const int64_t low = t.min().item<int64_t>(), high = t.max().item<int64_t>();
    if (low < 0 || high >= limit) {
      throw Error(std::string(name) + " holds values in [" + std::to_string(low) + ", " +
                  std::to_string(high) + "] but must be in [0, " + std::to_string(limit - 1) +
                  "] (" + limitName + " = " + std::to_string(limit) + ")");
    }
  };
  checkRange(ids, "input_ids", config.vocab_size, "vocab_size");
  checkRange(inputs.tokenTypeIds, "token_type_ids", config.type_vocab_size, "type_vocab_size");
  checkRange(inputs.attentionMask, "attention_mask", 2, "0 or 1");
}

}  // namespace bertwb
