// `prepare-corpus`: tokenize a corpus once into id shards on disk (bounded memory whatever its
// size), for create-pretraining-data and pre-training to read without tokenizing again.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "commands.h"
#include "console_progress.h"
#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "io/output_folder.h"
#include "tokenizer_source.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

struct PrepareCorpusOptions {
  std::vector<std::string> inputs;
  TokenizerSource tokenizer;
  std::string out;
  bool paragraphs = false;
  int64_t shardTokens = ShardOptions().shardTokens;
  bool force = false;
};

// Ctrl-C asks the writer to stop, which removes its staging folder; a second one kills.
CancelFlag* interruptFlag = nullptr;
extern "C" void onInterrupt(int) {
  if (interruptFlag) interruptFlag->request();
  std::signal(SIGINT, SIG_DFL);
}

// The sentence length below which `share` of the sentences fall (from the histogram).
int64_t lengthPercentile(const CorpusStatistics& s, double share) {
  int64_t seen = 0;
  for (size_t n = 0; n < s.sentenceLengthCounts.size(); ++n) {
    seen += s.sentenceLengthCounts[n];
    if (seen >= share * s.sentences) return static_cast<int64_t>(n);
  }
  return static_cast<int64_t>(s.sentenceLengthCounts.size()) - 1;
}

void runPrepareCorpus(const PrepareCorpusOptions& o) {
  for (const auto& input : o.inputs) {
    if (isCorpusShardFolder(input))
      throw Error("'" + input + "' is already a prepared corpus; give text files or folders");
  }
  // A new or empty folder, or (with --force) a prepared corpus with nothing else in it.
  claimOutputFolder(o.out, OutputKind::PreparedCorpus, {false, o.force});
  const auto tokenizer = openTokenizer(o.tokenizer);
  CorpusOptions corpusOptions;
  corpusOptions.paragraphPerLine = o.paragraphs;
  ShardOptions shardOptions;
  shardOptions.shardTokens = o.shardTokens;
  uintmax_t textBytes = 0;
  for (const auto& file : corpusFiles(o.inputs)) textBytes += std::filesystem::file_size(file);

  CancelFlag cancel;
  interruptFlag = &cancel;
  std::signal(SIGINT, onInterrupt);
  const auto start = std::chrono::steady_clock::now();
  CorpusManifest manifest;
  try {
    manifest = writeCorpusShards(o.inputs, *tokenizer, corpusOptions, o.out, shardOptions,
                                 consoleProgress(), &cancel);
  } catch (...) {
    std::signal(SIGINT, SIG_DFL);
    interruptFlag = nullptr;
    if (cancel.isRequested())
      std::cerr << "\ninterrupted: nothing was written, '" << o.out << "' is as it was\n";
    throw;
  }
  std::signal(SIGINT, SIG_DFL);
  interruptFlag = nullptr;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (const auto& warning : manifest.warnings) std::cerr << "\nwarning: " << warning;
  const CorpusStatistics& s = manifest.statistics;
  std::cerr << std::fixed << std::setprecision(1) << "\nwrote " << o.out << ": "
            << manifest.shards.size() << " shard(s), "
            << formatBytes(static_cast<double>(s.tokens) * sizeof(int32_t)) << " of token ids, in "
            << formatSeconds(seconds) << " (" << textBytes / 1e6 / std::max(seconds, 1e-9)
            << " MB/s of text)\n";
  std::cerr << "  source:     " << manifest.sourceFiles.size() << " file(s), "
            << formatBytes(static_cast<double>(textBytes)) << "\n";
  std::cerr << "  documents:  " << formatCount(s.documents) << "\n";
  std::cerr << "  sentences:  " << formatCount(s.sentences) << " (tokens each: mean "
            << static_cast<double>(s.tokens) / static_cast<double>(s.sentences) << ", median "
            << lengthPercentile(s, 0.5) << ", 95% at most " << lengthPercentile(s, 0.95) << ")\n";
  std::cerr << "  tokens:     " << formatCount(s.tokens) << ", [UNK] "
            << formatCount(s.unknownTokens) << " (" << std::setprecision(2) << s.unknownRate() * 100
            << "%)\n";
  std::cerr << "  invalid UTF-8 lines: " << formatCount(s.invalidUtf8Lines) << "\n";
  std::cerr << "  tokenizer:  " << manifest.tokenizer.kind << ", "
            << formatCount(manifest.tokenizer.vocabSize) << " tokens, fingerprint "
            << manifest.tokenizer.fingerprint << "\n"
            << std::defaultfloat << std::setprecision(6);
}

}  // namespace

void addPrepareCorpusCommand(CLI::App& app) {
  auto o = std::make_shared<PrepareCorpusOptions>();
  CLI::App* command = app.add_subcommand("prepare-corpus",
                                         "Tokenize a corpus once into id shards on disk (bounded "
                                         "memory), for create-pretraining-data");
  command
      ->add_option("--input", o->inputs,
                   "corpus files or folders: one sentence per line, blank line between documents")
      ->required();
  addTokenizerSourceOptions(command, o->tokenizer);
  command
      ->add_option("--out", o->out,
                   "folder to write: new, empty, or (with --force) an earlier prepared corpus")
      ->required();
  command->add_flag("--force", o->force, "replace an earlier prepared corpus in --out");
  command->add_flag("--paragraphs", o->paragraphs,
                    "input has a paragraph per line: split into sentences by rule");
  command->add_option("--shard-tokens", o->shardTokens, "token ids per shard file (4 bytes each)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([o] { runPrepareCorpus(*o); });
}

}  // namespace bertwb::cli
