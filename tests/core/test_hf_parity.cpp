// Parity with Hugging Face transformers on pinned numbers: a tiny BertForPreTraining that
// transformers 4.26.1 saved, and the outputs, losses and gradients it computed for a fixed
// batch (tests/data/hf-parity, README there). The workbench loads the same folder, runs the
// same batch and must give the same numbers: every activation, the attention probabilities,
// the MLM and NSP losses, and d(loss)/d(parameter) for every parameter. The legacy copy
// (LayerNorm .gamma/.beta names) must give the same forward outputs.
//
// Padded query positions are compared too: Hugging Face computes them like any other and so
// does the workbench; only the attention mask's effect on the keys differs from position to
// position, and that is what the attention probabilities check.
#include <torch/torch.h>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/collator.h"
#include "data/ignored_label.h"
#include "io/checkpoint.h"
#include "io/model_loading.h"
#include "io/safetensors.h"
#include "model/bert_pretraining.h"
#include "train/pretraining_loss.h"

namespace {

using namespace bertwb;

const std::string kFixture = BERTWB_TEST_DATA_DIR "/hf-parity";
// The fixture README's tolerances: LibTorch builds differ in the last bits, not more.
constexpr double kOutputTolerance = 1e-5;            // absolute, activations and losses
constexpr double kGradientRelativeTolerance = 1e-4;  // of the gradient's largest magnitude
// Gradients that are zero in exact arithmetic (the key bias: softmax ignores a score shift that
// is the same for every key) come out as rounding noise of ~1e-9 on both sides; they are
// compared absolutely against this floor instead of relative to their own noise.
constexpr double kGradientAbsoluteFloor = 1e-6;

torch::Tensor int64Matrix(const nlohmann::json& rows) {
  std::vector<int64_t> values;
  for (const auto& row : rows) {
    for (const auto& value : row) values.push_back(value.get<int64_t>());
  }
  return torch::tensor(values).reshape({static_cast<int64_t>(rows.size()), -1});
}

struct FixtureBatch {
  BertInputs inputs;
  torch::Tensor labels;             // (B, S), kIgnoreLabel where nothing is predicted
  torch::Tensor nextSentenceLabel;  // (B)
};

FixtureBatch readInputs() {
  std::ifstream in(kFixture + "/inputs.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  FixtureBatch batch;
  batch.inputs.inputIds = int64Matrix(json.at("input_ids"));
  batch.inputs.tokenTypeIds = int64Matrix(json.at("token_type_ids"));
  batch.inputs.attentionMask = int64Matrix(json.at("attention_mask"));
  batch.labels = int64Matrix(json.at("labels"));
  batch.nextSentenceLabel =
      torch::tensor(json.at("next_sentence_label").get<std::vector<int64_t>>());
  return batch;
}

// The fixture's labels in the workbench's gathered form: each row's predicted positions,
// padded to the longest row with weight 0 (what the collator makes from instances).
PretrainingBatch gatheredBatch(const FixtureBatch& fixture) {
  const int64_t rows = fixture.labels.size(0);
  std::vector<std::vector<int64_t>> positions(rows), labels(rows);
  size_t slots = 0;
  for (int64_t b = 0; b < rows; ++b) {
    for (int64_t s = 0; s < fixture.labels.size(1); ++s) {
      const int64_t label = fixture.labels[b][s].item<int64_t>();
      if (label == kIgnoreLabel) continue;
      positions[b].push_back(s);
      labels[b].push_back(label);
    }
    slots = std::max(slots, positions[b].size());
  }
  PretrainingBatch batch;
  batch.inputIds = fixture.inputs.inputIds;
  batch.segmentIds = fixture.inputs.tokenTypeIds;
  batch.attentionMask = fixture.inputs.attentionMask;
  batch.maskedPositions = torch::zeros({rows, static_cast<int64_t>(slots)}, torch::kInt64);
  batch.maskedLabels =
      torch::full({rows, static_cast<int64_t>(slots)}, kIgnoreLabel, torch::kInt64);
  batch.maskedWeights = torch::zeros({rows, static_cast<int64_t>(slots)});
  for (int64_t b = 0; b < rows; ++b) {
    for (size_t k = 0; k < positions[b].size(); ++k) {
      batch.maskedPositions[b][k] = positions[b][k];
      batch.maskedLabels[b][k] = labels[b][k];
      batch.maskedWeights[b][k] = 1.0f;
    }
  }
  batch.nextSentenceLabels = fixture.nextSentenceLabel;
  return batch;
}

double maxDifference(const torch::Tensor& actual, const torch::Tensor& expected) {
  return (actual.detach().to(torch::kFloat64) - expected.to(torch::kFloat64))
      .abs()
      .max()
      .item<double>();
}

// Fails naming the tensor, both shapes or the largest difference.
void compareOutput(const std::string& name, const torch::Tensor& actual,
                   const torch::Tensor& expected) {
  QVERIFY2(actual.defined(), (name + " was not computed").c_str());
  QVERIFY2(actual.sizes() == expected.sizes(), (name + ": shape " + c10::str(actual.sizes()) +
                                                ", Hugging Face " + c10::str(expected.sizes()))
                                                   .c_str());
  const double difference = maxDifference(actual, expected);
  QVERIFY2(difference <= kOutputTolerance,
           (name + ": largest difference " + std::to_string(difference)).c_str());
}

void compareForwardOutputs(const std::string& checkpoint, const std::string& expectedFile) {
  LoadReport report;
  BertForPreTraining model = loadPretrainingModel(kFixture + "/" + checkpoint, &report);
  QVERIFY2(report.missingKeys.empty(),
           report.warningText("BertForPreTraining", checkpoint).c_str());
  QVERIFY2(report.unexpectedKeys.empty(),
           report.warningText("BertForPreTraining", checkpoint).c_str());
  model->eval();
  torch::NoGradGuard noGrad;
  const FixtureBatch batch = readInputs();
  ForwardOptions options;
  options.outputAttentions = true;
  options.outputHiddenStates = true;
  const PreTrainingOutput output = model->forward(batch.inputs, /*maskedPositions=*/{}, options);
  const SafetensorsReader expected(kFixture + "/" + expectedFile);
  compareOutput("last_hidden_state", output.bert.lastHiddenState,
                expected.read("last_hidden_state"));
  compareOutput("pooler_output", output.bert.pooledOutput, expected.read("pooler_output"));
  compareOutput("prediction_logits", output.predictionLogits, expected.read("prediction_logits"));
  compareOutput("seq_relationship_logits", output.seqRelationshipLogits,
                expected.read("seq_relationship_logits"));
  const int layers = model->config().num_hidden_layers;
  QCOMPARE(static_cast<int>(output.bert.hiddenStates.size()), layers + 1);
  QCOMPARE(static_cast<int>(output.bert.attentions.size()), layers);
  for (int i = 0; i <= layers; ++i) {
    const std::string name = "hidden_states." + std::to_string(i);
    compareOutput(name, output.bert.hiddenStates[i], expected.read(name));
  }
  for (int i = 0; i < layers; ++i) {
    const std::string name = "attentions." + std::to_string(i);
    compareOutput(name, output.bert.attentions[i], expected.read(name));
  }
}

}  // namespace

class TestHfParity : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);  // one thread: the reduction order HF used on its CPU
  }

  void forwardMatchesHuggingFace() { compareForwardOutputs("ckpt-hf", "expected-hf.safetensors"); }

  void legacyLayerNormNamesGiveTheSameOutputs() {
    compareForwardOutputs("ckpt-legacy", "expected-legacy.safetensors");
  }

  // The pre-training loss (MLM mean over the 5 labelled positions + NSP mean over the 2
  // pairs) and its gradient for every parameter, through the workbench's gathered MLM head.
  void lossesAndGradientsMatchHuggingFace() {
    BertForPreTraining model = loadPretrainingModel(kFixture + "/ckpt-hf");
    model->eval();  // HF computed the gradients with dropout off too
    const FixtureBatch fixture = readInputs();
    const PretrainingBatch batch = gatheredBatch(fixture);
    const PreTrainingOutput output = model->forward(
        BertInputs{batch.inputIds, batch.segmentIds, batch.attentionMask}, batch.maskedPositions);
    LossNormalisers normalisers;
    normalisers.predictions = batch.maskedWeights.sum().item<double>();
    normalisers.sequences = static_cast<double>(batch.inputIds.size(0));
    QCOMPARE(normalisers.predictions, 5.0);
    const PretrainingLoss loss = pretrainingLoss(output, batch, /*withNsp=*/true, normalisers);
    const SafetensorsReader expected(kFixture + "/expected-hf.safetensors");
    compareOutput("mlm_loss", loss.mlm, expected.read("mlm_loss"));
    compareOutput("nsp_loss", loss.nsp, expected.read("nsp_loss"));
    compareOutput("loss", loss.total, expected.read("loss"));

    loss.total.backward();
    std::map<std::string, torch::Tensor> parameters;
    for (const auto& item : model->named_parameters(/*recurse=*/true))
      parameters[item.key()] = item.value();
    int compared = 0;
    for (const SafetensorsEntry& entry : expected.entries()) {
      if (entry.name.rfind("grad.", 0) != 0) continue;
      const std::string hfName = entry.name.substr(5);
      const std::string name = canonicalParameterName(hfName, /*modelHasBertPrefix=*/true);
      QVERIFY2(parameters.count(name) == 1, ("no parameter for Hugging Face's " + hfName).c_str());
      const torch::Tensor gradient = parameters[name].grad();
      QVERIFY2(gradient.defined(), (name + " received no gradient").c_str());
      const torch::Tensor reference = expected.read(entry.name);
      QVERIFY2(gradient.sizes() == reference.sizes(), (name + ": gradient shape differs").c_str());
      const double scale = std::max(reference.abs().max().item<double>(), kGradientAbsoluteFloor);
      const double relative = maxDifference(gradient, reference) / scale;
      QVERIFY2(
          relative <= kGradientRelativeTolerance,
          (name + ": gradient differs by " + std::to_string(relative) + " of its largest value")
              .c_str());
      ++compared;
    }
    // Every parameter of the model has its reference (the tied decoder weight is the word
    // embedding, counted once, as HF stores it).
    QCOMPARE(compared, static_cast<int>(parameters.size()));
  }
};

QTEST_GUILESS_MAIN(TestHfParity)
#include "test_hf_parity.moc"
