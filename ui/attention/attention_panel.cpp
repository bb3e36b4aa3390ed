#include "attention/attention_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "attention/attention_grid.h"
#include "attention/attention_heatmap.h"
#include "attention/attention_lines.h"
#include "shell/model_catalog.h"
#include "shell/model_picker.h"
#include "shell/predictor_service.h"
#include "util/error.h"

namespace bertwb::ui {

namespace {

const QString kAttentionChannel = QStringLiteral("attention");
// 250 ms: the Playground's debounce, so typing here feels the same as typing there.
constexpr int kEditDebounceMs = 250;

QScrollArea* scrolling(QWidget* content) {
  auto* area = new QScrollArea;
  area->setWidget(content);
  area->setWidgetResizable(true);  // wider windows give the lines more room; height follows rows
  area->setFrameShape(QFrame::NoFrame);
  area->setBackgroundRole(QPalette::Base);
  return area;
}

}  // namespace

AttentionPanel::AttentionPanel(PredictorService* service, Workspace* workspace, QWidget* parent)
    : QWidget(parent), service_(service), workspace_(workspace) {
  buildControls();
  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kEditDebounceMs);
  connect(debounce_, &QTimer::timeout, this, &AttentionPanel::requestMaps);
  for (QLineEdit* edit : {textAEdit_, textBEdit_})
    connect(edit, &QLineEdit::textEdited, debounce_, qOverload<>(&QTimer::start));
  if (service_) {
    connect(service_, &PredictorService::loadStarted, this, [this](const QString& folder) {
      showMessage(tr("Loading %1 …").arg(modelDisplayName(folder)));
    });
    connect(service_, &PredictorService::loaded, this, &AttentionPanel::onModelChanged);
    connect(service_, &PredictorService::loadFailed, this,
            [this](const QString&, const QString& message) {
              showMessage(tr("The model could not be loaded: %1").arg(message), /*error=*/true);
            });
  }
  onModelChanged();
}

void AttentionPanel::buildControls() {
  modelLabel_ = new QLabel;
  modelLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  timingLabel_ = new QLabel;
  timingLabel_->setStyleSheet(QStringLiteral("color: #666;"));
  auto* header = new QHBoxLayout;
  if (workspace_ && service_) {
    picker_ = new ModelPicker(workspace_);
    picker_->follow(service_);
    connect(picker_, &ModelPicker::modelChosen, this,
            [this](const QString& folder) { service_->load(folder); });
    connect(picker_, &ModelPicker::refused, this,
            [this](const QString& why) { showMessage(why, /*error=*/true); });
    header->addWidget(new QLabel(tr("Model:")));
    header->addWidget(picker_, 1);
    modelLabel_->hide();  // the picker names the model
  }
  header->addWidget(modelLabel_, 1);
  header->addWidget(timingLabel_);

  textAEdit_ = new QLineEdit;
  textAEdit_->setPlaceholderText(tr("Sentence A (or a question)"));
  textBEdit_ = new QLineEdit;
  textBEdit_->setPlaceholderText(tr("Sentence B or a context (optional)"));
  auto* inputs = new QHBoxLayout;
  inputs->addWidget(new QLabel(tr("Input:")));
  inputs->addWidget(textAEdit_, 1);
  inputs->addWidget(textBEdit_, 1);

  layerBox_ = new QComboBox;
  headBox_ = new QComboBox;
  directionBox_ = new QComboBox;
  directionBox_->addItem(tr("All pieces"), static_cast<int>(AttentionDirection::All));
  directionBox_->addItem(tr("Sentence A → B"), static_cast<int>(AttentionDirection::AToB));
  directionBox_->addItem(tr("Sentence B → A"), static_cast<int>(AttentionDirection::BToA));
  directionBox_->setToolTip(
      tr("For a pair: only how the pieces of one sentence attend to the other's"));
  hideSpecialBox_ = new QCheckBox(tr("Hide [CLS]/[SEP]"));
  hideSpecialBox_->setToolTip(
      tr("Trained heads park much of their weight on [CLS] and [SEP]; hiding them "
         "shows how the rest is spread"));
  normaliseBox_ = new QCheckBox(tr("Normalise rows"));
  normaliseBox_->setToolTip(tr("Rescale each shown row to sum to 1 (after pieces were hidden)"));
  zoomOutButton_ = new QToolButton;
  zoomOutButton_->setText(QStringLiteral("−"));
  zoomOutButton_->setToolTip(tr("Smaller cells (Ctrl+wheel)"));
  zoomInButton_ = new QToolButton;
  zoomInButton_->setText(QStringLiteral("+"));
  zoomInButton_->setToolTip(tr("Larger cells (Ctrl+wheel)"));
  pngButton_ = new QPushButton(tr("Export PNG…"));
  svgButton_ = new QPushButton(tr("Export SVG…"));
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Layer")));
  controls->addWidget(layerBox_);
  controls->addWidget(new QLabel(tr("Head")));
  controls->addWidget(headBox_);
  controls->addSpacing(12);
  controls->addWidget(directionBox_);
  controls->addWidget(hideSpecialBox_);
  controls->addWidget(normaliseBox_);
  controls->addStretch(1);
  controls->addWidget(new QLabel(tr("Zoom")));
  controls->addWidget(zoomOutButton_);
  controls->addWidget(zoomInButton_);
  controls->addSpacing(12);
  controls->addWidget(pngButton_);
  controls->addWidget(svgButton_);

  messageLabel_ = new QLabel;
  messageLabel_->setWordWrap(true);
  messageLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  heatmap_ = new AttentionHeatmap;
  lines_ = new AttentionLines;
  grid_ = new AttentionGrid;
  tabs_ = new QTabWidget;
  tabs_->addTab(heatmap_, tr("Heatmap"));
  tabs_->addTab(scrolling(lines_), tr("Lines"));
  tabs_->addTab(scrolling(grid_), tr("All heads"));

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(header);
  layout->addLayout(inputs);
  layout->addLayout(controls);
  layout->addWidget(messageLabel_);
  layout->addWidget(tabs_, 1);

  auto headChanged = [this] {
    if (!updatingSelectors_) refreshSingleHead();
  };
  connect(layerBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, headChanged);
  connect(headBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, headChanged);
  connect(directionBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          &AttentionPanel::refreshViews);
  connect(hideSpecialBox_, &QCheckBox::toggled, this, &AttentionPanel::refreshViews);
  connect(normaliseBox_, &QCheckBox::toggled, this, &AttentionPanel::refreshViews);
  connect(zoomInButton_, &QToolButton::clicked, heatmap_, &AttentionHeatmap::zoomIn);
  connect(zoomOutButton_, &QToolButton::clicked, heatmap_, &AttentionHeatmap::zoomOut);
  connect(grid_, &AttentionGrid::headChosen, this, [this](int layer, int head) {
    setHead(layer, head);
    setView(View::Heatmap);
  });
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    const bool heatmap = view() == View::Heatmap;
    zoomInButton_->setEnabled(heatmap);
    zoomOutButton_->setEnabled(heatmap);
  });
  connect(pngButton_, &QPushButton::clicked, this, [this] { exportWithDialog(/*svg=*/false); });
  connect(svgButton_, &QPushButton::clicked, this, [this] { exportWithDialog(/*svg=*/true); });
}

void AttentionPanel::setInput(const QString& textA, const QString& textB) {
  textAEdit_->setText(textA);
  textBEdit_->setText(textB);
  // Show the start of a long context, not its end where setText leaves the cursor.
  textAEdit_->setCursorPosition(0);
  textBEdit_->setCursorPosition(0);
  debounce_->stop();
  requestMaps();
}

QString AttentionPanel::textA() const {
  return textAEdit_->text();
}
QString AttentionPanel::textB() const {
  return textBEdit_->text();
}

QString AttentionPanel::modelName() const {
  if (!service_ || !service_->isLoaded()) return QString();
  return modelDisplayName(service_->folder());
}

void AttentionPanel::onModelChanged() {
  if (service_ && service_->isLoaded())
    modelLabel_->setText(
        tr("<b>Model:</b> %1 <span style='color:#666'>(%2)</span>")
            .arg(modelName().toHtmlEscaped(), service_->architecture().toHtmlEscaped()));
  else
    modelLabel_->setText(tr("<b>Model:</b> none loaded"));
  requestMaps();
}

void AttentionPanel::requestMaps() {
  if (service_ && service_->isLoading() && !service_->isLoaded()) {
    showMessage(tr("Loading the model …"));
    return;
  }
  if (!service_ || !service_->isLoaded()) {
    // With its own picker the stage says so; without one the Playground chooses.
    showMessage(picker_ ? tr("Load a model (the picker above, or the Playground) to see what its "
                             "attention heads look at.")
                        : tr("Load a model in the Playground stage to see what its attention "
                             "heads look at."));
    return;
  }
  const std::string a = textA().trimmed().toStdString();
  const std::string b = textB().trimmed().toStdString();
  if (a.empty()) {
    showMessage(tr("Type a sentence (and optionally a second one) to see its attention."));
    return;
  }
  showMessage(tr("Computing attention …"));
  const std::optional<std::string> second =
      b.empty() ? std::nullopt : std::optional<std::string>(b);
  service_->submit(
      kAttentionChannel,
      [a, second](const Predictor& predictor) { return std::any(predictor.attentions(a, second)); },
      this,
      [this](const std::any& result, double milliseconds) {
        timingLabel_->setText(tr("computed in %1 ms").arg(milliseconds, 0, 'f', 0));
        setMaps(std::any_cast<const AttentionMaps&>(result));
      },
      [this](const QString& message) { showMessage(message, /*error=*/true); });
}

void AttentionPanel::setMaps(const AttentionMaps& maps) {
  maps_ = maps;
  showMessage(QString());
  refillHeadSelectors();
  // Direction only means something for a pair.
  const bool pair = hasSecondSegment(maps.pieces);
  directionBox_->setEnabled(pair);
  if (!pair && directionBox_->currentIndex() != 0) {
    updatingSelectors_ = true;
    directionBox_->setCurrentIndex(0);
    updatingSelectors_ = false;
  }
  refreshViews();
  Q_EMIT mapsShown();
}

void AttentionPanel::refillHeadSelectors() {
  if (!maps_) return;
  if (layerBox_->count() == maps_->layers && headBox_->count() == maps_->heads) return;
  updatingSelectors_ = true;
  const int layer = std::clamp(layerBox_->currentIndex(), 0, std::max(maps_->layers - 1, 0));
  const int head = std::clamp(headBox_->currentIndex(), 0, std::max(maps_->heads - 1, 0));
  layerBox_->clear();
  headBox_->clear();
  for (int l = 0; l < maps_->layers; ++l) layerBox_->addItem(QString::number(l + 1));
  for (int h = 0; h < maps_->heads; ++h) headBox_->addItem(QString::number(h + 1));
  layerBox_->setCurrentIndex(layer);
  headBox_->setCurrentIndex(head);
  updatingSelectors_ = false;
}

void AttentionPanel::setHead(int layer, int head) {
  updatingSelectors_ = true;
  layerBox_->setCurrentIndex(layer);
  headBox_->setCurrentIndex(head);
  updatingSelectors_ = false;
  refreshSingleHead();
}

int AttentionPanel::layer() const {
  return std::max(layerBox_->currentIndex(), 0);
}
int AttentionPanel::head() const {
  return std::max(headBox_->currentIndex(), 0);
}

AttentionViewOptions AttentionPanel::options() const {
  AttentionViewOptions options;
  options.hideSpecial = hideSpecialBox_->isChecked();
  options.normaliseRows = normaliseBox_->isChecked();
  options.direction = static_cast<AttentionDirection>(directionBox_->currentData().toInt());
  return options;
}

void AttentionPanel::setOptions(const AttentionViewOptions& options) {
  updatingSelectors_ = true;
  hideSpecialBox_->setChecked(options.hideSpecial);
  normaliseBox_->setChecked(options.normaliseRows);
  directionBox_->setCurrentIndex(directionBox_->findData(static_cast<int>(options.direction)));
  updatingSelectors_ = false;
  refreshViews();
}

void AttentionPanel::refreshViews() {
  if (updatingSelectors_ || !maps_) return;
  grid_->setMaps(*maps_, options());
  refreshSingleHead();
}

QString AttentionPanel::headTitle() const {
  QString title = tr("Layer %1, head %2").arg(layer() + 1).arg(head() + 1);
  const AttentionDirection direction = options().direction;
  if (direction == AttentionDirection::AToB) title += tr(" — sentence A → B");
  if (direction == AttentionDirection::BToA) title += tr(" — sentence B → A");
  return title;
}

void AttentionPanel::refreshSingleHead() {
  if (!maps_) return;
  try {
    const AttentionSelection selection = selectAttention(*maps_, layer(), head(), options());
    heatmap_->setSelection(selection, headTitle());
    lines_->setSelection(selection, headTitle());
    grid_->setCurrent(layer(), head());
    if (selection.empty())
      showMessage(tr("Nothing left to show: every piece is hidden by the options."));
  } catch (const Error& error) {
    showMessage(QString::fromStdString(error.what()), /*error=*/true);
  }
}

void AttentionPanel::showMessage(const QString& text, bool error) {
  messageLabel_->setText(text);
  messageLabel_->setStyleSheet(error ? QStringLiteral("color: #b00020; font-weight: bold;")
                                     : QStringLiteral("color: #444;"));
  messageLabel_->setVisible(!text.isEmpty());
}

QString AttentionPanel::message() const {
  return messageLabel_->text();
}

void AttentionPanel::setView(View view) {
  tabs_->setCurrentIndex(static_cast<int>(view));
}
AttentionPanel::View AttentionPanel::view() const {
  return static_cast<View>(tabs_->currentIndex());
}

bool AttentionPanel::exportPng(const QString& path, QString* error) {
  switch (view()) {
    case View::Heatmap:
      return heatmap_->exportPng(path, error);
    case View::Lines:
      return lines_->exportPng(path, error);
    case View::Grid:
      return grid_->exportPng(path, error);
  }
  return false;
}

bool AttentionPanel::exportSvg(const QString& path, QString* error) {
  switch (view()) {
    case View::Heatmap:
      return heatmap_->exportSvg(path, error);
    case View::Lines:
      return lines_->exportSvg(path, error);
    case View::Grid:
      return grid_->exportSvg(path, error);
  }
  return false;
}

void AttentionPanel::exportWithDialog(bool svg) {
  if (!maps_) {
    showMessage(tr("There is no attention to export yet."), /*error=*/true);
    return;
  }
  const QString suffix = svg ? QStringLiteral("svg") : QStringLiteral("png");
  const QString name = view() == View::Grid ? QStringLiteral("attention-heads.%1").arg(suffix)
                                            : QStringLiteral("attention-layer%1-head%2.%3")
                                                  .arg(layer() + 1)
                                                  .arg(head() + 1)
                                                  .arg(suffix);
  const QString path =
      QFileDialog::getSaveFileName(this, svg ? tr("Export as SVG") : tr("Export as PNG"), name,
                                   svg ? tr("SVG drawings (*.svg)") : tr("PNG pictures (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  const bool saved = svg ? exportSvg(path, &error) : exportPng(path, &error);
  showMessage(saved ? tr("Saved %1").arg(QDir::toNativeSeparators(path)) : error, /*error=*/!saved);
}

}  // namespace bertwb::ui
