#pragma once
// The Unicode facts the original BERT tokenizer relies on (character classes, lower-casing,
// accent stripping), from utf8proc's tables, plus UTF-8 decoding that never fails.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bertwb {

constexpr char32_t kReplacementCharacter = 0xFFFD;

struct DecodedText {
  std::vector<char32_t> codepoints;
  int64_t invalidSequences = 0;   // each replaced by one U+FFFD
  int64_t firstInvalidByte = -1;  // byte offset of the first one, for messages
};

// Decodes UTF-8; every invalid byte becomes U+FFFD (so offsets stay meaningful).
DecodedText decodeUtf8(std::string_view text);

void appendUtf8(std::string& out, char32_t codepoint);

// The character classes of the original tokenization.py.
bool isBertWhitespace(char32_t c);   // space, \t, \n, \r and category Zs
bool isBertControl(char32_t c);      // categories C* except \t, \n, \r
bool isBertPunctuation(char32_t c);  // ASCII 33–47, 58–64, 91–96, 123–126 and categories P*
bool isCjkIdeograph(char32_t c);     // the CJK Unified Ideographs blocks BERT splits around

// Uncased normalisation of one character: lower-case, canonical decomposition (NFD), and
// combining marks (Mn) dropped. "É" → "e". Appends the result (possibly nothing).
void appendUncased(char32_t c, std::vector<char32_t>& out);

}  // namespace bertwb
