// bert-workbench-cli-engine: every command of bert-workbench-cli, with LibTorch. Users start
// it through bert-workbench-cli (front_main.cpp), which runs the torch-free commands itself;
// it also works on its own (the GPU machine's g++ build names it bert-workbench-cli).
#include <c10/util/Exception.h>
#include <CLI/CLI.hpp>

#include <string>

#include "command_line.h"
#include "commands.h"
#include "runtime/process_signals.h"
#include "runtime/thread_environment.h"

namespace {

// LibTorch's own messages carry a C++ backtrace; the first line is the useful part.
std::string describeTorchError(const std::exception& error) {
  if (const auto* torchError = dynamic_cast<const c10::Error*>(&error)) {
    const std::string message = torchError->what_without_backtrace();
    return message.substr(0, message.find('\n'));
  }
  return error.what();
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::reportOversizedWritesAsErrors();
  bertwb::ensurePassiveOpenMpThreads(argv);
  CLI::App app{bertwb::cli::kCliDescription};
  bertwb::cli::addInfoCommand(app);
  bertwb::cli::addInitCommand(app);
  bertwb::cli::addForwardCommand(app);
  bertwb::cli::addTorchFreeCommands(app);
  bertwb::cli::addPretrainCommand(app);
  bertwb::cli::addExtractFeaturesCommand(app);
  bertwb::cli::addFinetuneCommands(app);
  bertwb::cli::addPredictCommand(app);
  bertwb::cli::addExperimentCommand(app);
  return bertwb::cli::runCommandLine(app, argc, argv, describeTorchError);
}
