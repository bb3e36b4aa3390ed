// `demo-data`: the embedded demo world (a pre-training corpus and four downstream tasks)
// written to a folder, the same generator the GUI runs on its first start.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "data/demo_world.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

void runDemoData(const DemoWorldOptions& options) {
  const DemoWorldFiles files = writeDemoWorld(options);
  std::cout << "wrote the " << options.size << " demo world (seed " << options.seed << ") to "
            << std::filesystem::absolute(options.outputFolder).string() << ":\n";
  for (const std::string* path :
       {&files.corpus, &files.sentimentTrain, &files.sentimentDev, &files.entailmentTrain,
        &files.entailmentDev, &files.nerTrain, &files.nerDev, &files.qaTrain, &files.qaDev}) {
    const auto bytes = std::filesystem::file_size(*path);
    const std::string relative =
        std::filesystem::path(*path)
            .lexically_relative(std::filesystem::absolute(options.outputFolder))
            .string();
    std::cout << "  " << relative << "  " << formatBytes(static_cast<double>(bytes)) << "\n";
  }
}

}  // namespace

void addDemoDataCommand(CLI::App& app) {
  auto options = std::make_shared<DemoWorldOptions>();
  CLI::App* command = app.add_subcommand(
      "demo-data",
      "Write the demo world: a pre-training corpus and sentiment, entailment, NER and QA tasks");
  command->add_flag("--force", options->replace, "rewrite a demo world already in --out");
  command
      ->add_option("--out", options->outputFolder,
                   "folder to write: new, empty, or (with --force) an earlier demo world")
      ->required();
  command->add_option("--seed", options->seed, "random seed: the same seed writes the same bytes")
      ->capture_default_str();
  command->add_option("--size", options->size, "small (3,000 documents, ~1.5 MB) or medium (5x)")
      ->capture_default_str()
      ->check(CLI::IsMember({"small", "medium"}));
  command->callback([options] { runDemoData(*options); });
}

}  // namespace bertwb::cli
