// `tokenize`: lines on stdin → pieces (or ids, or code point spans) on stdout, one output
// line per input line and nothing else on stdout; warnings go to stderr.
#include <iostream>
#include <string>

#include "commands.h"
#include "text/sentencepiece_tokenizer.h"
#include "text/tokenizer.h"
#include "text/unicode_text.h"
#include "text/wordpiece_tokenizer.h"
#include "util/error.h"

namespace bertwb::cli {
namespace {

struct TokenizeOptions {
  std::string checkpoint, vocab, spm;
  bool cased = false;
  int maxCharsPerWord = 100;
  bool ids = false;
  bool offsets = false;
};

std::unique_ptr<Tokenizer> chooseTokenizer(const TokenizeOptions& o) {
  if (!o.checkpoint.empty()) return loadTokenizer(o.checkpoint);
  if (!o.spm.empty()) return std::make_unique<SentencePieceTokenizer>(o.spm);
  WordPieceOptions options;
  options.doLowerCase = !o.cased;
  options.maxInputCharsPerWord = o.maxCharsPerWord;
  return std::make_unique<WordPieceTokenizer>(Vocab::fromFile(o.vocab), options);
}

void runTokenize(const TokenizeOptions& o) {
  std::unique_ptr<Tokenizer> tokenizer = chooseTokenizer(o);
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
        std::cerr << "warning: stdin line " << lineNumber << ": invalid UTF-8 at byte " << decoded.firstInvalidByte
                  << " replaced by U+FFFD (then dropped as the original tokenizer drops it); later lines are not "
                     "reported\n";
        warnedInvalid = true;
      }
    }
    out.clear();
    for (const Piece& piece : tokenizer->tokenize(line)) {
      if (!out.empty()) out += ' ';
      if (o.ids) out += std::to_string(piece.id);
      else if (o.offsets) out += std::to_string(piece.start) + ":" + std::to_string(piece.end);
      else out += piece.text;
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
      "tokenize", "Tokenize lines from stdin: one line of pieces (or ids, or start:end spans) per input line");
  auto* source = command->add_option_group("tokenizer", "which tokenizer (exactly one)");
  source->add_option("--checkpoint", o->checkpoint, "a checkpoint or tokenizer folder (vocab.txt or spiece.model)");
  source->add_option("--vocab", o->vocab, "a WordPiece vocab.txt (uncased unless --cased)");
  source->add_option("--spm", o->spm, "a SentencePiece .model file");
  source->require_option(1);
  command->add_flag("--cased", o->cased, "with --vocab: keep case and accents");
  command->add_option("--max-chars-per-word", o->maxCharsPerWord,
                      "with --vocab: longer words become [UNK] (Hugging Face 100, original BERT 200)")
      ->capture_default_str();
  auto* ids = command->add_flag("--ids", o->ids, "print token ids instead of pieces");
  command->add_flag("--offsets", o->offsets, "print start:end code point spans instead of pieces")->excludes(ids);
  command->callback([o] { runTokenize(*o); });
}

}  // namespace bertwb::cli
