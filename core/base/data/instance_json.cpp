#include "data/instance_json.h"

#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {

using nlohmann::json;

json instanceToJson(const PretrainingInstance& instance, const Tokenizer& tokenizer) {
  json tokens = json::array(), positions = json::array(), labels = json::array(),
       kinds = json::array();
  for (int32_t id : instance.tokens) tokens.push_back(tokenizer.idToToken(id));
  for (const auto& m : instance.masked) {
    positions.push_back(m.position);
    labels.push_back(tokenizer.idToToken(m.originalId));
    kinds.push_back(maskKindName(m.kind));
  }
  auto source = [](const SegmentSource& s) {
    return json{{"document", s.document},
                {"first_sentence", s.firstSentence},
                {"last_sentence", s.lastSentence}};
  };
  return {{"tokens", tokens},
          {"segment_ids", instance.segmentIds},
          {"is_random_next", instance.isRandomNext},
          {"masked_lm_positions", positions},
          {"masked_lm_labels", labels},
          {"mask_kinds", kinds},
          {"segment_a_source", source(instance.segmentA)},
          {"segment_b_source", source(instance.segmentB)},
          {"target_length", instance.targetLength},
          {"truncated_tokens", instance.truncatedTokens}};
}

namespace {

int32_t idOf(const std::string& token, const Tokenizer& tokenizer, const std::string& where) {
  const auto id = tokenizer.tokenToId(token);
  if (!id)
    throw Error(where + ": token '" + token +
                "' is not in the vocabulary (was the file made with another tokenizer?)");
  return *id;
}

MaskKind kindOf(const std::string& name, const std::string& where) {
  if (name == "mask") return MaskKind::Mask;
  if (name == "random") return MaskKind::Random;
  if (name == "keep") return MaskKind::Keep;
  throw Error(where + ": unknown mask kind '" + name + "' (expected mask, random or keep)");
}

SegmentSource sourceOf(const json& object) {
  SegmentSource s;
  if (!object.is_object()) return s;
  s.document = jsonIntegerOr<int64_t>(object, "document", 0);
  s.firstSentence = jsonIntegerOr<int64_t>(object, "first_sentence", 0);
  s.lastSentence = jsonIntegerOr<int64_t>(object, "last_sentence", 0);
  return s;
}

}  // namespace

PretrainingInstance instanceFromJson(const std::string& line, const Tokenizer& tokenizer,
                                     const std::string& where) {
  json object;
  try {
    object = parseJson(line);
  } catch (const json::parse_error& e) {
    throw Error(where + ": not valid JSON (" + jsonErrorText(e) + ")");
  }
  PretrainingInstance instance;
  try {
    for (const auto& token : object.at("tokens"))
      instance.tokens.push_back(idOf(token.get<std::string>(), tokenizer, where));
    for (const auto& segment : object.at("segment_ids"))
      instance.segmentIds.push_back(jsonInteger<int32_t>(segment));
    instance.isRandomNext = object.at("is_random_next").get<bool>();
    const json& positions = object.at("masked_lm_positions");
    const json& labels = object.at("masked_lm_labels");
    const json kinds = object.value("mask_kinds", json::array());
    if (labels.size() != positions.size() || (!kinds.empty() && kinds.size() != positions.size())) {
      throw Error(where +
                  ": masked_lm_positions, masked_lm_labels and mask_kinds differ in length");
    }
    for (size_t m = 0; m < positions.size(); ++m) {
      MaskedPosition masked;
      masked.position = jsonInteger<int32_t>(positions[m]);
      if (masked.position < 0 || masked.position >= static_cast<int32_t>(instance.tokens.size())) {
        throw Error(where + ": masked position " + std::to_string(masked.position) +
                    " is outside the " + std::to_string(instance.tokens.size()) + " tokens");
      }
      masked.originalId = idOf(labels[m].get<std::string>(), tokenizer, where);
      masked.kind = kinds.empty() ? MaskKind::Mask : kindOf(kinds[m].get<std::string>(), where);
      instance.masked.push_back(masked);
    }
    instance.segmentA = sourceOf(object.value("segment_a_source", json()));
    instance.segmentB = sourceOf(object.value("segment_b_source", json()));
    instance.targetLength = jsonIntegerOr<int32_t>(object, "target_length",
                                                   static_cast<int32_t>(instance.tokens.size()));
    instance.truncatedTokens = jsonIntegerOr<int32_t>(object, "truncated_tokens", 0);
  } catch (const json::exception& e) {
    throw Error(where + ": " + jsonErrorText(e));
  }
  if (instance.segmentIds.size() != instance.tokens.size()) {
    throw Error(where + ": segment_ids has " + std::to_string(instance.segmentIds.size()) +
                " entries for " + std::to_string(instance.tokens.size()) + " tokens");
  }
  if (instance.tokens.empty()) throw Error(where + ": the instance has no tokens");
  return instance;
}

}  // namespace bertwb
