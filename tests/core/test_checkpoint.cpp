// Checkpoint folders: save → load is bit-exact, saves are atomic and leave other files alone,
// every Hugging Face key variant loads to the same weights, and a folder that does not fit
// the model fails with a message naming the key, the shapes or the missing file.
#include <sys/resource.h>
#include <torch/torch.h>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "io/model_loading.h"
#include "model/bert_config.h"
#include "model/bert_model.h"
#include "model/bert_pretraining.h"
#include "tiny_bert_config.h"
#include "util/error.h"

Q_DECLARE_METATYPE(std::optional<torch::ScalarType>)

namespace {

using namespace bertwb;

constexpr int kTinyVocab = 50;
constexpr uint64_t kModelSeed = 1234;

// Every parameter of a BertForPreTraining outside the encoder body, as Hugging Face names them.
const QStringList kHeadKeys = {
    "cls.predictions.bias",
    "cls.predictions.transform.dense.weight",
    "cls.predictions.transform.dense.bias",
    "cls.predictions.transform.LayerNorm.weight",
    "cls.predictions.transform.LayerNorm.bias",
    "cls.seq_relationship.weight",
    "cls.seq_relationship.bias",
};

BertConfig tinyConfig(int vocabSize = kTinyVocab) {
  return bertwb::test::tinyBertConfig(vocabSize, /*maxPositions=*/16);
}

// Standard-normal values everywhere, biases and LayerNorm included: a tensor the loader
// skipped then differs from the freshly initialised one it was left as.
void randomizeParameters(torch::nn::Module& module, uint64_t seed) {
  torch::NoGradGuard noGrad;
  torch::manual_seed(seed);
  for (auto& parameter : module.parameters()) parameter.copy_(torch::randn_like(parameter));
}

BertForPreTraining randomPretrainingModel(const BertConfig& config, uint64_t seed = kModelSeed) {
  BertForPreTraining model(config);
  randomizeParameters(*model, seed);
  model->eval();
  return model;
}

QStringList sortedNames(const std::vector<std::string>& names) {
  QStringList list;
  for (const auto& name : names) list << QString::fromStdString(name);
  list.sort();
  return list;
}

QStringList sortedNames(const QStringList& names) {
  QStringList list = names;
  list.sort();
  return list;
}

// The names of parameters that are absent from one side or not equal, each converted to
// `dtype` and back first (the precision a checkpoint was stored in); empty when identical.
QStringList differingParameters(const torch::nn::Module& expected, const torch::nn::Module& actual,
                                torch::ScalarType storedAs = torch::kFloat32) {
  QStringList differing;
  const auto actualParameters = actual.named_parameters(/*recurse=*/true);
  for (const auto& item : expected.named_parameters(/*recurse=*/true)) {
    const torch::Tensor* loaded = actualParameters.find(item.key());
    const torch::Tensor want = item.value().to(storedAs).to(item.value().scalar_type());
    if (!loaded || !torch::equal(*loaded, want)) differing << QString::fromStdString(item.key());
  }
  if (actualParameters.size() != expected.named_parameters(/*recurse=*/true).size()) {
    differing << QStringLiteral("(parameter counts differ)");
  }
  return differing;
}

std::string pathIn(const QTemporaryDir& dir, const char* name) {
  return dir.filePath(name).toStdString();
}

bool messageHas(const bertwb::Error& e, const std::string& words) {
  return std::string(e.what()).find(words) != std::string::npos;
}

// The folder's files, hidden ones (temporary files, staging folders) included.
QStringList folderEntries(const QString& folder) {
  return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Rewrites a saved checkpoint's weights the ways published BERT checkpoints differ.
NamedTensors huggingFaceVariant(const NamedTensors& saved, const QString& variant,
                                const BertConfig& config) {
  const bool gammaBeta = variant == "gamma/beta" || variant == "all";
  const bool positionIds = variant == "position_ids" || variant == "all";
  const bool decoder = variant == "decoder weight and bias" || variant == "all";
  const bool decoderBiasOnly = variant == "decoder bias only";
  NamedTensors tensors;
  torch::Tensor wordEmbeddings;
  torch::Tensor predictionsBias;
  for (const auto& [name, tensor] : saved) {
    std::string key = name;
    const auto dot = key.rfind('.');
    const std::string stem = key.substr(0, dot);   // "bert.embeddings.LayerNorm"
    const std::string leaf = key.substr(dot + 1);  // "weight"
    const std::string layerNorm = "LayerNorm";
    const bool isLayerNorm =
        stem.size() >= layerNorm.size() &&
        stem.compare(stem.size() - layerNorm.size(), layerNorm.size(), layerNorm) == 0;
    if (gammaBeta && isLayerNorm) key = stem + (leaf == "weight" ? ".gamma" : ".beta");
    if (name == "bert.embeddings.word_embeddings.weight") wordEmbeddings = tensor;
    if (name == "cls.predictions.bias") {
      predictionsBias = tensor;
      if (decoderBiasOnly) continue;
    }
    tensors.emplace_back(key, tensor);
  }
  if (positionIds) {
    // (1, max_position_embeddings) int64, as transformers registers it.
    tensors.emplace_back("bert.embeddings.position_ids",
                         torch::arange(config.max_position_embeddings, torch::kInt64).unsqueeze(0));
  }
  if (decoder) tensors.emplace_back("cls.predictions.decoder.weight", wordEmbeddings.clone());
  if (decoder || decoderBiasOnly)
    tensors.emplace_back("cls.predictions.decoder.bias", predictionsBias.clone());
  return tensors;
}

// Caps the size of files this process may write (RLIMIT_FSIZE holds for root too, unlike
// permissions), so that a save fails half-way as it would on a full disk.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    // Past the limit write() fails with EFBIG instead of the process being killed.
    previousHandler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    active_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previousHandler_);
  }
  bool active() const { return active_; }

 private:
  rlimit saved_{};
  void (*previousHandler_)(int) = SIG_DFL;
  bool active_ = false;
};

// A tiny model's weights are ~90 KB; the header alone is ~4 KB, so the write fails inside
// the tensor data.
constexpr rlim_t kTooSmallForWeights = 16 * 1024;

}  // namespace

class TestCheckpoint : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void canonicalParameterName_data();
  void canonicalParameterName();

  void saveThenLoadIsBitExact_data();
  void saveThenLoadIsBitExact();
  void saveIntoExistingFolderKeepsOtherFiles();
  void saveIntoFolderWithTrailingSlash();
  void failedSaveLeavesPreviousCheckpoint();
  void saveBelowARegularFileFails();

  void huggingFaceVariantsLoadIdentically_data();
  void huggingFaceVariantsLoadIdentically();
  void decoderStaysTiedAfterLoading();
  void bareModelSaveLoadsIntoPretrainingModel();
  void pretrainingSaveLoadsIntoBareModel();

  void shapeMismatchNamesKeyAndShapes();
  void incompleteFolderIsAnError_data();
  void incompleteFolderIsAnError();
};

void TestCheckpoint::canonicalParameterName_data() {
  QTest::addColumn<QString>("fileKey");
  QTest::addColumn<bool>("modelHasBertPrefix");
  QTest::addColumn<QString>("expected");  // "" = deliberately ignored

  QTest::newRow("plain key") << "bert.encoder.layer.1.attention.self.query.weight" << true
                             << "bert.encoder.layer.1.attention.self.query.weight";
  QTest::newRow("gamma") << "bert.embeddings.LayerNorm.gamma" << true
                         << "bert.embeddings.LayerNorm.weight";
  QTest::newRow("beta") << "bert.encoder.layer.0.output.LayerNorm.beta" << true
                        << "bert.encoder.layer.0.output.LayerNorm.bias";
  QTest::newRow("head gamma") << "cls.predictions.transform.LayerNorm.gamma" << true
                              << "cls.predictions.transform.LayerNorm.weight";
  QTest::newRow("bare key into heads model")
      << "embeddings.word_embeddings.weight" << true << "bert.embeddings.word_embeddings.weight";
  QTest::newRow("bare gamma into heads model")
      << "encoder.layer.0.attention.output.LayerNorm.gamma" << true
      << "bert.encoder.layer.0.attention.output.LayerNorm.weight";
  QTest::newRow("bare pooler into heads model")
      << "pooler.dense.bias" << true << "bert.pooler.dense.bias";
  QTest::newRow("prefixed key into bare model")
      << "bert.pooler.dense.weight" << false << "pooler.dense.weight";
  QTest::newRow("bare key into bare model")
      << "pooler.dense.weight" << false << "pooler.dense.weight";
  QTest::newRow("beta into bare model")
      << "bert.embeddings.LayerNorm.beta" << false << "embeddings.LayerNorm.bias";
  QTest::newRow("position_ids") << "bert.embeddings.position_ids" << true << "";
  QTest::newRow("bare position_ids") << "embeddings.position_ids" << false << "";
  QTest::newRow("position_ids into bare model") << "bert.embeddings.position_ids" << false << "";
  QTest::newRow("tied decoder weight") << "cls.predictions.decoder.weight" << true << "";
  QTest::newRow("decoder bias") << "cls.predictions.decoder.bias" << true << "cls.predictions.bias";
  QTest::newRow("NSP head") << "cls.seq_relationship.weight" << true
                            << "cls.seq_relationship.weight";
  QTest::newRow("head key into bare model")
      << "cls.seq_relationship.bias" << false << "cls.seq_relationship.bias";
  QTest::newRow("task head untouched") << "classifier.weight" << true << "classifier.weight";
}

void TestCheckpoint::canonicalParameterName() {
  QFETCH(QString, fileKey);
  QFETCH(bool, modelHasBertPrefix);
  QFETCH(QString, expected);
  QCOMPARE(QString::fromStdString(
               bertwb::canonicalParameterName(fileKey.toStdString(), modelHasBertPrefix)),
           expected);
}

void TestCheckpoint::saveThenLoadIsBitExact_data() {
  QTest::addColumn<std::optional<torch::ScalarType>>("storeAs");
  QTest::addColumn<QString>("storedDtype");
  QTest::newRow("F32") << std::optional<torch::ScalarType>() << "F32";
  QTest::newRow("F16") << std::optional<torch::ScalarType>(torch::kFloat16) << "F16";
  QTest::newRow("BF16") << std::optional<torch::ScalarType>(torch::kBFloat16) << "BF16";
}

void TestCheckpoint::saveThenLoadIsBitExact() {
  QFETCH(std::optional<torch::ScalarType>, storeAs);
  QFETCH(QString, storedDtype);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string folder = pathIn(dir, "checkpoint");
  const BertConfig config = tinyConfig();
  BertForPreTraining original = randomPretrainingModel(config);
  saveCheckpoint(folder, config, *original, "BertForPreTraining", storeAs);

  const SafetensorsReader reader(weightsPath(folder));
  for (const auto& entry : reader.entries())
    QCOMPARE(QString::fromStdString(entry.dtype), storedDtype);
  const CheckpointSummary summary = inspectCheckpoint(folder);
  QVERIFY(summary.hasPretrainingHeads);
  QCOMPARE(summary.config.vocab_size, config.vocab_size);
  QCOMPARE(summary.config.num_hidden_layers, config.num_hidden_layers);
  QCOMPARE(QString::fromStdString(summary.config.extra_fields.at("architectures")).remove(' '),
           QStringLiteral("[\"BertForPreTraining\"]"));

  LoadReport report;
  BertForPreTraining loaded = loadPretrainingModel(folder, &report);
  const QStringList differing =
      differingParameters(*original, *loaded, storeAs.value_or(torch::kFloat32));
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
  QVERIFY(report.missingKeys.empty());
  QVERIFY(report.unexpectedKeys.empty());
  QCOMPARE(QString::fromStdString(report.warningText("BertForPreTraining", folder)), QString());
  QVERIFY(!loaded->is_training());
}

void TestCheckpoint::saveIntoExistingFolderKeepsOtherFiles() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString folder = dir.filePath("checkpoint");
  const BertConfig config = tinyConfig();
  saveCheckpoint(folder.toStdString(), config, *randomPretrainingModel(config, /*seed=*/1),
                 "BertForPreTraining");
  const QByteArray vocabulary = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  {
    QFile vocab(QDir(folder).filePath("vocab.txt"));
    QVERIFY(vocab.open(QIODevice::WriteOnly));
    vocab.write(vocabulary);
  }

  BertForPreTraining second = randomPretrainingModel(config, /*seed=*/2);
  saveCheckpoint(folder.toStdString(), config, *second, "BertForPreTraining");

  QCOMPARE(folderEntries(folder), (QStringList{"config.json", "model.safetensors", "vocab.txt"}));
  QFile vocab(QDir(folder).filePath("vocab.txt"));
  QVERIFY(vocab.open(QIODevice::ReadOnly));
  QCOMPARE(vocab.readAll(), vocabulary);
  const QStringList differing =
      differingParameters(*second, *loadPretrainingModel(folder.toStdString()));
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
}

void TestCheckpoint::saveIntoFolderWithTrailingSlash() {
  // "runs/ckpt/" as typed on a command line names the same new folder as "runs/ckpt".
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const BertConfig config = tinyConfig();
  BertForPreTraining original = randomPretrainingModel(config);
  saveCheckpoint(pathIn(dir, "runs/ckpt/"), config, *original, "BertForPreTraining");
  QCOMPARE(folderEntries(dir.filePath("runs")), QStringList{"ckpt"});
  QCOMPARE(folderEntries(dir.filePath("runs/ckpt")),
           (QStringList{"config.json", "model.safetensors"}));
  const QStringList differing =
      differingParameters(*original, *loadPretrainingModel(pathIn(dir, "runs/ckpt")));
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
}

void TestCheckpoint::failedSaveLeavesPreviousCheckpoint() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString folder = dir.filePath("checkpoint");
  const BertConfig config = tinyConfig();
  BertForPreTraining first = randomPretrainingModel(config, /*seed=*/1);
  saveCheckpoint(folder.toStdString(), config, *first, "BertForPreTraining");
  const QStringList entriesBefore = folderEntries(folder);
  BertForPreTraining second = randomPretrainingModel(config, /*seed=*/2);

  // Nothing is reported while the limit holds: the test log is a file too.
  std::string overExistingError;
  std::string newFolderError;
  auto saveError = [&](const std::string& target) -> std::string {
    try {
      saveCheckpoint(target, config, *second, "BertForPreTraining");
      return "(no error)";
    } catch (const bertwb::Error& e) {
      return e.what();
    } catch (const std::exception& e) {
      return std::string("(not a bertwb::Error) ") + e.what();
    }
  };
  bool limited = false;
  {
    FileSizeLimit limit(kTooSmallForWeights);
    limited = limit.active();
    if (limited) {
      overExistingError = saveError(folder.toStdString());
      newFolderError = saveError(pathIn(dir, "fresh"));
    }
  }
  if (!limited) QSKIP("setrlimit(RLIMIT_FSIZE) is not permitted here");

  for (const std::string& error : {overExistingError, newFolderError}) {
    QVERIFY2(error.find("cannot write") != std::string::npos, error.c_str());
    QVERIFY2(error.find("model.safetensors") != std::string::npos, error.c_str());
  }
  // No temporary files or staging folders left behind, and no half-made new folder.
  QCOMPARE(folderEntries(folder), entriesBefore);
  QCOMPARE(folderEntries(dir.path()), QStringList{"checkpoint"});

  LoadReport report;
  BertForPreTraining loaded = loadPretrainingModel(folder.toStdString(), &report);
  const QStringList differing = differingParameters(*first, *loaded);
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
  QVERIFY(report.missingKeys.empty());
}

void TestCheckpoint::saveBelowARegularFileFails() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  {
    QFile file(dir.filePath("notes.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a folder\n");
  }
  const BertConfig config = tinyConfig();
  const std::string folder = pathIn(dir, "notes.txt/checkpoint");
  try {
    saveCheckpoint(folder, config, *randomPretrainingModel(config), "BertForPreTraining");
    QFAIL("a checkpoint was saved below a regular file");
  } catch (const bertwb::Error& e) {
    QVERIFY2(messageHas(e, "notes.txt"), e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
  QCOMPARE(QFileInfo(dir.filePath("notes.txt")).size(), qint64(13));
  QCOMPARE(folderEntries(dir.path()), QStringList{"notes.txt"});
}

void TestCheckpoint::huggingFaceVariantsLoadIdentically_data() {
  QTest::addColumn<QString>("variant");
  QTest::newRow("LayerNorm.gamma/beta names") << "gamma/beta";
  QTest::newRow("position_ids buffer") << "position_ids";
  QTest::newRow("decoder weight and bias") << "decoder weight and bias";
  QTest::newRow("decoder bias only") << "decoder bias only";
  QTest::newRow("all of them") << "all";
}

void TestCheckpoint::huggingFaceVariantsLoadIdentically() {
  QFETCH(QString, variant);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const BertConfig config = tinyConfig();
  BertForPreTraining original = randomPretrainingModel(config);
  const std::string saved = pathIn(dir, "saved");
  saveCheckpoint(saved, config, *original, "BertForPreTraining");

  const QString variantFolder = dir.filePath("variant");
  QVERIFY(QDir().mkpath(variantFolder));
  QVERIFY(
      QFile::copy(dir.filePath("saved/config.json"), QDir(variantFolder).filePath("config.json")));
  const NamedTensors tensors =
      huggingFaceVariant(readSafetensors(weightsPath(saved)), variant, config);
  writeSafetensors(weightsPath(variantFolder.toStdString()), tensors);

  LoadReport report;
  BertForPreTraining loaded = loadPretrainingModel(variantFolder.toStdString(), &report);
  const QStringList differing = differingParameters(*original, *loaded);
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
  QVERIFY2(report.missingKeys.empty(), qPrintable(sortedNames(report.missingKeys).join(", ")));
  QVERIFY2(report.unexpectedKeys.empty(),
           qPrintable(sortedNames(report.unexpectedKeys).join(", ")));
}

void TestCheckpoint::decoderStaysTiedAfterLoading() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const BertConfig config = tinyConfig();
  const std::string saved = pathIn(dir, "saved");
  saveCheckpoint(saved, config, *randomPretrainingModel(config), "BertForPreTraining");
  // The file carries its own copy of the decoder weight, as Hugging Face saves write it.
  const std::string variant = pathIn(dir, "variant");
  QVERIFY(QDir().mkpath(QString::fromStdString(variant)));
  QVERIFY(QFile::copy(dir.filePath("saved/config.json"), dir.filePath("variant/config.json")));
  writeSafetensors(weightsPath(variant), huggingFaceVariant(readSafetensors(weightsPath(saved)),
                                                            "decoder weight and bias", config));

  BertForPreTraining model = loadPretrainingModel(variant);
  for (const auto& item : model->named_parameters(/*recurse=*/true)) {
    QVERIFY2(item.key().find("decoder") == std::string::npos, item.key().c_str());
  }
  torch::NoGradGuard noGrad;
  torch::manual_seed(5);
  BertInputs inputs;
  inputs.inputIds = torch::randint(config.vocab_size, {2, 7}, torch::kInt64);  // (B, S)
  auto manualLogits = [&] {
    const torch::Tensor hidden = model->bert->forward(inputs).lastHiddenState;  // (B, S, H)
    return torch::nn::functional::linear(model->cls->predictions->transform(hidden),
                                         model->bert->embeddings->word_embeddings->weight,
                                         model->cls->predictions->bias);  // (B, S, V)
  };
  const torch::Tensor before = model->forward(inputs).predictionLogits;  // (B, S, V)
  QCOMPARE(before.sizes().vec(), (std::vector<int64_t>{2, 7, config.vocab_size}));
  QVERIFY(torch::allclose(before, manualLogits(), /*rtol=*/0.0, /*atol=*/1e-6));

  // The tie is live: changing the word embeddings changes the output projection with them.
  model->bert->embeddings->word_embeddings->weight.mul_(2.0);
  const torch::Tensor after = model->forward(inputs).predictionLogits;
  QVERIFY(!torch::allclose(before, after));
  QVERIFY(torch::allclose(after, manualLogits(), /*rtol=*/0.0, /*atol=*/1e-6));
}

void TestCheckpoint::bareModelSaveLoadsIntoPretrainingModel() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string folder = pathIn(dir, "bare");
  const BertConfig config = tinyConfig();
  BertModel bare(config);
  randomizeParameters(*bare, kModelSeed);
  saveCheckpoint(folder, config, *bare, "BertModel");
  QVERIFY(!inspectCheckpoint(folder).hasPretrainingHeads);

  LoadReport report;
  BertForPreTraining loaded = loadPretrainingModel(folder, &report);
  QCOMPARE(sortedNames(report.missingKeys), sortedNames(kHeadKeys));
  QVERIFY2(report.unexpectedKeys.empty(),
           qPrintable(sortedNames(report.unexpectedKeys).join(", ")));
  const QStringList differing = differingParameters(*bare, *loaded->bert);
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));

  const QString warning = QString::fromStdString(report.warningText("BertForPreTraining", folder));
  QVERIFY2(warning.contains("newly initialized"), qPrintable(warning));
  QVERIFY2(warning.contains(QString::fromStdString(folder)), qPrintable(warning));
  for (const QString& key : kHeadKeys) QVERIFY2(warning.contains(key), qPrintable(key));

  // The missing heads are initialised from the seed: loading again gives the same model,
  // another seed a different one.
  QVERIFY(differingParameters(*loaded, *loadPretrainingModel(folder)).isEmpty());
  BertForPreTraining otherSeed = loadPretrainingModel(folder, nullptr, kDefaultHeadSeed + 1);
  QVERIFY(!torch::equal(loaded->cls->seq_relationship->weight,
                        otherSeed->cls->seq_relationship->weight));
  QVERIFY(torch::equal(loaded->cls->predictions->transform->LayerNorm->weight,
                       torch::ones({config.hidden_size})));
}

void TestCheckpoint::pretrainingSaveLoadsIntoBareModel() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string folder = pathIn(dir, "pretraining");
  const BertConfig config = tinyConfig();
  BertForPreTraining original = randomPretrainingModel(config);
  saveCheckpoint(folder, config, *original, "BertForPreTraining");

  LoadReport report;
  BertModel loaded = loadBareModel(folder, &report);
  QCOMPARE(sortedNames(report.unexpectedKeys), sortedNames(kHeadKeys));
  QVERIFY2(report.missingKeys.empty(), qPrintable(sortedNames(report.missingKeys).join(", ")));
  const QStringList differing = differingParameters(*original->bert, *loaded);
  QVERIFY2(differing.isEmpty(), qPrintable(differing.join(", ")));
  const QString warning = QString::fromStdString(report.warningText("BertModel", folder));
  QVERIFY2(warning.contains("were not used"), qPrintable(warning));
  QVERIFY2(!warning.contains("newly initialized"), qPrintable(warning));
}

void TestCheckpoint::shapeMismatchNamesKeyAndShapes() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string folder = pathIn(dir, "mismatch");
  constexpr int kFileVocab = 60;
  const BertConfig fileConfig = tinyConfig(kFileVocab);
  saveCheckpoint(folder, fileConfig, *randomPretrainingModel(fileConfig), "BertForPreTraining");
  saveConfigFile(tinyConfig(kTinyVocab), folder + "/" + kConfigFileName);

  try {
    loadPretrainingModel(folder);
    QFAIL("weights of vocabulary 60 loaded into a model of vocabulary 50");
  } catch (const bertwb::Error& e) {
    QVERIFY2(messageHas(e, "\"bert.embeddings.word_embeddings.weight\""), e.what());
    QVERIFY2(messageHas(e, "[60, 32]"), e.what());
    QVERIFY2(messageHas(e, "[50, 32]"), e.what());
    QVERIFY2(messageHas(e, "config.json"), e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
  try {
    loadBareModel(folder);
    QFAIL("weights of vocabulary 60 loaded into a bare model of vocabulary 50");
  } catch (const bertwb::Error& e) {
    QVERIFY2(messageHas(e, "\"embeddings.word_embeddings.weight\""), e.what());
    QVERIFY2(messageHas(e, "[60, 32]"), e.what());
    QVERIFY2(messageHas(e, "[50, 32]"), e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

void TestCheckpoint::incompleteFolderIsAnError_data() {
  QTest::addColumn<QString>("damage");
  QTest::addColumn<QStringList>("expectedWords");
  QTest::newRow("no folder") << "no folder" << QStringList{"does not exist"};
  QTest::newRow("no config.json") << "no config" << QStringList{"has no config.json"};
  QTest::newRow("no model.safetensors") << "no weights" << QStringList{"has no model.safetensors"};
  QTest::newRow("only pytorch_model.bin")
      << "pytorch_model.bin" << QStringList{"has no model.safetensors", "safe_serialization=True"};
  QTest::newRow("weights truncated")
      << "truncated" << QStringList{"model.safetensors", "too short"};
  QTest::newRow("config not JSON") << "bad config" << QStringList{"config.json", "not valid JSON"};
  // Issue 19, item 8: these loaded, silently or with a warning, into a useless model.
  QTest::newRow("NaN weights") << "nan"
                               << QStringList{"\"bert.pooler.dense.bias\"",
                                              "holds 32 NaN or infinite values of 32",
                                              "use an earlier checkpoint"};
  QTest::newRow("no tensors") << "no tensors"
                              << QStringList{"model.safetensors holds no tensors",
                                             "not a BERT checkpoint"};
  QTest::newRow("another model's tensors")
      << "foreign" << QStringList{"holds none of this model's weights", "[vision.patch_embed]"};
  // Issue 19, item 5: a config far larger than its weights is refused before the model is
  // built (1,000 layers of width 4,096 would allocate ~800 GB).
  QTest::newRow("config larger than weights")
      << "huge config" << QStringList{"describes a model of", "does config.json belong"};
}

void TestCheckpoint::incompleteFolderIsAnError() {
  QFETCH(QString, damage);
  QFETCH(QStringList, expectedWords);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString folder = dir.filePath("checkpoint");
  const BertConfig config = tinyConfig();
  saveCheckpoint(folder.toStdString(), config, *randomPretrainingModel(config),
                 "BertForPreTraining");
  const QString configPath = QDir(folder).filePath("config.json");
  const QString weights = QDir(folder).filePath("model.safetensors");
  QString loadFrom = folder;
  if (damage == "no folder") loadFrom = dir.filePath("elsewhere");
  if (damage == "no config") QVERIFY(QFile::remove(configPath));
  if (damage == "no weights" || damage == "pytorch_model.bin") QVERIFY(QFile::remove(weights));
  if (damage == "pytorch_model.bin")
    QVERIFY(QFile::copy(configPath, QDir(folder).filePath("pytorch_model.bin")));
  if (damage == "truncated") QVERIFY(QFile::resize(weights, 4));
  if (damage == "bad config") QVERIFY(QFile::resize(configPath, 10));
  if (damage == "nan") {
    BertForPreTraining model = randomPretrainingModel(config);
    torch::NoGradGuard noGrad;
    model->named_parameters()["bert.pooler.dense.bias"].fill_(std::nanf(""));
    saveCheckpoint(folder.toStdString(), config, *model, "BertForPreTraining");
  }
  if (damage == "no tensors") writeSafetensors(weights.toStdString(), {});
  if (damage == "foreign")
    writeSafetensors(weights.toStdString(), {{"vision.patch_embed", torch::zeros({4})}});
  if (damage == "huge config") {
    BertConfig huge = config;
    huge.num_hidden_layers = 1000;
    huge.hidden_size = 4096;
    huge.num_attention_heads = 16;
    huge.intermediate_size = 16384;
    saveConfigFile(huge, configPath.toStdString());
  }

  try {
    loadPretrainingModel(loadFrom.toStdString());
    QFAIL("an incomplete checkpoint folder loaded");
  } catch (const bertwb::Error& e) {
    const QString message = QString::fromUtf8(e.what());
    for (const QString& word : expectedWords) {
      QVERIFY2(message.contains(word),
               qPrintable(QStringLiteral("'%1' not in: %2").arg(word, message)));
    }
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
