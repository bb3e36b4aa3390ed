// One line of `predict` input: JSON, then its text fields as the predictor prepares them
// (a single text or a pair for classification, a question and context for QA).
#include "fuzz_support.h"
#include "tasks/classification_features.h"
#include "tasks/qa_features.h"
#include "util/bounded_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const nlohmann::json input = parseJsonOrDiscarded(fuzz::bytesOf(data, size));
  if (!input.is_object()) return 0;
  const WordPieceTokenizer& tokenizer = fuzz::smallWordPiece(true);
  fuzz::expectParsedOrRefused([&] {
    TextExample text;
    text.textA = jsonStringOr(input, "text");
    text.textB = jsonStringOr(input, "text_b");
    ClassificationFeatureOptions options;
    options.maxSeqLength = 32;
    featurizeText(text, tokenizer, options);
  });
  fuzz::expectParsedOrRefused([&] {
    QaExample example;
    example.question = jsonStringOr(input, "question");
    example.context = jsonStringOr(input, "context");
    featurizeQaExample(example, 0, tokenizer, fuzz::smallQaWindows());
  });
  return 0;
}
