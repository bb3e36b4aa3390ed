// Templates into text: rendering that remembers which slot produced which characters (for
// QA offsets and NER tags), code-point counting, and CoNLL-style tokens.
#include <cstring>

#include "data/demo_world_internal.h"
#include "util/error.h"

namespace bertwb::demo {
namespace {

void appendLiteral(RenderedText& rendered, const std::string& text) {
  if (!text.empty()) rendered.pieces.push_back({text, "", ""});
}

bool isPunctuation(char c) {
  return std::strchr(".,!?;:", c) != nullptr && c != '\0';
}

// One whitespace-separated word of literal text as CoNLL tokens: leading and trailing
// punctuation and a possessive "'s" become tokens of their own (as in CoNLL-2003).
void splitLiteralWord(std::string word, std::vector<TaggedToken>& out) {
  while (!word.empty() && isPunctuation(word.front())) {
    out.push_back({std::string(1, word.front()), "O"});
    word.erase(0, 1);
  }
  std::vector<std::string> tail;
  while (!word.empty() && isPunctuation(word.back())) {
    tail.insert(tail.begin(), std::string(1, word.back()));
    word.pop_back();
  }
  if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0) {
    tail.insert(tail.begin(), "'s");
    word.resize(word.size() - 2);
  }
  if (!word.empty()) out.push_back({word, "O"});
  for (const std::string& token : tail) out.push_back({token, "O"});
}

std::vector<std::string> splitOnSpaces(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ') {
      if (!current.empty()) words.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

}  // namespace

std::string RenderedText::text() const {
  std::string joined;
  for (const RenderedPiece& piece : pieces) joined += piece.text;
  return joined;
}

RenderedText renderTemplate(const std::string& pattern, const Slots& slots) {
  RenderedText rendered;
  size_t position = 0;
  while (position < pattern.size()) {
    const size_t open = pattern.find('{', position);
    if (open == std::string::npos) break;
    const size_t close = pattern.find('}', open);
    if (close == std::string::npos)
      throw Error("demo world template '" + pattern + "' has an unclosed '{'");
    appendLiteral(rendered, pattern.substr(position, open - position));
    const std::string slot = pattern.substr(open + 1, close - open - 1);
    const auto found = slots.find(slot);
    if (found == slots.end())
      throw Error("demo world template '" + pattern + "' uses the unknown slot {" + slot + "}");
    rendered.pieces.push_back({found->second.text, slot, found->second.entity});
    position = close + 1;
  }
  appendLiteral(rendered, pattern.substr(position));
  return rendered;
}

size_t codePointCount(const std::string& utf8) {
  size_t count = 0;
  for (unsigned char byte : utf8) count += (byte & 0xC0) != 0x80;  // skip continuation bytes
  return count;
}

std::vector<TaggedToken> tagTokens(const RenderedText& rendered) {
  std::vector<TaggedToken> tokens;
  for (const RenderedPiece& piece : rendered.pieces) {
    const std::vector<std::string> words = splitOnSpaces(piece.text);
    if (piece.entity.empty()) {
      for (const std::string& word : words) splitLiteralWord(word, tokens);
      continue;
    }
    // A literal directly glued to an entity ("'s" after a name) starts a new word anyway:
    // the entity's tokens are exactly its space-separated parts.
    for (size_t i = 0; i < words.size(); ++i)
      tokens.push_back({words[i], (i == 0 ? "B-" : "I-") + piece.entity});
  }
  return tokens;
}

}  // namespace bertwb::demo
