#pragma once
// Human-readable numbers for summaries: the CLI and the GUI print them the same way.
#include <cstdint>
#include <string>
#include <vector>

namespace bertwb {

std::string formatCount(int64_t value);     // 110106428 → "110,106,428"
std::string formatBytes(double bytes);      // 440425712 → "420.0 MiB"
std::string formatFlops(double flops);      // 6.6e8 → "660.0 MFLOP"
std::string formatSeconds(double seconds);  // 3725 → "1 h 02 min"

// The first `most` items joined for a message, then "… and N more": a hostile file may hold a
// million labels, and an error message must not become a megabyte.
std::string joinForMessage(const std::vector<std::string>& items, const char* separator = ", ",
                           size_t most = 20);

}  // namespace bertwb
