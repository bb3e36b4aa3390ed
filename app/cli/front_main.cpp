// bert-workbench-cli: the front of the headless workbench (see command_line.h). It runs the
// torch-free commands in this process and executes bert-workbench-cli-engine for the rest,
// with the same arguments and process id, so signals, exit statuses and locks behave as if
// there were one program.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "command_line.h"
#include "runtime/process_signals.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kEngineFileName = "bert-workbench-cli-engine";
// Beside the front in a build tree; in the application's private folder once installed
// (bin/../lib/bert-workbench, where the SentencePiece plugin lives too).
constexpr const char* kInstalledPrivateDir = "../lib/bert-workbench";

std::vector<fs::path> engineCandidates() {
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const fs::path folder = executable.parent_path();
  return {folder / kEngineFileName,
          (folder / kInstalledPrivateDir / kEngineFileName).lexically_normal()};
}

bool isTorchFreeCommand(const CLI::App& torchFree, const char* name) {
  for (const CLI::App* command : torchFree.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->check_name(name)) return true;
  }
  return false;
}

// Replaces this process with the engine; returns only when no engine could be started.
int runInEngine(char** argv) {
  // The engine would otherwise re-execute itself to set this (runtime/thread_environment.h);
  // setting it here saves loading LibTorch twice. A user's own value is kept.
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  std::string tried;
  for (const fs::path& candidate : engineCandidates()) {
    ::execv(candidate.c_str(), argv);
    tried += "\n  " + candidate.string() + " (" + std::strerror(errno) + ")";
  }
  std::cerr << "error: cannot start the workbench's engine program " << kEngineFileName
            << "; tried:"
            << (tried.empty() ? std::string("\n  (no candidates: /proc/self/exe unreadable)")
                              : tried)
            << "\nReinstall the workbench, or run the engine program directly.\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::reportOversizedWritesAsErrors();
  CLI::App torchFree{bertwb::cli::kCliDescription};
  bertwb::cli::addTorchFreeCommands(torchFree);
  if (argc < 2 || !isTorchFreeCommand(torchFree, argv[1])) return runInEngine(argv);
  return bertwb::cli::runCommandLine(torchFree, argc, argv);
}
