// One line of `predict` input: JSON, then its text fields as the predictor prepares them
// (a single text or a pair for classification, a question and context for QA).
#include "fuzz_support.h"
#include "tasks/classification_features.h"
#include "tasks/qa_features.h"
#include "util/bounded_json.h"

namespace {

std::string field(const nlohmann::json& input, const char* name) {
  const auto it = input.find(name);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const nlohmann::json input = parseJsonOrDiscarded(fuzz::bytesOf(data, size));
  if (!input.is_object()) return 0;
  const WordPieceTokenizer& tokenizer = fuzz::smallWordPiece(true);
  fuzz::expectParsedOrRefused([&] {
    TextExample text;
    text.textA = field(input, "text");
    text.textB = field(input, "text_b");
    ClassificationFeatureOptions options;
    options.maxSeqLength = 32;
    featurizeText(text, tokenizer, options);
  });
  fuzz::expectParsedOrRefused([&] {
    QaExample example;
    example.question = field(input, "question");
    example.context = field(input, "context");
    QaFeatureOptions options;
    options.maxSeqLength = 48;
    options.docStride = 16;
    options.maxQueryLength = 12;
    featurizeQaExample(example, 0, tokenizer, options);
  });
  return 0;
}
