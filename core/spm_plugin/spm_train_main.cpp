// bertwb-spm-train: SentencePieceTrainer::Train in a process of its own.
//
// Why a separate program: training needs libsentencepiece_train, which cannot live in a
// process that has LibTorch loaded (DESIGN.md, "SentencePiece and LibTorch cannot share one
// link namespace"), and a child process also gives the core a clean way to cancel a long
// training (kill it) and to follow its progress (SentencePiece logs to stderr).
//
// Usage: bertwb-spm-train --input=a.txt,b.txt --model_prefix=out/m --vocab_size=8000 ...
// Every argument is one `--name=value` TrainerSpec/NormalizerSpec field, exactly as
// spm_train takes them. Arguments are handed to SentencePiece as a map, so values may hold
// spaces (paths); `input` is split at commas by SentencePiece itself.
// Exit status: 0 trained, 1 SentencePiece refused or failed, 2 bad command line.
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

namespace {

constexpr int kExitTrainingFailed = 1;
constexpr int kExitUsage = 2;

void printUsage(const char* program) {
  std::fprintf(stderr,
               "usage: %s --input=FILE[,FILE...] --model_prefix=PREFIX --vocab_size=N "
               "[--name=value ...]\n"
               "Trains a SentencePiece model; every --name=value is a SentencePiece trainer "
               "option (see spm_train --help).\n",
               program);
}

}  // namespace

int main(int argc, char** argv) {
  std::unordered_map<std::string, std::string> options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      printUsage(argv[0]);
      return 0;
    }
    const size_t equals = argument.find('=');
    if (argument.rfind("--", 0) != 0 || equals == std::string::npos || equals == 2) {
      std::fprintf(stderr, "bertwb-spm-train: argument '%s' is not of the form --name=value\n",
                   argv[i]);
      printUsage(argv[0]);
      return kExitUsage;
    }
    options[argument.substr(2, equals - 2)] = argument.substr(equals + 1);
  }
  if (options.count("input") == 0 || options.count("model_prefix") == 0) {
    std::fprintf(stderr, "bertwb-spm-train: --input and --model_prefix are required\n");
    printUsage(argv[0]);
    return kExitUsage;
  }
  const auto status = sentencepiece::SentencePieceTrainer::Train(options);
  if (!status.ok()) {
    // The core shows the tail of this log when training fails: make the reason the last line.
    std::fprintf(stderr, "bertwb-spm-train: training failed: %s\n", status.ToString().c_str());
    return kExitTrainingFailed;
  }
  std::fprintf(stderr, "bertwb-spm-train: done\n");
  return 0;
}
