#pragma once
// Each CLI subcommand registers itself on the app; main() only wires them together.
#include <CLI/CLI.hpp>

namespace bertwb::cli {

void addInfoCommand(CLI::App& app);
void addInitCommand(CLI::App& app);
void addForwardCommand(CLI::App& app);
void addTokenizeCommand(CLI::App& app);
void addTrainTokenizerCommand(CLI::App& app);
void addPretrainingDataCommands(CLI::App& app);  // create-pretraining-data, inspect-data
void addPrepareCorpusCommand(CLI::App& app);
void addDemoDataCommand(CLI::App& app);
void addPretrainCommand(CLI::App& app);
void addExtractFeaturesCommand(CLI::App& app);
void addFinetuneCommands(CLI::App& app);  // finetune, evaluate
void addPredictCommand(CLI::App& app);
void addExperimentCommand(CLI::App& app);  // experiment list | show | run | report

}  // namespace bertwb::cli
