#include "model/bert_config.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

using nlohmann::json;

const std::set<std::string>& supportedActivations() {
  static const std::set<std::string> names = {"gelu", "gelu_new", "gelu_pytorch_tanh", "relu"};
  return names;
}

// Reads one field if present, with a message naming the field and the expected type.
template <typename T>
void readField(const json& object, const char* name, T& target, const std::string& source) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return;
  const std::string wrongType =
      source + ": field \"" + name + "\" has the wrong type (" + it->dump() + ")";
  if constexpr (std::is_same_v<T, int>) {
    // Accept 12 and 12.0 (some tools write floats), reject 12.5 and strings.
    if (!it->is_number()) throw Error(wrongType + "; expected an integer");
    double value = it->get<double>();
    if (value != std::floor(value) || std::fabs(value) > 2e9)
      throw Error(wrongType + "; expected an integer");
    target = static_cast<int>(value);
  } else if constexpr (std::is_same_v<T, double>) {
    if (!it->is_number()) throw Error(wrongType + "; expected a number");
    target = it->get<double>();
  } else {
    if (!it->is_string()) throw Error(wrongType + "; expected a string");
    target = it->get<std::string>();
  }
}

const char* const kModelledFields[] = {"vocab_size",
                                       "hidden_size",
                                       "num_hidden_layers",
                                       "num_attention_heads",
                                       "intermediate_size",
                                       "hidden_act",
                                       "hidden_dropout_prob",
                                       "attention_probs_dropout_prob",
                                       "max_position_embeddings",
                                       "type_vocab_size",
                                       "initializer_range",
                                       "layer_norm_eps",
                                       "pad_token_id",
                                       "is_decoder"};

}  // namespace

std::vector<std::string> configProblems(const BertConfig& c) {
  std::vector<std::string> problems;
  auto positive = [&](const char* name, long long value) {
    if (value <= 0)
      problems.push_back(std::string(name) + " must be positive (got " + std::to_string(value) +
                         ")");
  };
  positive("vocab_size", c.vocab_size);
  positive("hidden_size", c.hidden_size);
  positive("num_hidden_layers", c.num_hidden_layers);
  positive("num_attention_heads", c.num_attention_heads);
  positive("intermediate_size", c.intermediate_size);
  positive("max_position_embeddings", c.max_position_embeddings);
  positive("type_vocab_size", c.type_vocab_size);
  // Sizes far beyond any published model (issue 19, item 5): a config of 100,000 layers or a
  // width near 2^31 allocated until the allocator failed, and overflowed the parameter
  // counts. The limits leave room for every real model (the largest vocabularies hold about
  // 250,000 pieces, the widest published layers 12,288 units) and keep all counts in int64.
  auto atMost = [&](const char* name, long long value, long long most) {
    if (value > most)
      problems.push_back(std::string(name) + " " + std::to_string(value) +
                         " is beyond any model (at most " + std::to_string(most) + ")");
  };
  atMost("vocab_size", c.vocab_size, kMostVocabulary);
  atMost("hidden_size", c.hidden_size, kMostHidden);
  atMost("num_hidden_layers", c.num_hidden_layers, kMostLayers);
  atMost("intermediate_size", c.intermediate_size, kMostIntermediate);
  atMost("max_position_embeddings", c.max_position_embeddings, kMostPositions);
  atMost("type_vocab_size", c.type_vocab_size, kMostTokenTypes);
  if (c.hidden_size > 0 && c.num_attention_heads > 0 &&
      c.hidden_size % c.num_attention_heads != 0) {
    problems.push_back("hidden_size (" + std::to_string(c.hidden_size) +
                       ") must be divisible by num_attention_heads (" +
                       std::to_string(c.num_attention_heads) + ")");
  }
  auto probability = [&](const char* name, double value) {
    if (!(value >= 0.0 && value < 1.0)) {
      std::ostringstream text;
      text << name << " must be in [0, 1) (got " << value << ")";
      problems.push_back(text.str());
    }
  };
  probability("hidden_dropout_prob", c.hidden_dropout_prob);
  probability("attention_probs_dropout_prob", c.attention_probs_dropout_prob);
  if (!supportedActivations().count(c.hidden_act)) {
    problems.push_back("hidden_act \"" + c.hidden_act +
                       "\" is not supported (use gelu, gelu_new, gelu_pytorch_tanh or relu)");
  }
  if (!(c.initializer_range > 0.0)) problems.push_back("initializer_range must be positive");
  if (!(c.layer_norm_eps > 0.0)) problems.push_back("layer_norm_eps must be positive");
  if (c.pad_token_id < 0 || (c.vocab_size > 0 && c.pad_token_id >= c.vocab_size)) {
    problems.push_back("pad_token_id (" + std::to_string(c.pad_token_id) +
                       ") must be a token id below vocab_size (" + std::to_string(c.vocab_size) +
                       ")");
  }
  return problems;
}

void validateConfig(const BertConfig& config, const std::string& source) {
  auto problems = configProblems(config);
  if (problems.empty()) return;
  std::string message = source + ": invalid BERT config:";
  for (const auto& p : problems) message += "\n  - " + p;
  throw Error(message);
}

BertConfig configFromJson(const std::string& jsonText, const std::string& source) {
  json object;
  try {
    object = parseJson(jsonText);
  } catch (const json::parse_error& e) {
    throw Error(source + ": not valid JSON (" + jsonErrorText(e) + ")");
  }
  if (!object.is_object()) throw Error(source + ": expected a JSON object with BERT config fields");
  if (auto type = object.find("model_type");
      type != object.end() && type->is_string() && *type != "bert") {
    throw Error(source + ": model_type is \"" + type->get<std::string>() +
                "\", but only \"bert\" checkpoints can be loaded");
  }
  BertConfig c;
  readField(object, "vocab_size", c.vocab_size, source);
  readField(object, "hidden_size", c.hidden_size, source);
  readField(object, "num_hidden_layers", c.num_hidden_layers, source);
  readField(object, "num_attention_heads", c.num_attention_heads, source);
  readField(object, "intermediate_size", c.intermediate_size, source);
  readField(object, "hidden_act", c.hidden_act, source);
  readField(object, "hidden_dropout_prob", c.hidden_dropout_prob, source);
  readField(object, "attention_probs_dropout_prob", c.attention_probs_dropout_prob, source);
  readField(object, "max_position_embeddings", c.max_position_embeddings, source);
  readField(object, "type_vocab_size", c.type_vocab_size, source);
  readField(object, "initializer_range", c.initializer_range, source);
  readField(object, "layer_norm_eps", c.layer_norm_eps, source);
  readField(object, "pad_token_id", c.pad_token_id, source);
  if (auto decoder = object.find("is_decoder"); decoder != object.end()) {
    if (!decoder->is_boolean())
      throw Error(source + ": is_decoder must be true or false, not " + decoder->dump());
    c.is_decoder = decoder->get<bool>();
  }
  if (auto pe = object.find("position_embedding_type");
      pe != object.end() && pe->is_string() && *pe != "absolute") {
    throw Error(source + ": position_embedding_type \"" + pe->get<std::string>() +
                "\" is not supported (only \"absolute\", as in the BERT paper)");
  }
  for (const auto& [key, value] : object.items()) {
    bool modelled = false;
    for (const char* name : kModelledFields) modelled = modelled || key == name;
    if (!modelled) c.extra_fields[key] = value.dump();
  }
  validateConfig(c, source);
  return c;
}

std::string configToJson(const BertConfig& c) {
  json object;
  for (const auto& [key, value] : c.extra_fields) object[key] = parseJson(value);
  object["model_type"] = "bert";
  if (!object.contains("position_embedding_type")) object["position_embedding_type"] = "absolute";
  object["vocab_size"] = c.vocab_size;
  object["hidden_size"] = c.hidden_size;
  object["num_hidden_layers"] = c.num_hidden_layers;
  object["num_attention_heads"] = c.num_attention_heads;
  object["intermediate_size"] = c.intermediate_size;
  object["hidden_act"] = c.hidden_act;
  object["hidden_dropout_prob"] = c.hidden_dropout_prob;
  object["attention_probs_dropout_prob"] = c.attention_probs_dropout_prob;
  object["max_position_embeddings"] = c.max_position_embeddings;
  object["type_vocab_size"] = c.type_vocab_size;
  object["initializer_range"] = c.initializer_range;
  object["layer_norm_eps"] = c.layer_norm_eps;
  object["pad_token_id"] = c.pad_token_id;
  if (c.is_decoder) object["is_decoder"] = true;  // absent means false, as in transformers
  return object.dump(2) + "\n";
}

BertConfig loadConfigFile(const std::string& path) {
  return configFromJson(readRegularFile(path, kConfigFile), path);
}

void saveConfigFile(const BertConfig& config, const std::string& path) {
  validateConfig(config, path);
  writeFileAtomically(path, configToJson(config));
}

}  // namespace bertwb
