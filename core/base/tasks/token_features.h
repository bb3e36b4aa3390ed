#pragma once
// Tagged words → model inputs for token classification. Each word is cut into pieces; the
// word's tag goes on its FIRST piece and every other piece gets kIgnoreLabel (ignored by the
// loss), as the BERT paper's NER setup (§5.3) and Hugging Face do. Each piece remembers its
// word, so predictions map back to words, and its code point span in the sentence text, so
// entities map back to characters. Torch-free.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/ignored_label.h"
#include "tasks/task_data.h"
#include "tasks/task_kind.h"
#include "text/tokenizer.h"

namespace bertwb {

// 128: the max_seq_length of run_classifier.py, also Hugging Face's NER example default.
constexpr int kDefaultTaggingMaxSeqLength = 128;

struct TokenFeatureOptions {
  int maxSeqLength = kDefaultTaggingMaxSeqLength;
};

// Words with their code point starts in a text.
struct WordSpans {
  std::string text;
  std::vector<std::string> words;
  std::vector<int64_t> starts;  // code point index of each word in `text`
};

// The words joined by single spaces (a CoNLL sentence has no other text).
WordSpans joinWords(const std::vector<std::string>& words);
// A typed text split into words at whitespace and around each punctuation mark (the
// playground's input, tokenized as CoNLL sentences are).
WordSpans splitWords(const std::string& text);

struct TokenFeature {
  Encoding encoding;  // [CLS] pieces [SEP]; starts/ends: code points in `text`
  std::vector<int64_t>
      labelIds;  // per position: the tag id on a word's first piece, else kIgnoreLabel
  std::vector<int32_t> wordIndex;  // per position: the word the piece came from; -1 for [CLS]/[SEP]
  int wordCount = 0;               // words in the sentence
  int wordsKept = 0;               // words [0, wordsKept) have their first piece in the feature
  std::string text;                // the text the offsets point into
  size_t exampleIndex = 0;
};

// `tagIds` empty (unlabelled) or one per word. Truncation to max_seq_length keeps whole
// words: the first word that does not fit and all after it are left out (only a first word
// longer than the whole budget is cut inside).
TokenFeature featurizeWords(const WordSpans& words, const std::vector<int64_t>& tagIds,
                            const Tokenizer& tokenizer, const TokenFeatureOptions& options = {});

// One feature per sentence. Throws bertwb::Error naming the sentence for a tag the label
// list lacks or a tag count that differs from the word count.
std::vector<TokenFeature> featurizeTaggedDataset(const TaggedDataset& dataset,
                                                 const Tokenizer& tokenizer,
                                                 const TokenFeatureOptions& options = {});

}  // namespace bertwb
