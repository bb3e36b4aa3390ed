// Prepared pre-training instances, one JSON object per line (data/instance_stream.h), read
// under a small model's limits and then handed out.
#include "data/instance_stream.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string& path = fuzz::inputAsFile(fuzz::bytesOf(data, size), "-instances.jsonl");
  const WordPieceTokenizer& tokenizer = fuzz::smallWordPiece(true);
  InstanceLimits limits;
  limits.maxLength = 64;
  limits.typeVocabSize = 2;
  limits.vocabSize = tokenizer.vocabSize();
  fuzz::expectParsedOrRefused([&] {
    JsonlInstanceSource source(path, tokenizer, limits);
    for (int i = 0; i < 4; ++i) source.next();
  });
  return 0;
}
