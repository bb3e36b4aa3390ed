#include "model_source.h"

#include "io/checkpoint.h"
#include "model/presets.h"
#include "util/error.h"

namespace bertwb::cli {

void addModelSourceOptions(CLI::App* command, ModelSource& source, bool allowCheckpoint,
                           bool required) {
  auto* group = command->add_option_group("model", "which model (exactly one)");
  group->add_option(
      "--preset", source.preset,
      "tiny, mini, small, medium, base, large, or L-<layers>_H-<hidden> (Google's 24 small BERTs)");
  group->add_option("--config", source.configPath, "a Hugging Face config.json");
  if (allowCheckpoint)
    group->add_option("--checkpoint", source.checkpoint,
                      "a checkpoint folder (config.json + model.safetensors)");
  if (required)
    group->require_option(1);
  else
    group->require_option(0, 1);
  command
      ->add_option("--vocab-size", source.vocabSize, "vocabulary size for a preset (default 30522)")
      ->check(CLI::PositiveNumber);
}

BertConfig resolveConfig(const ModelSource& source, std::string* description) {
  if (!source.preset.empty()) {
    const ModelPreset& preset = findPreset(source.preset);
    if (description) *description = preset.display;
    return source.vocabSize > 0 ? presetConfig(source.preset, source.vocabSize)
                                : presetConfig(source.preset);
  }
  if (!source.configPath.empty()) {
    if (description) *description = source.configPath;
    BertConfig config = loadConfigFile(source.configPath);
    if (source.vocabSize > 0) config.vocab_size = source.vocabSize;
    return config;
  }
  if (description) *description = "checkpoint " + source.checkpoint;
  return inspectCheckpoint(source.checkpoint).config;
}

}  // namespace bertwb::cli
