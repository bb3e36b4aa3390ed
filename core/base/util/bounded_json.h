#pragma once
// The one way JSON enters the program (issue 19): text whose nesting is deeper than a fixed
// limit is refused before nlohmann builds anything. nlohmann parses iteratively, but copying,
// dumping and destroying a value recurse, so a 200 KB file of 100,000 '[' (in a safetensors
// header, a config.json field kept for round trips, a predict line) overflowed the stack.
// Real inputs nest a handful of levels (SQuAD: 6).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

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

// The integer `value` holds, as T: a JSON integer, or a float with no fraction (3.0), within
// T's range. Anything else throws nlohmann::json::type_error ("expected an integer from A to B,
// got 1e+113"), which readers report like any other wrong type. Why not get<T>(): nlohmann
// casts a float to T, undefined behaviour beyond T's range (found by fuzz_instance_jsonl),
// and silently wraps a large integer.
template <typename T>
T jsonInteger(const nlohmann::json& value) {
  static_assert(std::is_integral_v<T>, "an integer type");
  using Limits = std::numeric_limits<T>;
  const auto refuse = [&]() -> T {
    throw nlohmann::json::type_error::create(
        302,
        "expected an integer from " + std::to_string(Limits::min()) + " to " +
            std::to_string(Limits::max()) + ", got " + value.dump(),
        nullptr);
  };
  if (value.is_number_unsigned()) {
    const auto v = value.get<uint64_t>();
    return v <= static_cast<uint64_t>(Limits::max()) ? static_cast<T>(v) : refuse();
  }
  if (value.is_number_integer()) {
    const auto v = value.get<int64_t>();
    if constexpr (std::is_signed_v<T>) {
      return v >= static_cast<int64_t>(Limits::min()) && v <= static_cast<int64_t>(Limits::max())
                 ? static_cast<T>(v)
                 : refuse();
    } else {
      return v >= 0 && static_cast<uint64_t>(v) <= static_cast<uint64_t>(Limits::max())
                 ? static_cast<T>(v)
                 : refuse();
    }
  }
  if (value.is_number_float()) {
    const double v = value.get<double>();
    // Range first, compared as doubles (max + 1 is a power of two, exact): only then is the
    // cast defined. NaN fails every comparison.
    if (v >= static_cast<double>(Limits::min()) && v < static_cast<double>(Limits::max()) + 1.0 &&
        std::trunc(v) == v)
      return static_cast<T>(v);
  }
  return refuse();
}

// object[key] when it is a string (a boolean), else `fallback`: nlohmann's value() throws
// type_error on a field of the wrong type, and these read files a user may have edited.
std::string jsonStringOr(const nlohmann::json& object, const char* key,
                         const std::string& fallback = std::string());
bool jsonBoolOr(const nlohmann::json& object, const char* key, bool fallback);

// object[key] through jsonInteger, or `fallback` when the key is absent (or null).
template <typename T>
T jsonIntegerOr(const nlohmann::json& object, const char* key, T fallback) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? fallback : jsonInteger<T>(*it);
}

}  // namespace bertwb
