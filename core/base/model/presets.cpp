#include "model/presets.h"

#include <algorithm>
#include <cctype>

#include "util/error.h"

namespace bertwb {
namespace {

// Head size 64 and feed-forward 4H are the rules all released BERTs follow.
constexpr int kHeadSize = 64;
constexpr int kFeedForwardRatio = 4;

std::string normalise(const std::string& name) {
  std::string out;
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (out.rfind("bert", 0) == 0) out = out.substr(4);
  // Google's file names add "_A-<heads>"; A is implied by H, so drop it.
  auto a = out.find('a', 1);
  if (out.rfind('l', 0) == 0 && a != std::string::npos && out.find('h') < a) out = out.substr(0, a);
  return out;
}

std::vector<ModelPreset> buildPresets() {
  auto smallName = [](int l, int h) -> std::string {
    if (l == 2 && h == 128) return "tiny";
    if (l == 4 && h == 256) return "mini";
    if (l == 4 && h == 512) return "small";
    if (l == 8 && h == 512) return "medium";
    return "";
  };
  std::vector<ModelPreset> presets;
  for (int h : {128, 256, 512, 768}) {
    for (int l : {2, 4, 6, 8, 10, 12}) {
      std::string grid = "L-" + std::to_string(l) + "_H-" + std::to_string(h);
      std::string named = smallName(l, h);
      std::string shape = "L=" + std::to_string(l) + ", H=" + std::to_string(h) +
                          ", A=" + std::to_string(h / kHeadSize);
      if (l == 12 && h == 768) continue;  // that one is BERT-Base, listed below
      if (!named.empty()) {
        std::string title = named;
        title[0] = static_cast<char>(std::toupper(title[0]));
        presets.push_back({named, "BERT-" + title + " (" + shape + ")", l, h, h / kHeadSize});
      } else {
        presets.push_back({grid, "BERT " + grid + " (" + shape + ")", l, h, h / kHeadSize});
      }
    }
  }
  presets.push_back({"base", "BERT-Base (L=12, H=768, A=12)", 12, 768, 12});
  presets.push_back({"large", "BERT-Large (L=24, H=1024, A=16)", 24, 1024, 16});
  std::stable_sort(presets.begin(), presets.end(), [](const ModelPreset& a, const ModelPreset& b) {
    return static_cast<long long>(a.layers) * a.hidden * a.hidden <
           static_cast<long long>(b.layers) * b.hidden * b.hidden;
  });
  return presets;
}

}  // namespace

const std::vector<ModelPreset>& modelPresets() {
  static const std::vector<ModelPreset> presets = buildPresets();
  return presets;
}

const ModelPreset& findPreset(const std::string& name) {
  const std::string wanted = normalise(name);
  for (const auto& preset : modelPresets()) {
    std::string grid = "l" + std::to_string(preset.layers) + "h" + std::to_string(preset.hidden);
    if (wanted == normalise(preset.name) || wanted == grid) return preset;
  }
  std::string message = "unknown model preset \"" + name + "\"; valid presets:";
  for (const auto& preset : modelPresets()) message += " " + preset.name;
  throw Error(message);
}

BertConfig presetConfig(const std::string& name, int vocabSize, int maxPositions) {
  const ModelPreset& preset = findPreset(name);
  BertConfig config;
  config.num_hidden_layers = preset.layers;
  config.hidden_size = preset.hidden;
  config.num_attention_heads = preset.heads;
  config.intermediate_size = kFeedForwardRatio * preset.hidden;
  config.vocab_size = vocabSize;
  config.max_position_embeddings = maxPositions;
  return config;
}

}  // namespace bertwb
