// config.json (model/bert_config.h): any text is a config or a refusal, and an accepted
// config survives its own round trip unchanged.
#include <cstdlib>

#include "fuzz_support.h"
#include "model/bert_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  fuzz::expectParsedOrRefused([&] {
    const BertConfig config = configFromJson(std::string(fuzz::bytesOf(data, size)), "config.json");
    const std::string written = configToJson(config);
    if (configToJson(configFromJson(written, "round trip")) != written) std::abort();
  });
  return 0;
}
