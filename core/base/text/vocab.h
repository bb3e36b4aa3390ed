#pragma once
// A WordPiece vocabulary: vocab.txt, one token per line, id = line number (from 0).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bertwb {

class Vocab {
 public:
  // Throws bertwb::Error naming the file and line for an empty file, an empty line,
  // a duplicate token or invalid UTF-8.
  static Vocab fromFile(const std::string& path);
  // `source` names the tokens' origin in error messages.
  static Vocab fromTokens(std::vector<std::string> tokens, const std::string& source);

  Vocab(const Vocab& other) : Vocab(other.tokens_, "copy") {}
  Vocab(Vocab&&) = default;

  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  const std::string& token(int32_t id) const { return tokens_.at(static_cast<size_t>(id)); }
  std::optional<int32_t> find(std::string_view token) const;
  // Looks up "##" + `piece` without building the string (the WordPiece inner loop).
  std::optional<int32_t> findContinuation(std::string_view piece) const;
  const std::vector<std::string>& tokens() const { return tokens_; }

  void save(const std::string& path) const;  // atomic

 private:
  Vocab(std::vector<std::string> tokens, const std::string& source);

  std::vector<std::string> tokens_;
  // Views into tokens_ (whose strings never move after construction).
  std::unordered_map<std::string_view, int32_t> index_;
  std::unordered_map<std::string_view, int32_t> continuationIndex_;  // keys without "##"
};

}  // namespace bertwb
