#pragma once
// The original BERT BasicTokenizer: clean the text, put spaces around CJK ideographs,
// lower-case and strip accents when uncased, split on whitespace and punctuation. Each word
// keeps, per character, the index of the original character it came from, so that every
// WordPiece can be mapped back to a span of the user's text.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/unicode_text.h"

namespace bertwb {

struct BasicWord {
  std::vector<char32_t> chars;   // normalised characters
  std::vector<int64_t> origins;  // for each, its code point index in the original text
  bool isSpecial = false;        // a never-split token matched verbatim ([MASK], ...)
};

struct BasicTokenizerOptions {
  bool doLowerCase = true;  // uncased models: lower-case + NFD + drop Mn
  bool tokenizeChineseChars = true;
  std::vector<std::string> neverSplit;  // matched verbatim in the text, never altered
};

class BasicTokenizer {
 public:
  explicit BasicTokenizer(BasicTokenizerOptions options);

  // Words of already-decoded text (see decodeUtf8).
  std::vector<BasicWord> split(const std::vector<char32_t>& text) const;

  const BasicTokenizerOptions& options() const { return options_; }

 private:
  void splitPlain(const std::vector<char32_t>& text, size_t begin, size_t end,
                  std::vector<BasicWord>& words) const;

  BasicTokenizerOptions options_;
  std::vector<std::vector<char32_t>> neverSplit_;  // decoded, longest first
  std::vector<char32_t> specialFirstChars_;        // cheap pre-check before matching
};

}  // namespace bertwb
