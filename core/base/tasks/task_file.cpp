#include "tasks/task_file.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "text/unicode_text.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb::tasks {
namespace {

// Longer values are cut in messages so one bad row cannot flood a dialog.
constexpr size_t kMessageValueBytes = 60;

}  // namespace

std::ifstream openTaskFile(const std::string& path) {
  return openRegularFile(path, "task file");
}

std::string readTaskFile(const std::string& path) {
  return readRegularFile(path, kJsonInputFile);
}

bool readTaskLine(std::istream& in, std::string& line, const std::string& path,
                  int64_t lineNumber) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  for (int c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
    if (line.size() > kMostTaskLineBytes) {
      throw Error(locationOf(path, lineNumber) + ": a line longer than " +
                  std::to_string(kMostTaskLineBytes >> 20) +
                  " MiB, which no task file has: is this the right file?");
    }
  }
  in.setstate(std::ios::eofbit);
  return !line.empty();
}

std::string locationOf(const std::string& path, int64_t line) {
  return path + ":" + std::to_string(line);
}

void checkUtf8(std::string_view text, const std::string& path, int64_t line) {
  const DecodedText decoded = decodeUtf8(text);
  if (decoded.invalidSequences > 0) {
    throw Error(locationOf(path, line) + ": invalid UTF-8 at byte " +
                std::to_string(decoded.firstInvalidByte + 1) +
                " of the line (save the file as UTF-8)");
  }
}

void stripByteOrderMark(std::string& firstLine) {
  static const std::string kByteOrderMark = "\xEF\xBB\xBF";
  if (firstLine.compare(0, kByteOrderMark.size(), kByteOrderMark) == 0) {
    firstLine.erase(0, kByteOrderMark.size());
  }
}

void stripCarriageReturn(std::string& line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
}

std::string trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

bool parseNumber(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

bool parseInteger(const std::string& text, int64_t& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(text.c_str(), &end, /*base=*/10);
  value = parsed;
  return end == text.c_str() + text.size() && errno == 0;
}

std::string quotedForMessage(std::string_view text) {
  if (text.size() <= kMessageValueBytes) return "'" + std::string(text) + "'";
  // Cut on a UTF-8 character boundary (continuation bytes are 10xxxxxx).
  size_t cut = kMessageValueBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

}  // namespace bertwb::tasks
