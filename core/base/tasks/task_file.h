#pragma once
// What every task reader needs from a file, whatever its format: opening it with a message
// that names it, "file:line" locations for errors and examples, UTF-8 checks that point at
// the line, and the small text helpers (trimming, numbers) the formats share.
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace bertwb::tasks {

// Opens `path` for binary reading; throws bertwb::Error naming the path and the reason.
std::ifstream openTaskFile(const std::string& path);

// The whole file as bytes (for formats parsed in one piece, such as JSON).
std::string readTaskFile(const std::string& path);

// No line of a task file is longer (a TSV record, a CoNLL token line): a longer one is a
// file of another kind, and reading it whole (on the GUI thread, for the preview) would not
// end soon.
constexpr size_t kMostTaskLineBytes = size_t{16} << 20;

// std::getline with that limit: the next line of `in` (its line number is `lineNumber`) in
// `line`, false at the end; throws bertwb::Error "path:N: a line longer than 16 MiB".
bool readTaskLine(std::istream& in, std::string& line, const std::string& path, int64_t lineNumber);

// "dev.tsv:12": the path as the caller gave it and a 1-based line number.
std::string locationOf(const std::string& path, int64_t line);

// Throws "path:line: invalid UTF-8 at byte N of the line" when `text` is not valid UTF-8.
void checkUtf8(std::string_view text, const std::string& path, int64_t line);

// Removes a UTF-8 byte order mark (which spreadsheet programs write) from the first line.
void stripByteOrderMark(std::string& firstLine);

// Removes a trailing '\r' (a file written with Windows line ends).
void stripCarriageReturn(std::string& line);

// `text` without leading and trailing ASCII spaces and tabs.
std::string trimmed(std::string_view text);

// Parses the whole of `text` as a finite decimal number ("0.5", "-3", "1e-2").
bool parseNumber(const std::string& text, double& value);

// Parses the whole of `text` as a base-10 integer.
bool parseInteger(const std::string& text, int64_t& value);

// `text` quoted for a message, shortened when long: 'Zürich'.
std::string quotedForMessage(std::string_view text);

}  // namespace bertwb::tasks
