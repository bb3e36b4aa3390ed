#include "text/unicode_text.h"

#include <utf8proc.h>

namespace bertwb {

DecodedText decodeUtf8(std::string_view text) {
  DecodedText decoded;
  decoded.codepoints.reserve(text.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t position = 0;
  while (position < text.size()) {
    const unsigned char first = bytes[position];
    if (first < 0x80) {  // ASCII fast path: most text is ASCII
      decoded.codepoints.push_back(first);
      ++position;
      continue;
    }
    utf8proc_int32_t codepoint = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(
        bytes + position, static_cast<utf8proc_ssize_t>(text.size() - position), &codepoint);
    if (length < 0) {
      if (decoded.invalidSequences++ == 0)
        decoded.firstInvalidByte = static_cast<int64_t>(position);
      decoded.codepoints.push_back(kReplacementCharacter);
      ++position;
      continue;
    }
    decoded.codepoints.push_back(static_cast<char32_t>(codepoint));
    position += static_cast<size_t>(length);
  }
  return decoded;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
    return;
  }
  utf8proc_uint8_t buffer[4];
  const utf8proc_ssize_t length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(length));
}

bool isBertWhitespace(char32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
  if (c < 0x80) return false;
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ZS;
}

bool isBertControl(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  if (c < 0x80) return c < 0x20 || c == 0x7F;
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return category == UTF8PROC_CATEGORY_CC || category == UTF8PROC_CATEGORY_CF ||
         category == UTF8PROC_CATEGORY_CN || category == UTF8PROC_CATEGORY_CO ||
         category == UTF8PROC_CATEGORY_CS;
}

bool isBertPunctuation(char32_t c) {
  // The original treats all non-letter/number ASCII as punctuation ("$", "^", "`" are not P*).
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
      (c >= 123 && c <= 126))
    return true;
  if (c < 0x80) return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

bool isCjkIdeograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

void appendUncased(char32_t c, std::vector<char32_t>& out) {
  if (c < 0x80) {
    out.push_back((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
    return;
  }
  const utf8proc_int32_t lower = utf8proc_tolower(static_cast<utf8proc_int32_t>(c));
  utf8proc_int32_t decomposed[8];
  int lastBoundClass = 0;
  const utf8proc_ssize_t count = utf8proc_decompose_char(
      lower, decomposed, 8, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &lastBoundClass);
  if (count < 0 || count > 8) {  // cannot happen for canonical decompositions; keep the character
    out.push_back(static_cast<char32_t>(lower));
    return;
  }
  for (utf8proc_ssize_t i = 0; i < count; ++i) {
    if (utf8proc_category(decomposed[i]) == UTF8PROC_CATEGORY_MN) continue;  // the accent
    out.push_back(static_cast<char32_t>(decomposed[i]));
  }
}

}  // namespace bertwb
