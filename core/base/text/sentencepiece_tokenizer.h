#pragma once
// A SentencePiece model (spiece.model) as a BERT tokenizer, through the plugin
// (text/spm_library.h): libsentencepiece never enters this process's link namespace.
//
// Special tokens are found by piece name: [PAD] [UNK] [CLS] [SEP] [MASK] (the models
// trainSentencePiece writes have them at ids 0-4), with <pad> and <unk> accepted for
// models trained elsewhere (ALBERT, T5). A missing one has id -1.
//
// Offsets: SentencePiece aligns "▁word" with the space before the word; tokenize() reports
// the word alone (leading whitespace trimmed, as Hugging Face's fast tokenizers do), except
// for a piece that is nothing but whitespace, which keeps its span.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/tokenizer.h"

struct BertwbSpmModel;

namespace bertwb {

struct SpmLibrary;

class SentencePieceTokenizer : public Tokenizer {
 public:
  // Loads `modelPath` (a spiece.model); throws bertwb::Error naming the file when it is
  // missing or not a SentencePiece model, or when the plugin cannot be loaded.
  explicit SentencePieceTokenizer(const std::string& modelPath);
  ~SentencePieceTokenizer() override;
  SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
  SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

  std::string kind() const override { return "sentencepiece"; }
  std::vector<Piece> tokenize(std::string_view text) const override;
  // Ordinary pieces decode through SentencePiece; [MASK] and [UNK] appear by name where they
  // stand; [CLS] [SEP] [PAD] are dropped when `skipSpecialTokens` (as WordPiece does), else
  // shown set apart by spaces: "[CLS] the [MASK] sat [SEP]".
  std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = true) const override;
  int32_t vocabSize() const override { return static_cast<int32_t>(pieces_.size()); }
  std::optional<int32_t> tokenToId(const std::string& token) const override;
  std::string idToToken(int32_t id) const override;
  SpecialTokenIds specialTokenIds() const override { return special_; }
  // spiece.model (the bytes loaded, so the source file may be gone) and tokenizer_config.json.
  void save(const std::string& folder) const override;

  // "unigram", "bpe", "word" or "char", read from the model's trainer spec.
  const std::string& modelType() const { return modelType_; }
  const std::string& modelPath() const { return modelPath_; }

 private:
  bool isSpecial(int32_t id) const;
  // The plugin's message for the last failure, naming the model file.
  [[noreturn]] void throwPluginError(const std::string& what) const;

  const SpmLibrary* library_ = nullptr;
  BertwbSpmModel* model_ = nullptr;
  std::string modelPath_;
  std::string modelBytes_;
  std::string modelType_;
  std::vector<std::string> pieces_;  // by id, cached: idToToken never crosses the plugin
  std::unordered_map<std::string, int32_t> pieceIds_;
  SpecialTokenIds special_;
};

}  // namespace bertwb
