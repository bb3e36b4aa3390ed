#include "util/bounded_json.h"

#include <string>

namespace bertwb {

std::optional<size_t> jsonTooDeepAt(std::string_view text, int maxDepth) {
  int depth = 0;
  bool inString = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;  // unbalanced text is the parser's to report
    }
  }
  return std::nullopt;
}

nlohmann::json parseJson(std::string_view text, int maxDepth) {
  if (const auto at = jsonTooDeepAt(text, maxDepth)) {
    throw nlohmann::json::parse_error::create(101, *at + 1,
                                              "JSON nested deeper than " +
                                                  std::to_string(maxDepth) + " levels at byte " +
                                                  std::to_string(*at + 1),
                                              nullptr);
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond a double ("1e712") comes out of nlohmann's parser as out_of_range, which
    // no caller expects from parsing (found by fuzz_config_json): make it the parse error it is.
    throw nlohmann::json::parse_error::create(101, 0, jsonErrorText(e), nullptr);
  }
}

std::string jsonErrorText(const nlohmann::json::exception& error) {
  std::string rest = error.what();
  if (rest.rfind("[json.exception.", 0) == 0 && rest.find("] ") != std::string::npos)
    rest.erase(0, rest.find("] ") + 2);
  constexpr const char* kParseError = "parse error";
  if (rest.rfind(kParseError, 0) == 0) rest.erase(0, std::char_traits<char>::length(kParseError));
  if (!rest.empty() && rest.front() == ':') rest.erase(0, 1);
  while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  return rest;
}

nlohmann::json parseJsonOrDiscarded(std::string_view text, int maxDepth) {
  if (jsonTooDeepAt(text, maxDepth)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string jsonStringOr(const nlohmann::json& object, const char* key,
                         const std::string& fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool jsonBoolOr(const nlohmann::json& object, const char* key, bool fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace bertwb
