// libbertwb_spm.so: SentencePiece behind the C ABI of spm_plugin_abi.h. Every entry point
// catches everything: an exception must never unwind into the caller, which lives in
// another link namespace (and another copy of libstdc++).
#include "spm_plugin_abi.h"

#include <sentencepiece_processor.h>

#include <climits>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct BertwbSpmModel {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

thread_local std::string lastError;

int32_t fail(int32_t status, std::string message) {
  lastError = std::move(message);
  return status;
}

// Runs `body`, turning any exception into BERTWB_SPM_ERROR with its text.
template <typename Body>
int32_t guarded(const char* what, Body&& body) {
  lastError.clear();
  try {
    return body();
  } catch (const std::exception& error) {
    return fail(BERTWB_SPM_ERROR, std::string(what) + ": " + error.what());
  } catch (...) {
    return fail(BERTWB_SPM_ERROR, std::string(what) + ": unknown exception");
  }
}

int32_t loadWith(
    BertwbSpmModel** model, const char* what,
    const std::function<sentencepiece::util::Status(sentencepiece::SentencePieceProcessor&)>&
        load) {
  if (model == nullptr)
    return fail(BERTWB_SPM_INVALID_ARGUMENT, std::string(what) + ": null handle");
  *model = nullptr;
  return guarded(what, [&] {
    auto loaded = std::make_unique<BertwbSpmModel>();
    const auto status = load(loaded->processor);
    if (!status.ok()) return fail(BERTWB_SPM_ERROR, std::string(what) + ": " + status.ToString());
    *model = loaded.release();
    return int32_t{BERTWB_SPM_OK};
  });
}

}  // namespace

extern "C" {

int32_t bertwb_spm_abi_version(void) {
  return BERTWB_SPM_ABI_VERSION;
}

const char* bertwb_spm_last_error(void) {
  return lastError.c_str();
}

int32_t bertwb_spm_load_file(const char* path, BertwbSpmModel** model) {
  if (path == nullptr) return fail(BERTWB_SPM_INVALID_ARGUMENT, "load: null path");
  return loadWith(model, "cannot load SentencePiece model",
                  [&](sentencepiece::SentencePieceProcessor& processor) {
                    return processor.Load(std::string_view(path));
                  });
}

int32_t bertwb_spm_load_bytes(const char* data, size_t size, BertwbSpmModel** model) {
  if (data == nullptr && size > 0) return fail(BERTWB_SPM_INVALID_ARGUMENT, "load: null data");
  return loadWith(model, "cannot load SentencePiece model from memory",
                  [&](sentencepiece::SentencePieceProcessor& processor) {
                    return processor.LoadFromSerializedProto(std::string_view(data, size));
                  });
}

void bertwb_spm_free(BertwbSpmModel* model) {
  delete model;
}

int32_t bertwb_spm_vocab_size(const BertwbSpmModel* model) {
  if (model == nullptr) return 0;
  return model->processor.GetPieceSize();
}

int32_t bertwb_spm_id_to_piece(const BertwbSpmModel* model, int32_t id, char* buffer,
                               int32_t capacity, int32_t* length) {
  if (model == nullptr || length == nullptr || capacity < 0 ||
      (buffer == nullptr && capacity > 0)) {
    return fail(BERTWB_SPM_INVALID_ARGUMENT, "id_to_piece: null or negative argument");
  }
  if (id < 0 || id >= model->processor.GetPieceSize()) {
    return fail(BERTWB_SPM_INVALID_ARGUMENT,
                "id_to_piece: id " + std::to_string(id) + " is outside the vocabulary (size " +
                    std::to_string(model->processor.GetPieceSize()) + ")");
  }
  return guarded("id_to_piece", [&] {
    const std::string& piece = model->processor.IdToPiece(id);
    *length = static_cast<int32_t>(piece.size());
    if (piece.size() > static_cast<size_t>(capacity)) return int32_t{BERTWB_SPM_BUFFER_TOO_SMALL};
    if (!piece.empty()) std::memcpy(buffer, piece.data(), piece.size());
    return int32_t{BERTWB_SPM_OK};
  });
}

int32_t bertwb_spm_piece_to_id(const BertwbSpmModel* model, const char* piece, int32_t length) {
  if (model == nullptr || piece == nullptr || length < 0) return -1;
  lastError.clear();
  try {
    const std::string_view wanted(piece, static_cast<size_t>(length));
    const int id = model->processor.PieceToId(wanted);
    // PieceToId answers the unknown id for anything it does not know: tell the two apart.
    if (id < 0 || model->processor.IdToPiece(id) != wanted) return -1;
    return id;
  } catch (...) {
    return -1;
  }
}

int32_t bertwb_spm_encode(const BertwbSpmModel* model, const char* text, size_t length,
                          int32_t* ids, int32_t* begins, int32_t* ends, int32_t capacity,
                          int32_t* count) {
  if (model == nullptr || count == nullptr || capacity < 0 || (text == nullptr && length > 0) ||
      (capacity > 0 && (ids == nullptr || begins == nullptr || ends == nullptr))) {
    return fail(BERTWB_SPM_INVALID_ARGUMENT, "encode: null or negative argument");
  }
  if (length > static_cast<size_t>(INT32_MAX)) {
    return fail(BERTWB_SPM_INVALID_ARGUMENT,
                "encode: text of " + std::to_string(length) + " bytes is over the 2 GiB limit");
  }
  return guarded("encode", [&] {
    sentencepiece::ImmutableSentencePieceText encoded;
    const auto status =
        model->processor.Encode(std::string_view(text, length), encoded.mutable_proto());
    if (!status.ok()) return fail(BERTWB_SPM_ERROR, "encode: " + status.ToString());
    const size_t pieceCount = encoded.pieces_size();
    *count = static_cast<int32_t>(pieceCount);
    if (pieceCount > static_cast<size_t>(capacity)) return int32_t{BERTWB_SPM_BUFFER_TOO_SMALL};
    for (size_t i = 0; i < pieceCount; ++i) {
      const auto piece = encoded.pieces(static_cast<int>(i));
      ids[i] = static_cast<int32_t>(piece.id());
      begins[i] = static_cast<int32_t>(piece.begin());
      ends[i] = static_cast<int32_t>(piece.end());
    }
    return int32_t{BERTWB_SPM_OK};
  });
}

int32_t bertwb_spm_decode(const BertwbSpmModel* model, const int32_t* ids, int32_t count,
                          char* buffer, size_t capacity, size_t* length) {
  if (model == nullptr || length == nullptr || count < 0 || (ids == nullptr && count > 0) ||
      (buffer == nullptr && capacity > 0)) {
    return fail(BERTWB_SPM_INVALID_ARGUMENT, "decode: null or negative argument");
  }
  const int32_t vocabSize = model->processor.GetPieceSize();
  for (int32_t i = 0; i < count; ++i) {
    if (ids[i] < 0 || ids[i] >= vocabSize) {
      return fail(BERTWB_SPM_INVALID_ARGUMENT,
                  "decode: id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                      " is outside the vocabulary (size " + std::to_string(vocabSize) + ")");
    }
  }
  return guarded("decode", [&] {
    std::string text;
    const auto status = model->processor.Decode(std::vector<int>(ids, ids + count), &text);
    if (!status.ok()) return fail(BERTWB_SPM_ERROR, "decode: " + status.ToString());
    *length = text.size();
    if (text.size() > capacity) return int32_t{BERTWB_SPM_BUFFER_TOO_SMALL};
    if (!text.empty()) std::memcpy(buffer, text.data(), text.size());
    return int32_t{BERTWB_SPM_OK};
  });
}

}  // extern "C"
