// SQuAD v1.1/v2.0 JSON (tasks/squad_reader.h), then its windows as training and as
// prediction make them (tasks/qa_features.h) with a small vocabulary.
#include "fuzz_support.h"
#include "tasks/qa_features.h"
#include "tasks/squad_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string& path = fuzz::inputAsFile(fuzz::bytesOf(data, size), "-squad.json");
  fuzz::expectParsedOrRefused([&] {
    const QaDataset dataset = readQaDataset(path);
    for (const bool training : {false, true})
      featurizeQaDataset(dataset, fuzz::smallWordPiece(true), fuzz::smallQaWindows(training));
  });
  return 0;
}
