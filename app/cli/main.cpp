// bert-workbench-cli-engine: every command of bert-workbench-cli, with LibTorch. Users start
// it through bert-workbench-cli (front_main.cpp), which runs the torch-free commands itself;
// it also works on its own (the GPU machine's g++ build names it bert-workbench-cli).
#include <c10/util/Exception.h>
#include <CLI/CLI.hpp>

#include <new>
#include <string>

#include "command_line.h"
#include "commands.h"
#include "runtime/process_signals.h"
#include "runtime/thread_environment.h"

namespace {

// Out-of-memory, as the allocator or LibTorch reports it, in words that say what to change.
constexpr const char* kOutOfMemory =
    "out of memory: the model, batch or input needs more memory than this machine has "
    "(lower --batch-size or --max-seq-length, choose a smaller model, or use --precision bf16)";

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

// LibTorch's own messages carry a C++ backtrace; the first line is the useful part. The
// messages a user can cause are translated; anything else is shown as LibTorch says it.
std::string describeTorchError(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) return kOutOfMemory;
  const auto* torchError = dynamic_cast<const c10::Error*>(&error);
  if (torchError == nullptr) return error.what();
  const std::string message = torchError->what_without_backtrace();
  const std::string firstLine = message.substr(0, message.find('\n'));
  if (contains(message, "can't allocate memory") || contains(message, "alloc_cpu") ||
      contains(message, "out of memory"))
    return std::string(kOutOfMemory) + " [LibTorch: " + firstLine + "]";
  if (contains(message, "index out of range in self"))
    return "a token id or position is outside the model's tables (ids must be below the "
           "config's vocab_size, segment ids below type_vocab_size, and inputs at most "
           "max_position_embeddings long) [LibTorch: " +
           firstLine + "]";
  return "LibTorch: " + firstLine;
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
