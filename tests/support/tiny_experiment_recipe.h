#pragma once
// The smallest experiment the suites run: pre-trained vs random on 64 sentiment examples
// (one 6-step pre-training and two one-epoch fine-tunings; seconds on 2 cores).
#include <string>

#include <nlohmann/json.hpp>

namespace bertwb::test {

inline nlohmann::json tinyExperimentRecipe(const std::string& name = "tiny-test") {
  nlohmann::json recipe = nlohmann::json::parse(R"({
    "format": "bert-workbench-experiment", "version": 1,
    "model": {"preset": "tiny"},
    "pretraining": {"steps": 6, "batchSize": 8, "logEvery": 2, "precision": "fp32"},
    "finetuning": {"epochs": 1, "batchSize": 16, "maxSeqLength": 64, "precision": "fp32"},
    "tasks": [{"task": "sentiment", "trainExamples": 64}],
    "seeds": 1,
    "variants": [{"name": "pre-trained"}, {"name": "random", "init": "random"}],
    "claims": [{"better": "pre-trained", "worse": "random"}]
  })");
  recipe["name"] = name;
  return recipe;
}

}  // namespace bertwb::test
