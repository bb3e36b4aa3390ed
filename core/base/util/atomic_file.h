#pragma once
// Atomic file replacement: write to a temporary file in the same folder, flush and fsync,
// then rename over the target. A save killed at any moment leaves either the old file or
// the new one, never a torn mixture.
#include <functional>
#include <string>
#include <string_view>

namespace bertwb {

// Replaces `path` with `contents`; throws bertwb::Error naming the file on any I/O failure
// (the target is then untouched).
void writeFileAtomically(const std::string& path, std::string_view contents);

// For large payloads written in pieces: `produce` is called with an append function.
void writeFileAtomically(
    const std::string& path,
    const std::function<void(const std::function<void(const void*, size_t)>&)>& produce);

// Reads a whole file; throws bertwb::Error naming the path when it cannot.
std::string readWholeFile(const std::string& path);

}  // namespace bertwb
