#include "infer/feature_extraction.h"

#include <nlohmann/json.hpp>

#include "io/manifests.h"

#include <cstring>
#include <filesystem>
#include <sstream>

#include "io/npy_writer.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {
namespace fs = std::filesystem;

constexpr const char* kPairSeparator = " ||| ";

int resolveLayer(int index, int layerCount, const std::string& spec) {
  const int resolved = index < 0 ? layerCount + 1 + index : index;
  if (resolved < 0 || resolved > layerCount)
    throw Error("layer " + std::to_string(index) + " in --layers '" + spec +
                "' is out of range: this model has " + std::to_string(layerCount) +
                " layers (0 = embeddings, 1.." + std::to_string(layerCount) + ", or -1 = last)");
  return resolved;
}

// TSV cells may hold no tabs or newlines.
std::string tsvCell(std::string text) {
  for (char& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}

std::string vectorsTsv(const std::vector<float>& values, int64_t dimension) {
  std::ostringstream out;
  out.precision(7);
  for (size_t row = 0; dimension > 0 && row < values.size() / static_cast<size_t>(dimension);
       ++row) {
    for (int64_t d = 0; d < dimension; ++d) {
      if (d > 0) out << '\t';
      out << values[row * static_cast<size_t>(dimension) + static_cast<size_t>(d)];
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace

LayerSelection parseLayerSpec(const std::string& spec, int layerCount) {
  LayerSelection selection;
  for (const char* prefix : {"sum", "concat"}) {
    const std::string p(prefix);
    if (spec.rfind(p, 0) != 0) continue;
    int count = 0;
    try {
      count = std::stoi(spec.substr(p.size()));
    } catch (const std::exception&) {
      throw Error("--layers '" + spec + "': expected " + p + "N, e.g. " + p + "4");
    }
    if (count < 1 || count > layerCount)
      throw Error("--layers '" + spec + "': this model has " + std::to_string(layerCount) +
                  " layers");
    selection.sum = p == "sum";
    for (int layer = layerCount - count + 1; layer <= layerCount; ++layer)
      selection.layers.push_back(layer);
    return selection;
  }
  std::stringstream items(spec);
  std::string item;
  while (std::getline(items, item, ',')) {
    try {
      size_t used = 0;
      const int index = std::stoi(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
      selection.layers.push_back(resolveLayer(index, layerCount, spec));
    } catch (const std::logic_error&) {
      throw Error("--layers '" + spec + "': '" + item +
                  "' is not a layer number (use e.g. -1, -2,-1, sum4 or concat4)");
    }
  }
  if (selection.layers.empty()) throw Error("--layers is empty (use e.g. -1, sum4 or concat4)");
  return selection;
}

SentencePooling sentencePoolingFromName(const std::string& name) {
  if (name == "cls") return SentencePooling::Cls;
  if (name == "mean") return SentencePooling::Mean;
  throw Error("unknown pooling '" + name + "' (use cls or mean)");
}

ExtractedFeatures extractFeatures(BertModel& model, const Tokenizer& tokenizer,
                                  const std::vector<std::string>& lines,
                                  const FeatureOptions& options, const torch::Device& device) {
  const LayerSelection selection =
      parseLayerSpec(options.layers, model->config().num_hidden_layers);
  const int64_t H = model->config().hidden_size;
  ExtractedFeatures features;
  features.dimension = selection.sum ? H : H * static_cast<int64_t>(selection.layers.size());
  features.sentences = lines;
  model->to(device);
  model->eval();
  torch::NoGradGuard noGrad;
  ForwardOptions forward;
  forward.outputHiddenStates = true;
  const int padId = tokenizer.specialTokenIds().pad;
  for (size_t first = 0; first < lines.size(); first += static_cast<size_t>(options.batchSize)) {
    const size_t last = std::min(lines.size(), first + static_cast<size_t>(options.batchSize));
    std::vector<Encoding> encodings;
    size_t longest = 0;
    for (size_t i = first; i < last; ++i) {
      const std::string& line = lines[i];
      const size_t split = line.find(kPairSeparator);
      encodings.push_back(
          split == std::string::npos
              ? tokenizer.encode(line, std::nullopt, options.maxSeqLength)
              : tokenizer.encode(std::string_view(line).substr(0, split),
                                 std::string_view(line).substr(split + std::strlen(kPairSeparator)),
                                 options.maxSeqLength));
      longest = std::max(longest, encodings.back().ids.size());
    }
    const int64_t B = static_cast<int64_t>(encodings.size()), S = static_cast<int64_t>(longest);
    torch::Tensor ids = torch::full({B, S}, padId, torch::kLong);
    torch::Tensor segments = torch::zeros({B, S}, torch::kLong);
    torch::Tensor mask = torch::zeros({B, S}, torch::kLong);
    for (int64_t b = 0; b < B; ++b) {
      const Encoding& e = encodings[static_cast<size_t>(b)];
      for (size_t s = 0; s < e.ids.size(); ++s) {
        ids[b][static_cast<int64_t>(s)] = e.ids[s];
        segments[b][static_cast<int64_t>(s)] = e.segmentIds[s];
        mask[b][static_cast<int64_t>(s)] = 1;
      }
    }
    const BertModelOutput out =
        model->forward({ids.to(device), segments.to(device), mask.to(device)}, forward);
    std::vector<torch::Tensor> chosen;
    for (int layer : selection.layers)
      chosen.push_back(out.hiddenStates[static_cast<size_t>(layer)]);
    torch::Tensor combined =
        selection.sum ? torch::stack(chosen).sum(0) : torch::cat(chosen, -1);  // (B, S, D)
    combined = combined.to(torch::kCPU, torch::kFloat32).contiguous();
    const auto values = combined.accessor<float, 3>();
    for (int64_t b = 0; b < B; ++b) {
      const Encoding& e = encodings[static_cast<size_t>(b)];
      std::vector<double> mean(static_cast<size_t>(features.dimension), 0.0);
      int64_t pieces = 0;
      for (size_t s = 0; s < e.ids.size(); ++s) {
        if (e.specialMask[s]) continue;
        for (int64_t d = 0; d < features.dimension; ++d) {
          const float v = values[b][static_cast<int64_t>(s)][d];
          features.tokenVectors.push_back(v);
          mean[static_cast<size_t>(d)] += v;
        }
        features.tokenPieces.push_back(e.pieces[s]);
        features.tokenLine.push_back(static_cast<int64_t>(first) + b);
        ++pieces;
      }
      for (int64_t d = 0; d < features.dimension; ++d) {
        features.sentenceVectors.push_back(
            options.pooling == SentencePooling::Cls
                ? values[b][0][d]  // [CLS]
                : static_cast<float>(mean[static_cast<size_t>(d)] / std::max<int64_t>(1, pieces)));
      }
    }
  }
  return features;
}

void writeFeatures(const ExtractedFeatures& features, const std::string& folder) {
  fs::create_directories(folder);
  // The manifest first: a folder half-written by a killed process is still recognisably
  // extract-features output (io/output_folder.h).
  writeFileAtomically(
      (fs::path(folder) / kFeaturesManifest).string(),
      nlohmann::json{{"format", kFeaturesFormat}, {"version", kFeaturesFormatVersion}}.dump(2) +
          "\n");
  const int64_t D = features.dimension;
  writeNpyFloat32((fs::path(folder) / "tokens.npy").string(),
                  {static_cast<int64_t>(features.tokenPieces.size()), D}, features.tokenVectors);
  writeNpyFloat32((fs::path(folder) / "sentences.npy").string(),
                  {static_cast<int64_t>(features.sentences.size()), D}, features.sentenceVectors);
  writeFileAtomically((fs::path(folder) / "vectors.tsv").string(),
                      vectorsTsv(features.tokenVectors, D));
  // The projector reads a metadata file with a header row when it has more than one column.
  std::string metadata = "piece\tline\n";
  for (size_t i = 0; i < features.tokenPieces.size(); ++i)
    metadata +=
        tsvCell(features.tokenPieces[i]) + "\t" + std::to_string(features.tokenLine[i]) + "\n";
  writeFileAtomically((fs::path(folder) / "metadata.tsv").string(), metadata);
  writeFileAtomically((fs::path(folder) / "sentence_vectors.tsv").string(),
                      vectorsTsv(features.sentenceVectors, D));
  std::string sentences;  // one column: no header row
  for (const std::string& sentence : features.sentences) sentences += tsvCell(sentence) + "\n";
  writeFileAtomically((fs::path(folder) / "sentence_metadata.tsv").string(), sentences);
}

}  // namespace bertwb
