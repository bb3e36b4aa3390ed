// `init`: a randomly initialised BERT with pre-training heads, saved as a checkpoint folder.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "io/checkpoint.h"
#include "io/output_folder.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model_source.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

struct InitOptions {
  ModelSource source;
  uint64_t seed = 12345;  // the original create_pretraining_data.py default seed
  std::string out;
  std::string tokenizer;  // a folder with vocab.txt or spiece.model
  bool force = false;
};

void runInit(const InitOptions& o) {
  namespace fs = std::filesystem;
  std::string description;
  BertConfig config = resolveConfig(o.source, &description);
  // Never overwrite anything the user has: a model only with --force, anything else never.
  claimOutputFolder(o.out, OutputKind::Model, {false, o.force});
  std::unique_ptr<Tokenizer> tokenizer;
  if (!o.tokenizer.empty()) {
    // The tokenizer decides the vocabulary: the embedding table gets one row per token.
    tokenizer = loadTokenizer(o.tokenizer);
    config.vocab_size = tokenizer->vocabSize();
    if (tokenizer->specialTokenIds().pad >= 0)
      config.pad_token_id = tokenizer->specialTokenIds().pad;
  }
  BertForPreTraining model(config);
  initializeBertWeights(*model, config.initializer_range, o.seed);
  saveCheckpoint(o.out, config, *model, "BertForPreTraining", std::nullopt, tokenizer.get());
  std::cout << "wrote " << o.out << ": " << description << ", "
            << formatCount(countParameters(config).withPretrainingHeads()) << " parameters, seed "
            << o.seed << "\n";
}

}  // namespace

void addInitCommand(CLI::App& app) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* command =
      app.add_subcommand("init", "Write a randomly initialised BERT with pre-training heads");
  addModelSourceOptions(command, options->source, /*allowCheckpoint=*/false);
  command->add_option("--seed", options->seed, "random seed for the weights")
      ->capture_default_str();
  command->add_option("--out", options->out, "checkpoint folder to write")->required();
  command->add_option(
      "--tokenizer", options->tokenizer,
      "tokenizer folder (vocab.txt or spiece.model): sets vocab_size and is saved with the model");
  command->add_flag("--force", options->force, "replace an existing checkpoint in --out");
  command->callback([options] { runInit(*options); });
}

}  // namespace bertwb::cli
