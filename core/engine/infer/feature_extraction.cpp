#include "infer/feature_extraction.h"

#include <cstring>
#include <sstream>

#include "io/feature_files.h"
#include "util/error.h"

namespace bertwb {
namespace {
constexpr const char* kPairSeparator = " ||| ";

int resolveLayer(int index, int layerCount, const std::string& spec) {
  const int resolved = index < 0 ? layerCount + 1 + index : index;
  if (resolved < 0 || resolved > layerCount)
    throw Error("layer " + std::to_string(index) + " in --layers '" + spec +
                "' is out of range: this model has " + std::to_string(layerCount) +
                " layers (0 = embeddings, 1.." + std::to_string(layerCount) + ", or -1 = last)");
  return resolved;
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

void extractFeatures(BertModel& model, const Tokenizer& tokenizer,
                     const std::vector<std::string>& lines, const FeatureOptions& options,
                     const torch::Device& device, const LineFeatureSink& sink) {
  const LayerSelection selection =
      parseLayerSpec(options.layers, model->config().num_hidden_layers);
  const int64_t D = featureDimension(model->config(), options);
  model->to(device);
  model->eval();
  torch::NoGradGuard noGrad;
  ForwardOptions forward;
  forward.outputHiddenStates = true;
  const int padId = tokenizer.specialTokenIds().pad;
  LineFeatures line;
  for (size_t first = 0; first < lines.size(); first += static_cast<size_t>(options.batchSize)) {
    const size_t last = std::min(lines.size(), first + static_cast<size_t>(options.batchSize));
    std::vector<Encoding> encodings;
    size_t longest = 0;
    for (size_t i = first; i < last; ++i) {
      const std::string& text = lines[i];
      const size_t split = text.find(kPairSeparator);
      encodings.push_back(
          split == std::string::npos
              ? tokenizer.encode(text, std::nullopt, options.maxSeqLength)
              : tokenizer.encode(std::string_view(text).substr(0, split),
                                 std::string_view(text).substr(split + std::strlen(kPairSeparator)),
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
      line.index = first + static_cast<size_t>(b);
      line.pieces.clear();
      line.tokenVectors.clear();
      std::vector<double> mean(static_cast<size_t>(D), 0.0);
      for (size_t s = 0; s < e.ids.size(); ++s) {
        if (e.specialMask[s]) continue;
        for (int64_t d = 0; d < D; ++d) {
          const float v = values[b][static_cast<int64_t>(s)][d];
          line.tokenVectors.push_back(v);
          mean[static_cast<size_t>(d)] += v;
        }
        line.pieces.push_back(e.pieces[s]);
      }
      const auto pieces = static_cast<double>(std::max<size_t>(1, line.pieces.size()));
      line.sentenceVector.assign(static_cast<size_t>(D), 0.0f);
      for (int64_t d = 0; d < D; ++d) {
        line.sentenceVector[static_cast<size_t>(d)] =
            options.pooling == SentencePooling::Cls
                ? values[b][0][d]  // [CLS]
                : static_cast<float>(mean[static_cast<size_t>(d)] / pieces);
      }
      sink(line);
    }
  }
}

ExtractedFeatures extractFeatures(BertModel& model, const Tokenizer& tokenizer,
                                  const std::vector<std::string>& lines,
                                  const FeatureOptions& options, const torch::Device& device) {
  ExtractedFeatures features;
  features.dimension = featureDimension(model->config(), options);
  features.sentences = lines;
  extractFeatures(model, tokenizer, lines, options, device, [&](const LineFeatures& line) {
    features.tokenVectors.insert(features.tokenVectors.end(), line.tokenVectors.begin(),
                                 line.tokenVectors.end());
    features.tokenPieces.insert(features.tokenPieces.end(), line.pieces.begin(), line.pieces.end());
    features.tokenLine.insert(features.tokenLine.end(), line.pieces.size(),
                              static_cast<int64_t>(line.index));
    features.sentenceVectors.insert(features.sentenceVectors.end(), line.sentenceVector.begin(),
                                    line.sentenceVector.end());
  });
  return features;
}

int64_t featureDimension(const BertConfig& config, const FeatureOptions& options) {
  const LayerSelection selection = parseLayerSpec(options.layers, config.num_hidden_layers);
  return selection.sum ? config.hidden_size
                       : config.hidden_size * static_cast<int64_t>(selection.layers.size());
}

void writeFeatures(const ExtractedFeatures& features, const std::string& folder) {
  FeatureFilesWriter writer(folder, features.dimension);
  const auto D = static_cast<size_t>(features.dimension);
  size_t token = 0;
  for (size_t line = 0; line < features.sentences.size(); ++line) {
    size_t end = token;
    while (end < features.tokenLine.size() && features.tokenLine[end] == static_cast<int64_t>(line))
      ++end;
    const std::vector<std::string> pieces(features.tokenPieces.begin() + static_cast<long>(token),
                                          features.tokenPieces.begin() + static_cast<long>(end));
    writer.addLine(features.sentences[line], pieces, features.tokenVectors.data() + token * D,
                   features.sentenceVectors.data() + line * D);
    token = end;
  }
  writer.finish();
}

}  // namespace bertwb
