// `tokenize`: lines on stdin → pieces (or ids, or code point spans) on stdout, one output
// line per input line and nothing else on stdout; warnings go to stderr.
#include <iostream>
#include <string>

#include "commands.h"
#include "text/tokenizer.h"
#include "text/unicode_text.h"
#include "tokenizer_source.h"
#include "util/error.h"

namespace bertwb::cli {
namespace {

struct TokenizeOptions {
  TokenizerSource source;
  bool ids = false;
  bool offsets = false;
};

void runTokenize(const TokenizeOptions& o) {
  std::unique_ptr<Tokenizer> tokenizer = openTokenizer(o.source);
  std::ios::sync_with_stdio(false);
  std::string line, out;
  int64_t lineNumber = 0;
  bool warnedInvalid = false;
  while (std::getline(std::cin, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!warnedInvalid) {
      const DecodedText decoded = decodeUtf8(line);
      if (decoded.invalidSequences > 0) {
        std::cerr << "warning: stdin line " << lineNumber << ": invalid UTF-8 at byte "
                  << decoded.firstInvalidByte
                  << " replaced by U+FFFD (then dropped as the original tokenizer drops it); later "
                     "lines are not "
                     "reported\n";
        warnedInvalid = true;
      }
    }
    out.clear();
    for (const Piece& piece : tokenizer->tokenize(line)) {
      if (!out.empty()) out += ' ';
      if (o.ids)
        out += std::to_string(piece.id);
      else if (o.offsets)
        out += std::to_string(piece.start) + ":" + std::to_string(piece.end);
      else
        out += piece.text;
    }
    out += '\n';
    std::cout << out;
  }
  std::cout.flush();
}

}  // namespace

void addTokenizeCommand(CLI::App& app) {
  auto o = std::make_shared<TokenizeOptions>();
  CLI::App* command = app.add_subcommand(
      "tokenize",
      "Tokenize lines from stdin: one line of pieces (or ids, or start:end spans) per input line");
  addTokenizerSourceOptions(command, o->source);
  auto* ids = command->add_flag("--ids", o->ids, "print token ids instead of pieces");
  command->add_flag("--offsets", o->offsets, "print start:end code point spans instead of pieces")
      ->excludes(ids);
  command->callback([o] { runTokenize(*o); });
}

}  // namespace bertwb::cli
