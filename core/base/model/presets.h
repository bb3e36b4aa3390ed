#pragma once
// Named model sizes: Google's 24 small BERTs (Turc et al. 2019, "Well-Read Students Learn
// Better"), BERT-Base and BERT-Large (Devlin et al. 2019, §3).
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace bertwb {

struct ModelPreset {
  std::string name;     // canonical lookup name: "tiny", "base", "L-6_H-256", ...
  std::string display;  // "BERT-Tiny (L=2, H=128, A=2)"
  int layers;
  int hidden;
  int heads;
};

// All presets, smallest first; the named small ones carry their name.
const std::vector<ModelPreset>& modelPresets();

// Looks a preset up by name (case-insensitive; "tiny", "L-2_H-128", "l2-h128" and
// "bert-base" all work). Throws bertwb::Error listing the valid names when unknown.
const ModelPreset& findPreset(const std::string& name);

// A config for the preset: A = H/64 and I = 4H as the paper, vocabulary 30522 and 512
// positions unless a tokenizer says otherwise.
BertConfig presetConfig(const std::string& name, int vocabSize = 30522, int maxPositions = 512);

}  // namespace bertwb
