#include "text/vocab.h"

#include "text/unicode_text.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

constexpr std::string_view kContinuationPrefix = "##";

}  // namespace

Vocab::Vocab(std::vector<std::string> tokens, const std::string& source)
    : tokens_(std::move(tokens)) {
  if (tokens_.empty())
    throw Error(source + ": the vocabulary is empty (one token per line expected)");
  index_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const std::string& token = tokens_[i];
    const std::string where = source + " line " + std::to_string(i + 1);
    if (token.empty()) throw Error(where + ": empty token (remove the blank line)");
    if (decodeUtf8(token).invalidSequences > 0) throw Error(where + ": token is not valid UTF-8");
    auto [it, inserted] = index_.emplace(std::string_view(token), static_cast<int32_t>(i));
    if (!inserted) {
      throw Error(where + ": token \"" + token + "\" already appears on line " +
                  std::to_string(it->second + 1) + " (ids must be unique)");
    }
    if (token.size() > kContinuationPrefix.size() &&
        token.compare(0, 2, kContinuationPrefix) == 0) {
      continuationIndex_.emplace(std::string_view(token).substr(2), static_cast<int32_t>(i));
    }
  }
}

Vocab Vocab::fromTokens(std::vector<std::string> tokens, const std::string& source) {
  return Vocab(std::move(tokens), source);
}

Vocab Vocab::fromFile(const std::string& path) {
  const std::string text = readRegularFile(path, kVocabularyFile);
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // files saved on Windows
    tokens.push_back(std::move(line));
    start = end + 1;
  }
  return Vocab(std::move(tokens), path);
}

std::optional<int32_t> Vocab::find(std::string_view token) const {
  auto it = index_.find(token);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::optional<int32_t> Vocab::findContinuation(std::string_view piece) const {
  auto it = continuationIndex_.find(piece);
  if (it == continuationIndex_.end()) return std::nullopt;
  return it->second;
}

void Vocab::save(const std::string& path) const {
  std::string text;
  for (const auto& token : tokens_) text += token + "\n";
  writeFileAtomically(path, text);
}

}  // namespace bertwb
