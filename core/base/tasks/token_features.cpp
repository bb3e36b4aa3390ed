#include "tasks/token_features.h"

#include <algorithm>

#include "text/unicode_text.h"
#include "util/error.h"

namespace bertwb {
namespace {

// [CLS] and [SEP] around the pieces.
constexpr int kSingleSequenceSpecials = 2;

}  // namespace

WordSpans joinWords(const std::vector<std::string>& words) {
  WordSpans spans;
  int64_t position = 0;
  for (const auto& word : words) {
    if (!spans.text.empty()) {
      spans.text += ' ';
      ++position;
    }
    spans.words.push_back(word);
    spans.starts.push_back(position);
    spans.text += word;
    position += static_cast<int64_t>(decodeUtf8(word).codepoints.size());
  }
  return spans;
}

WordSpans splitWords(const std::string& text) {
  WordSpans spans;
  spans.text = text;
  const auto codepoints = decodeUtf8(text).codepoints;
  std::string word;
  int64_t wordStart = -1;
  auto endWord = [&] {
    if (wordStart >= 0) {
      spans.words.push_back(word);
      spans.starts.push_back(wordStart);
    }
    word.clear();
    wordStart = -1;
  };
  for (size_t i = 0; i < codepoints.size(); ++i) {
    if (isBertWhitespace(codepoints[i])) {
      endWord();
      continue;
    }
    // Each punctuation mark is a word of its own, as in CoNLL data (what taggers learn from)
    // and as BERT's basic tokenizer splits it: "Zürich." is the entity "Zürich" and a ".".
    const bool punctuation = isBertPunctuation(codepoints[i]);
    if (punctuation) endWord();
    if (wordStart < 0) wordStart = static_cast<int64_t>(i);
    appendUtf8(word, codepoints[i]);
    if (punctuation) endWord();
  }
  endWord();
  return spans;
}

TokenFeature featurizeWords(const WordSpans& words, const std::vector<int64_t>& tagIds,
                            const Tokenizer& tokenizer, const TokenFeatureOptions& options) {
  const SpecialTokenIds special = tokenizer.specialTokenIds();
  if (special.cls < 0 || special.sep < 0)
    throw Error("the tokenizer's vocabulary lacks [CLS] or [SEP]");
  const int budget = options.maxSeqLength - kSingleSequenceSpecials;
  if (budget < 1)
    throw Error("max_seq_length " + std::to_string(options.maxSeqLength) +
                " leaves no room for words");

  TokenFeature feature;
  feature.text = words.text;
  feature.wordCount = static_cast<int>(words.words.size());
  Encoding& e = feature.encoding;
  auto add = [&](int32_t id, const std::string& piece, int64_t start, int64_t end, bool isSpecial,
                 int64_t label, int32_t word) {
    e.ids.push_back(id);
    e.pieces.push_back(piece);
    e.segmentIds.push_back(0);
    e.attentionMask.push_back(1);
    e.starts.push_back(start);
    e.ends.push_back(end);
    e.specialMask.push_back(isSpecial ? 1 : 0);
    feature.labelIds.push_back(label);
    feature.wordIndex.push_back(word);
  };
  add(special.cls, tokenizer.idToToken(special.cls), 0, 0, true, kIgnoreLabel, -1);
  int used = 0;
  bool full = false;
  for (size_t w = 0; w < words.words.size(); ++w) {
    std::vector<Piece> pieces = tokenizer.tokenize(words.words[w]);
    if (full || used + static_cast<int>(pieces.size()) > budget) {
      // Keep whole words; only a first word longer than everything is cut inside.
      if (full || used > 0) {
        full = true;
        e.truncatedA += static_cast<int>(pieces.size());  // counted for the report, not added
        continue;
      }
      full = true;
      e.truncatedA = static_cast<int>(pieces.size()) - budget;
      pieces.resize(static_cast<size_t>(budget));
    }
    const int64_t tag = tagIds.empty() ? kIgnoreLabel : tagIds[w];
    for (size_t p = 0; p < pieces.size(); ++p) {
      add(pieces[p].id, pieces[p].text, words.starts[w] + pieces[p].start,
          words.starts[w] + pieces[p].end, false, p == 0 ? tag : kIgnoreLabel,
          static_cast<int32_t>(w));
    }
    used += static_cast<int>(pieces.size());
    feature.wordsKept = static_cast<int>(w) + 1;
  }
  add(special.sep, tokenizer.idToToken(special.sep), 0, 0, true, kIgnoreLabel, -1);
  return feature;
}

std::vector<TokenFeature> featurizeTaggedDataset(const TaggedDataset& dataset,
                                                 const Tokenizer& tokenizer,
                                                 const TokenFeatureOptions& options) {
  std::vector<TokenFeature> features;
  features.reserve(dataset.sentences.size());
  for (size_t i = 0; i < dataset.sentences.size(); ++i) {
    const TaggedSentence& sentence = dataset.sentences[i];
    std::vector<int64_t> tagIds;
    if (!sentence.tags.empty()) {
      if (sentence.tags.size() != sentence.words.size()) {
        throw Error(sentence.source + ": " + std::to_string(sentence.words.size()) + " words but " +
                    std::to_string(sentence.tags.size()) + " tags");
      }
      for (const auto& tag : sentence.tags) {
        auto it = std::find(dataset.labels.begin(), dataset.labels.end(), tag);
        if (it == dataset.labels.end()) {
          throw Error(sentence.source + ": tag \"" + tag +
                      "\" is not in the training set's tag list");
        }
        tagIds.push_back(it - dataset.labels.begin());
      }
    }
    TokenFeature feature = featurizeWords(joinWords(sentence.words), tagIds, tokenizer, options);
    feature.exampleIndex = i;
    features.push_back(std::move(feature));
  }
  return features;
}

}  // namespace bertwb
