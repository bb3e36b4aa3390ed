#pragma once
// The JSON-lines form of a pre-training instance that create-pretraining-data writes and
// pretrain --data reads: tokens as strings after masking, labels as the original token
// strings, plus the explanation (mask kinds, where each segment came from).
#include <nlohmann/json.hpp>
#include <string>

#include "data/pretraining_instance.h"
#include "text/tokenizer.h"

namespace bertwb {

nlohmann::json instanceToJson(const PretrainingInstance& instance, const Tokenizer& tokenizer);

// Throws bertwb::Error naming `where` (e.g. "data.jsonl:12") for malformed JSON, a missing
// field, mismatched lengths, a position out of range or a token the vocabulary lacks.
PretrainingInstance instanceFromJson(const std::string& line, const Tokenizer& tokenizer,
                                     const std::string& where);

}  // namespace bertwb
