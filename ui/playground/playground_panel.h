#pragma once
// The Playground stage: ask a model questions and see its answers as you type. A pre-trained
// model fills [MASK]s; a fine-tuned one does its task (classify, tag entities, answer from a
// context). The page offered follows the loaded model's heads. Each edit restarts a 250 ms
// debounce; the request then goes to the shared PredictorService (off the GUI thread, the
// newest request per page wins), and a status line shows how long the model took.
// The texts typed are kept in the workspace ("playground" section).
#include <QString>
#include <QWidget>

#include "shell/predictor_service.h"

class QLabel;
class QTabWidget;
class QTimer;

namespace bertwb::ui {

class PlaygroundClassifyView;
class PlaygroundFillMaskView;
class PlaygroundModeView;
class ModelPicker;
class PlaygroundNerView;
class PlaygroundQaView;
class Workspace;

// 250 ms: long enough that a word typed at ~5 characters a second is one request, short
// enough that the answer still feels like it follows the typing.
constexpr int kPlaygroundDebounceMs = 250;

class PlaygroundPanel : public QWidget {
  Q_OBJECT
 public:
  enum class Mode { Classify, Ner, Qa, FillMask };

  PlaygroundPanel(Workspace* workspace, PredictorService* service, QWidget* parent = nullptr);
  ~PlaygroundPanel() override;

  // Loads `folder` into the service (as if picked in the list).
  void loadModel(const QString& folder);
  Mode mode() const;
  void setMode(Mode mode);
  bool isModeAvailable(Mode mode) const;
  PlaygroundModeView* currentView() const;

  // The current page's input (QA: the question as A, the context as B).
  QString currentTextA() const;
  QString currentTextB() const;

  PlaygroundClassifyView* classifyView() const { return classify_; }
  PlaygroundNerView* nerView() const { return ner_; }
  PlaygroundQaView* qaView() const { return qa_; }
  PlaygroundFillMaskView* fillMaskView() const { return fillMask_; }
  ModelPicker* modelPicker() const { return picker_; }
  QLabel* statusLabel() const { return status_; }
  QTabWidget* modeTabs() const { return tabs_; }
  double lastLatencyMs() const { return lastLatencyMs_; }

 Q_SIGNALS:
  // The input settled (after the debounce) or the page changed.
  void inputChanged(const QString& textA, const QString& textB);
  void requestSent(const QString& channel);
  void resultShown(const QString& channel, double milliseconds);
  void requestFailed(const QString& channel, const QString& message);

 private:
  void askNow();
  void onModelLoaded();
  void onModelLoadFailed(const QString& folder, const QString& message);
  void showStatus(const QString& text, bool error = false);
  void saveTexts();
  void restoreTexts();
  PlaygroundModeView* viewFor(Mode mode) const;

  Workspace* workspace_;
  PredictorService* service_;
  ModelPicker* picker_;
  QLabel* modelInfo_;
  QTabWidget* tabs_;
  PlaygroundClassifyView* classify_;
  PlaygroundNerView* ner_;
  PlaygroundQaView* qa_;
  PlaygroundFillMaskView* fillMask_;
  QLabel* status_;
  QTimer* debounce_;
  double lastLatencyMs_ = -1;
  bool restoring_ = false;
};

}  // namespace bertwb::ui
