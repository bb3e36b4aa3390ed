#pragma once
// What the two CLI programs share: the torch-free commands and how a parsed command's
// outcome becomes an exit status and a message.
//
// bert-workbench-cli is a small front (front_main.cpp) that links only bertwb_base: it runs
// the commands that only read and write text (tokenize, train-tokenizer, prepare-corpus,
// create-pretraining-data, inspect-data, demo-data) itself, and hands every other command
// line, --help included, to bert-workbench-cli-engine (main.cpp), which registers every
// command and links LibTorch. Loading LibTorch's ~290 shared libraries costs about half a
// second on 2 cores, twice when the OpenMP wait policy needs a re-exec; a tokenizer call
// should not pay for either.
#include <CLI/CLI.hpp>

#include <exception>
#include <string>

namespace bertwb::cli {

// Registers the commands that need no LibTorch, in the order --help lists them.
void addTorchFreeCommands(CLI::App& app);

// The application both programs build, with the same name and description.
inline constexpr const char* kCliDescription =
    "BERT Workbench, headless: build, inspect and run BERT models";

// Turns an exception into the one line the user sees after "error: ".
using ErrorDescriber = std::string (*)(const std::exception& error);

// Parses and runs argv on app. Returns the process's exit status: 0, 1 with "error: …" on
// standard error, CLI11's status for usage errors, kInterruptedExitCode for a stopped run.
int runCommandLine(CLI::App& app, int argc, char** argv, ErrorDescriber describe = nullptr);

}  // namespace bertwb::cli
