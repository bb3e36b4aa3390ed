#pragma once
// Rows of a delimited text file (TSV or CSV), read one record at a time so a preview of a
// large file reads only its first lines. CSV follows RFC 4180: a field that starts with '"'
// is quoted, may hold the delimiter, line breaks and '""' for a quote, and ends at a closing
// quote. TSV is read without quoting, as GLUE's own processors read it (csv.reader with
// quotechar=None): SST-2 and MNLI sentences hold bare quote characters.
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace bertwb::tasks {

constexpr char kTab = '\t';
constexpr char kComma = ',';

// ',' for a path ending in ".csv" (any case), otherwise '\t'.
char delimiterForPath(const std::string& path);

struct DelimitedRecord {
  std::vector<std::string> cells;
  int64_t line = 0;  // 1-based line on which the record starts (a quoted field may span lines)
};

class DelimitedTableReader {
 public:
  // `path` is only for messages; `quoting` turns RFC 4180 quoted fields on.
  DelimitedTableReader(std::istream& in, std::string path, char delimiter, bool quoting);

  // The next non-blank record; false at the end of the file. Throws bertwb::Error naming
  // path:line for invalid UTF-8, an unterminated quoted field or text after a closing quote.
  bool next(DelimitedRecord& record);

 private:
  bool readLine(std::string& line);
  void splitQuoted(std::string line, DelimitedRecord& record);

  std::istream& in_;
  std::string path_;
  char delimiter_;
  bool quoting_;
  int64_t linesRead_ = 0;
};

}  // namespace bertwb::tasks
