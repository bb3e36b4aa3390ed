// CoNLL tagging files (tasks/conll_reader.h).
#include "fuzz_support.h"
#include "tasks/conll_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string& path = fuzz::inputAsFile(fuzz::bytesOf(data, size), ".conll");
  fuzz::expectParsedOrRefused([&] { readTaggedDataset(path); });
  TaggedReadOptions words;
  words.tagged = false;
  fuzz::expectParsedOrRefused([&] { readTaggedDataset(path, words); });
  return 0;
}
