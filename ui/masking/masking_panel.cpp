#include "masking/masking_panel.h"

#include <QDir>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "masking/instance_card.h"
#include "masking/masking_knobs.h"
#include "masking/masking_statistics_box.h"
#include "shell/background_job.h"
#include "shell/corpus_loading.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "widgets/display_units.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {
namespace {

const char* const kSection = "masking";
const char* const kSeedKey = "seed";
const char* const kInstanceKey = "instance";
const char* const kCountKey = "statisticsInstances";
const char* const kLegacyKnobsKey = "knobs";
constexpr int kDefaultSeed = 12345;       // create_pretraining_data.py's random_seed
constexpr int kLargestSeed = 2147483647;  // what a QSpinBox holds
constexpr int kKnobsWidth = 270;
constexpr int kControlsGap = 24;
// The share of the corpus's tokens that continue a word ("##ing"): whole-word masking only
// differs from token masking where there are some.
double continuationShareOf(const TokenizedCorpus& corpus, const SamplerVocabulary& vocabulary) {
  int64_t tokens = 0, continuing = 0;
  for (const CorpusDocument& document : corpus.documents) {
    for (const auto& sentence : document.sentences) {
      for (const int32_t id : sentence) {
        ++tokens;
        if (id >= 0 && static_cast<size_t>(id) < vocabulary.isContinuation.size() &&
            vocabulary.isContinuation[id])
          ++continuing;
      }
    }
  }
  return tokens ? static_cast<double>(continuing) / static_cast<double>(tokens) : 0.0;
}

QString panelKey(const char* name) {
  return QString::fromLatin1(name);
}

}  // namespace

MaskingPanel::MaskingPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace) {
  corpusJob_ = new BackgroundJob(this);

  auto* intro = new QLabel(
      tr("BERT learns from its corpus by two games. <b>Masked LM</b>: some positions are hidden "
         "or altered, and the model must say what was there. <b>Next-sentence prediction</b>: "
         "is segment B the text that follows A, or text from elsewhere? Hover over any chip "
         "or knob for the why."),
      this);
  intro->setWordWrap(true);

  knobs_ = new MaskingKnobs(this);
  seedBox_ = new QSpinBox(this);
  seedBox_->setRange(0, kLargestSeed);
  seedBox_->setToolTip(
      tr("Every random choice follows this seed: the same seed and settings always give the "
         "same instances (create_pretraining_data.py uses 12345)."));
  resampleButton_ = new QPushButton(tr("Resample"), this);
  resampleButton_->setToolTip(tr("Draw with a new random seed."));
  previousButton_ = new QPushButton(tr("◀ Previous"), this);
  nextButton_ = new QPushButton(tr("Next ▶"), this);
  indexLabel_ = new QLabel(this);
  exportPngButton_ = new QPushButton(tr("Export PNG…"), this);
  exportSvgButton_ = new QPushButton(tr("Export SVG…"), this);
  for (QPushButton* button : {exportPngButton_, exportSvgButton_})
    button->setToolTip(tr("Save the instance, its label and the legend as a picture for slides."));

  card_ = new InstanceCard(this);

  statisticsBox_ = new MaskingStatisticsBox(this);
  loadStatus_ = new QLabel(this);
  loadStatus_->setSizePolicy(QSizePolicy::Ignored,
                             QSizePolicy::Preferred);  // long messages must not widen the window

  auto* knobsBox = new QGroupBox(tr("Pre-training data settings"), this);
  knobsBox->setToolTip(
      tr("These are the settings the next pre-training run makes its instances with (the "
         "Training tab's run reads them from here), not a separate preview."));
  auto* knobsLayout = new QVBoxLayout(knobsBox);
  knobsNote_ = new QLabel(this);
  knobsNote_->setWordWrap(true);
  knobsLayout->addWidget(knobsNote_);
  knobsLayout->addWidget(knobs_);
  settingsNote_ = new QLabel(this);
  settingsNote_->setWordWrap(true);
  settingsNote_->setStyleSheet(QStringLiteral("color: #5c4400;"));
  settingsNote_->hide();
  knobsLayout->addWidget(settingsNote_);
  auto* recipe = new QLabel(
      tr("<b>How an instance is made</b><ol style='margin-left:-20px'>"
         "<li>Take sentences of one document until the sequence length is reached.</li>"
         "<li>Cut them in two: A, and B = the rest (<b>IsNext</b>), or, half of the time, "
         "text from another document (<b>NotNext</b>).</li>"
         "<li>Trim the longer side until [CLS] A [SEP] B [SEP] fits.</li>"
         "<li>Choose round(length × mask probability) positions, at most max predictions.</li>"
         "<li>Replace each chosen one: [MASK], a random token, or leave it, by the mix.</li></ol>"),
      this);
  recipe->setWordWrap(true);
  recipe->setTextFormat(Qt::RichText);
  knobsLayout->addSpacing(kControlsGap);
  knobsLayout->addWidget(recipe);
  knobsLayout->addStretch(1);
  knobsBox->setFixedWidth(kKnobsWidth);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Seed:"), this));
  controls->addWidget(seedBox_);
  controls->addWidget(resampleButton_);
  controls->addSpacing(kControlsGap);
  controls->addWidget(previousButton_);
  controls->addWidget(indexLabel_);
  controls->addWidget(nextButton_);
  controls->addWidget(loadStatus_, 1);
  controls->addWidget(exportPngButton_);
  controls->addWidget(exportSvgButton_);
  auto* instanceBox = new QGroupBox(tr("One pre-training instance"), this);
  auto* instanceLayout = new QVBoxLayout(instanceBox);
  instanceLayout->addLayout(controls);
  instanceLayout->addWidget(card_, 1);

  auto* right = new QVBoxLayout;
  // The instance is the point of the panel: it gets most of the height.
  right->addWidget(instanceBox, 3);
  right->addWidget(statisticsBox_, 1);
  auto* body = new QHBoxLayout;
  body->addWidget(knobsBox);
  body->addLayout(right, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(body, 1);

  restoreSettings();
  showKnobsLock();

  connect(knobs_, &MaskingKnobs::changed, this, [this] {
    if (!restoring_) workspace_->setPretrainingDataOptions(knobs_->options());
    rebuildSampler();
    drawCurrentInstance();
    scheduleStatistics();
  });
  connect(seedBox_, &QSpinBox::valueChanged, this, [this] {
    instanceIndex_ = 0;
    saveSettings();
    drawCurrentInstance();
    scheduleStatistics();
  });
  connect(statisticsBox_, &MaskingStatisticsBox::instanceCountChanged, this,
          &MaskingPanel::saveSettings);
  connect(statisticsBox_, &MaskingStatisticsBox::updated, this, &MaskingPanel::statisticsUpdated);
  connect(resampleButton_, &QPushButton::clicked, this, &MaskingPanel::resample);
  // The Training tab edits the same recipe (its sequence length, its defaults button).
  connect(workspace_, &Workspace::sectionChanged, this, [this](const QString& key) {
    if (key == kPretrainSection) followWorkspaceRecipe();
  });
  connect(workspace_, &Workspace::modelConfigChanged, this, &MaskingPanel::followWorkspaceRecipe);
  connect(workspace_, &Workspace::modelLockChanged, this, &MaskingPanel::showKnobsLock);
  connect(previousButton_, &QPushButton::clicked, this, &MaskingPanel::showPreviousInstance);
  connect(nextButton_, &QPushButton::clicked, this, &MaskingPanel::showNextInstance);
  connect(exportPngButton_, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
  connect(exportSvgButton_, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
  connect(workspace_, &Workspace::corpusChanged, this, &MaskingPanel::reload);
  connect(workspace_, &Workspace::tokenizerChanged, this, &MaskingPanel::reload);

  connect(corpusJob_, &BackgroundJob::progressed, this,
          [this](double fraction, const QString& message, double) {
            loadStatus_->setText(tr("Reading the corpus: %1% (%2)")
                                     .arg(static_cast<int>(kPercent * std::max(0.0, fraction)))
                                     .arg(message));
          });
  connect(corpusJob_, &BackgroundJob::succeeded, this, [this] {
    loadStatus_->clear();
    corpus_ = std::move(pendingCorpus_);
    continuationShare_ = continuationShareOf(corpus_->corpus, *vocabulary_);
    if (!corpus_->anyLoaded())
      samplerError_ = tr("The corpus files gave no sentences: %1")
                          .arg(corpus_->problems().join(QStringLiteral("; ")));
    rebuildSampler();
    drawCurrentInstance();
    scheduleStatistics();
    Q_EMIT corpusLoaded();
  });
  connect(corpusJob_, &BackgroundJob::failed, this, [this](const QString& message) {
    loadStatus_->clear();
    card_->showMessage(tr("Reading the corpus failed: %1").arg(message));
    Q_EMIT corpusLoaded();
  });
  for (auto signal : {&BackgroundJob::succeeded, &BackgroundJob::cancelled}) {
    connect(
        corpusJob_, signal, this,
        [this] {
          if (corpusReloadPending_) loadCorpus();
        },
        Qt::QueuedConnection);
  }

  loadCorpus();
}

MaskingPanel::~MaskingPanel() =
    default;  // the jobs (children) cancel and wait in their destructors

void MaskingPanel::reload() {
  loadCorpus();
}

bool MaskingPanel::isLoading() const {
  return corpusJob_->isRunning() || corpusReloadPending_;
}

bool MaskingPanel::isComputingStatistics() const {
  return statisticsBox_->isComputing();
}

void MaskingPanel::loadCorpus() {
  if (corpusJob_->isRunning()) {
    corpusReloadPending_ = true;
    corpusJob_->cancel();
    return;
  }
  corpusReloadPending_ = false;
  corpus_.reset();
  sampler_.reset();
  tokenizer_.reset();
  vocabulary_.reset();
  samplerError_.clear();
  try {
    if (!workspace_->hasTokenizer())
      throw std::runtime_error(
          tr("This workspace has no tokenizer yet; instances are made of its pieces.")
              .toStdString());
    tokenizer_ = workspace_->tokenizer();
    vocabulary_ = std::make_shared<const SamplerVocabulary>(samplerVocabulary(*tokenizer_));
  } catch (const std::exception& e) {
    card_->showMessage(QString::fromStdString(e.what()));
    hasInstance_ = false;
    Q_EMIT corpusLoaded();
    return;
  }
  const QStringList files = workspace_->corpusFiles();
  if (files.isEmpty()) {
    card_->showMessage(tr("The corpus folder is empty: add text files on the Data stage."));
    hasInstance_ = false;
    Q_EMIT corpusLoaded();
    return;
  }
  auto result = std::make_shared<LoadedCorpus>();
  pendingCorpus_ = result;
  std::shared_ptr<const Tokenizer> tokenizer = tokenizer_;
  card_->showMessage(tr("Reading the corpus…"));
  corpusJob_->start(
      tr("Reading the corpus"),
      [result, tokenizer, files](const ProgressCallback& progress, const CancelFlag& cancel) {
        *result = loadCorpusFiles(files, *tokenizer, progress, &cancel);
      });
}

void MaskingPanel::rebuildSampler() {
  card_->setOptions(knobs_->options());
  showSettingsWithoutEffect();
  if (!corpus_ || !vocabulary_ || !corpus_->anyLoaded()) return;
  sampler_.reset();
  samplerError_.clear();
  try {
    sampler_ =
        std::make_unique<PretrainingSampler>(corpus_->corpus, *vocabulary_, knobs_->options());
  } catch (const std::exception& e) {
    samplerError_ = QString::fromStdString(e.what());
  }
}

void MaskingPanel::showSettingsWithoutEffect() {
  const PretrainingDataOptions o = knobs_->options();
  QStringList notes;
  if (corpus_ && continuationShare_ == 0.0)
    notes << tr(
        "No word of this corpus is split into ##pieces, so whole-word masking changes "
        "nothing here.");
  const long most = std::lround(o.maxSeqLength * o.maskedLmProb);
  if (most < o.maxPredictionsPerSeq)
    notes << tr("Max predictions (%1) is never reached: a full sequence of %2 tokens has "
                "round(%2 × %3%) = %4 to predict.")
                 .arg(o.maxPredictionsPerSeq)
                 .arg(o.maxSeqLength)
                 .arg(o.maskedLmProb * kPercent, 0, 'g', 3)
                 .arg(most);
  if (corpus_ && continuationShare_ > 0)
    notes << tr("%1% of this corpus's tokens are ##pieces.")
                 .arg(continuationShare_ * kPercent, 0, 'f', 1);
  settingsNote_->setText(notes.join(QStringLiteral("<br>")));
  settingsNote_->setVisible(!notes.isEmpty());
}

QString MaskingPanel::settingsNoteText() const {
  return settingsNote_->isHidden() ? QString() : settingsNote_->text();
}

void MaskingPanel::drawCurrentInstance() {
  indexLabel_->setText(tr("instance %1").arg(instanceIndex_ + 1));
  previousButton_->setEnabled(instanceIndex_ > 0);
  if (!corpus_) return;  // still loading, or the card already says why not
  hasInstance_ = false;
  if (!sampler_) {
    card_->showMessage(tr("No instance: %1").arg(samplerError_));
  } else {
    try {
      instance_ = drawInstance(*sampler_, seed(), instanceIndex_);
      hasInstance_ = true;
      card_->showInstance(instance_, *tokenizer_, sampler_->corpus(), sampler_->options(), seed(),
                          instanceIndex_);
    } catch (const std::exception& e) {
      card_->showMessage(tr("No instance: %1").arg(QString::fromStdString(e.what())));
    }
  }
  Q_EMIT instanceChanged();
}

void MaskingPanel::scheduleStatistics() {
  if (!sampler_) {
    statisticsBox_->clear(samplerError_.isEmpty() ? tr("No corpus to sample from yet.")
                                                  : samplerError_);
    return;
  }
  statisticsBox_->request(corpus_, vocabulary_, knobs_->options(), seed());
}

quint64 MaskingPanel::seed() const {
  return static_cast<quint64>(seedBox_->value());
}

void MaskingPanel::setSeed(quint64 seed) {
  seedBox_->setValue(static_cast<int>(std::min<quint64>(seed, kLargestSeed)));
}

void MaskingPanel::setInstanceIndex(int index) {
  instanceIndex_ = std::max(0, index);
  saveSettings();
  drawCurrentInstance();
}

void MaskingPanel::showNextInstance() {
  setInstanceIndex(instanceIndex_ + 1);
}

void MaskingPanel::showPreviousInstance() {
  setInstanceIndex(instanceIndex_ - 1);
}

void MaskingPanel::resample() {
  setSeed(QRandomGenerator::global()->bounded(kLargestSeed));
}

void MaskingPanel::setStatisticsInstanceCount(int count) {
  statisticsBox_->setInstanceCount(count);
}

MaskingStatisticsView* MaskingPanel::statisticsView() const {
  return statisticsBox_->view();
}

const MaskingStatistics* MaskingPanel::statistics() const {
  return statisticsBox_->statistics();
}

const TokenChipsView* MaskingPanel::instanceChipsView() const {
  return card_->chipsView();
}

void MaskingPanel::saveSettings() {
  if (restoring_) return;
  QJsonObject section;  // the browsing state only: the knobs live in the pre-training recipe
  section[panelKey(kSeedKey)] = seedBox_->value();
  section[panelKey(kInstanceKey)] = instanceIndex_;
  section[panelKey(kCountKey)] = statisticsBox_->instanceCount();
  workspace_->setSection(panelKey(kSection), section);
}

void MaskingPanel::restoreSettings() {
  restoring_ = true;
  const QJsonObject section = workspace_->section(panelKey(kSection));
  // Workspaces saved before the knobs became the run's settings kept them here, as a preview;
  // they move into the recipe once, so the tab still shows what the user last set.
  const QJsonObject legacyKnobs = section.value(panelKey(kLegacyKnobsKey)).toObject();
  if (!legacyKnobs.isEmpty() &&
      !workspace_->section(kPretrainSection).contains(QStringLiteral("maskTokenShare"))) {
    knobs_->fromJson(legacyKnobs);
    workspace_->setPretrainingDataOptions(knobs_->options());
  } else {
    knobs_->setOptions(pretrainingDataOptions(workspace_->pretrainingRecipe()));
  }
  seedBox_->setValue(section.value(panelKey(kSeedKey)).toInt(kDefaultSeed));
  instanceIndex_ = std::max(0, section.value(panelKey(kInstanceKey)).toInt(0));
  statisticsBox_->setInstanceCount(
      section.value(panelKey(kCountKey)).toInt(statisticsBox_->instanceCount()));
  restoring_ = false;
}

void MaskingPanel::followWorkspaceRecipe() {
  // Compared through the recipe, which names every field the knobs show.
  const PretrainingRecipe theirs = workspace_->pretrainingRecipe();
  PretrainingRecipe mine = theirs;
  setDataOptions(mine, knobs_->options());
  if (recipeToJson(mine) != recipeToJson(theirs))
    knobs_->setOptions(pretrainingDataOptions(theirs));
}

void MaskingPanel::showKnobsLock() {
  const bool locked = workspace_->isModelLocked();
  knobs_->setEnabled(!locked);
  knobsNote_->setText(
      locked ? tr("<b>A pre-training run is using these settings:</b> stop it to change them.")
             : tr("What you set here is what the next pre-training run uses."));
}

bool MaskingPanel::exportPng(const QString& path, QString* error) {
  return card_->exportPng(path, error);
}

bool MaskingPanel::exportSvg(const QString& path, QString* error) {
  return card_->exportSvg(path, error);
}

void MaskingPanel::exportWithDialog(bool svg) {
  const QString suggested = QDir(workspace_->folder())
                                .filePath(QStringLiteral("instance-seed%1-%2.%3")
                                              .arg(seed())
                                              .arg(instanceIndex_ + 1)
                                              .arg(svg ? "svg" : "png"));
  const QString path =
      QFileDialog::getSaveFileName(this, svg ? tr("Export SVG") : tr("Export PNG"), suggested,
                                   svg ? tr("SVG drawings (*.svg)") : tr("PNG pictures (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  if (!(svg ? exportSvg(path, &error) : exportPng(path, &error)))
    QMessageBox::warning(this, tr("Export"), error);
}

}  // namespace bertwb::ui
