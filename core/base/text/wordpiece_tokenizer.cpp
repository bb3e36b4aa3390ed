#include "text/wordpiece_tokenizer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVocabFile = "vocab.txt";
constexpr const char* kTokenizerConfigFile = "tokenizer_config.json";

BasicTokenizerOptions basicOptions(const WordPieceOptions& options) {
  BasicTokenizerOptions basic;
  basic.doLowerCase = options.doLowerCase;
  basic.neverSplit.assign(std::begin(kSpecialTokens), std::end(kSpecialTokens));
  for (const auto& token : options.extraSpecialTokens) basic.neverSplit.push_back(token);
  return basic;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(Vocab vocab, WordPieceOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)), basic_(basicOptions(options_)) {
  if (options_.maxInputCharsPerWord <= 0) throw Error("max_input_chars_per_word must be positive");
  auto idOf = [&](const char* token) { return vocab_.find(token).value_or(-1); };
  special_ = {idOf("[CLS]"), idOf("[SEP]"), idOf("[MASK]"), idOf("[PAD]"), idOf("[UNK]")};
  if (special_.unk < 0)
    throw Error("the vocabulary has no [UNK] token, which WordPiece needs for unknown words");
}

std::unique_ptr<WordPieceTokenizer> WordPieceTokenizer::fromFolder(const std::string& folder) {
  const fs::path vocabPath = fs::path(folder) / kVocabFile;
  if (!fs::exists(vocabPath)) throw Error("'" + folder + "' has no " + kVocabFile);
  WordPieceOptions options;
  const fs::path configPath = fs::path(folder) / kTokenizerConfigFile;
  if (fs::exists(configPath)) {
    nlohmann::json config;
    try {
      config = parseJson(readRegularFile(configPath.string(), kConfigFile));
      if (config.contains("do_lower_case"))
        options.doLowerCase = config.at("do_lower_case").get<bool>();
      if (config.contains("max_input_chars_per_word"))
        options.maxInputCharsPerWord = jsonInteger<int>(config.at("max_input_chars_per_word"));
    } catch (const nlohmann::json::exception& e) {
      throw Error(configPath.string() + ": " + e.what());
    }
  }
  return std::make_unique<WordPieceTokenizer>(Vocab::fromFile(vocabPath.string()), options);
}

std::vector<Piece> WordPieceTokenizer::tokenize(std::string_view text) const {
  std::vector<Piece> pieces;
  int64_t offset = 0;  // code points before the current chunk
  while (!text.empty()) {
    // A long text goes in chunks cut just after an ASCII whitespace: whitespace always ends a
    // word, so the pieces are the same, and the per-character structures (the decoded text,
    // each word's characters and origins: ~200 bytes per input byte in all) exist for one
    // chunk at a time. A cut after an ASCII byte is always between code points.
    size_t cut = text.size();
    if (cut > kTokenizeChunkBytes) {
      const size_t space = text.find_first_of(" \t\n\r", kTokenizeChunkBytes);
      cut = space == std::string_view::npos ? text.size() : space + 1;
    }
    const DecodedText decoded = decodeUtf8(text.substr(0, cut));
    const size_t first = pieces.size();
    tokenizeCodepoints(decoded.codepoints, pieces);
    for (size_t i = first; i < pieces.size(); ++i) {
      pieces[i].start += offset;
      pieces[i].end += offset;
    }
    offset += static_cast<int64_t>(decoded.codepoints.size());
    text.remove_prefix(cut);
  }
  return pieces;
}

void WordPieceTokenizer::tokenizeCodepoints(const std::vector<char32_t>& codepoints,
                                            std::vector<Piece>& pieces) const {
  for (const BasicWord& word : basic_.split(codepoints)) {
    if (word.isSpecial) {
      std::string token;
      for (char32_t c : word.chars) appendUtf8(token, c);
      // A special the vocabulary lacks is an ordinary unknown word.
      const int32_t id = vocab_.find(token).value_or(special_.unk);
      pieces.push_back({id == special_.unk ? vocab_.token(id) : token, id, word.origins.front(),
                        word.origins.back() + 1});
      continue;
    }
    appendWordPieces(word, pieces);
  }
}

void WordPieceTokenizer::appendWordPieces(const BasicWord& word, std::vector<Piece>& out) const {
  const size_t n = word.chars.size();
  const int64_t wordStart = word.origins.front(), wordEnd = word.origins.back() + 1;
  if (n > static_cast<size_t>(options_.maxInputCharsPerWord)) {
    out.push_back({vocab_.token(special_.unk), special_.unk, wordStart, wordEnd});
    return;
  }
  // UTF-8 of the word once, with each character's byte offset, so that every candidate
  // substring is a view (no allocation in the inner loop).
  std::string utf8;
  std::vector<size_t> byteAt(n + 1);
  for (size_t i = 0; i < n; ++i) {
    byteAt[i] = utf8.size();
    appendUtf8(utf8, word.chars[i]);
  }
  byteAt[n] = utf8.size();

  const size_t firstPiece = out.size();
  size_t start = 0;
  while (start < n) {
    size_t end = n;
    std::optional<int32_t> id;
    for (; end > start; --end) {
      const std::string_view candidate(utf8.data() + byteAt[start], byteAt[end] - byteAt[start]);
      id = start == 0 ? vocab_.find(candidate) : vocab_.findContinuation(candidate);
      if (id) break;
    }
    if (!id) {  // no piece fits: the whole word is unknown, as in the original
      out.resize(firstPiece);
      out.push_back({vocab_.token(special_.unk), special_.unk, wordStart, wordEnd});
      return;
    }
    out.push_back({vocab_.token(*id), *id, word.origins[start], word.origins[end - 1] + 1});
    start = end;
  }
}

std::string WordPieceTokenizer::idToToken(int32_t id) const {
  if (id < 0 || id >= vocab_.size()) {
    throw Error("token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                std::to_string(vocab_.size() - 1) + ")");
  }
  return vocab_.token(id);
}

std::string WordPieceTokenizer::decode(const std::vector<int32_t>& ids,
                                       bool skipSpecialTokens) const {
  std::string text;
  for (int32_t id : ids) {
    if (skipSpecialTokens && (id == special_.cls || id == special_.sep || id == special_.pad))
      continue;
    const std::string piece = idToToken(id);
    if (piece.size() > 2 && piece.compare(0, 2, "##") == 0) {
      text += piece.substr(2);  // continuation: glued to the previous piece
    } else {
      if (!text.empty()) text += ' ';
      text += piece;
    }
  }
  return text;
}

void WordPieceTokenizer::save(const std::string& folder) const {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error("cannot create folder '" + folder + "': " + ec.message());
  vocab_.save((fs::path(folder) / kVocabFile).string());
  nlohmann::json config = {{"tokenizer_class", "BertTokenizer"},
                           {"do_lower_case", options_.doLowerCase},
                           {"strip_accents", nullptr},  // null: follows do_lower_case, as in HF
                           {"tokenize_chinese_chars", true},
                           {"max_input_chars_per_word", options_.maxInputCharsPerWord},
                           {"unk_token", "[UNK]"},
                           {"sep_token", "[SEP]"},
                           {"pad_token", "[PAD]"},
                           {"cls_token", "[CLS]"},
                           {"mask_token", "[MASK]"}};
  writeFileAtomically((fs::path(folder) / kTokenizerConfigFile).string(), config.dump(2) + "\n");
}

}  // namespace bertwb
