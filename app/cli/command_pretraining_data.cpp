// `create-pretraining-data` (the original script's job, as JSON lines) and `inspect-data`
// (one instance in colour, with a legend).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "console_progress.h"
#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "data/corpus_view.h"
#include "data/instance_json.h"
#include "data/pretraining_sampler.h"
#include "io/output_folder.h"
#include "tokenizer_source.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/format.h"
#include "util/regular_file.h"

namespace bertwb::cli {
namespace {

using nlohmann::json;

struct CreateOptions {
  std::vector<std::string> inputs;
  TokenizerSource tokenizer;
  std::string output;
  PretrainingDataOptions data;
  bool paragraphs = false;
  bool force = false;
};

void runCreate(const CreateOptions& o) {
  claimOutputFile(o.output, o.force);
  const auto tokenizer = openTokenizer(o.tokenizer);
  CorpusOptions corpusOptions;
  corpusOptions.paragraphPerLine = o.paragraphs;
  const ProgressCallback progress = consoleProgress();
  // Either a folder from prepare-corpus (read in place, already tokenized) or text.
  const bool prepared = std::any_of(o.inputs.begin(), o.inputs.end(), isCorpusShardFolder);
  std::unique_ptr<ShardedCorpus> sharded;
  TokenizedCorpus corpus;
  std::unique_ptr<CorpusView> inMemory;
  const CorpusView* view = nullptr;
  if (prepared) {
    if (o.inputs.size() != 1)
      throw Error("--input: give a prepared corpus folder on its own, not with other inputs");
    if (o.paragraphs)
      throw Error("--paragraphs applies to text; '" + o.inputs[0] +
                  "' was split into sentences when prepared");
    sharded = std::make_unique<ShardedCorpus>(o.inputs[0]);
    sharded->checkTokenizer(*tokenizer);
    view = sharded.get();
  } else {
    corpus = readCorpus(o.inputs, *tokenizer, corpusOptions, progress);
    inMemory = viewOf(corpus);
    view = inMemory.get();
  }
  const std::vector<std::string>& warnings =
      prepared ? sharded->manifest().warnings : corpus.warnings;
  for (const auto& warning : warnings) std::cerr << "\nwarning: " << warning;
  const CorpusStatistics& stats = prepared ? sharded->statistics() : corpus.statistics;
  std::cerr << "\ncorpus: " << formatCount(stats.documents) << " documents, "
            << formatCount(stats.sentences) << " sentences, " << formatCount(stats.tokens)
            << " tokens, [UNK] rate " << stats.unknownRate() * 100 << "%"
            << (prepared ? " (prepared)" : "") << "\n";
  PretrainingSampler sampler(*view, samplerVocabulary(*tokenizer), o.data);
  const auto instances = sampler.createInstances(progress);
  writeFileAtomically(o.output, [&](const std::function<void(const void*, size_t)>& append) {
    for (const auto& instance : instances) {
      const std::string line = instanceToJson(instance, *tokenizer).dump() + "\n";
      append(line.data(), line.size());
    }
  });
  int64_t predictions = 0, randomNext = 0;
  for (const auto& instance : instances) {
    predictions += static_cast<int64_t>(instance.masked.size());
    randomNext += instance.isRandomNext;
  }
  std::cerr << "\nwrote " << o.output << ": " << formatCount(static_cast<int64_t>(instances.size()))
            << " instances, " << formatCount(predictions) << " masked predictions, "
            << (instances.empty() ? 0.0 : 100.0 * randomNext / instances.size()) << "% NotNext\n";
}

// ANSI colours for the terminal view.
const char* const kReset = "\033[0m";
const char* const kSegmentA = "\033[34m";     // blue
const char* const kSegmentB = "\033[32m";     // green
const char* const kMasked = "\033[1;41;97m";  // white on red
const char* const kRandom = "\033[1;43;30m";  // black on yellow
const char* const kKept = "\033[1;4;35m";     // underlined magenta

void runInspect(const std::string& input, int64_t index, bool colour) {
  std::ifstream in = openRegularFile(input, "pre-training data");
  std::string line;
  for (int64_t i = 0; i <= index; ++i) {
    if (!std::getline(in, line)) {
      throw Error(input + " has only " + std::to_string(i) + " instances; --index " +
                  std::to_string(index) + " is past the end");
    }
  }
  json instance;
  try {
    instance = parseJson(line);
  } catch (const json::parse_error& e) {
    throw Error(input + ":" + std::to_string(index + 1) + ": not valid JSON (" + jsonErrorText(e) +
                ")");
  }
  try {
    const auto& tokens = instance.at("tokens");
    const auto& segments = instance.at("segment_ids");
    std::map<int64_t, std::pair<std::string, std::string>> masked;  // position → (kind, label)
    for (size_t m = 0; m < instance.at("masked_lm_positions").size(); ++m) {
      masked[jsonInteger<int64_t>(instance["masked_lm_positions"][m])] = {
          instance.at("mask_kinds")[m].get<std::string>(),
          instance.at("masked_lm_labels")[m].get<std::string>()};
    }
    auto paint = [&](const char* code, const std::string& text) {
      return colour ? std::string(code) + text + kReset : text;
    };
    std::cout << "instance " << index << " of " << input << "\n";
    std::cout << "NSP: "
              << (instance.at("is_random_next").get<bool>() ? "NotNext (B from another document)"
                                                            : "IsNext (B continues A)")
              << "\n\n";
    for (size_t t = 0; t < tokens.size(); ++t) {
      const std::string token = tokens[t].get<std::string>();
      const char* segmentColour = jsonInteger<int>(segments[t]) == 0 ? kSegmentA : kSegmentB;
      auto it = masked.find(static_cast<int64_t>(t));
      if (it == masked.end()) {
        std::cout << paint(segmentColour, token);
      } else if (it->second.first == "mask") {
        std::cout << paint(kMasked, token + "(" + it->second.second + ")");
      } else if (it->second.first == "random") {
        std::cout << paint(kRandom, it->second.second + "→" + token);
      } else {
        std::cout << paint(kKept, token);
      }
      std::cout << ' ';
    }
    std::cout << "\n\nLegend: " << paint(kSegmentA, "segment A") << "  "
              << paint(kSegmentB, "segment B") << "  " << paint(kMasked, "[MASK](original)")
              << " 80%  " << paint(kRandom, "original→random") << " 10%  "
              << paint(kKept, "kept, still predicted") << " 10%\n";
  } catch (const json::exception& e) {
    throw Error(input + ":" + std::to_string(index + 1) + ": not a pre-training instance (" +
                e.what() + ")");
  }
}

}  // namespace

void addPretrainingDataCommands(CLI::App& app) {
  auto o = std::make_shared<CreateOptions>();
  CLI::App* create = app.add_subcommand(
      "create-pretraining-data",
      "Make MLM + NSP instances from a corpus (original BERT semantics) as JSON lines");
  create
      ->add_option("--input", o->inputs,
                   "corpus files or folders (one sentence per line, blank line between documents), "
                   "or one folder "
                   "made by prepare-corpus")
      ->required();
  addTokenizerSourceOptions(create, o->tokenizer);
  create->add_option("--output", o->output, "JSON lines file to write")->required();
  create->add_flag("--force", o->force, "replace an existing --output file");
  create->add_option("--max-seq-length", o->data.maxSeqLength, "tokens per instance")
      ->capture_default_str();
  create
      ->add_option("--max-predictions-per-seq", o->data.maxPredictionsPerSeq,
                   "most masked positions")
      ->capture_default_str();
  create->add_option("--masked-lm-prob", o->data.maskedLmProb, "share of tokens masked")
      ->capture_default_str();
  create->add_option("--short-seq-prob", o->data.shortSeqProb, "share of shorter target lengths")
      ->capture_default_str();
  create
      ->add_option("--dupe-factor", o->data.dupeFactor,
                   "passes over the corpus, each masked afresh")
      ->capture_default_str();
  create->add_flag("--whole-word-mask", o->data.wholeWordMask,
                   "mask all pieces of a word together");
  create->add_option("--seed", o->data.seed, "random seed")->capture_default_str();
  create->add_flag("--paragraphs", o->paragraphs,
                   "input has a paragraph per line: split into sentences by rule");
  create->callback([o] { runCreate(*o); });

  auto input = std::make_shared<std::string>();
  auto index = std::make_shared<int64_t>(0);
  auto plain = std::make_shared<bool>(false);
  CLI::App* inspect =
      app.add_subcommand("inspect-data", "Show one pre-training instance in colour, with a legend");
  inspect->add_option("--input", *input, "JSON lines from create-pretraining-data")->required();
  inspect->add_option("--index", *index, "which instance (from 0)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  inspect->add_flag("--no-color", *plain,
                    "no ANSI colours (default when stdout is not a terminal)");
  inspect->callback(
      [input, index, plain] { runInspect(*input, *index, !*plain && ::isatty(STDOUT_FILENO)); });
}

}  // namespace bertwb::cli
