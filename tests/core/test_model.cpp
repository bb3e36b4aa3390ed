// The BERT modules: shapes, exact parameter counts, Hugging Face key names, masking
// behaviour, determinism, and one encoder layer against the same math written out by hand.
// Shape legend: B batch, S sequence, H hidden, A heads, d head size, V vocabulary, P masked.
#include <torch/torch.h>

#include <QtTest>
#include <cmath>
#include <set>

#include "model/bert_model.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model/presets.h"
#include "util/error.h"

using namespace bertwb;

namespace {

BertConfig smallConfig() {
  BertConfig c;
  c.vocab_size = 50;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 16;
  return c;
}

int64_t parameterCount(const torch::nn::Module& module) {
  int64_t total = 0;
  for (const auto& p : module.parameters()) total += p.numel();
  return total;
}

BertForPreTraining initialisedModel(const BertConfig& c, uint64_t seed = 7) {
  BertForPreTraining model(c);
  initializeBertWeights(*model, c.initializer_range, seed);
  model->eval();
  return model;
}

BertInputs sampleInputs(int64_t batch, int64_t length, int64_t vocab) {
  torch::manual_seed(3);
  auto ids = torch::randint(1, vocab, {batch, length}, torch::kInt64);
  auto types = torch::cat({torch::zeros({batch, length / 2}, torch::kInt64),
                           torch::ones({batch, length - length / 2}, torch::kInt64)},
                          1);
  return {ids, types, torch::ones_like(ids)};
}

}  // namespace

class TestModel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void outputShapes() {
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    const int64_t B = 3, S = 9;
    ForwardOptions options;
    options.outputAttentions = true;
    options.outputHiddenStates = true;
    PreTrainingOutput out = model(sampleInputs(B, S, c.vocab_size), torch::Tensor(), options);
    QCOMPARE(out.bert.lastHiddenState.sizes().vec(), (std::vector<int64_t>{B, S, 32}));
    QCOMPARE(out.bert.pooledOutput.sizes().vec(), (std::vector<int64_t>{B, 32}));
    QCOMPARE(int(out.bert.hiddenStates.size()), c.num_hidden_layers + 1);
    QCOMPARE(int(out.bert.attentions.size()), c.num_hidden_layers);
    QCOMPARE(out.bert.attentions[0].sizes().vec(), (std::vector<int64_t>{B, 4, S, S}));
    QCOMPARE(out.predictionLogits.sizes().vec(), (std::vector<int64_t>{B, S, 50}));
    QCOMPARE(out.seqRelationshipLogits.sizes().vec(), (std::vector<int64_t>{B, 2}));
    QVERIFY(torch::equal(out.bert.hiddenStates.back(), out.bert.lastHiddenState));
  }

  void gatheredLogitsEqualFullLogitsAtThosePositions() {
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    auto inputs = sampleInputs(2, 10, c.vocab_size);
    auto positions = torch::tensor({1, 4, 7, 2, 3, 9}, torch::kInt64).view({2, 3});  // (B, P)
    auto full = model(inputs).predictionLogits;                                      // (B, S, V)
    auto gathered = model(inputs, positions).predictionLogits;                       // (B, P, V)
    QCOMPARE(gathered.sizes().vec(), (std::vector<int64_t>{2, 3, 50}));
    for (int64_t b = 0; b < 2; ++b)
      for (int64_t p = 0; p < 3; ++p)
        QVERIFY(
            torch::allclose(gathered[b][p], full[b][positions[b][p].item<int64_t>()], 1e-5, 1e-6));
  }

  void exactParameterCountsOfRealModules() {
    // Built as modules, not from the formula: catches a missing bias or an untied decoder.
    const BertConfig base = presetConfig("base");
    QCOMPARE(parameterCount(*BertModel(base)), int64_t(109482240));
    QCOMPARE(parameterCount(*BertForPreTraining(base)), int64_t(110106428));
    QCOMPARE(parameterCount(*BertModel(presetConfig("large"))), int64_t(335141888));
    const BertConfig tiny = presetConfig("tiny");
    QCOMPARE(parameterCount(*BertForPreTraining(tiny)),
             countParameters(tiny).withPretrainingHeads());
  }

  void huggingFaceParameterNames() {
    BertConfig c = smallConfig();
    c.num_hidden_layers = 1;
    BertForPreTraining model(c);
    std::set<std::string> names;
    for (const auto& item : model->named_parameters()) names.insert(item.key());
    const std::set<std::string> expected = {
        "bert.embeddings.word_embeddings.weight",
        "bert.embeddings.position_embeddings.weight",
        "bert.embeddings.token_type_embeddings.weight",
        "bert.embeddings.LayerNorm.weight",
        "bert.embeddings.LayerNorm.bias",
        "bert.encoder.layer.0.attention.self.query.weight",
        "bert.encoder.layer.0.attention.self.query.bias",
        "bert.encoder.layer.0.attention.self.key.weight",
        "bert.encoder.layer.0.attention.self.key.bias",
        "bert.encoder.layer.0.attention.self.value.weight",
        "bert.encoder.layer.0.attention.self.value.bias",
        "bert.encoder.layer.0.attention.output.dense.weight",
        "bert.encoder.layer.0.attention.output.dense.bias",
        "bert.encoder.layer.0.attention.output.LayerNorm.weight",
        "bert.encoder.layer.0.attention.output.LayerNorm.bias",
        "bert.encoder.layer.0.intermediate.dense.weight",
        "bert.encoder.layer.0.intermediate.dense.bias",
        "bert.encoder.layer.0.output.dense.weight",
        "bert.encoder.layer.0.output.dense.bias",
        "bert.encoder.layer.0.output.LayerNorm.weight",
        "bert.encoder.layer.0.output.LayerNorm.bias",
        "bert.pooler.dense.weight",
        "bert.pooler.dense.bias",
        "cls.predictions.bias",
        "cls.predictions.transform.dense.weight",
        "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight",
        "cls.predictions.transform.LayerNorm.bias",
        "cls.seq_relationship.weight",
        "cls.seq_relationship.bias",
    };
    QCOMPARE(names, expected);
  }

  void paddingDoesNotChangeRealPositions() {
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    const int64_t real = 6, padded = 11;
    BertInputs shortInputs = sampleInputs(2, real, c.vocab_size);
    auto pad = [&](const torch::Tensor& t, int64_t value) {
      return torch::cat({t, torch::full({2, padded - real}, value, torch::kInt64)}, 1);
    };
    BertInputs longInputs{pad(shortInputs.inputIds, 0), pad(shortInputs.tokenTypeIds, 0),
                          pad(shortInputs.attentionMask, 0)};
    auto a = model(shortInputs);
    auto b = model(longInputs);
    QVERIFY(torch::allclose(a.bert.lastHiddenState, b.bert.lastHiddenState.narrow(1, 0, real), 1e-5,
                            1e-5));
    QVERIFY(torch::allclose(a.bert.pooledOutput, b.bert.pooledOutput, 1e-5, 1e-5));
    QVERIFY(torch::allclose(a.predictionLogits, b.predictionLogits.narrow(1, 0, real), 1e-4, 1e-5));
  }

  void attentionRowsSumToOneAndMaskedColumnsGetZero() {
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    BertInputs inputs = sampleInputs(2, 8, c.vocab_size);
    inputs.attentionMask.index_put_({1, torch::indexing::Slice(5)},
                                    0);  // last 3 of row 1 are padding
    ForwardOptions options;
    options.outputAttentions = true;
    auto out = model->bert(inputs, options);
    for (const auto& probabilities : out.attentions) {  // (B, A, S, S)
      QVERIFY(torch::allclose(probabilities.sum(-1), torch::ones({2, 4, 8}), 1e-5, 1e-6));
      QCOMPARE(probabilities
                   .index({1, torch::indexing::Slice(), torch::indexing::Slice(),
                           torch::indexing::Slice(5)})
                   .abs()
                   .max()
                   .item<float>(),
               0.0f);
      QVERIFY(probabilities
                  .index({0, torch::indexing::Slice(), torch::indexing::Slice(),
                          torch::indexing::Slice(5)})
                  .min()
                  .item<float>() > 0.0f);
    }
  }

  void causalMaskHidesTheFuture() {
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    ForwardOptions options;
    options.outputAttentions = true;
    options.causal = true;
    auto out = model->bert(sampleInputs(1, 6, c.vocab_size), options);
    auto upper = torch::ones({6, 6}, torch::kBool).triu(1);
    for (const auto& p : out.attentions) {
      QCOMPARE(p[0].masked_select(upper.expand({4, 6, 6})).abs().max().item<float>(), 0.0f);
      QVERIFY(torch::allclose(p.sum(-1), torch::ones({1, 4, 6}), 1e-5, 1e-6));
    }
  }

  void attentionPathsAgree() {
    // With probabilities requested LibTorch 2.x takes the explicit path, otherwise the fused
    // kernel; both must give the same hidden states (on 1.13 both are explicit).
    const BertConfig c = smallConfig();
    auto model = initialisedModel(c);
    torch::NoGradGuard noGrad;
    BertInputs inputs = sampleInputs(2, 7, c.vocab_size);
    inputs.attentionMask.index_put_({0, torch::indexing::Slice(4)}, 0);
    ForwardOptions withProbabilities;
    withProbabilities.outputAttentions = true;
    auto fused = model->bert(inputs).lastHiddenState;
    auto explicitPath = model->bert(inputs, withProbabilities).lastHiddenState;
    QVERIFY(torch::allclose(fused, explicitPath, 1e-5, 1e-5));
  }

  void sameSeedSameWeights() {
    const BertConfig c = smallConfig();
    auto a = initialisedModel(c, 11), b = initialisedModel(c, 11), other = initialisedModel(c, 12);
    auto pa = a->named_parameters(), pb = b->named_parameters(), po = other->named_parameters();
    bool anyDifferent = false;
    for (const auto& item : pa) {
      QVERIFY2(torch::equal(item.value(), pb[item.key()]), item.key().c_str());
      anyDifferent = anyDifferent || !torch::equal(item.value(), po[item.key()]);
    }
    QVERIFY(anyDifferent);
  }

  void initialisationStatistics() {
    BertConfig c = presetConfig("mini", /*vocabSize=*/5000);
    auto model = initialisedModel(c);
    auto params = model->named_parameters();
    const auto& embeddings = params["bert.embeddings.word_embeddings.weight"];
    QVERIFY(std::abs(embeddings.std().item<double>() - 0.02) < 0.0005);
    QVERIFY(std::abs(embeddings.mean().item<double>()) < 0.0005);
    QVERIFY(
        torch::equal(params["bert.encoder.layer.0.output.LayerNorm.weight"], torch::ones({256})));
    QVERIFY(
        torch::equal(params["bert.encoder.layer.0.output.LayerNorm.bias"], torch::zeros({256})));
    QVERIFY(torch::equal(params["bert.encoder.layer.1.attention.self.query.bias"],
                         torch::zeros({256})));
    QVERIFY(torch::equal(params["cls.predictions.bias"], torch::zeros({5000})));
  }

  void dropoutOnlyInTraining() {
    BertConfig c = smallConfig();
    c.hidden_dropout_prob = 0.5;
    auto model = initialisedModel(c);
    auto inputs = sampleInputs(2, 6, c.vocab_size);
    torch::NoGradGuard noGrad;
    QVERIFY(torch::equal(model(inputs).bert.lastHiddenState, model(inputs).bert.lastHiddenState));
    model->train();
    QVERIFY(!torch::equal(model(inputs).bert.lastHiddenState, model(inputs).bert.lastHiddenState));
  }

  void geluVariants() {
    auto x = torch::linspace(-3, 3, 13);
    auto exact = applyActivation(Activation::GeluExact, x);
    auto tanhApprox = applyActivation(Activation::GeluTanh, x);
    auto expectedExact = 0.5 * x * (1 + torch::erf(x / std::sqrt(2.0)));
    auto expectedTanh =
        0.5 * x * (1 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x.pow(3))));
    QVERIFY(torch::allclose(exact, expectedExact, 1e-6, 1e-6));
    QVERIFY(torch::allclose(tanhApprox, expectedTanh, 1e-6, 1e-6));
    QVERIFY(!torch::allclose(exact, tanhApprox, 1e-6, 1e-6));  // the two names really differ
    QVERIFY(activationFromName("gelu_pytorch_tanh") == Activation::GeluTanh);
  }

  void oneEncoderLayerMatchesPlainTensorMath() {
    BertConfig c = smallConfig();
    c.num_hidden_layers = 1;
    auto model = initialisedModel(c, 99);
    torch::NoGradGuard noGrad;
    // Make the biases and norms non-trivial so that every term is exercised.
    for (auto& p : model->parameters()) p.add_(0.05 * torch::randn_like(p));
    BertInputs inputs = sampleInputs(2, 5, c.vocab_size);
    inputs.attentionMask.index_put_({1, 4}, 0);
    auto out = model->bert(inputs);

    auto P = model->named_parameters();
    auto W = [&](const std::string& name) { return P["bert." + name]; };
    auto linear = [&](const torch::Tensor& x, const std::string& prefix) {
      return torch::matmul(x, W(prefix + ".weight").t()) + W(prefix + ".bias");
    };
    auto layerNorm = [&](const torch::Tensor& x, const std::string& prefix) {
      auto mean = x.mean(-1, true);
      auto var = (x - mean).pow(2).mean(-1, true);
      return (x - mean) / torch::sqrt(var + c.layer_norm_eps) * W(prefix + ".weight") +
             W(prefix + ".bias");
    };
    const int64_t B = 2, S = 5, H = 32, A = 4, d = 8;
    auto positions = torch::arange(S, torch::kInt64);
    auto x = W("embeddings.word_embeddings.weight")
                 .index_select(0, inputs.inputIds.flatten())
                 .view({B, S, H}) +
             W("embeddings.token_type_embeddings.weight")
                 .index_select(0, inputs.tokenTypeIds.flatten())
                 .view({B, S, H}) +
             W("embeddings.position_embeddings.weight").index_select(0, positions).view({1, S, H});
    x = layerNorm(x, "embeddings.LayerNorm");
    const std::string L = "encoder.layer.0.";
    auto heads = [&](const torch::Tensor& t) {
      return t.view({B, S, A, d}).permute({0, 2, 1, 3});
    };  // (B, A, S, d)
    auto q = heads(linear(x, L + "attention.self.query"));
    auto k = heads(linear(x, L + "attention.self.key"));
    auto v = heads(linear(x, L + "attention.self.value"));
    auto scores = torch::matmul(q, k.transpose(2, 3)) / std::sqrt(double(d));  // (B, A, S, S)
    auto blocked = (inputs.attentionMask == 0).view({B, 1, 1, S});
    scores = scores.masked_fill(blocked, -1e30);
    auto weights = torch::exp(scores - std::get<0>(scores.max(-1, true)));
    weights = weights / weights.sum(-1, true);
    auto context = torch::matmul(weights, v).permute({0, 2, 1, 3}).reshape({B, S, H});
    auto attended = layerNorm(linear(context, L + "attention.output.dense") + x,
                              L + "attention.output.LayerNorm");
    auto inner = linear(attended, L + "intermediate.dense");
    inner = 0.5 * inner * (1 + torch::erf(inner / std::sqrt(2.0)));
    auto expected = layerNorm(linear(inner, L + "output.dense") + attended, L + "output.LayerNorm");
    QVERIFY(torch::allclose(out.lastHiddenState, expected, 1e-5, 1e-5));
    auto pooled = torch::tanh(linear(expected.select(1, 0), "pooler.dense"));
    QVERIFY(torch::allclose(out.pooledOutput, pooled, 1e-5, 1e-5));
  }

  void inputChecksNameTheProblem_data() {
    QTest::addColumn<int>("caseIndex");
    QTest::addColumn<QString>("expected");
    QTest::newRow("id past vocabulary") << 0 << "input_ids holds values in [1, 50]";
    QTest::newRow("too long") << 1 << "more than the model's max_position_embeddings (16)";
    QTest::newRow("segment 2") << 2 << "token_type_ids holds values in [0, 2]";
    QTest::newRow("shape") << 3 << "attention_mask has shape [2, 3]";
  }
  void inputChecksNameTheProblem() {
    QFETCH(int, caseIndex);
    QFETCH(QString, expected);
    const BertConfig c = smallConfig();
    BertInputs inputs = sampleInputs(2, 4, c.vocab_size);
    switch (caseIndex) {
      case 0:
        inputs.inputIds[0][0] = 50;
        inputs.inputIds[0][1] = 1;
        break;
      case 1:
        inputs = sampleInputs(1, 17, c.vocab_size);
        break;
      case 2:
        inputs.tokenTypeIds[1][1] = 2;
        break;
      case 3:
        inputs.attentionMask = torch::ones({2, 3}, torch::kInt64);
        break;
    }
    QString message;
    try {
      checkModelInputs(c, inputs);
    } catch (const Error& e) {
      message = e.what();
    }
    QVERIFY2(message.contains(expected), qPrintable(message));
  }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
