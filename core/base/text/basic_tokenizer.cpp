#include "text/basic_tokenizer.h"

#include <algorithm>

namespace bertwb {

BasicTokenizer::BasicTokenizer(BasicTokenizerOptions options) : options_(std::move(options)) {
  for (const auto& token : options_.neverSplit) {
    if (!token.empty()) neverSplit_.push_back(decodeUtf8(token).codepoints);
  }
  // Longest first, so "[MASK]" is not shadowed by a shorter special that is its prefix.
  std::sort(neverSplit_.begin(), neverSplit_.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& special : neverSplit_) specialFirstChars_.push_back(special.front());
}

std::vector<BasicWord> BasicTokenizer::split(const std::vector<char32_t>& text) const {
  std::vector<BasicWord> words;
  size_t plainStart = 0;
  size_t i = 0;
  // Special tokens are cut out first (as Hugging Face does for added tokens), so that
  // "a[MASK]b" keeps its [MASK] whole; the text between them goes through the usual rules.
  while (i < text.size()) {
    const std::vector<char32_t>* matched = nullptr;
    if (std::find(specialFirstChars_.begin(), specialFirstChars_.end(), text[i]) !=
        specialFirstChars_.end()) {
      for (const auto& special : neverSplit_) {
        if (special.size() <= text.size() - i &&
            std::equal(special.begin(), special.end(), text.begin() + i)) {
          matched = &special;
          break;
        }
      }
    }
    if (!matched) {
      ++i;
      continue;
    }
    splitPlain(text, plainStart, i, words);
    BasicWord word;
    word.chars = *matched;
    for (size_t k = 0; k < matched->size(); ++k)
      word.origins.push_back(static_cast<int64_t>(i + k));
    word.isSpecial = true;
    words.push_back(std::move(word));
    i += matched->size();
    plainStart = i;
  }
  splitPlain(text, plainStart, text.size(), words);
  return words;
}

void BasicTokenizer::splitPlain(const std::vector<char32_t>& text, size_t begin, size_t end,
                                std::vector<BasicWord>& words) const {
  BasicWord current;
  auto finishWord = [&] {
    if (!current.chars.empty()) words.push_back(std::move(current));
    current = BasicWord();
  };
  auto singleCharacterWord = [&](char32_t c, int64_t origin) {
    finishWord();
    current.chars.push_back(c);
    current.origins.push_back(origin);
    finishWord();
  };
  std::vector<char32_t> normalised;
  for (size_t i = begin; i < end; ++i) {
    const char32_t c = text[i];
    const auto origin = static_cast<int64_t>(i);
    // clean_text: NUL, U+FFFD and control characters vanish; any whitespace separates.
    if (c == 0 || c == kReplacementCharacter || isBertControl(c)) continue;
    if (isBertWhitespace(c)) {
      finishWord();
      continue;
    }
    if (options_.tokenizeChineseChars && isCjkIdeograph(c)) {
      singleCharacterWord(c, origin);
      continue;
    }
    normalised.clear();
    if (options_.doLowerCase) {
      appendUncased(c, normalised);
    } else {
      normalised.push_back(c);
    }
    for (char32_t n : normalised) {
      if (isBertPunctuation(n)) {
        singleCharacterWord(n, origin);
      } else {
        current.chars.push_back(n);
        current.origins.push_back(origin);
      }
    }
  }
  finishWord();
}

}  // namespace bertwb
