#include "tasks/classification_features.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "util/error.h"

namespace bertwb {

ClassificationFeature featurizeText(const TextExample& example, const Tokenizer& tokenizer,
                                    const ClassificationFeatureOptions& options) {
  ClassificationFeature feature;
  std::optional<std::string_view> textB;
  if (!example.textB.empty()) textB = example.textB;
  feature.encoding =
      tokenizer.encode(example.textA, textB, options.maxSeqLength, Truncation::LongestFirst);
  return feature;
}

std::vector<ClassificationFeature> featurizeTextDataset(
    const TextDataset& dataset, const Tokenizer& tokenizer,
    const ClassificationFeatureOptions& options) {
  std::vector<ClassificationFeature> features;
  features.reserve(dataset.examples.size());
  for (size_t i = 0; i < dataset.examples.size(); ++i) {
    const TextExample& example = dataset.examples[i];
    ClassificationFeature feature = featurizeText(example, tokenizer, options);
    feature.exampleIndex = i;
    if (!example.label.empty()) {
      feature.labelled = true;
      if (dataset.regression) {
        char* end = nullptr;
        const double value = std::strtod(example.label.c_str(), &end);
        if (end == example.label.c_str() || *end != '\0' || !std::isfinite(value)) {
          throw Error(example.source + ": regression label \"" + example.label +
                      "\" is not a number");
        }
        feature.target = static_cast<float>(value);
      } else {
        auto it = std::find(dataset.labels.begin(), dataset.labels.end(), example.label);
        if (it == dataset.labels.end()) {
          throw Error(
              example.source + ": label \"" + example.label +
              "\" is not one of the training set's labels (the model has no output for it)");
        }
        feature.labelId = it - dataset.labels.begin();
      }
    }
    features.push_back(std::move(feature));
  }
  return features;
}

}  // namespace bertwb
