#include "io/tokenizer_fit.h"

#include <nlohmann/json.hpp>

#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {

std::string tokenizerIdentityJson(const TokenizerIdentity& identity) {
  return nlohmann::json{{"kind", identity.kind},
                        {"vocab_size", identity.vocabSize},
                        {"fingerprint", identity.fingerprint}}
      .dump();
}

bool recordedTokenizerIdentity(const BertConfig& config, TokenizerIdentity& identity) {
  const auto it = config.extra_fields.find(kTokenizerIdentityField);
  if (it == config.extra_fields.end()) return false;
  const nlohmann::json record = parseJsonOrDiscarded(it->second);
  if (!record.is_object() || !record.contains("fingerprint") ||
      !record["fingerprint"].is_string() || !record.contains("vocab_size") ||
      !record["vocab_size"].is_number_integer())
    return false;
  identity.kind = jsonStringOr(record, "kind");
  identity.vocabSize = jsonInteger<int32_t>(record["vocab_size"]);
  identity.fingerprint = record["fingerprint"].get<std::string>();
  return true;
}

void checkTokenizerFitsModel(const Tokenizer& tokenizer, const BertConfig& config,
                             const std::string& folder, TokenizerNeeds needs) {
  const std::string where = "'" + folder + "'";
  if (tokenizer.vocabSize() > config.vocab_size) {
    throw Error(
        where + ": the tokenizer has " + std::to_string(tokenizer.vocabSize()) +
        " tokens but the model's vocab_size is " + std::to_string(config.vocab_size) +
        ", so ids past " + std::to_string(config.vocab_size - 1) +
        " would fall outside its embedding table; use the tokenizer the model was trained with");
  }
  const SpecialTokenIds special = tokenizer.specialTokenIds();
  if (special.cls < 0 || special.sep < 0)
    throw Error(where +
                ": the tokenizer has no [CLS] or no [SEP] token, which every BERT input begins and "
                "ends with");
  if (needs.mask && special.mask < 0)
    throw Error(where +
                ": the tokenizer has no [MASK] token, which masked-LM training and fill-mask need");
  TokenizerIdentity recorded;
  if (!recordedTokenizerIdentity(config, recorded)) return;  // a folder from elsewhere records none
  const TokenizerIdentity actual = tokenizerIdentity(tokenizer);
  if (!(actual == recorded)) {
    throw Error(where + ": the tokenizer is not the one this model was trained with (" +
                actual.kind + ", " + std::to_string(actual.vocabSize) + " tokens, fingerprint " +
                actual.fingerprint + "; the model recorded " + recorded.kind + ", " +
                std::to_string(recorded.vocabSize) + " tokens, fingerprint " +
                recorded.fingerprint +
                "): its ids would mean other words. Put the model's own vocabulary back");
  }
}

}  // namespace bertwb
