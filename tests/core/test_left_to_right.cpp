// The left-to-right objective (the paper's "LTR", §5.1): the batch puts the masked tokens back
// and asks each position for the next real token; under the causal mask no position's output
// depends on a later position (checked on the gradients reaching the position embeddings);
// the next-token loss equals a hand computation of cross-entropy over the real next tokens.
#include <QtTest>

#include "data/collator.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "test_support.h"
#include "train/pretraining_loss.h"

using namespace bertwb;

namespace {

constexpr int kVocab = 40;

BertForPreTraining freshModel() {
  BertConfig config = presetConfig("tiny", kVocab);
  config.hidden_dropout_prob = 0;
  config.attention_probs_dropout_prob = 0;
  BertForPreTraining model(config);
  initializeBertWeights(*model, config.initializer_range, 5);
  return model;
}

torch::Tensor longs(std::vector<int64_t> values, int64_t rows) {
  return torch::tensor(values, torch::kLong).view({rows, -1});
}

// Two sequences: "[CLS] 10 [MASK→11] [SEP]" plus one pad, and "[CLS] 12 13 14 [SEP]".
PretrainingBatch maskedBatch() {
  PretrainingBatch batch;
  batch.inputIds = longs({2, 10, 4, 3, 0, 2, 12, 13, 14, 3}, 2);
  batch.segmentIds = torch::zeros({2, 5}, torch::kLong);
  batch.attentionMask = longs({1, 1, 1, 1, 0, 1, 1, 1, 1, 1}, 2);
  batch.maskedPositions = longs({2, 0, 3, 0}, 2);
  batch.maskedLabels = longs({11, kIgnoreLabel, 14, kIgnoreLabel}, 2);
  batch.maskedWeights = torch::tensor({1.f, 0.f, 1.f, 0.f}).view({2, 2});
  batch.nextSentenceLabels = torch::zeros({2}, torch::kLong);
  return batch;
}

std::vector<int64_t> values(const torch::Tensor& t) {
  const torch::Tensor flat = t.to(torch::kLong).contiguous().view({-1});
  return std::vector<int64_t>(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
}

}  // namespace

class TestLeftToRight : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void theBatchAsksEachPositionForTheNextRealToken() {
    const PretrainingBatch ltr = leftToRightBatch(maskedBatch());
    QCOMPARE(values(ltr.inputIds), std::vector<int64_t>({2, 10, 11, 3, 0, 2, 12, 13, 14, 3}));
    QCOMPARE(values(ltr.maskedPositions), std::vector<int64_t>({0, 1, 2, 3, 0, 1, 2, 3}));
    QCOMPARE(values(ltr.maskedLabels),
             std::vector<int64_t>({10, 11, 3, kIgnoreLabel, 12, 13, 14, 3}));
    QCOMPARE(values(ltr.maskedWeights), std::vector<int64_t>({1, 1, 1, 0, 1, 1, 1, 1}));
  }

  void noPositionDependsOnALaterOne() {
    torch::manual_seed(0);
    BertForPreTraining model = freshModel();
    const PretrainingBatch ltr = leftToRightBatch(maskedBatch());
    const BertInputs inputs{ltr.inputIds.slice(0, 1), ltr.segmentIds.slice(0, 1),
                            ltr.attentionMask.slice(0, 1)};
    ForwardOptions causal;
    causal.causal = true;
    const int64_t length = inputs.inputIds.size(1);
    auto& positions = model->bert->embeddings->position_embeddings->weight;
    // A fixed random read-out of one position (a plain sum would be constant: LayerNorm's
    // outputs sum to the sum of its biases, whatever the input).
    const torch::Tensor readOut = torch::randn({model->config().hidden_size});
    for (int64_t i = 0; i < length; ++i) {
      model->zero_grad();
      const PreTrainingOutput out = model->forward(inputs, {}, causal);
      (out.bert.lastHiddenState.select(1, i) * readOut).sum().backward();
      const torch::Tensor perPosition = positions.grad().slice(0, 0, length).abs().sum(1);
      for (int64_t j = 0; j < length; ++j) {
        const double gradient = perPosition[j].item<double>();
        if (j > i)
          QVERIFY2(gradient == 0.0,
                   qPrintable(QStringLiteral("output %1 depends on position %2").arg(i).arg(j)));
        else
          QVERIFY2(gradient > 0.0,
                   qPrintable(QStringLiteral("output %1 ignores position %2").arg(i).arg(j)));
      }
    }
    // Without the causal mask the first position does see the last.
    model->zero_grad();
    (model->forward(inputs).bert.lastHiddenState.select(1, 0) * readOut).sum().backward();
    QVERIFY(positions.grad()[length - 1].abs().sum().item<double>() > 0);
  }

  // A model pre-trained left to right says so in config.json (Hugging Face's is_decoder) and
  // then keeps the causal mask in every use, pooling its last real token.
  void aDecoderConfigKeepsTheMaskAndPoolsTheLastRealToken() {
    BertConfig config = presetConfig("tiny", kVocab);
    config.is_decoder = true;
    const BertConfig again = configFromJson(configToJson(config), "test");
    QVERIFY(again.is_decoder);
    QVERIFY(configToJson(presetConfig("tiny", kVocab)).find("is_decoder") == std::string::npos);
    QVERIFY(bertwb::test::errorOf([] {
              configFromJson(R"({"is_decoder": "yes"})", "config.json");
            }).contains(QStringLiteral("config.json: is_decoder must be true or false")));

    torch::manual_seed(0);
    config.hidden_dropout_prob = 0;
    config.attention_probs_dropout_prob = 0;
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, 5);
    const PretrainingBatch ltr = leftToRightBatch(maskedBatch());
    const BertInputs first{ltr.inputIds.slice(0, 0, 1), ltr.segmentIds.slice(0, 0, 1),
                           ltr.attentionMask.slice(0, 0, 1)};  // 4 real tokens and a pad
    const PreTrainingOutput out = model->forward(first);       // no causal option asked for
    const torch::Tensor readOut = torch::randn({config.hidden_size});
    (out.bert.lastHiddenState.select(1, 1) * readOut).sum().backward();
    const torch::Tensor grads = model->bert->embeddings->position_embeddings->weight.grad();
    QCOMPARE(grads[2].abs().sum().item<double>(), 0.0);
    QVERIFY(grads[1].abs().sum().item<double>() > 0);
    // The pooled vector is the pooler of position 3, the last real token ([SEP]).
    const torch::Tensor expected = model->bert->pooler(out.bert.lastHiddenState.slice(1, 3, 4));
    QVERIFY(torch::allclose(out.bert.pooledOutput, expected));
  }

  void nextTokenLossIsTheHandComputedCrossEntropy() {
    torch::manual_seed(0);
    BertForPreTraining model = freshModel();
    model->eval();
    const PretrainingBatch ltr = leftToRightBatch(maskedBatch());
    const BertInputs inputs{ltr.inputIds, ltr.segmentIds, ltr.attentionMask};
    ForwardOptions causal;
    causal.causal = true;
    const PreTrainingOutput gathered = model->forward(inputs, ltr.maskedPositions, causal);
    const double predictions = ltr.maskedWeights.sum().item<double>();  // 7 real next tokens
    QCOMPARE(predictions, 7.0);
    const PretrainingLoss loss =
        pretrainingLoss(gathered, ltr, /*withNsp=*/false, {predictions, 2});

    // By hand: every position's vocabulary distribution, the log-probability of the next id.
    const torch::Tensor logits = model->forward(inputs, {}, causal).predictionLogits;  // (B, S, V)
    const torch::Tensor logProbabilities = torch::log_softmax(logits.to(torch::kDouble), -1);
    double sum = 0;
    int count = 0;
    for (int64_t b = 0; b < 2; ++b) {
      for (int64_t i = 0; i + 1 < 5; ++i) {
        if (ltr.attentionMask[b][i + 1].item<int64_t>() == 0) continue;
        sum -= logProbabilities[b][i][ltr.inputIds[b][i + 1].item<int64_t>()].item<double>();
        ++count;
      }
    }
    QCOMPARE(count, 7);
    QVERIFY2(std::abs(loss.mlm.item<double>() - sum / count) < 1e-5,
             qPrintable(QStringLiteral("%1 vs %2").arg(loss.mlm.item<double>()).arg(sum / count)));
    QCOMPARE(loss.mlmCount, int64_t(7));
  }
};

QTEST_APPLESS_MAIN(TestLeftToRight)
#include "test_left_to_right.moc"
