#pragma once
// A model and the tokenizer it is about to read ids from must agree, checked before any work:
// every id the tokenizer can give must have a row in the embedding table, the special tokens
// the task needs must exist, and where the checkpoint recorded the identity of the tokenizer
// it was trained with (saveCheckpoint does), the tokenizer must be that one: a vocab.txt of
// the same size in another order would otherwise be accepted and read as the wrong words.
// Torch-free.
#include <string>

#include "model/bert_config.h"
#include "text/tokenizer.h"
#include "text/tokenizer_identity.h"

namespace bertwb {

// The config.json field in which a checkpoint records its tokenizer's identity.
constexpr const char* kTokenizerIdentityField = "bertwb_tokenizer";

// What the caller will ask of the tokenizer.
struct TokenizerNeeds {
  bool mask = false;  // fill-mask, pre-training: [MASK] must exist
};

// Throws bertwb::Error naming `folder`, both sizes or identities and the remedy when the
// tokenizer and the model `config` (read from `folder`) disagree.
void checkTokenizerFitsModel(const Tokenizer& tokenizer, const BertConfig& config,
                             const std::string& folder, TokenizerNeeds needs = {});

// The identity as config.json records it (a JSON object in text), and back; an absent or
// malformed record gives none.
std::string tokenizerIdentityJson(const TokenizerIdentity& identity);
bool recordedTokenizerIdentity(const BertConfig& config, TokenizerIdentity& identity);

}  // namespace bertwb
