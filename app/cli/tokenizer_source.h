#pragma once
// The "which tokenizer?" options several commands share: --checkpoint DIR | --vocab FILE
// [--cased] | --spm FILE, exactly one.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "text/tokenizer.h"

namespace bertwb::cli {

struct TokenizerSource {
  std::string checkpoint, vocab, spm;
  bool cased = false;
  int maxCharsPerWord = 100;
};

void addTokenizerSourceOptions(CLI::App* command, TokenizerSource& source);
std::unique_ptr<Tokenizer> openTokenizer(const TokenizerSource& source);

}  // namespace bertwb::cli
