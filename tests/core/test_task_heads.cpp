// The fine-tuning heads on a tiny config: output shapes, Hugging Face key sets (no pooler in
// the token-classification and QA models), losses (ignored labels, MSE for one label, the
// QA mean), loading a pre-trained checkpoint into every head (encoder copied, head fresh,
// MLM/NSP unused) and the save → load round trip of a fine-tuned classifier with id2label.
// Shape legend: B batch, S sequence, H hidden, K labels, C choices.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "io/task_model_io.h"
#include "model/bert_heads.h"
#include "model/initialization.h"
#include "test_support.h"
#include "tiny_bert_config.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

constexpr int64_t kHidden = bertwb::test::kTinyHidden;

BertConfig tinyConfig() {
  return bertwb::test::tinyBertConfig(/*vocabSize=*/100, /*maxPositions=*/32);
}

BertInputs sampleInputs(int64_t batch, int64_t length) {
  torch::manual_seed(5);
  auto ids = torch::randint(1, 100, {batch, length}, torch::kInt64);  // (B, S)
  return {ids, torch::zeros_like(ids), torch::ones_like(ids)};
}

std::set<std::string> keysOf(const torch::nn::Module& module) {
  std::set<std::string> keys;
  for (const auto& item : module.named_parameters()) keys.insert(item.key());
  return keys;
}

// The body's keys for a 1-layer model, "bert."-prefixed, with or without the pooler.
std::set<std::string> bodyKeys(bool pooler) {
  std::set<std::string> keys = {
      "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
      "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
      "bert.embeddings.LayerNorm.bias"};
  for (const char* name : {"attention.self.query", "attention.self.key", "attention.self.value",
                           "attention.output.dense", "attention.output.LayerNorm",
                           "intermediate.dense", "output.dense", "output.LayerNorm"}) {
    keys.insert(std::string("bert.encoder.layer.0.") + name + ".weight");
    keys.insert(std::string("bert.encoder.layer.0.") + name + ".bias");
  }
  if (pooler) keys.insert({"bert.pooler.dense.weight", "bert.pooler.dense.bias"});
  return keys;
}

QStringList sorted(const std::vector<std::string>& names) {
  QStringList list;
  for (const auto& n : names) list << QString::fromStdString(n);
  list.sort();
  return list;
}

// A pre-trained checkpoint written by the existing code, to start fine-tuning from.
BertForPreTraining savePretrained(const QString& folder) {
  BertForPreTraining model(tinyConfig());
  initializeBertWeights(*model, 0.02, /*seed=*/3);
  saveCheckpoint(folder.toStdString(), tinyConfig(), *model, "BertForPreTraining");
  return model;
}

}  // namespace

class TestTaskHeads : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void outputShapes() {
    const BertConfig c = tinyConfig();
    torch::NoGradGuard noGrad;
    const int64_t B = 3, S = 7, K = 5, C = 4;
    ForwardOptions options;
    options.outputAttentions = true;
    options.outputHiddenStates = true;

    BertForSequenceClassification sequence(c, K);
    auto out = sequence(sampleInputs(B, S), options);
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{B, K}));
    QCOMPARE(int(out.bert.attentions.size()), 2);
    QCOMPARE(int(out.bert.hiddenStates.size()), 3);

    BertForTokenClassification tokens(c, K);
    out = tokens(sampleInputs(B, S));
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{B, S, K}));
    QVERIFY(!out.bert.pooledOutput.defined());  // no pooler

    BertForQuestionAnswering qa(c);
    out = qa(sampleInputs(B, S));
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{B, S, 2}));
    QCOMPARE(out.startLogits.sizes().vec(), (std::vector<int64_t>{B, S}));
    QVERIFY(torch::equal(out.endLogits, out.logits.select(-1, 1)));

    BertForMultipleChoice choices(c);
    choices->eval();
    BertInputs flat = sampleInputs(B * C, S);
    BertInputs grouped{flat.inputIds.view({B, C, S}), flat.tokenTypeIds.view({B, C, S}),
                       flat.attentionMask.view({B, C, S})};
    out = choices(grouped);
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{B, C}));
    // Choice j of example i is sequence i·C + j of the flat batch.
    auto single = choices->classifier(choices->bert(flat).pooledOutput).view({B, C});
    QVERIFY(torch::allclose(out.logits, single, 1e-5, 1e-6));
  }

  // Feature-based tagging (paper Table 7): the classifier reads the chosen hidden layers.
  void featureCombinationsReadTheirLayers() {
    const BertConfig c = tinyConfig();  // L = 2: three hidden states, embeddings included
    const int64_t B = 2, S = 6, K = 3, H = c.hidden_size;
    const BertInputs inputs = sampleInputs(B, S);
    for (const FeatureCombination combination :
         {FeatureCombination::Embeddings, FeatureCombination::SecondToLast,
          FeatureCombination::SumLastFour, FeatureCombination::ConcatLastFour,
          FeatureCombination::WeightedSumAll}) {
      BertForTokenClassification head(c, K);
      head->useFeatures(combination, 3);
      head->eval();
      const TaskHeadOutput out = head(inputs);
      QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{B, S, K}));
      QVERIFY(out.bert.hiddenStates.empty());  // not asked for, so not returned
      ForwardOptions all;
      all.outputHiddenStates = true;
      const std::vector<torch::Tensor> states = head->bert(inputs, all).hiddenStates;
      torch::Tensor expected;
      switch (combination) {
        case FeatureCombination::Embeddings:
          expected = states[0];
          break;
        case FeatureCombination::SecondToLast:
          expected = states[1];
          break;
        case FeatureCombination::SumLastFour:  // all three: the model has fewer than four
          expected = states[0] + states[1] + states[2];
          break;
        case FeatureCombination::ConcatLastFour:
          QCOMPARE(head->classifier->weight.size(1), 3 * H);
          expected = torch::cat({states[0], states[1], states[2]}, -1);
          break;
        default:  // weights start equal: the mean of the three
          expected = (states[0] + states[1] + states[2]) / 3.0;
      }
      QVERIFY(torch::allclose(out.logits, head->classifier(expected), 1e-5, 1e-5));
    }
    // The weighted sum's weights are trained with the head (outside bert.*).
    BertForTokenClassification mixed(c, K);
    mixed->useFeatures(FeatureCombination::WeightedSumAll, 3);
    QVERIFY(mixed->named_parameters().contains("feature_weights"));
    const torch::Tensor logits = mixed(inputs).logits;
    mixed->loss(logits, torch::zeros({B, S}, torch::kLong)).backward();
    QVERIFY(mixed->featureWeights.grad().abs().sum().item<double>() > 0);
  }

  // The paper's BiLSTM tagger (§5.3): two layers, both directions, reading each sequence's real
  // tokens only, so padding a sequence changes none of its real tokens' logits; it trains (the
  // encoder's gradients aside) and is drawn from its seed.
  void aBiLstmTaggerReadsOnlyTheRealTokens() {
    const BertConfig c = tinyConfig();
    const int64_t S = 6, K = 3, H = c.hidden_size;
    BertForTokenClassification head(c, K);
    head->useFeatures(FeatureCombination::ConcatLastFour, 5, FeatureHead::BiLstm);
    head->eval();
    QVERIFY(head->named_parameters().contains("feature_lstm.weight_ih_l1_reverse"));
    QCOMPARE(head->classifier->weight.size(1), 2 * H);

    const BertInputs full = sampleInputs(1, S);
    BertInputs padded = sampleInputs(2, S);
    padded.inputIds[0] = full.inputIds[0];
    padded.tokenTypeIds[0] = full.tokenTypeIds[0];
    padded.attentionMask = torch::ones({2, S}, torch::kLong);
    padded.attentionMask[1].slice(0, 3).fill_(0);  // the second sequence: 3 real tokens
    BertInputs shortOne;
    shortOne.inputIds = padded.inputIds[1].slice(0, 0, 3).unsqueeze(0);
    shortOne.tokenTypeIds = padded.tokenTypeIds[1].slice(0, 0, 3).unsqueeze(0);
    shortOne.attentionMask = torch::ones({1, 3}, torch::kLong);
    torch::NoGradGuard noGrad;
    const torch::Tensor batch = head(padded).logits;
    QCOMPARE(batch.sizes().vec(), (std::vector<int64_t>{2, S, K}));
    QVERIFY(torch::allclose(batch[0], head(full).logits[0], 1e-5, 1e-5));
    QVERIFY(torch::allclose(batch[1].slice(0, 0, 3), head(shortOne).logits[0], 1e-5, 1e-5));

    // The same seed draws the same BiLSTM; another seed another one.
    BertForTokenClassification twin(c, K), other(c, K);
    twin->useFeatures(FeatureCombination::ConcatLastFour, 5, FeatureHead::BiLstm);
    other->useFeatures(FeatureCombination::ConcatLastFour, 6, FeatureHead::BiLstm);
    QVERIFY(torch::equal(twin->featureLstm->parameters()[0], head->featureLstm->parameters()[0]));
    QVERIFY(!torch::equal(other->featureLstm->parameters()[0], head->featureLstm->parameters()[0]));
  }

  void aBiLstmTaggerTrains() {
    const BertConfig c = tinyConfig();
    BertForTokenClassification head(c, 3);
    head->useFeatures(FeatureCombination::Last, 5, FeatureHead::BiLstm);
    const BertInputs inputs = sampleInputs(2, 6);
    head->loss(head(inputs).logits, torch::zeros({2, 6}, torch::kLong)).backward();
    for (const auto& parameter : head->featureLstm->named_parameters())
      QVERIFY2(parameter.value().grad().defined() &&
                   parameter.value().grad().abs().sum().item<double>() > 0,
               parameter.key().c_str());
  }

  void huggingFaceKeySets() {
    BertConfig c = tinyConfig();
    c.num_hidden_layers = 1;
    auto withHead = [](std::set<std::string> keys, std::initializer_list<const char*> head) {
      for (const char* k : head) keys.insert(k);
      return keys;
    };
    QCOMPARE(keysOf(*BertForSequenceClassification(c, 3)),
             withHead(bodyKeys(true), {"classifier.weight", "classifier.bias"}));
    QCOMPARE(keysOf(*BertForTokenClassification(c, 3)),
             withHead(bodyKeys(false), {"classifier.weight", "classifier.bias"}));
    QCOMPARE(keysOf(*BertForQuestionAnswering(c)),
             withHead(bodyKeys(false), {"qa_outputs.weight", "qa_outputs.bias"}));
    QCOMPARE(keysOf(*BertForMultipleChoice(c)),
             withHead(bodyKeys(true), {"classifier.weight", "classifier.bias"}));
    QCOMPARE(BertForSequenceClassification(c, 3)->classifier->weight.sizes().vec(),
             (std::vector<int64_t>{3, kHidden}));
    QCOMPARE(BertForQuestionAnswering(c)->qa_outputs->weight.sizes().vec(),
             (std::vector<int64_t>{2, kHidden}));
    QCOMPARE(BertForMultipleChoice(c)->classifier->weight.sizes().vec(),
             (std::vector<int64_t>{1, kHidden}));
  }

  void tokenLossIgnoresUnlabelledPieces() {
    BertForTokenClassification head(tinyConfig(), 3);
    torch::manual_seed(1);
    auto logits = torch::randn({2, 4, 3});                                              // (B, S, K)
    auto labels = torch::tensor({-100, 2, -100, 0, -100, -100, 1, -100}).view({2, 4});  // (B, S)
    auto loss = head->loss(logits, labels);
    auto labelled = torch::stack({logits[0][1], logits[0][3], logits[1][2]});  // (3, K)
    auto expected = torch::nn::functional::cross_entropy(labelled, torch::tensor({2, 0, 1}));
    QVERIFY(torch::allclose(loss, expected, 1e-6, 1e-6));
    auto changed = logits.clone();
    changed[0][0] += 50;  // an ignored position: the loss must not move
    changed[1][3] -= 50;
    QVERIFY(torch::allclose(head->loss(changed, labels), loss, 1e-6, 1e-6));
  }

  void sequenceLossIsCrossEntropyOrMse() {
    BertForSequenceClassification classifier(tinyConfig(), 3), regressor(tinyConfig(), 1);
    auto logits = torch::tensor({{1.0f, 2.0f, 0.5f}, {0.1f, -1.0f, 3.0f}});
    auto labels = torch::tensor({1, -100});  // the second example is ignored
    auto expected =
        torch::nn::functional::cross_entropy(logits.narrow(0, 0, 1), torch::tensor({1}));
    QVERIFY(torch::allclose(classifier->loss(logits, labels), expected, 1e-6, 1e-6));
    auto predictions = torch::tensor({{2.0f}, {4.0f}});  // (B, 1)
    auto targets = torch::tensor({1.5f, 1.0f});
    QVERIFY(torch::allclose(regressor->loss(predictions, targets),
                            torch::tensor((0.25f + 9.0f) / 2), 1e-6, 1e-6));
  }

  void qaLossIsTheMeanOfStartAndEnd() {
    BertForQuestionAnswering qa(tinyConfig());
    torch::manual_seed(2);
    auto start = torch::randn({2, 6}), end = torch::randn({2, 6});  // (B, S)
    auto starts = torch::tensor({1, 0}), ends = torch::tensor({3, 0});
    namespace F = torch::nn::functional;
    auto expected = (F::cross_entropy(start, starts) + F::cross_entropy(end, ends)) / 2;
    QVERIFY(torch::allclose(qa->loss(start, end, starts, ends), expected, 1e-6, 1e-6));
    // A position past the sequence is ignored (clamped to S), not an error.
    auto partial = qa->loss(start, end, torch::tensor({1, 99}), torch::tensor({3, 99}));
    auto expectedPartial = (F::cross_entropy(start.narrow(0, 0, 1), starts.narrow(0, 0, 1)) +
                            F::cross_entropy(end.narrow(0, 0, 1), ends.narrow(0, 0, 1))) /
                           2;
    QVERIFY(torch::allclose(partial, expectedPartial, 1e-6, 1e-6));
  }

  void loadPretrainedIntoEveryHead_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("fresh");
    QTest::addColumn<bool>("poolerUnused");
    QTest::newRow("sequence") << int(TaskKind::SequenceClassification)
                              << QStringList{"classifier.bias", "classifier.weight"} << false;
    QTest::newRow("token") << int(TaskKind::TokenClassification)
                           << QStringList{"classifier.bias", "classifier.weight"} << true;
    QTest::newRow("qa") << int(TaskKind::QuestionAnswering)
                        << QStringList{"qa_outputs.bias", "qa_outputs.weight"} << true;
    QTest::newRow("choice") << int(TaskKind::MultipleChoice)
                            << QStringList{"classifier.bias", "classifier.weight"} << false;
  }
  void loadPretrainedIntoEveryHead() {
    QFETCH(int, kind);
    QFETCH(QStringList, fresh);
    QFETCH(bool, poolerUnused);
    QTemporaryDir dir;
    const QString folder = dir.filePath("pretrained");
    BertForPreTraining pretrained = savePretrained(folder);
    const TaskLoadResult loaded =
        loadForTask(folder.toStdString(), TaskKind(kind), /*numLabels=*/4);
    QCOMPARE(sorted(loaded.freshKeys), fresh);
    const QStringList unused = sorted(loaded.unusedKeys);
    QVERIFY(unused.contains("cls.predictions.bias"));
    QVERIFY(unused.contains("cls.seq_relationship.weight"));
    QCOMPARE(unused.contains("bert.pooler.dense.weight"), poolerUnused);
    // Registration order, as the CLI prints it: "initialised classifier.weight, classifier.bias
    // from scratch".
    const QString headName = fresh.front().section('.', 0, 0);
    const QString summary = QString::fromStdString(loaded.summary());
    QVERIFY2(summary.startsWith("initialised " + headName + ".weight, " + headName +
                                ".bias from scratch; not used: "),
             qPrintable(summary));

    auto source = pretrained->named_parameters();
    for (const auto& item : loaded.model.module()->named_parameters()) {
      if (fresh.contains(QString::fromStdString(item.key()))) continue;
      QVERIFY2(torch::equal(item.value(), source[item.key()]), item.key().c_str());
    }
    const auto params = loaded.model.module()->named_parameters();
    const std::string head = fresh.front().section('.', 0, 0).toStdString();
    QVERIFY(torch::equal(params[head + ".bias"], torch::zeros_like(params[head + ".bias"])));
    const double spread = params[head + ".weight"].std().item<double>();
    QVERIFY2(spread > 0.01 && spread < 0.04,
             qPrintable(QString::number(spread)));  // normal(0, 0.02)
    const int expectedOutputs = kind == int(TaskKind::QuestionAnswering) ? 2
                                : kind == int(TaskKind::MultipleChoice)  ? 1
                                                                         : 4;
    QCOMPARE(loaded.model.outputCount(), expectedOutputs);
    QVERIFY(!loaded.model.module()->is_training());
  }

  void bareModelCheckpointLoadsIntoAHead() {
    QTemporaryDir dir;
    const std::string folder = dir.filePath("bare").toStdString();
    BertModel bare(tinyConfig());
    initializeBertWeights(*bare, 0.02, 9);
    saveCheckpoint(folder, tinyConfig(), *bare, "BertModel");
    const TaskLoadResult loaded = loadForTask(folder, TaskKind::QuestionAnswering);
    QCOMPARE(sorted(loaded.freshKeys), (QStringList{"qa_outputs.bias", "qa_outputs.weight"}));
    QCOMPARE(sorted(loaded.unusedKeys), (QStringList{"pooler.dense.bias", "pooler.dense.weight"}));
    QVERIFY(torch::equal(loaded.model.questionAnswerer->bert->encoder
                             ->named_parameters()["layer.1.output.dense.weight"],
                         bare->encoder->named_parameters()["layer.1.output.dense.weight"]));
  }

  void fineTunedRoundTripKeepsLabels() {
    QTemporaryDir dir;
    const QString pretrainedFolder = dir.filePath("pretrained");
    savePretrained(pretrainedFolder);
    const std::vector<std::string> labels = {"negative", "neutral", "positive"};
    TaskLoadResult start =
        loadForTask(pretrainedFolder.toStdString(), TaskKind::SequenceClassification, 3, labels);
    {
      torch::NoGradGuard noGrad;  // stands in for fine-tuning
      for (auto& p : start.model.module()->parameters()) p.add_(0.01 * torch::randn_like(p));
    }
    const std::string tuned = dir.filePath("tuned").toStdString();
    saveTaskModel(tuned, start.model);

    std::ifstream configFile(tuned + "/config.json");
    const auto config = nlohmann::json::parse(configFile);
    QCOMPARE(config["architectures"][0].get<std::string>(),
             std::string("BertForSequenceClassification"));
    QCOMPARE(config["id2label"]["2"].get<std::string>(), std::string("positive"));
    QCOMPARE(config["label2id"]["neutral"].get<int>(), 1);
    QCOMPARE(config["num_labels"].get<int>(), 3);
    QCOMPARE(config["problem_type"].get<std::string>(), std::string("single_label_classification"));

    TaskLoadResult back =
        loadForTask(tuned, TaskKind::SequenceClassification);  // count from id2label
    QCOMPARE(back.model.labels, labels);
    QVERIFY(back.freshKeys.empty());
    QVERIFY(back.unusedKeys.empty());
    auto saved = start.model.module()->named_parameters();
    for (const auto& item : back.model.module()->named_parameters()) {
      QVERIFY2(torch::equal(item.value(), saved[item.key()]), item.key().c_str());
    }
    torch::NoGradGuard noGrad;
    start.model.module()->eval();
    auto inputs = sampleInputs(2, 6);
    QVERIFY(torch::equal(start.model.sequenceClassifier(inputs).logits,
                         back.model.sequenceClassifier(inputs).logits));

    // Another label count cannot reuse that classifier: the error says why.
    const QString message =
        errorOf([&] { loadForTask(tuned, TaskKind::SequenceClassification, 5); });
    QVERIFY2(message.contains("classifier.weight") && message.contains("[3, 32]") &&
                 message.contains("[5, 32]"),
             qPrintable(message));
  }

  void regressionSavesItsProblemType() {
    BertConfig c = tinyConfig();
    TaskModel model = makeTaskModel(c, TaskKind::SequenceClassification, {"score"});
    QCOMPARE(model.outputCount(), 1);
    QCOMPARE(model.config.extra_fields["problem_type"], std::string("\"regression\""));
    QCOMPARE(taskLabelsFromConfig(model.config), (std::vector<std::string>{"score"}));
    TaskModel qa = makeTaskModel(model.config, TaskKind::QuestionAnswering);
    QVERIFY(!qa.config.extra_fields.count("id2label"));  // stale labels do not follow
  }
};

QTEST_GUILESS_MAIN(TestTaskHeads)
#include "test_task_heads.moc"
