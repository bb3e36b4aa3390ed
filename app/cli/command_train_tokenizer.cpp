// `train-tokenizer`: a WordPiece vocab.txt or a SentencePiece model from text files, with
// progress on stderr.
#include <unistd.h>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "io/output_folder.h"
#include "text/sentencepiece_trainer.h"
#include "text/wordpiece_trainer.h"
#include "util/error.h"

namespace bertwb::cli {
namespace {

struct TrainTokenizerOptions {
  std::vector<std::string> inputs;
  std::string type = "wordpiece";
  int vocabSize = 30522;
  bool cased = false;
  std::string out;
  bool force = false;
};

// One updating line on a terminal, plain lines otherwise.
ProgressCallback progressPrinter() {
  const bool terminal = ::isatty(STDERR_FILENO);
  return [terminal](const Progress& p) {
    const int percent = p.fraction < 0 ? -1 : static_cast<int>(p.fraction * 100);
    if (terminal) {
      std::fprintf(stderr, "\r\033[K[%3d%%] %s", std::max(percent, 0), p.message.c_str());
    } else {
      std::fprintf(stderr, "[%3d%%] %s\n", std::max(percent, 0), p.message.c_str());
    }
    std::fflush(stderr);
  };
}

void runTrainTokenizer(const TrainTokenizerOptions& o) {
  // A tokenizer folder only: a vocabulary written into a model's folder would make the model
  // read the wrong ids (refused even with --force), someone's files are never replaced.
  claimOutputFolder(o.out, OutputKind::Tokenizer, {false, o.force});
  ProgressCallback progress = progressPrinter();
  if (o.type == "wordpiece") {
    WordPieceTrainOptions options;
    options.inputFiles = o.inputs;
    options.outputFolder = o.out;
    options.vocabSize = o.vocabSize;
    options.doLowerCase = !o.cased;
    const int size = trainWordPieceVocab(options, progress, nullptr);
    std::cerr << "\nwrote " << o.out << "/vocab.txt (" << size << " tokens, "
              << (o.cased ? "cased" : "uncased") << ") and tokenizer_config.json\n";
    return;
  }
  SentencePieceTrainOptions options;
  options.inputFiles = o.inputs;
  options.outputFolder = o.out;
  options.vocabSize = o.vocabSize;
  options.modelType = o.type;
  trainSentencePiece(options, progress, nullptr);
  std::cerr << "\nwrote " << o.out << "/spiece.model (" << o.type << ", " << o.vocabSize
            << " pieces)\n";
}

}  // namespace

void addTrainTokenizerCommand(CLI::App& app) {
  auto o = std::make_shared<TrainTokenizerOptions>();
  CLI::App* command = app.add_subcommand("train-tokenizer",
                                         "Train a WordPiece vocabulary or a SentencePiece model");
  command->add_option("--input", o->inputs, "text files (one sentence or paragraph per line)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--type", o->type, "wordpiece (vocab.txt), unigram or bpe (spiece.model)")
      ->check(CLI::IsMember({"wordpiece", "unigram", "bpe"}))
      ->capture_default_str();
  command->add_option("--vocab-size", o->vocabSize, "vocabulary size")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--cased", o->cased, "wordpiece: keep case and accents (default: uncased)");
  command->add_option("--out", o->out, "folder to write the tokenizer into")->required();
  command->add_flag("--force", o->force, "replace a tokenizer already in --out (never a model's)");
  command->callback([o] { runTrainTokenizer(*o); });
}

}  // namespace bertwb::cli
