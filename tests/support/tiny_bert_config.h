#pragma once
// The model size every tiny test checkpoint shares: L=2, H=32, A=2, feed-forward 64. Built in
// milliseconds, yet with two layers and two heads per layer, so per-layer and per-head code
// (attention maps, hidden states, head masks) is exercised on more than one of each.
#include <cstdint>

#include "model/bert_config.h"

namespace bertwb::test {

constexpr int kTinyLayers = 2;
constexpr int kTinyHeads = 2;
constexpr int kTinyHidden = 32;

inline BertConfig tinyBertConfig(int64_t vocabSize, int64_t maxPositions) {
  BertConfig config;
  config.vocab_size = vocabSize;
  config.hidden_size = kTinyHidden;
  config.num_hidden_layers = kTinyLayers;
  config.num_attention_heads = kTinyHeads;
  config.intermediate_size = 2 * kTinyHidden;
  config.max_position_embeddings = maxPositions;
  return config;
}

}  // namespace bertwb::test
