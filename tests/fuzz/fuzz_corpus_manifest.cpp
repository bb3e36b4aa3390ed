// A tokenized corpus's index, corpus.json (data/corpus_shards_format.h).
#include "data/corpus_shards_format.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  fuzz::expectParsedOrRefused(
      [&] { shards::manifestFromJson(std::string(fuzz::bytesOf(data, size)), "corpus.json"); });
  return 0;
}
