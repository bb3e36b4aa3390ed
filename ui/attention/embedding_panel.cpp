#include "attention/embedding_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <exception>
#include <optional>

#include "attention/embedding_export.h"
#include "attention/embedding_scatter.h"
#include "io/npy_writer.h"
#include "shell/bounded_read.h"
#include "shell/model_catalog.h"
#include "shell/predictor_service.h"

namespace bertwb::ui {

namespace {

const QString kEmbeddingChannel = QStringLiteral("embedding");
// extract_features.py's convention for a pair on one line.
const QString kPairSeparator = QStringLiteral("|||");
constexpr int kShortLabelCharacters = 26;  // a sentence's label on the plot; the tooltip has all
constexpr int kControlsWidth = 340;

QString shortened(const QString& text) {
  return text.size() <= kShortLabelCharacters
             ? text
             : text.left(kShortLabelCharacters - 1) + QStringLiteral("…");
}

// config.json's num_hidden_layers; 0 when it cannot be read (then every choice stays offered
// and the predictor's own error explains a bad one).
int layerCountOf(const QString& folder) {
  const std::optional<QByteArray> bytes =
      readBoundedFile(QDir(folder).filePath(QStringLiteral("config.json")), kConfigFile);
  if (!bytes) return 0;
  return QJsonDocument::fromJson(*bytes)
      .object()
      .value(QStringLiteral("num_hidden_layers"))
      .toInt(0);
}

// The layers a spec reaches back: "-4" and "sum4" need four.
int layersNeeded(const QString& spec) {
  if (spec.endsWith('4')) return 4;
  if (spec == QStringLiteral("-2")) return 2;
  return 1;
}

}  // namespace

void EmbeddingPanel::offerLayerSpecsFor(int layerCount) {
  auto* model = qobject_cast<QStandardItemModel*>(layerBox_->model());
  if (!model) return;
  for (int row = 0; row < layerBox_->count(); ++row) {
    const bool possible =
        layerCount <= 0 || layersNeeded(layerBox_->itemData(row).toString()) <= layerCount;
    QStandardItem* item = model->item(row);
    item->setEnabled(possible);
    item->setToolTip(possible ? QString() : tr("This model has only %1 layers").arg(layerCount));
  }
  if (!model->item(layerBox_->currentIndex())->isEnabled()) {
    const QSignalBlocker quiet(layerBox_);  // the caller computes next
    layerBox_->setCurrentIndex(0);
  }
}

QStringList EmbeddingPanel::demoSentences() {
  return {
      QStringLiteral("Anna lives in Bern and works as a nurse."),
      QStringLiteral("Clara plays the violin every Sunday with her friends."),
      QStringLiteral("Lucerne is a town in Switzerland."),
      QStringLiteral("A river runs through the centre of Lyon."),
      QStringLiteral("Northwind Bakery is looking for a baker to join the team."),
      QStringLiteral("The staff of Saint Mary Hospital meet every Monday morning."),
      QStringLiteral("Here is a simple recipe for fish soup."),
      QStringLiteral("Stir slowly for about ten minutes and serve the soup warm."),
      QStringLiteral("A good bicycle can last for many years."),
      QStringLiteral("Clean your guitar once a week with a soft cloth."),
      QStringLiteral("The pasta was wonderful and I would happily go back."),
      QStringLiteral("The bread was stale and the waiter was rude."),
  };
}

EmbeddingPanel::EmbeddingPanel(PredictorService* service, QWidget* parent)
    : QWidget(parent), service_(service) {
  buildControls();
  setSentences(demoSentences());
  if (service_) {
    connect(service_, &PredictorService::loaded, this, &EmbeddingPanel::onModelChanged);
    connect(service_, &PredictorService::loadFailed, this,
            [this](const QString&, const QString& message) {
              showMessage(tr("The model could not be loaded: %1").arg(message), /*error=*/true);
            });
  }
  onModelChanged();
}

void EmbeddingPanel::buildControls() {
  modelLabel_ = new QLabel;
  modelLabel_->setWordWrap(true);
  sentencesEdit_ = new QPlainTextEdit;
  sentencesEdit_->setPlaceholderText(tr("One sentence per line; \"A ||| B\" for a pair"));
  // No wrapping: one visual line per sentence keeps "one per line" unmistakable.
  sentencesEdit_->setLineWrapMode(QPlainTextEdit::NoWrap);
  layerBox_ = new QComboBox;
  layerBox_->addItem(tr("Last layer"), QStringLiteral("-1"));
  layerBox_->addItem(tr("Second-to-last layer"), QStringLiteral("-2"));
  layerBox_->addItem(tr("Fourth-to-last layer"), QStringLiteral("-4"));
  layerBox_->addItem(tr("Embedding output (layer 0)"), QStringLiteral("0"));
  layerBox_->addItem(tr("Sum of the last four"), QStringLiteral("sum4"));
  layerBox_->addItem(tr("Last four concatenated"), QStringLiteral("concat4"));
  layerBox_->setToolTip(
      tr("The paper's feature-based NER found the last four layers concatenated or "
         "summed best (§5.3)"));
  poolingBox_ = new QComboBox;
  poolingBox_->addItem(tr("[CLS] vector"), static_cast<int>(EmbeddingPooling::Cls));
  poolingBox_->addItem(tr("Mean of the pieces"), static_cast<int>(EmbeddingPooling::Mean));
  poolingBox_->setToolTip(
      tr("How one sentence becomes one vector (token points do not depend on it)"));
  pointsBox_ = new QComboBox;
  pointsBox_->addItem(tr("Sentences"), static_cast<int>(Points::Sentences));
  pointsBox_->addItem(tr("Word pieces"), static_cast<int>(Points::Tokens));
  computeButton_ = new QPushButton(tr("Compute"));
  computeButton_->setDefault(true);
  npyButton_ = new QPushButton(tr("Export .npy…"));
  npyButton_->setToolTip(tr("The vectors of the points shown, as one float32 NumPy array"));
  projectorButton_ = new QPushButton(tr("Export for projector…"));
  projectorButton_->setToolTip(
      tr("A folder with tokens.npy, sentences.npy and the TensorBoard projector's "
         "vectors.tsv + metadata.tsv"));
  pictureButton_ = new QPushButton(tr("Export picture…"));
  messageLabel_ = new QLabel;
  messageLabel_->setWordWrap(true);
  messageLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* form = new QFormLayout;
  form->addRow(tr("Layers"), layerBox_);
  form->addRow(tr("Pooling"), poolingBox_);
  form->addRow(tr("Points"), pointsBox_);
  auto* exports = new QHBoxLayout;
  exports->addWidget(npyButton_);
  exports->addWidget(projectorButton_);
  auto* controls = new QVBoxLayout;
  controls->addWidget(modelLabel_);
  controls->addWidget(new QLabel(tr("Sentences (one per line):")));
  controls->addWidget(sentencesEdit_, 1);
  controls->addLayout(form);
  controls->addWidget(computeButton_);
  controls->addLayout(exports);
  controls->addWidget(pictureButton_);
  controls->addWidget(messageLabel_);
  auto* controlsBox = new QWidget;
  controlsBox->setLayout(controls);
  controlsBox->setFixedWidth(kControlsWidth);

  scatter_ = new EmbeddingScatter;
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(controlsBox);
  layout->addWidget(scatter_, 1);

  connect(computeButton_, &QPushButton::clicked, this, &EmbeddingPanel::compute);
  connect(layerBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    if (hasResults()) compute();
  });
  connect(poolingBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    if (hasResults()) compute();
  });
  connect(pointsBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &EmbeddingPanel::refreshScatter);
  connect(npyButton_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export vectors as .npy"),
                                     points() == Points::Sentences ? QStringLiteral("sentences.npy")
                                                                   : QStringLiteral("tokens.npy"),
                                     tr("NumPy arrays (*.npy)"));
    if (path.isEmpty()) return;
    QString error;
    if (exportNpy(path, &error))
      showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    else
      showMessage(error, /*error=*/true);
  });
  connect(projectorButton_, &QPushButton::clicked, this, [this] {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder for the projector files"));
    if (folder.isEmpty()) return;
    QString error;
    if (exportProjector(folder, &error))
      showMessage(tr("Saved vectors.tsv, metadata.tsv and the .npy files in %1")
                      .arg(QDir::toNativeSeparators(folder)));
    else
      showMessage(error, /*error=*/true);
  });
  connect(pictureButton_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the picture"), QStringLiteral("embeddings.png"),
        tr("PNG pictures (*.png);;SVG drawings (*.svg)"));
    if (path.isEmpty()) return;
    QString error;
    const bool svg = path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive);
    const bool saved = svg ? scatter_->exportSvg(path, &error) : scatter_->exportPng(path, &error);
    showMessage(saved ? tr("Saved %1").arg(QDir::toNativeSeparators(path)) : error,
                /*error=*/!saved);
  });
}

void EmbeddingPanel::setSentences(const QStringList& sentences) {
  sentencesEdit_->setPlainText(sentences.join('\n'));
}

QStringList EmbeddingPanel::sentences() const {
  QStringList lines;
  for (const QString& line : sentencesEdit_->toPlainText().split('\n'))
    if (!line.trimmed().isEmpty()) lines << line.trimmed();
  return lines;
}

void EmbeddingPanel::setLayerSpec(const QString& spec) {
  const int index = layerBox_->findData(spec);
  if (index >= 0) layerBox_->setCurrentIndex(index);
}
bool EmbeddingPanel::isLayerSpecOffered(const QString& spec) const {
  const auto* model = qobject_cast<const QStandardItemModel*>(layerBox_->model());
  const int row = layerBox_->findData(spec);
  return model && row >= 0 && model->item(row)->isEnabled();
}

QString EmbeddingPanel::layerSpec() const {
  return layerBox_->currentData().toString();
}

void EmbeddingPanel::setPooling(EmbeddingPooling pooling) {
  poolingBox_->setCurrentIndex(poolingBox_->findData(static_cast<int>(pooling)));
}
EmbeddingPooling EmbeddingPanel::pooling() const {
  return static_cast<EmbeddingPooling>(poolingBox_->currentData().toInt());
}

void EmbeddingPanel::setPoints(Points points) {
  pointsBox_->setCurrentIndex(static_cast<int>(points));
}
EmbeddingPanel::Points EmbeddingPanel::points() const {
  return static_cast<Points>(pointsBox_->currentIndex());
}

void EmbeddingPanel::onModelChanged() {
  const bool loaded = service_ && service_->isLoaded();
  modelLabel_->setText(
      loaded ? tr("<b>Model:</b> %1").arg(modelDisplayName(service_->folder()).toHtmlEscaped())
             : tr("<b>Model:</b> none loaded"));
  computeButton_->setEnabled(loaded);
  if (loaded) offerLayerSpecsFor(layerCountOf(service_->folder()));
  if (loaded)
    compute();
  else
    showMessage(
        tr("Load a model in the Playground stage, then compute the vectors of these sentences."));
}

void EmbeddingPanel::compute() {
  if (!service_ || !service_->isLoaded()) {
    showMessage(tr("No model is loaded: load one in the Playground stage."), /*error=*/true);
    return;
  }
  const QStringList lines = sentences();
  if (lines.isEmpty()) {
    showMessage(tr("Type at least one sentence."), /*error=*/true);
    return;
  }
  EmbedOptions options;
  options.layers = layerSpec().toStdString();
  options.pooling = pooling();
  std::vector<std::pair<std::string, std::optional<std::string>>> inputs;
  for (const QString& line : lines) {
    const int separator = line.indexOf(kPairSeparator);
    if (separator < 0)
      inputs.emplace_back(line.toStdString(), std::nullopt);
    else
      inputs.emplace_back(line.left(separator).trimmed().toStdString(),
                          line.mid(separator + kPairSeparator.size()).trimmed().toStdString());
  }
  showMessage(tr("Computing the vectors of %1 sentences …").arg(lines.size()));
  service_->submit(
      kEmbeddingChannel,
      [inputs, options](const Predictor& predictor) {
        std::vector<EmbeddingResult> results;
        results.reserve(inputs.size());
        for (const auto& [a, b] : inputs) results.push_back(predictor.embed(a, b, options));
        // The projections too: a thousand 768-d vectors take a second of PCA, which must not
        // freeze the window.
        return std::any(projectBoth(std::move(results)));
      },
      this,
      [this, lines](const std::any& result, double milliseconds) {
        applyComputation(lines, std::any_cast<const EmbeddingComputation&>(result));
        showMessage(
            tr("Vectors of %1 sentences in %2 ms.").arg(lines.size()).arg(milliseconds, 0, 'f', 0));
      },
      [this](const QString& message) { showMessage(message, /*error=*/true); });
}

void EmbeddingPanel::setResults(const QStringList& sentences,
                                const std::vector<EmbeddingResult>& results) {
  applyComputation(sentences, projectBoth(results));
}

void EmbeddingPanel::applyComputation(const QStringList& sentences,
                                      const EmbeddingComputation& computation) {
  computedSentences_ = sentences;
  results_ = computation.results;
  sentenceProjection_ = computation.sentenceProjection;
  pieceProjection_ = computation.pieceProjection;
  showMessage(QString());
  refreshScatter();
  Q_EMIT resultsShown();
}

const PcaProjection& EmbeddingPanel::projection() const {
  return points() == Points::Sentences ? sentenceProjection_ : pieceProjection_;
}

std::vector<float> EmbeddingPanel::shownVectors(int* count, int* dimension) const {
  return stackVectors(results_, points() == Points::Sentences, count, dimension);
}

void EmbeddingPanel::refreshScatter() {
  if (results_.empty()) {
    scatter_->clear();
    return;
  }
  const PcaProjection& shown = projection();
  const int count = static_cast<int>(shown.x.size());
  const int dimension = static_cast<int>(results_.front().dimension);
  std::vector<ScatterPoint> scatterPoints;
  scatterPoints.reserve(count);
  int row = 0;
  for (size_t line = 0; line < results_.size(); ++line) {
    const QString sentence = computedSentences_.value(static_cast<int>(line));
    if (points() == Points::Sentences) {
      scatterPoints.push_back({shown.x[row], shown.y[row], shortened(sentence),
                               tr("Sentence %1: %2").arg(line + 1).arg(sentence),
                               static_cast<int>(line)});
      ++row;
      continue;
    }
    for (const std::string& piece : results_[line].pieces) {
      const QString text = QString::fromStdString(piece);
      scatterPoints.push_back({shown.x[row], shown.y[row], text,
                               tr("%1 — sentence %2: %3").arg(text).arg(line + 1).arg(sentence),
                               static_cast<int>(line)});
      ++row;
    }
  }
  auto axisLabel = [](int component, double share) {
    return tr("PC%1 (%2% of the variance)").arg(component).arg(100.0 * share, 0, 'f', 1);
  };
  const QString what =
      points() == Points::Sentences ? tr("Sentence vectors") : tr("Word-piece vectors");
  scatter_->setPoints(
      scatterPoints, axisLabel(1, shown.explained[0]), axisLabel(2, shown.explained[1]),
      tr("%1 — %2, %3 values each").arg(what, layerBox_->currentText()).arg(dimension));
}

void EmbeddingPanel::showMessage(const QString& text, bool error) {
  messageLabel_->setText(text);
  messageLabel_->setStyleSheet(error ? QStringLiteral("color: #b00020; font-weight: bold;")
                                     : QStringLiteral("color: #444;"));
}

QString EmbeddingPanel::message() const {
  return messageLabel_->text();
}

bool EmbeddingPanel::exportNpy(const QString& path, QString* error) {
  int count = 0, dimension = 0;
  const std::vector<float> vectors = shownVectors(&count, &dimension);
  if (count == 0) {
    if (error) *error = tr("There are no vectors to export yet: compute them first.");
    return false;
  }
  try {
    writeNpyFloat32(path.toStdString(), {count, dimension}, vectors);  // atomic: temp file + rename
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool EmbeddingPanel::exportProjector(const QString& folder, QString* error) {
  if (results_.empty()) {
    if (error) *error = tr("There are no vectors to export yet: compute them first.");
    return false;
  }
  std::vector<std::string> sentences;
  for (const QString& sentence : computedSentences_) sentences.push_back(sentence.toStdString());
  try {
    writeEmbeddingFeatures(sentences, results_, folder.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

}  // namespace bertwb::ui
