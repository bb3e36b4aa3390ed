#pragma once
// The "which model?" options several commands share: --preset NAME | --config FILE
// | --checkpoint DIR, exactly one of them.
#include <CLI/CLI.hpp>
#include <string>

#include "model/bert_config.h"

namespace bertwb::cli {

struct ModelSource {
  std::string preset;
  std::string configPath;
  std::string checkpoint;
  int vocabSize = 0;  // 0: the preset's default (30522)
};

// `required` false: at most one (the command has a default model).
void addModelSourceOptions(CLI::App* command, ModelSource& source, bool allowCheckpoint,
                           bool required = true);

// The config the options name; `description` receives a human label for it.
BertConfig resolveConfig(const ModelSource& source, std::string* description = nullptr);

}  // namespace bertwb::cli
