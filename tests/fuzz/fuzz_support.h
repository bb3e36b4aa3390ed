#pragma once
// What the harnesses share. Each fuzz_*.cpp defines LLVMFuzzerTestOneInput for one parser:
// it must return normally for every input, whatever the bytes; bertwb::Error (a clear refusal)
// is the expected answer to bad input and is caught here. Anything else that escapes (another
// exception type, a crash, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tasks/qa_features.h"
#include "text/wordpiece_tokenizer.h"
#include "util/error.h"

namespace bertwb::fuzz {

inline std::string_view bytesOf(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input written to a file of this process (in /dev/shm when there is one), for the
// readers that take a path. `extension` chooses the reader's behaviour where it depends on it
// (".tsv" / ".csv"). The same file is rewritten for every input.
const std::string& inputAsFile(std::string_view bytes, const char* extension);

// A WordPiece tokenizer of a few dozen pieces (specials, words, ##suffixes, letters and
// some non-Latin characters), built once: enough for every code path of the tokenizer.
const WordPieceTokenizer& smallWordPiece(bool lowerCase);

// QA windows small enough that a few-KB input spans several (what fuzz_squad and
// fuzz_predict_line featurize with).
QaFeatureOptions smallQaWindows(bool training = false);

// Runs `parse`; a bertwb::Error is a refusal, the right answer to bad input.
template <typename Parse>
void expectParsedOrRefused(Parse&& parse) {
  try {
    parse();
  } catch (const bertwb::Error&) {
  }
}

}  // namespace bertwb::fuzz
