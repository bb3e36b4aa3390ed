#pragma once
// The original BERT tokenizer: BasicTokenizer, then greedy longest-match-first WordPiece
// with "##" continuation pieces. A word with no complete match, or longer than
// max_input_chars_per_word characters, becomes [UNK] as a whole.
#include <cstddef>
#include <string>

#include "text/basic_tokenizer.h"
#include "text/tokenizer.h"
#include "text/vocab.h"

namespace bertwb {

// tokenize() works through a long text in chunks of about this many bytes (bounded memory).
constexpr size_t kTokenizeChunkBytes = size_t{1} << 16;

struct WordPieceOptions {
  bool doLowerCase = true;
  // Hugging Face uses 100, the original tokenization.py 200; recorded in tokenizer_config.json.
  int maxInputCharsPerWord = 100;
  std::vector<std::string> extraSpecialTokens;  // never split, beyond the five BERT needs
};

class WordPieceTokenizer : public Tokenizer {
 public:
  WordPieceTokenizer(Vocab vocab, WordPieceOptions options);
  // vocab.txt plus tokenizer_config.json (do_lower_case, max_input_chars_per_word) when present.
  static std::unique_ptr<WordPieceTokenizer> fromFolder(const std::string& folder);

  std::string kind() const override { return "wordpiece"; }
  std::vector<Piece> tokenize(std::string_view text) const override;
  std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = true) const override;
  int32_t vocabSize() const override { return vocab_.size(); }
  std::optional<int32_t> tokenToId(const std::string& token) const override {
    return vocab_.find(token);
  }
  std::string idToToken(int32_t id) const override;
  SpecialTokenIds specialTokenIds() const override { return special_; }
  void save(const std::string& folder) const override;

  const WordPieceOptions& options() const { return options_; }
  const Vocab& vocab() const { return vocab_; }

 private:
  // Appends the pieces of one word (greedy longest match) to `out`.
  void tokenizeCodepoints(const std::vector<char32_t>& codepoints, std::vector<Piece>& out) const;
  void appendWordPieces(const BasicWord& word, std::vector<Piece>& out) const;

  Vocab vocab_;
  WordPieceOptions options_;
  BasicTokenizer basic_;
  SpecialTokenIds special_;
};

}  // namespace bertwb
