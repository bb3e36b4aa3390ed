// Multiple-choice files (SWAG-style CSV, tasks/choice_reader.h).
#include "fuzz_support.h"
#include "tasks/choice_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string& path = fuzz::inputAsFile(fuzz::bytesOf(data, size), ".csv");
  fuzz::expectParsedOrRefused([&] { readChoiceDataset(path); });
  return 0;
}
