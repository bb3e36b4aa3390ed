#pragma once
// The one tokenizer interface the data pipeline, tasks, predictor and GUI use. Two
// implementations: WordPiece (the original BERT rules, vocab.txt) and SentencePiece
// (spiece.model, through the plugin). Which one a checkpoint folder uses is decided by the
// file it holds; every checkpoint saves its tokenizer beside the weights.
//
// Offsets are Unicode code point indices into the text as given (end exclusive), as in
// Python / Hugging Face: text[start:end] is the piece's source. Invalid UTF-8 bytes count
// as one U+FFFD character each.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bertwb {

struct Piece {
  std::string text;  // "hello", "##lo", "▁hel"
  int32_t id = 0;
  int64_t start = 0;  // code point span in the original text
  int64_t end = 0;
};

struct SpecialTokenIds {
  int32_t cls = -1, sep = -1, mask = -1, pad = -1, unk = -1;
};

enum class Truncation {
  LongestFirst,  // drop from the longer segment, one token at a time (HF "longest_first")
  OnlySecond,    // drop only from segment B (QA: never cut the question)
};

// `[CLS] A [SEP] (B [SEP])` ready for the model.
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<std::string> pieces;
  std::vector<int32_t> segmentIds;     // 0 for [CLS] A [SEP], 1 for B [SEP]
  std::vector<int32_t> attentionMask;  // 1 for every real token (padding is the collator's job)
  std::vector<int64_t> starts, ends;   // code point spans; 0,0 for the added special tokens
  std::vector<uint8_t> specialMask;    // 1 where [CLS]/[SEP] were added
  int truncatedA = 0, truncatedB = 0;  // pieces dropped to fit
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // "wordpiece" or "sentencepiece".
  virtual std::string kind() const = 0;
  // The text as pieces with ids and offsets; no special tokens added.
  virtual std::vector<Piece> tokenize(std::string_view text) const = 0;
  // Ids back to text (WordPiece re-joins "##" pieces); special tokens dropped when asked.
  virtual std::string decode(const std::vector<int32_t>& ids,
                             bool skipSpecialTokens = true) const = 0;
  virtual int32_t vocabSize() const = 0;
  virtual std::optional<int32_t> tokenToId(const std::string& token) const = 0;
  virtual std::string idToToken(int32_t id) const = 0;
  virtual SpecialTokenIds specialTokenIds() const = 0;
  // Writes the tokenizer's files (vocab.txt or spiece.model, plus tokenizer_config.json)
  // into `folder`, atomically each.
  virtual void save(const std::string& folder) const = 0;

  // [CLS] A [SEP] (B [SEP]), truncated to `maxLength` pieces in all (0 = no limit).
  Encoding encode(std::string_view textA, std::optional<std::string_view> textB = std::nullopt,
                  int maxLength = 0, Truncation truncation = Truncation::LongestFirst) const;
};

// The tokenizer saved in a checkpoint (or tokenizer) folder: vocab.txt → WordPiece,
// spiece.model → SentencePiece. Throws bertwb::Error naming the folder when it has neither.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& folder);

// The names of the five special tokens BERT needs, in the order vocabularies list them.
extern const char* const kSpecialTokens[5];  // [PAD] [UNK] [CLS] [SEP] [MASK]

}  // namespace bertwb
