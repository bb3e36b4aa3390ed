#include "text/sentencepiece_tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "text/spm_library.h"
#include "text/unicode_text.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModelFileName = "spiece.model";
constexpr const char* kTokenizerConfigFileName = "tokenizer_config.json";
// Room for this many pieces beyond one per input byte before encode has to ask twice
// (NFKC normalisation can lengthen text: "ﬁ" → "fi").
constexpr int32_t kEncodeSlack = 16;

// --- Reading the model type from the serialized ModelProto -------------------------------
// The plugin hides protobuf, and the type is one enum in the model's header, so a few lines
// of wire-format reading do: ModelProto.trainer_spec = field 2 (a message), in which
// TrainerSpec.model_type = field 3 (a varint: 1 unigram, 2 bpe, 3 word, 4 char; unset =
// unigram). See sentencepiece_model.proto.
constexpr uint32_t kTrainerSpecField = 2;
constexpr uint32_t kModelTypeField = 3;
enum WireType { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

bool readVarint(std::string_view bytes, size_t& at, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(bytes[at++]);
    value |= uint64_t(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Calls `visit(field, wireType, varintValue, payload)` for each field of one message; false
// on malformed bytes.
template <typename Visit>
bool forEachField(std::string_view bytes, Visit&& visit) {
  size_t at = 0;
  while (at < bytes.size()) {
    uint64_t key = 0, value = 0;
    if (!readVarint(bytes, at, key)) return false;
    const auto wireType = static_cast<int>(key & 7);
    std::string_view payload;
    switch (wireType) {
      case kVarint:
        if (!readVarint(bytes, at, value)) return false;
        break;
      case kFixed64:
      case kFixed32: {
        const size_t width = wireType == kFixed64 ? 8 : 4;
        if (bytes.size() - at < width) return false;
        at += width;
        break;
      }
      case kLengthDelimited:
        if (!readVarint(bytes, at, value) || value > bytes.size() - at) return false;
        payload = bytes.substr(at, value);
        at += value;
        break;
      default:
        return false;  // groups: not used by sentencepiece_model.proto
    }
    if (!visit(static_cast<uint32_t>(key >> 3), wireType, value, payload)) return true;
  }
  return true;
}

std::string modelTypeOf(std::string_view modelBytes) {
  uint64_t type = 1;  // the proto's default
  forEachField(modelBytes, [&](uint32_t field, int wireType, uint64_t, std::string_view spec) {
    if (field != kTrainerSpecField || wireType != kLengthDelimited) return true;
    forEachField(spec, [&](uint32_t inner, int innerType, uint64_t value, std::string_view) {
      if (inner == kModelTypeField && innerType == kVarint) type = value;
      return true;
    });
    return false;
  });
  switch (type) {
    case 1:
      return "unigram";
    case 2:
      return "bpe";
    case 3:
      return "word";
    case 4:
      return "char";
    default:
      return "unknown";
  }
}

// --- Byte offsets to code point offsets ---------------------------------------------------
// Decodes as decodeUtf8 does (every invalid byte is one U+FFFD), remembering for each byte
// the index of the code point it belongs to.
struct CodepointIndex {
  std::vector<char32_t> codepoints;
  std::vector<int64_t> ofByte;  // size bytes+1; ofByte[size] = codepoints.size()
};

CodepointIndex indexCodepoints(std::string_view text) {
  CodepointIndex index;
  index.ofByte.resize(text.size() + 1);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t position = 0;
  while (position < text.size()) {
    utf8proc_int32_t codepoint = bytes[position];
    utf8proc_ssize_t length = 1;
    if (bytes[position] >= 0x80) {
      length = utf8proc_iterate(bytes + position,
                                static_cast<utf8proc_ssize_t>(text.size() - position), &codepoint);
      if (length < 0) {
        codepoint = kReplacementCharacter;
        length = 1;
      }
    }
    const auto current = static_cast<int64_t>(index.codepoints.size());
    for (utf8proc_ssize_t i = 0; i < length; ++i)
      index.ofByte[position + static_cast<size_t>(i)] = current;
    index.codepoints.push_back(static_cast<char32_t>(codepoint));
    position += static_cast<size_t>(length);
  }
  index.ofByte[text.size()] = static_cast<int64_t>(index.codepoints.size());
  return index;
}

bool startsWithWordBoundary(const std::string& piece) {
  static const std::string kWordBoundary = "\xE2\x96\x81";  // U+2581 "▁"
  return piece.compare(0, kWordBoundary.size(), kWordBoundary) == 0;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const std::string& modelPath)
    : modelPath_(modelPath) {
  std::error_code error;
  if (!fs::is_regular_file(modelPath, error)) {
    throw Error("SentencePiece model '" + modelPath +
                "' does not exist: give the path of a spiece.model (train one with "
                "the tokenizer trainer, or copy it from the model's folder)");
  }
  modelBytes_ = readRegularFile(modelPath, kTokenizerModelFile);
  try {
    library_ = &spmLibrary();
  } catch (const Error& pluginError) {
    throw Error("cannot read SentencePiece model '" + modelPath + "': " + pluginError.what());
  }
  if (library_->loadBytes(modelBytes_.data(), modelBytes_.size(), &model_) != BERTWB_SPM_OK) {
    throwPluginError("is not a SentencePiece model (is it a spiece.model file, not vocab.txt?)");
  }
  modelType_ = modelTypeOf(modelBytes_);

  const int32_t size = library_->vocabSize(model_);
  pieces_.resize(static_cast<size_t>(size));
  std::string buffer(64, '\0');
  for (int32_t id = 0; id < size; ++id) {
    int32_t length = 0;
    int32_t status = library_->idToPiece(model_, id, buffer.data(),
                                         static_cast<int32_t>(buffer.size()), &length);
    if (status == BERTWB_SPM_BUFFER_TOO_SMALL) {
      buffer.resize(static_cast<size_t>(length));
      status = library_->idToPiece(model_, id, buffer.data(), static_cast<int32_t>(buffer.size()),
                                   &length);
    }
    if (status != BERTWB_SPM_OK) throwPluginError("cannot list its pieces");
    pieces_[static_cast<size_t>(id)].assign(buffer.data(), static_cast<size_t>(length));
    pieceIds_.emplace(pieces_[static_cast<size_t>(id)], id);
  }

  auto idOf = [&](std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (auto id = tokenToId(name)) return *id;
    }
    return int32_t{-1};
  };
  special_.pad = idOf({kSpecialTokens[0], "<pad>"});
  special_.unk = idOf({kSpecialTokens[1], "<unk>"});
  special_.cls = idOf({kSpecialTokens[2]});
  special_.sep = idOf({kSpecialTokens[3]});
  special_.mask = idOf({kSpecialTokens[4]});
}

SentencePieceTokenizer::~SentencePieceTokenizer() {
  if (model_ != nullptr) library_->free(model_);
}

void SentencePieceTokenizer::throwPluginError(const std::string& what) const {
  throw Error("SentencePiece model '" + modelPath_ + "' " + what + ": " + library_->lastError());
}

std::vector<Piece> SentencePieceTokenizer::tokenize(std::string_view text) const {
  std::vector<int32_t> ids, begins, ends;
  int32_t count =
      static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX - kEncodeSlack)) + kEncodeSlack;
  for (int attempt = 0; attempt < 2; ++attempt) {
    ids.resize(static_cast<size_t>(count));
    begins.resize(ids.size());
    ends.resize(ids.size());
    const int32_t status =
        library_->encode(model_, text.data(), text.size(), ids.data(), begins.data(), ends.data(),
                         static_cast<int32_t>(ids.size()), &count);
    if (status == BERTWB_SPM_OK) break;
    if (status != BERTWB_SPM_BUFFER_TOO_SMALL || attempt == 1)
      throwPluginError("cannot encode the text");
  }
  ids.resize(static_cast<size_t>(count));

  const CodepointIndex index = indexCodepoints(text);
  std::vector<Piece> pieces;
  pieces.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    Piece piece;
    piece.id = ids[i];
    piece.text = idToToken(ids[i]);
    const auto beginByte =
        static_cast<size_t>(std::clamp<int64_t>(begins[i], 0, int64_t(text.size())));
    const auto endByte =
        static_cast<size_t>(std::clamp<int64_t>(ends[i], int64_t(beginByte), int64_t(text.size())));
    // The code points holding the first and the last byte of the span.
    piece.start = index.ofByte[beginByte];
    piece.end = endByte > beginByte ? index.ofByte[endByte - 1] + 1 : piece.start;
    int64_t firstVisible = piece.start;
    while (firstVisible < piece.end &&
           isBertWhitespace(index.codepoints[static_cast<size_t>(firstVisible)])) {
      ++firstVisible;
    }
    if (firstVisible < piece.end) piece.start = firstVisible;
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

bool SentencePieceTokenizer::isSpecial(int32_t id) const {
  return id == special_.pad || id == special_.unk || id == special_.cls || id == special_.sep ||
         id == special_.mask;
}

std::string SentencePieceTokenizer::decode(const std::vector<int32_t>& ids,
                                           bool skipSpecialTokens) const {
  std::string text;
  std::vector<int32_t> run;      // ordinary pieces waiting to be decoded together
  bool afterStructural = false;  // [CLS] [SEP] [PAD] stand apart from the words around them
  auto append = [&](const std::string& part, bool spaceBefore) {
    if (part.empty()) return;
    if (spaceBefore && !text.empty() && text.back() != ' ' && part.front() != ' ') text += ' ';
    text += part;
  };
  auto flushRun = [&] {
    if (run.empty()) return;
    std::string decoded(64 + run.size() * 8, '\0');
    size_t length = 0;
    int32_t status = library_->decode(model_, run.data(), static_cast<int32_t>(run.size()),
                                      decoded.data(), decoded.size(), &length);
    if (status == BERTWB_SPM_BUFFER_TOO_SMALL) {
      decoded.resize(length);
      status = library_->decode(model_, run.data(), static_cast<int32_t>(run.size()),
                                decoded.data(), decoded.size(), &length);
    }
    if (status != BERTWB_SPM_OK) throwPluginError("cannot decode ids");
    decoded.resize(length);
    // SentencePiece drops the "▁" of a run's first piece: put the space back between runs.
    append(decoded,
           afterStructural || startsWithWordBoundary(pieces_[static_cast<size_t>(run.front())]));
    run.clear();
  };
  for (int32_t id : ids) {
    const std::string piece = idToToken(id);  // throws for an id outside the vocabulary
    if (!isSpecial(id)) {
      run.push_back(id);
      continue;
    }
    flushRun();
    const bool structural = id == special_.cls || id == special_.sep || id == special_.pad;
    if (structural && skipSpecialTokens) continue;
    // [MASK] and [UNK] stand where text stood: the "▁" of the pieces around them say
    // whether a space was there. The structural tokens were added around the text.
    append(piece, structural);
    afterStructural = structural;
  }
  flushRun();
  return text;
}

std::optional<int32_t> SentencePieceTokenizer::tokenToId(const std::string& token) const {
  const auto found = pieceIds_.find(token);
  if (found == pieceIds_.end()) return std::nullopt;
  return found->second;
}

std::string SentencePieceTokenizer::idToToken(int32_t id) const {
  if (id < 0 || id >= vocabSize()) {
    throw Error("token id " + std::to_string(id) + " is outside the vocabulary of '" + modelPath_ +
                "' (0.." + std::to_string(vocabSize() - 1) + ")");
  }
  return pieces_[static_cast<size_t>(id)];
}

void SentencePieceTokenizer::save(const std::string& folder) const {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error("cannot create folder '" + folder + "': " + error.message());
  writeFileAtomically((fs::path(folder) / kModelFileName).string(), modelBytes_);
  auto name = [&](int32_t id) -> nlohmann::json {
    if (id < 0) return nullptr;
    return pieces_[static_cast<size_t>(id)];
  };
  // Hugging Face's AlbertTokenizer reads spiece.model as it is; with lower-casing and accent
  // stripping off it encodes as this class does, so `transformers` can load the folder.
  nlohmann::json config = {{"tokenizer_class", "AlbertTokenizer"},
                           {"model_type", modelType_},
                           {"do_lower_case", false},
                           {"keep_accents", true},
                           {"remove_space", true},
                           {"unk_token", name(special_.unk)},
                           {"sep_token", name(special_.sep)},
                           {"pad_token", name(special_.pad)},
                           {"cls_token", name(special_.cls)},
                           {"mask_token", name(special_.mask)},
                           {"bos_token", name(special_.cls)},
                           {"eos_token", name(special_.sep)}};
  writeFileAtomically((fs::path(folder) / kTokenizerConfigFileName).string(),
                      config.dump(2) + "\n");
}

}  // namespace bertwb
