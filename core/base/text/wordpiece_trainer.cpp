#include "text/wordpiece_trainer.h"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>

#include "text/basic_tokenizer.h"
#include "text/sentencepiece_tokenizer.h"
#include "text/sentencepiece_trainer.h"
#include "text/tokenizer.h"
#include "text/wordpiece_tokenizer.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

// SentencePiece marks a word's first piece with U+2581 (▁).
const std::string kWordStartMark = "\xe2\x96\x81";
// Share of the progress bar for writing the pre-tokenized words; the rest is training.
constexpr double kPreparationShare = 0.2;

// Writes every input line as its BasicTokenizer words separated by single spaces; returns
// the characters seen.
std::set<char32_t> writePretokenizedWords(const WordPieceTrainOptions& options,
                                          const std::string& wordsPath,
                                          const ProgressCallback& progress,
                                          const CancelFlag* cancel) {
  BasicTokenizerOptions basicOptions;
  basicOptions.doLowerCase = options.doLowerCase;
  BasicTokenizer basic(basicOptions);
  uintmax_t totalBytes = 0, doneBytes = 0;
  for (const auto& file : options.inputFiles) totalBytes += fs::file_size(file);

  std::ofstream out(wordsPath, std::ios::binary);
  if (!out) throw Error("cannot write '" + wordsPath + "'");
  std::set<char32_t> characters;
  int64_t words = 0;
  for (const auto& file : options.inputFiles) {
    std::ifstream in = openRegularFile(file, "training text");
    std::string line, text;
    int64_t lineNumber = 0;
    while (std::getline(in, line)) {
      ++lineNumber;
      doneBytes += line.size() + 1;
      if (cancel && cancel->isRequested()) throw Cancelled();
      text.clear();
      for (const BasicWord& word : basic.split(decodeUtf8(line).codepoints)) {
        if (!text.empty()) text += ' ';
        for (char32_t c : word.chars) {
          appendUtf8(text, c);
          characters.insert(c);
        }
        ++words;
      }
      if (!text.empty()) out << text << '\n';
      if (progress && lineNumber % 20000 == 0) {
        progress({kPreparationShare * doneBytes / std::max<uintmax_t>(1, totalBytes),
                  "reading " + fs::path(file).filename().string() + ": " + std::to_string(words) +
                      " words"});
      }
    }
  }
  if (words == 0) throw Error("the corpus has no words to learn a vocabulary from");
  return characters;
}

}  // namespace

int trainWordPieceVocab(const WordPieceTrainOptions& options, const ProgressCallback& progress,
                        const CancelFlag* cancel) {
  if (options.inputFiles.empty()) throw Error("no input files given for the vocabulary");
  for (const auto& file : options.inputFiles) {
    if (!fs::is_regular_file(file)) throw Error("input file '" + file + "' does not exist");
  }
  const int specials = static_cast<int>(std::size(kSpecialTokens));
  if (options.vocabSize < specials + 10)
    throw Error("vocabulary size " + std::to_string(options.vocabSize) + " is too small");
  std::error_code ec;
  fs::create_directories(options.outputFolder, ec);
  if (ec) throw Error("cannot create folder '" + options.outputFolder + "': " + ec.message());

  const fs::path work =
      fs::path(options.outputFolder) / (".wordpiece-train-" + std::to_string(::getpid()));
  fs::create_directories(work, ec);
  struct RemoveOnExit {
    fs::path path;
    ~RemoveOnExit() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } cleanup{work};

  const std::string wordsPath = (work / "words.txt").string();
  const std::set<char32_t> characters =
      writePretokenizedWords(options, wordsPath, progress, cancel);

  SentencePieceTrainOptions spm;
  spm.inputFiles = {wordsPath};
  spm.outputFolder = work.string();
  spm.vocabSize = options.vocabSize;
  spm.modelType = "bpe";
  spm.characterCoverage = 1.0;        // characters are all added below anyway
  spm.allowSmallerVocabulary = true;  // a small corpus may not support the size asked for
  trainSentencePiece(
      spm,
      [&](const Progress& p) {
        if (progress)
          progress(
              {kPreparationShare + (1 - kPreparationShare) * std::max(0.0, p.fraction), p.message});
      },
      cancel);
  SentencePieceTokenizer trained((work / "spiece.model").string());

  // Specials, then every character in both forms, then the learned pieces in SentencePiece's
  // order (most useful first) until the vocabulary is full.
  std::vector<std::string> tokens(std::begin(kSpecialTokens), std::end(kSpecialTokens));
  std::set<std::string> seen(tokens.begin(), tokens.end());
  auto add = [&](const std::string& token) {
    if (!token.empty() && token != "##" && seen.insert(token).second) tokens.push_back(token);
  };
  for (char32_t c : characters) {
    std::string text;
    appendUtf8(text, c);
    add(text);
    add("##" + text);
  }
  for (int32_t id = 0;
       id < trained.vocabSize() && static_cast<int>(tokens.size()) < options.vocabSize; ++id) {
    std::string piece = trained.idToToken(id);
    if (seen.count(piece)) continue;  // the specials
    if (piece.compare(0, kWordStartMark.size(), kWordStartMark) == 0) {
      add(piece.substr(kWordStartMark.size()));
    } else {
      add("##" + piece);
    }
  }
  WordPieceOptions wordPieceOptions;
  wordPieceOptions.doLowerCase = options.doLowerCase;
  wordPieceOptions.maxInputCharsPerWord = options.maxInputCharsPerWord;
  WordPieceTokenizer(Vocab::fromTokens(tokens, "trained vocabulary"), wordPieceOptions)
      .save(options.outputFolder);
  if (progress) progress({1.0, "wrote " + std::to_string(tokens.size()) + " tokens"});
  return static_cast<int>(tokens.size());
}

}  // namespace bertwb
