// vocab.txt (text/vocab.h) and a WordPiece tokenizer built on whatever it holds.
#include "fuzz_support.h"
#include "text/vocab.h"
#include "text/wordpiece_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  fuzz::expectParsedOrRefused([&] {
    Vocab vocab = Vocab::fromFile(fuzz::inputAsFile(fuzz::bytesOf(data, size), "-vocab.txt"));
    const WordPieceTokenizer tokenizer(std::move(vocab), WordPieceOptions{});
    tokenizer.tokenize("Hello, Zürich! unaffable [MASK] 東京");
  });
  return 0;
}
