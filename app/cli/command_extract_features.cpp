// `extract-features`: frozen activations of chosen layers for every line of a text file,
// as NumPy arrays and TensorBoard-projector TSV (the paper's feature-based approach, §5.3).
#include <fstream>
#include <iostream>

#include "commands.h"
#include "infer/feature_extraction.h"
#include "io/checkpoint.h"
#include "io/feature_files.h"
#include "io/model_loading.h"
#include "io/output_folder.h"
#include "io/tokenizer_fit.h"
#include "option_checks.h"
#include "runtime/device.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb::cli {
namespace {

struct ExtractFeaturesCliOptions {
  std::string checkpoint, input, output;
  std::string layers = "-1";
  std::string pooling = "cls";
  int maxSeqLength = 128;
  int batchSize = 32;
  std::string device = "auto";
  int threads = 0;
  bool force = false;
};

// Lines are read, run and written this many at a time: memory is one block's, however long
// the input is (every vector used to be held until the end).
constexpr size_t kLinesPerBlock = 1024;

// The next block of non-empty lines (a trailing CR dropped); empty at the end of the file.
std::vector<std::string> readLineBlock(std::ifstream& in) {
  std::vector<std::string> lines;
  std::string line;
  while (lines.size() < kLinesPerBlock && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

void runExtractFeatures(const ExtractFeaturesCliOptions& o) {
  claimOutputFolder(o.output, OutputKind::FeatureVectors, {false, o.force}, "--output");
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  FeatureOptions options;
  options.layers = o.layers;
  options.pooling = sentencePoolingFromName(o.pooling);
  options.maxSeqLength = o.maxSeqLength;
  options.batchSize = o.batchSize;
  std::ifstream in = openRegularFile(o.input, "input text");
  std::vector<std::string> lines = readLineBlock(in);
  if (lines.empty()) throw Error("'" + o.input + "' has no lines to embed");
  BertModel model = loadBareModel(o.checkpoint);
  parseLayerSpec(o.layers, model->config().num_hidden_layers);
  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(o.checkpoint);
  checkTokenizerFitsModel(*tokenizer, inspectCheckpoint(o.checkpoint).config, o.checkpoint);
  const int64_t dimension = featureDimension(model->config(), options);
  FeatureFilesWriter writer(o.output, dimension);
  for (; !lines.empty(); lines = readLineBlock(in)) {
    extractFeatures(model, *tokenizer, lines, options, device, [&](const LineFeatures& line) {
      writer.addLine(lines[line.index], line.pieces, line.tokenVectors.data(),
                     line.sentenceVector.data());
    });
  }
  writer.finish();
  std::cout << "wrote " << writer.tokenCount() << " token vectors and " << writer.lineCount()
            << " sentence vectors of dimension " << dimension << " (layers " << o.layers << ", "
            << o.pooling << " pooling) to " << o.output
            << ": tokens.npy, sentences.npy, vectors.tsv + metadata.tsv, sentence_vectors.tsv + "
               "sentence_metadata.tsv\n";
}

}  // namespace

void addExtractFeaturesCommand(CLI::App& app) {
  auto o = std::make_shared<ExtractFeaturesCliOptions>();
  CLI::App* command = app.add_subcommand(
      "extract-features", "Token and sentence vectors from chosen layers (.npy and projector TSV)");
  command
      ->add_option("--checkpoint", o->checkpoint, "checkpoint folder (pre-trained or fine-tuned)")
      ->required();
  command
      ->add_option("--input", o->input, "text file: one sentence per line, or 'A ||| B' for a pair")
      ->required();
  command
      ->add_option("--output", o->output,
                   "folder for the vectors: new, empty, or (with --force) earlier vectors")
      ->required();
  command->add_flag("--force", o->force,
                    "replace the vectors of an earlier extract-features in --output");
  command
      ->add_option("--layers", o->layers,
                   "-1 (last), -2,-1 (concatenated), 0 (embeddings), sum4 / concat4 (last four)")
      ->capture_default_str();
  command->add_option("--pooling", o->pooling, "sentence vector: cls or mean (of the pieces)")
      ->capture_default_str();
  command->add_option("--max-seq-length", o->maxSeqLength, "longest input, in pieces")
      ->capture_default_str();
  command->add_option("--batch-size", o->batchSize, "lines per forward pass")
      ->capture_default_str();
  command->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  command->add_option("--threads", o->threads, "CPU threads (0 = one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  command->callback([o] { runExtractFeatures(*o); });
}

}  // namespace bertwb::cli
