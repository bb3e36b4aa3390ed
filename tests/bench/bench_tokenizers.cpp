// Tokenizer throughput on one thread: WordPiece (and SentencePiece when its plugin loads)
// over >= 20 MB of generated English-like text with a ~30k vocabulary. Prints JSON lines.
// Usage: bench_tokenizers [--megabytes N] [--no-sentencepiece]
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "text/sentencepiece_tokenizer.h"
#include "text/sentencepiece_trainer.h"
#include "text/wordpiece_tokenizer.h"

using namespace bertwb;

namespace {

constexpr int kVocabularySize = 30000;

// Words built from syllables, drawn with a Zipf-like law, so that frequent words are whole
// pieces and rare ones split into several: the shape of real text.
std::vector<std::string> makeWords(std::mt19937& rng, int count) {
  const std::vector<std::string> syllables = {"ka",  "lo",  "mi",  "ten", "ra",  "son", "ve",
                                              "dur", "pa",  "ni",  "go",  "tre", "al",  "ex",
                                              "um",  "bri", "sto", "qui", "fe",  "zo"};
  std::vector<std::string> words;
  std::uniform_int_distribution<int> syllableCount(1, 4),
      pick(0, static_cast<int>(syllables.size()) - 1);
  for (int i = 0; i < count; ++i) {
    std::string word;
    for (int s = syllableCount(rng); s > 0; --s) word += syllables[pick(rng)];
    words.push_back(word);
  }
  return words;
}

std::string makeText(std::mt19937& rng, const std::vector<std::string>& words, size_t bytes) {
  std::vector<double> weights;
  for (size_t i = 0; i < words.size(); ++i) weights.push_back(1.0 / (i + 1));
  std::discrete_distribution<size_t> zipf(weights.begin(), weights.end());
  std::uniform_int_distribution<int> sentenceLength(6, 24), capital(0, 9);
  std::string text;
  text.reserve(bytes + 256);
  while (text.size() < bytes) {
    for (int w = sentenceLength(rng); w > 0; --w) {
      std::string word = words[zipf(rng)];
      if (capital(rng) == 0) word[0] = static_cast<char>(std::toupper(word[0]));
      text += word;
      text += w == 1 ? ".\n" : (capital(rng) == 1 ? ", " : " ");
    }
  }
  return text;
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

void measure(const std::string& name, const Tokenizer& tokenizer,
             const std::vector<std::string>& lines, size_t bytes) {
  size_t pieces = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& line : lines) pieces += tokenizer.tokenize(line).size();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << nlohmann::json({{"bench", "tokenizer"},
                               {"tokenizer", name},
                               {"pieces", pieces},
                               {"vocab_size", tokenizer.vocabSize()},
                               {"megabytes", bytes / 1e6},
                               {"seconds", seconds},
                               {"mb_per_s", bytes / 1e6 / seconds},
                               {"pieces_per_s", pieces / seconds},
                               {"threads", 1}})
                   .dump()
            << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  double megabytes = 20;
  bool sentencePiece = true;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--megabytes" && i + 1 < argc) megabytes = std::stod(argv[++i]);
    if (flag == "--no-sentencepiece") sentencePiece = false;
  }
  std::mt19937 rng(12345);
  const std::vector<std::string> words = makeWords(rng, 200000);
  const std::string text = makeText(rng, words, static_cast<size_t>(megabytes * 1e6));
  const std::vector<std::string> lines = splitLines(text);

  // WordPiece vocabulary: specials, characters (initial and ##), then the most frequent
  // words and word-final syllables until 30k entries.
  std::vector<std::string> vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ","};
  for (char c = 'a'; c <= 'z'; ++c) vocab.push_back(std::string(1, c));
  for (char c = 'a'; c <= 'z'; ++c) vocab.push_back("##" + std::string(1, c));
  std::map<std::string, bool> seen;
  for (const auto& v : vocab) seen[v] = true;
  for (const auto& w : words) {
    if (static_cast<int>(vocab.size()) >= kVocabularySize) break;
    if (!seen[w]) vocab.push_back(w), seen[w] = true;
    std::string tail = "##" + w.substr(w.size() / 2);
    if (static_cast<int>(vocab.size()) < kVocabularySize && !seen[tail])
      vocab.push_back(tail), seen[tail] = true;
  }
  WordPieceTokenizer wordPiece(Vocab::fromTokens(vocab, "generated"), WordPieceOptions{});
  measure("wordpiece", wordPiece, lines, text.size());

  if (sentencePiece) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::temp_directory_path() / "bertwb-bench-spm";
    fs::create_directories(folder);
    const fs::path corpus = folder / "corpus.txt";
    std::ofstream(corpus) << text.substr(0, 4'000'000);  // the trainer samples; 4 MB is plenty
    try {
      SentencePieceTrainOptions options;
      options.inputFiles = {corpus.string()};
      options.outputFolder = folder.string();
      options.vocabSize = kVocabularySize;
      options.modelType = "unigram";
      options.allowSmallerVocabulary = true;  // synthetic text supports fewer pieces
      const auto start = std::chrono::steady_clock::now();
      trainSentencePiece(options, nullptr, nullptr);
      const double trainSeconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cout << nlohmann::json({{"bench", "sentencepiece_train"},
                                   {"megabytes", 4.0},
                                   {"seconds", trainSeconds}})
                       .dump()
                << std::endl;
      SentencePieceTokenizer spm((folder / "spiece.model").string());
      measure("sentencepiece-unigram", spm, lines, text.size());
    } catch (const std::exception& e) {
      std::cout << nlohmann::json({{"bench", "tokenizer"},
                                   {"tokenizer", "sentencepiece"},
                                   {"skipped", e.what()}})
                       .dump()
                << std::endl;
    }
    fs::remove_all(folder);
  }
  return 0;
}
