#include "fuzz_support.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

namespace bertwb::fuzz {

const std::string& inputAsFile(std::string_view bytes, const char* extension) {
  static std::map<std::string, std::string> paths;  // one file per extension
  std::string& path = paths[extension];
  if (path.empty()) {
    const char* folder = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    path = std::string(folder) + "/bertwb-fuzz-" + std::to_string(::getpid()) + extension;
    // Removed at exit, however many inputs ran.
    static const bool cleanup = (std::atexit([] {
                                   for (const auto& [suffix, file] : paths) ::unlink(file.c_str());
                                 }),
                                 true);
    (void)cleanup;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

namespace {

WordPieceTokenizer makeSmallWordPiece(bool lowerCase) {
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* word : {"the",   "is",     "in",     "hello", "world", "un", "##aff", "##able",
                           "##ing", "zurich", "Zürich", "東",    "京",    ",",  ".",     "!",
                           "?",     "'",      "\"",     "(",     ")",     "-",  "##-"})
    tokens.emplace_back(word);
  for (char letter = 'a'; letter <= 'z'; ++letter) {
    tokens.emplace_back(1, letter);
    tokens.push_back(std::string("##") + letter);
  }
  for (char digit = '0'; digit <= '9'; ++digit) tokens.emplace_back(1, digit);
  WordPieceOptions options;
  options.doLowerCase = lowerCase;
  return WordPieceTokenizer(Vocab::fromTokens(tokens, "fuzz vocabulary"), options);
}

}  // namespace

QaFeatureOptions smallQaWindows(bool training) {
  QaFeatureOptions options;
  options.maxSeqLength = 48;
  options.docStride = 16;
  options.maxQueryLength = 12;
  options.training = training;
  return options;
}

const WordPieceTokenizer& smallWordPiece(bool lowerCase) {
  static const WordPieceTokenizer lower = makeSmallWordPiece(true);
  static const WordPieceTokenizer cased = makeSmallWordPiece(false);
  return lowerCase ? lower : cased;
}

}  // namespace bertwb::fuzz
