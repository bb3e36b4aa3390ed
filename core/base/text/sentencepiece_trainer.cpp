#include "text/sentencepiece_trainer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "text/spm_library.h"
#include "text/tokenizer.h"
#include "util/atomic_file.h"
#include "util/child_process.h"
#include "util/error.h"
#include "util/format.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr int kMinVocabSize = 10;  // the five specials plus a handful of pieces
constexpr const char* kModelFileName = "spiece.model";
// How often the parent wakes up to look at the cancel flag while the trainer is quiet.
constexpr int kCancelPollMilliseconds = 100;
// Lines of the trainer's log quoted when it fails (its reason is in the last few).
constexpr size_t kLogTailLines = 12;
// Bytes read from the start of each input to check it holds text and estimate its lines.
constexpr size_t kSampleBytes = 1 << 20;

// The phases' slices of 0..1 (see SentencePieceLogProgress).
constexpr double kLoadedFraction = 0.10;
constexpr double kPieceSearchStart = 0.30;  // EM pruning (unigram) or merges (BPE) begin
constexpr double kPieceSearchSpan = 0.65;
constexpr double kSavingFraction = 0.96;

// The number after `key` in `line` ("size=" in "EM sub_iter=1 size=374 obj=..."), if any.
std::optional<int64_t> numberAfter(const std::string& line, const std::string& key) {
  const size_t at = line.find(key);
  if (at == std::string::npos) return std::nullopt;
  const char* begin = line.c_str() + at + key.size();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (end == begin || errno != 0) return std::nullopt;
  return value;
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

std::string decimal(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

struct InputSummary {
  bool holdsText = false;
  int64_t estimatedLines = 0;
};

// Whether the file holds anything but whitespace, and about how many lines it has (from the
// line length of its first MiB). Reads only as far as it must.
InputSummary summarizeInput(const std::string& path) {
  std::ifstream in = openRegularFile(path, "training text");
  std::string sample(kSampleBytes, '\0');
  in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<size_t>(in.gcount()));
  InputSummary summary;
  auto hasText = [](const std::string& chunk) {
    return std::any_of(chunk.begin(), chunk.end(),
                       [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
  };
  summary.holdsText = hasText(sample);
  std::string chunk(kSampleBytes, '\0');
  while (!summary.holdsText && in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<size_t>(in.gcount()));
    summary.holdsText = hasText(chunk);
  }
  const int64_t sampleLines = std::max<int64_t>(1, std::count(sample.begin(), sample.end(), '\n'));
  std::error_code error;
  const auto fileBytes = static_cast<double>(fs::file_size(path, error));
  if (!error && !sample.empty()) {
    summary.estimatedLines =
        static_cast<int64_t>(fileBytes / (static_cast<double>(sample.size()) / sampleLines));
  }
  return summary;
}

// Checks the options and the inputs; returns the estimated number of input lines.
int64_t validate(const SentencePieceTrainOptions& options) {
  if (options.inputFiles.empty()) {
    throw Error("no training text given: name at least one UTF-8 text file, one sentence per line");
  }
  if (options.vocabSize < kMinVocabSize) {
    throw Error("vocabulary size " + std::to_string(options.vocabSize) +
                " is too small: use at least " + std::to_string(kMinVocabSize) +
                " (the 5 special tokens take ids 0-4)");
  }
  if (options.modelType != "unigram" && options.modelType != "bpe") {
    throw Error("unknown SentencePiece model type '" + options.modelType +
                "': use \"unigram\" or \"bpe\"");
  }
  if (!(options.characterCoverage > 0 && options.characterCoverage <= 1)) {
    throw Error(
        "character coverage " + decimal(options.characterCoverage) +
        " is outside (0, 1]: use 0.9995 for most languages, 1.0 for small alphabets or corpora");
  }
  if (options.maxSentences < 0) {
    throw Error("the sentence sample size " + std::to_string(options.maxSentences) +
                " is negative: use 0 to train on every sentence");
  }
  if (options.outputFolder.empty()) throw Error("no output folder given for spiece.model");
  int64_t estimatedLines = 0;
  bool anyText = false;
  for (const std::string& path : options.inputFiles) {
    std::error_code error;
    if (!fs::exists(path, error)) {
      throw Error("training text '" + path + "' does not exist: check the path");
    }
    if (!fs::is_regular_file(path, error)) {
      throw Error("training text '" + path +
                  "' is not a regular file: name text files, not folders");
    }
    // SentencePiece splits its --input at commas.
    if (path.find(',') != std::string::npos) {
      throw Error("training text '" + path +
                  "' has a comma in its path, which SentencePiece cannot take: rename or link it");
    }
    const InputSummary summary = summarizeInput(path);
    anyText = anyText || summary.holdsText;
    estimatedLines += summary.estimatedLines;
  }
  if (!anyText) {
    std::string names;
    for (const std::string& path : options.inputFiles)
      names += (names.empty() ? "'" : ", '") + path + "'";
    throw Error("the training text is empty: " + names +
                (options.inputFiles.size() == 1 ? " holds" : " hold") +
                " nothing but whitespace; give files with one sentence per line");
  }
  return estimatedLines;
}

// Removes the trainer's temporary files however training ends. Declared before the
// ChildProcess, so the trainer is killed before its files are removed.
struct RemoveFilesOnExit {
  std::vector<std::string> paths;
  ~RemoveFilesOnExit() {
    for (const std::string& path : paths) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  }
};

// A fresh name in `folder` for the trainer's output: `<prefix>.model`, `<prefix>.vocab`.
std::string reserveTemporaryPrefix(const fs::path& folder) {
  std::string name = (folder / ".spiece-train-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    throw Error("cannot create a temporary file in '" + folder.string() +
                "': " + std::strerror(errno) + " (is the folder writable?)");
  }
  ::close(fd);
  return name;
}

}  // namespace

std::vector<std::string> sentencePieceTrainerArguments(const SentencePieceTrainOptions& options,
                                                       const std::string& modelPrefix) {
  std::string inputs;
  for (const std::string& path : options.inputFiles) inputs += (inputs.empty() ? "" : ",") + path;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  // The specials in the order of kSpecialTokens: [PAD] [UNK] [CLS] [SEP] [MASK] = ids 0-4.
  const std::string userDefined =
      std::string(kSpecialTokens[2]) + "," + kSpecialTokens[3] + "," + kSpecialTokens[4];
  return {
      "--input=" + inputs,
      "--model_prefix=" + modelPrefix,
      "--vocab_size=" + std::to_string(options.vocabSize),
      "--model_type=" + options.modelType,
      "--character_coverage=" + decimal(options.characterCoverage),
      "--input_sentence_size=" + std::to_string(options.maxSentences),
      "--shuffle_input_sentence=true",
      "--pad_id=0",
      std::string("--pad_piece=") + kSpecialTokens[0],
      "--unk_id=1",
      std::string("--unk_piece=") + kSpecialTokens[1],
      "--bos_id=-1",
      "--eos_id=-1",
      "--user_defined_symbols=" + userDefined,
      "--num_threads=" + std::to_string(threads),
      std::string("--hard_vocab_limit=") + (options.allowSmallerVocabulary ? "false" : "true"),
  };
}

SentencePieceLogProgress::SentencePieceLogProgress(int vocabSize, int64_t expectedLines)
    : vocabSize_(std::max(1, vocabSize)), expectedLines_(expectedLines) {}

std::optional<Progress> SentencePieceLogProgress::advanceTo(double fraction, std::string message) {
  fraction = std::clamp(std::max(fraction, fraction_), 0.0, 1.0);
  fraction_ = fraction;
  return Progress{fraction, std::move(message)};
}

std::optional<Progress> SentencePieceLogProgress::consume(const std::string& line) {
  const std::string vocab = formatCount(vocabSize_);
  if (contains(line, "Loading corpus: ")) {
    return advanceTo(0.01,
                     "SentencePiece: loading " + line.substr(line.find("Loading corpus: ") + 16));
  }
  if (contains(line, "Loaded all ") || contains(line, "Sampled ")) {
    const auto sentences =
        numberAfter(line, contains(line, "Sampled ") ? "Sampled " : "Loaded all ");
    return advanceTo(kLoadedFraction,
                     "SentencePiece: loaded " + formatCount(sentences.value_or(0)) + " sentences");
  }
  if (contains(line, "Loaded ") && contains(line, " lines")) {
    const int64_t lines = numberAfter(line, "Loaded ").value_or(0);
    // The estimate may fall short: never claim the loading is done before it says so.
    const double done =
        expectedLines_ > 0 ? std::min(0.99, double(lines) / double(expectedLines_)) : 0.5;
    return advanceTo(0.01 + (kLoadedFraction - 0.01) * done,
                     "SentencePiece: loading, " + formatCount(lines) + " lines");
  }
  if (contains(line, "Normalizing sentences"))
    return advanceTo(0.11, "SentencePiece: normalizing sentences");
  if (contains(line, "Done! preprocessed"))
    return advanceTo(0.15, "SentencePiece: sentences normalized");
  if (contains(line, "Making suffix array"))
    return advanceTo(0.16, "SentencePiece: building a suffix array");
  if (contains(line, "Extracting frequent sub strings")) {
    return advanceTo(0.20, "SentencePiece: collecting frequent substrings");
  }
  if (contains(line, "Initialized ") && contains(line, "seed sentencepieces")) {
    unigramInitialSize_ = numberAfter(line, "Initialized ").value_or(0);
    return advanceTo(0.25, "SentencePiece: " + formatCount(unigramInitialSize_) + " seed pieces");
  }
  if (contains(line, "Tokenizing input sentences with whitespace")) {
    return advanceTo(0.27, "SentencePiece: splitting sentences into words");
  }
  if (contains(line, "EM sub_iter=")) {
    // Unigram: EM rounds prune the seed pieces by a constant factor each, down to the
    // vocabulary size, so the log of the size measures the way done.
    const int64_t size = numberAfter(line, " size=").value_or(0);
    if (size <= 0) return std::nullopt;
    if (unigramInitialSize_ <= 0) unigramInitialSize_ = size;
    double done = 1;
    if (unigramInitialSize_ > vocabSize_ && size > vocabSize_) {
      done = std::log(double(unigramInitialSize_) / double(size)) /
             std::log(double(unigramInitialSize_) / double(vocabSize_));
    }
    return advanceTo(
        kPieceSearchStart + kPieceSearchSpan * std::clamp(done, 0.0, 1.0),
        "SentencePiece unigram: " + formatCount(size) + " pieces, pruning to " + vocab);
  }
  if (contains(line, "Added: freq=")) {
    // BPE: one merge adds one piece, up to the vocabulary size.
    const int64_t size = numberAfter(line, " size=").value_or(0);
    return advanceTo(
        kPieceSearchStart + kPieceSearchSpan * std::min(1.0, double(size) / vocabSize_),
        "SentencePiece BPE: " + formatCount(size) + " of " + vocab + " pieces");
  }
  if (contains(line, "Saving model: "))
    return advanceTo(kSavingFraction, "SentencePiece: saving the model");
  return std::nullopt;
}

void trainSentencePiece(const SentencePieceTrainOptions& options, const ProgressCallback& progress,
                        const CancelFlag* cancel) {
  const int64_t estimatedLines = validate(options);
  const std::string program = findSpmTrainer();
  const fs::path folder(options.outputFolder);
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    throw Error("cannot create the tokenizer folder '" + folder.string() + "': " + error.message());
  }
  const std::string prefix = reserveTemporaryPrefix(folder);
  const std::string temporaryModel = prefix + ".model";
  auto cancelled = [&] { return cancel != nullptr && cancel->isRequested(); };
  auto report = [&](const Progress& event) {
    if (progress) progress(event);
  };

  const RemoveFilesOnExit temporaryFiles{{prefix, temporaryModel, prefix + ".vocab"}};
  std::optional<ChildProcess> trainer;
  try {
    trainer.emplace(program, sentencePieceTrainerArguments(options, prefix));
  } catch (const Error& error) {
    throw Error(std::string(error.what()) +
                " (rebuild the project, or set BERTWB_SPM_TRAIN to the trainer's path)");
  }
  SentencePieceLogProgress parser(options.vocabSize, estimatedLines);
  std::deque<std::string> logTail;
  std::vector<std::string> lines;
  for (bool open = true; open;) {
    // Cancelling kills the trainer (~ChildProcess) and removes its files (~RemoveFilesOnExit).
    if (cancelled()) throw Cancelled();
    lines.clear();
    open = trainer->readLines(kCancelPollMilliseconds, lines);
    for (const std::string& line : lines) {
      logTail.push_back(line);
      if (logTail.size() > kLogTailLines) logTail.pop_front();
      if (auto event = parser.consume(line)) {
        report(*event);
        if (cancelled()) throw Cancelled();
      }
    }
  }
  const int status = trainer->wait();
  if (cancelled()) throw Cancelled();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(temporaryModel)) {
    std::string log;
    for (const std::string& line : logTail) log += "\n  " + line;
    std::string remedy;
    if (log.find("Vocabulary size too high") != std::string::npos ||
        log.find("Vocabulary size is smaller than required_chars") != std::string::npos) {
      remedy =
          "\nRemedy: the text is too small or too uniform for " + formatCount(options.vocabSize) +
          " pieces; use a smaller vocabulary size or more text (or allow a smaller vocabulary).";
    }
    throw Error("SentencePiece training into '" + folder.string() + "' failed (" +
                describeWaitStatus(status) + "); the trainer's log ends with:" + log + remedy);
  }
  // Copy through writeFileAtomically: the model reaches the disk (fsync) before it replaces
  // any previous spiece.model.
  const std::string target = (folder / kModelFileName).string();
  writeFileAtomically(target, readRegularFile(temporaryModel, kTokenizerModelFile));
  report(Progress{1.0, "SentencePiece: saved " + target});
}

}  // namespace bertwb
