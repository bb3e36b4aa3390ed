#include "text/tokenizer.h"

#include <filesystem>

#include "text/sentencepiece_tokenizer.h"
#include "text/wordpiece_tokenizer.h"
#include "util/error.h"

namespace bertwb {

const char* const kSpecialTokens[5] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

Encoding Tokenizer::encode(std::string_view textA, std::optional<std::string_view> textB,
                           int maxLength, Truncation truncation) const {
  const SpecialTokenIds special = specialTokenIds();
  if (special.cls < 0 || special.sep < 0) {
    throw Error("this tokenizer's vocabulary lacks [CLS] or [SEP], which BERT inputs need");
  }
  std::vector<Piece> a = tokenize(textA);
  std::vector<Piece> b = textB ? tokenize(*textB) : std::vector<Piece>();
  Encoding encoding;
  if (maxLength > 0) {
    const int addedSpecials = textB ? 3 : 2;
    const int budget = maxLength - addedSpecials;
    if (budget < 0)
      throw Error("max length " + std::to_string(maxLength) + " leaves no room for the text");
    const size_t originalA = a.size(), originalB = b.size();
    if (truncation == Truncation::OnlySecond) {
      if (static_cast<int>(a.size()) > budget) {
        throw Error("the first segment has " + std::to_string(a.size()) +
                    " pieces, more than the " + std::to_string(budget) + " that fit in " +
                    std::to_string(maxLength) +
                    " tokens; only the second segment may be truncated");
      }
      b.resize(std::min(b.size(), static_cast<size_t>(budget) - a.size()));
    } else {
      // Longest first, one piece at a time; on a tie B gives way (as the original
      // truncate_seq_pair and Hugging Face's "longest_first").
      while (static_cast<int>(a.size() + b.size()) > budget) {
        if (a.size() > b.size())
          a.pop_back();
        else
          b.pop_back();
      }
    }
    encoding.truncatedA = static_cast<int>(originalA - a.size());
    encoding.truncatedB = static_cast<int>(originalB - b.size());
  }
  auto add = [&](int32_t id, const std::string& piece, int32_t segment, int64_t start, int64_t end,
                 bool isSpecial) {
    encoding.ids.push_back(id);
    encoding.pieces.push_back(piece);
    encoding.segmentIds.push_back(segment);
    encoding.attentionMask.push_back(1);
    encoding.starts.push_back(start);
    encoding.ends.push_back(end);
    encoding.specialMask.push_back(isSpecial ? 1 : 0);
  };
  const std::string cls = idToToken(special.cls), sep = idToToken(special.sep);
  add(special.cls, cls, 0, 0, 0, true);
  for (const Piece& p : a) add(p.id, p.text, 0, p.start, p.end, false);
  add(special.sep, sep, 0, 0, 0, true);
  if (textB) {
    for (const Piece& p : b) add(p.id, p.text, 1, p.start, p.end, false);
    add(special.sep, sep, 1, 0, 0, true);
  }
  return encoding;
}

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& folder) {
  namespace fs = std::filesystem;
  if (fs::exists(fs::path(folder) / "vocab.txt")) return WordPieceTokenizer::fromFolder(folder);
  const fs::path spm = fs::path(folder) / "spiece.model";
  if (fs::exists(spm)) return std::make_unique<SentencePieceTokenizer>(spm.string());
  throw Error(
      "'" + folder +
      "' holds no tokenizer: expected vocab.txt (WordPiece) or spiece.model (SentencePiece)");
}

}  // namespace bertwb
