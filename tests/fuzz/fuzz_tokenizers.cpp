// WordPiece and the BasicTokenizer on arbitrary bytes (invalid UTF-8, controls, combining
// marks, CJK, huge words): never a refusal here, so any exception is a finding. Every piece
// id must be in the vocabulary and every offset inside the text.
#include <cstdlib>

#include "fuzz_support.h"
#include "text/basic_tokenizer.h"
#include "text/unicode_text.h"
#include "text/wordpiece_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string_view text = fuzz::bytesOf(data, size);
  for (const bool lowerCase : {true, false}) {
    const WordPieceTokenizer& tokenizer = fuzz::smallWordPiece(lowerCase);
    const std::vector<Piece> pieces = tokenizer.tokenize(text);
    std::vector<int32_t> ids;
    for (const Piece& piece : pieces) {
      if (piece.id < 0 || piece.id >= tokenizer.vocabSize()) std::abort();
      ids.push_back(piece.id);
    }
    tokenizer.decode(ids);
    BasicTokenizerOptions options;
    options.doLowerCase = lowerCase;
    BasicTokenizer(options).split(decodeUtf8(text).codepoints);
  }
  return 0;
}
