#include "util/format.h"

#include <cmath>
#include <cstdio>

namespace bertwb {
namespace {

std::string scaled(double value, double base, const char* const* units, int unitCount,
                   const char* suffix) {
  int unit = 0;
  while (std::fabs(value) >= base && unit + 1 < unitCount) {
    value /= base;
    ++unit;
  }
  char text[64];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s%s" : "%.1f %s%s", value, units[unit],
                suffix);
  return text;
}

}  // namespace

std::string formatCount(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string formatBytes(double bytes) {
  static const char* const units[] = {"", "Ki", "Mi", "Gi", "Ti"};
  return scaled(bytes, 1024.0, units, 5, "B");
}

std::string formatFlops(double flops) {
  static const char* const units[] = {"", "K", "M", "G", "T", "P"};
  return scaled(flops, 1000.0, units, 6, "FLOP");
}

std::string formatSeconds(double seconds) {
  char text[64];
  if (seconds < 1.0) {
    std::snprintf(text, sizeof text, "%.1f ms", seconds * 1000.0);
  } else if (seconds < 120.0) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else if (seconds < 3600.0) {
    std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(text, sizeof text, "%d h %02d min", static_cast<int>(seconds) / 3600,
                  (static_cast<int>(seconds) % 3600) / 60);
  }
  return text;
}

std::string joinForMessage(const std::vector<std::string>& items, const char* separator,
                           size_t most) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < most; ++i) text += (i > 0 ? separator : "") + items[i];
  if (items.size() > most)
    text += std::string(separator) + "… and " +
            formatCount(static_cast<int64_t>(items.size() - most)) + " more";
  return text;
}

}  // namespace bertwb
