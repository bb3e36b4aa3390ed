// TSV/CSV classification and pair files (tasks/glue_reader.h), with the file preview the
// fine-tuning stage shows. The first byte picks the format and the columns.
#include "fuzz_support.h"
#include "tasks/glue_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  if (size == 0) return 0;
  const uint8_t choice = data[0];
  const std::string_view bytes = fuzz::bytesOf(data + 1, size - 1);
  const std::string& path = fuzz::inputAsFile(bytes, (choice & 1) ? ".csv" : ".tsv");
  TextReadOptions options;
  if (choice & 2) options.columnB = ColumnChoice::at(1);
  if (choice & 4) options.regression = true;
  if (choice & 8) options.columnLabel = ColumnChoice::none();
  fuzz::expectParsedOrRefused([&] { readTextDataset(path, options); });
  fuzz::expectParsedOrRefused([&] { previewTextFile(path, 8, options); });
  fuzz::expectParsedOrRefused([&] { parseLabelNames(std::string(bytes)); });
  return 0;
}
