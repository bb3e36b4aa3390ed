#pragma once
// The one way JSON enters the program (issue 19): text whose nesting is deeper than a fixed
// limit is refused before nlohmann builds anything. nlohmann parses iteratively, but copying,
// dumping and destroying a value recurse, so a 200 KB file of 100,000 '[' (in a safetensors
// header, a config.json field kept for round trips, a predict line) overflowed the stack.
// Real inputs nest a handful of levels (SQuAD: 6).
#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bertwb {

inline constexpr int kJsonMaxDepth = 64;

// The byte offset where `text` first nests deeper than `maxDepth` arrays and objects, or
// nullopt. Brackets inside strings (escapes included) do not count. Linear, no allocation.
std::optional<size_t> jsonTooDeepAt(std::string_view text, int maxDepth = kJsonMaxDepth);

// nlohmann::json::parse with the depth limit: throws nlohmann::json::parse_error ("JSON
// nested deeper than 64 levels at byte N") for too deep a text, and for a number no double
// holds ("1e712", which nlohmann itself reports as out_of_range), as for any other syntax
// error, so callers' messages name it the same way.
nlohmann::json parseJson(std::string_view text, int maxDepth = kJsonMaxDepth);
// A JSON error in words, without nlohmann's "[json.exception.parse_error.101] parse error"
// prefix: "at line 1, column 5: syntax error while parsing value - invalid literal; ...",
// "type must be number, but is string".
std::string jsonErrorText(const nlohmann::json::exception& error);

// The same without exceptions: a discarded value (is_discarded()) for bad or too deep text.
nlohmann::json parseJsonOrDiscarded(std::string_view text, int maxDepth = kJsonMaxDepth);

}  // namespace bertwb
