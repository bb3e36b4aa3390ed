#include "playground/playground_panel.h"

#include <QDir>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "playground/playground_classify_view.h"
#include "playground/playground_fill_mask_view.h"
#include "playground/playground_ner_view.h"
#include "playground/playground_qa_view.h"
#include "shell/model_catalog.h"
#include "shell/model_picker.h"
#include "shell/workspace.h"

namespace bertwb::ui {
namespace {

const QString kSection = QStringLiteral("playground");
const QString kModelKey = QStringLiteral("model");
const QString kModeKey = QStringLiteral("mode");

// The demo world's kind of text (resources/demo_world/), so a model trained on it has a fair
// chance; every page starts with something to look at.
struct DemoTexts {
  QString textA, textB;
};
DemoTexts demoTexts(PlaygroundPanel::Mode mode) {
  switch (mode) {
    case PlaygroundPanel::Mode::Classify:
      return {QStringLiteral(
                  "The coffee at Northwind Bakery was delightful and I would happily go back."),
              {}};
    case PlaygroundPanel::Mode::Ner:
      return {QStringLiteral("Zoë Keller works as a nurse at Saint Mary Hospital in Zürich."), {}};
    case PlaygroundPanel::Mode::Qa:
      return {
          QStringLiteral("Where does Elena Novak work?"),
          QStringLiteral("Elena Novak lives in Lyon, a town in France. She works as a baker at "
                         "Northwind Bakery in Lyon. She often walks past the harbour of Lyon.")};
    case PlaygroundPanel::Mode::FillMask:
      return {QStringLiteral("Elena Novak lives in [MASK], a town in [MASK]."), {}};
  }
  return {};
}

// Keys of the saved texts per page.
QString keyA(PlaygroundPanel::Mode mode) {
  return QStringLiteral("textA.%1").arg(static_cast<int>(mode));
}
QString keyB(PlaygroundPanel::Mode mode) {
  return QStringLiteral("textB.%1").arg(static_cast<int>(mode));
}

constexpr PlaygroundPanel::Mode kModes[] = {PlaygroundPanel::Mode::Classify,
                                            PlaygroundPanel::Mode::Ner, PlaygroundPanel::Mode::Qa,
                                            PlaygroundPanel::Mode::FillMask};

}  // namespace

PlaygroundPanel::PlaygroundPanel(Workspace* workspace, PredictorService* service, QWidget* parent)
    : QWidget(parent), workspace_(workspace), service_(service) {
  auto* intro = new QLabel(
      tr("Ask a model and watch it answer as you type. A <b>pre-trained</b> model fills in "
         "<b>[MASK]</b>s; a <b>fine-tuned</b> model does its task: classify a sentence, find "
         "names of people, places and organisations, or answer a question from a paragraph."),
      this);
  intro->setWordWrap(true);
  picker_ = new ModelPicker(workspace, this);
  modelInfo_ = new QLabel(tr("No model loaded."), this);
  modelInfo_->setTextFormat(Qt::RichText);
  modelInfo_->setWordWrap(true);

  classify_ = new PlaygroundClassifyView(this);
  ner_ = new PlaygroundNerView(this);
  qa_ = new PlaygroundQaView(this);
  fillMask_ = new PlaygroundFillMaskView(this);
  tabs_ = new QTabWidget(this);
  tabs_->addTab(classify_, tr("Classify"));
  tabs_->addTab(ner_, tr("Entities (NER)"));
  tabs_->addTab(qa_, tr("Question answering"));
  tabs_->addTab(fillMask_, tr("Fill mask"));

  status_ = new QLabel(this);
  status_->setSizePolicy(QSizePolicy::Ignored,
                         QSizePolicy::Preferred);  // long errors must not widen the window
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kPlaygroundDebounceMs);

  auto* modelRow = new QHBoxLayout;
  modelRow->addWidget(new QLabel(tr("Model"), this));
  modelRow->addWidget(picker_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(modelRow);
  layout->addWidget(modelInfo_);
  layout->addWidget(tabs_, 1);
  layout->addWidget(status_);

  for (const Mode mode : kModes) {
    PlaygroundModeView* view = viewFor(mode);
    connect(view, &PlaygroundModeView::edited, this, [this, view] {
      if (restoring_ || view != currentView()) return;
      debounce_->start();  // restarts: only a pause in the typing asks the model
    });
  }
  connect(debounce_, &QTimer::timeout, this, &PlaygroundPanel::askNow);
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (restoring_) return;
    debounce_->stop();
    askNow();
  });
  connect(picker_, &ModelPicker::modelChosen, this, &PlaygroundPanel::loadModel);
  // The Attention stage chooses for the same service: this picker shows its choice too.
  picker_->follow(service_);
  connect(picker_, &ModelPicker::refused, this,
          [this](const QString& why) { showStatus(why, /*error=*/true); });
  connect(service_, &PredictorService::loadStarted, this, [this](const QString& folder) {
    showStatus(tr("Loading %1 …").arg(QDir::toNativeSeparators(folder)));
  });
  connect(service_, &PredictorService::loaded, this, &PlaygroundPanel::onModelLoaded);
  connect(service_, &PredictorService::loadFailed, this, &PlaygroundPanel::onModelLoadFailed);

  restoreTexts();
  if (service_->isLoaded()) {
    onModelLoaded();
  } else if (workspace_) {
    // The model picked last time comes back, once the window is up.
    const QString remembered =
        workspace_->resolvePath(workspace_->section(kSection).value(kModelKey).toString());
    if (!remembered.isEmpty() && isModelFolder(remembered))
      QTimer::singleShot(0, this, [this, remembered] {
        if (!service_->isLoaded() && !service_->isLoading()) loadModel(remembered);
      });
  }
}

PlaygroundPanel::~PlaygroundPanel() = default;

void PlaygroundPanel::loadModel(const QString& folder) {
  picker_->setCurrentFolder(folder);
  service_->load(folder);
}

PlaygroundPanel::Mode PlaygroundPanel::mode() const {
  return kModes[std::max(0, tabs_->currentIndex())];
}

void PlaygroundPanel::setMode(Mode mode) {
  tabs_->setCurrentIndex(static_cast<int>(mode));
}

bool PlaygroundPanel::isModeAvailable(Mode mode) const {
  return tabs_->isTabEnabled(static_cast<int>(mode));
}

PlaygroundModeView* PlaygroundPanel::viewFor(Mode mode) const {
  switch (mode) {
    case Mode::Classify:
      return classify_;
    case Mode::Ner:
      return ner_;
    case Mode::Qa:
      return qa_;
    case Mode::FillMask:
      return fillMask_;
  }
  return classify_;
}

PlaygroundModeView* PlaygroundPanel::currentView() const {
  return viewFor(mode());
}

QString PlaygroundPanel::currentTextA() const {
  return currentView()->textA();
}

QString PlaygroundPanel::currentTextB() const {
  return currentView()->textB();
}

void PlaygroundPanel::askNow() {
  PlaygroundModeView* view = currentView();
  saveTexts();
  Q_EMIT inputChanged(view->textA(), view->textB());
  if (!view->hasInput()) {
    view->clearResult();
    showStatus(tr("Type something to ask the model."));
    return;
  }
  if (!service_->isLoaded() && !service_->isLoading()) {
    showStatus(tr("No model loaded: choose one above (a pre-trained run, a fine-tuned model, or "
                  "Browse…)."),
               true);
    return;
  }
  if (!isModeAvailable(mode())) return;  // the model has no head for this page
  const QString channel = view->channel();
  Q_EMIT requestSent(channel);
  service_->submit(
      channel, view->request(), view,
      [this, view, channel](const std::any& result, double milliseconds) {
        view->showResult(result);
        lastLatencyMs_ = milliseconds;
        showStatus(tr("Answered in %1 ms").arg(milliseconds, 0, 'f', 0));
        Q_EMIT resultShown(channel, milliseconds);
      },
      [this, view, channel](const QString& message) {
        view->clearResult();
        showStatus(message, true);
        Q_EMIT requestFailed(channel, message);
      });
}

void PlaygroundPanel::onModelLoaded() {
  const PredictorCapabilities abilities = service_->capabilities();
  const bool any = abilities.classify || abilities.tag || abilities.answer || abilities.fillMask;
  const bool available[] = {abilities.classify, abilities.tag, abilities.answer,
                            abilities.fillMask};
  restoring_ = true;  // enabling tabs may switch the page; ask once, below
  for (const Mode mode : kModes) {
    const int index = static_cast<int>(mode);
    // A bare encoder (BertModel) has no head: every page stays open and says why it fails.
    tabs_->setTabEnabled(index, !any || available[index]);
    tabs_->setTabToolTip(
        index, tabs_->isTabEnabled(index)
                   ? QString()
                   : tr("This model has no head for this; pick a model fine-tuned for it."));
  }
  if (!isModeAvailable(mode()))
    for (const Mode candidate : kModes)
      if (isModeAvailable(candidate)) {
        setMode(candidate);
        break;
      }
  restoring_ = false;
  picker_->setCurrentFolder(service_->folder());
  QStringList can;
  if (abilities.classify)
    can << tr("classify (%1)").arg(service_->labels().join(QStringLiteral(", ")));
  if (abilities.tag)
    can << tr("tag entities (%1)").arg(service_->labels().join(QStringLiteral(", ")));
  if (abilities.answer) can << tr("answer questions");
  if (abilities.fillMask) can << tr("fill in [MASK]");
  modelInfo_->setText(tr("<b>%1</b> · %2 · can %3")
                          .arg(modelDisplayName(service_->folder()).toHtmlEscaped(),
                               service_->architecture(),
                               can.isEmpty() ? tr("show attentions and embeddings only")
                                             : can.join(QStringLiteral(", "))));
  // Which precision answers (auto: bf16 where the CPU has it), in full where there is room.
  modelInfo_->setToolTip(tr("Runs in %1.").arg(service_->precision()));
  if (workspace_) {
    QJsonObject section = workspace_->section(kSection);
    section[kModelKey] = service_->folder();
    workspace_->setSection(kSection, section);
  }
  debounce_->stop();
  askNow();
}

void PlaygroundPanel::onModelLoadFailed(const QString&, const QString& message) {
  showStatus(message, true);
}

void PlaygroundPanel::showStatus(const QString& text, bool error) {
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
  status_->setText(text);
  status_->setToolTip(error ? text : QString());
}

void PlaygroundPanel::saveTexts() {
  if (!workspace_) return;
  QJsonObject section = workspace_->section(kSection);
  for (const Mode mode : kModes) {
    section[keyA(mode)] = viewFor(mode)->textA();
    section[keyB(mode)] = viewFor(mode)->textB();
  }
  section[kModeKey] = static_cast<int>(mode());
  if (section != workspace_->section(kSection)) workspace_->setSection(kSection, section);
}

void PlaygroundPanel::restoreTexts() {
  restoring_ = true;
  const QJsonObject section = workspace_ ? workspace_->section(kSection) : QJsonObject();
  for (const Mode mode : kModes) {
    const DemoTexts demo = demoTexts(mode);
    viewFor(mode)->setTexts(
        section.contains(keyA(mode)) ? section.value(keyA(mode)).toString() : demo.textA,
        section.contains(keyB(mode)) ? section.value(keyB(mode)).toString() : demo.textB);
  }
  const int savedMode = section.value(kModeKey).toInt(static_cast<int>(Mode::FillMask));
  if (savedMode >= 0 && savedMode < tabs_->count()) tabs_->setCurrentIndex(savedMode);
  restoring_ = false;
}

}  // namespace bertwb::ui
