#pragma once
// The workbench window: the stages of a BERT's life in a sidebar (Data → Model → Pre-train
// → Fine-tune → Playground → Attention → Experiments), the current stage beside it, device, model
// and run state in the status bar. It owns the open workspace and rebuilds the stage pages when
// another is opened; the pages themselves hold no state the workspace does not save.
#include <QMainWindow>
#include <QStringList>
#include <functional>
#include <memory>

#include "runs/run_history.h"
#include "shell/help_window.h"
#include "shell/stage_table.h"

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QProgressDialog;
class QStackedWidget;
class QTabWidget;

namespace bertwb::ui {

class AttentionPanel;
class BackgroundJob;
class ElidedLabel;
class EmbeddingPanel;
class ExperimentsPanel;
class FinetunePanel;
class GuideBar;
class ModelStagePage;
class ModelSummaryWidget;
class PlaygroundPanel;
class PredictorService;
class PresentationMode;
class RunHistoryDialog;
class PretrainPanel;
class Workspace;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // `deviceDescription`: "CPU (2 threads)" or the GPU's name and memory, from the app.
  explicit MainWindow(const QString& deviceDescription, QWidget* parent = nullptr);
  ~MainWindow() override;

  void showStage(StageId stage);
  // The page of a stage (each sits in a scroll area of its own): a panel, or a tab widget for
  // stages with tabs.
  QWidget* stagePage(StageId stage) const;
  StageId currentStage() const;

  // Opens the workspace in `folder`; a problem is reported (dialog) and the current one stays.
  bool openWorkspace(const QString& folder);
  // Makes the workspace current (the window owns it from now on).
  void setWorkspace(std::unique_ptr<Workspace> workspace);
  // Writes the demo world into `folder` (the default demo folder when empty) off the GUI
  // thread with a progress dialog, then opens it.
  void openDemoWorkspace(const QString& folder = QString());
  // The last workspace if it still opens, else the demo workspace (the first start). When the
  // previous session ended while a workspace was opening (a crash at start), nothing is opened:
  // a banner offers that workspace, the demo or another one instead.
  void openStartupWorkspace();
  // The notice above the stages (a read-only workspace, a crash at start, a workspace.json
  // with values of the wrong type); empty when none is shown.
  QString bannerText() const;
  // A workspace counts as opened (and becomes the one the next start opens) once it has run
  // this long, or when the window closes normally.
  static constexpr int kOpenConfirmationMs = 3000;

  Workspace* workspace() const { return workspace_.get(); }
  ModelSummaryWidget* modelSummary() const;
  PretrainPanel* pretrainPanel() const { return pretrainPanel_; }
  FinetunePanel* finetunePanel() const { return finetunePanel_; }
  PlaygroundPanel* playgroundPanel() const { return playgroundPanel_; }
  AttentionPanel* attentionPanel() const { return attentionPanel_; }
  EmbeddingPanel* embeddingPanel() const { return embeddingPanel_; }
  ExperimentsPanel* experimentsPanel() const { return experimentsPanel_; }
  // The one loaded model the Playground, Attention and Embeddings pages share.
  PredictorService* predictorService() const { return predictorService_; }
  BackgroundJob* demoJob() const { return demoJob_; }
  PresentationMode* presentationMode() const { return presentation_; }
  GuideBar* guideBar() const { return guideBar_; }
  // Help ▸ User Guide (F1), Glossary, Keyboard Shortcuts: one window, opened on `page`.
  HelpWindow* showHelp(HelpWindow::Page page);
  // View ▸ Run History (Ctrl+H); null without a workspace.
  RunHistoryDialog* showRunHistory();
  // Opens a run in its stage, as it ended; false (and says why) when it cannot.
  bool showRun(const QString& folder, RunRecord::Kind kind);
  QString runState() const;

  // Tests replace the dialogs: errors are collected and the close question is answered.
  void setErrorReporter(std::function<void(const QString&)> reporter) {
    reportError_ = std::move(reporter);
  }
  void setCloseConfirmation(std::function<bool()> confirm) { confirmClose_ = std::move(confirm); }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void rebuildStages();
  // The page of one stage (the pointers above it are set as it is built), then the wiring
  // between pages once all exist.
  QWidget* buildStagePage(StageId stage, Workspace* workspace);
  void connectStagePages();
  void rememberWorkspace(const QString& folder);
  void confirmOpened(const QString& folder);
  void showBanner(const QString& html);
  void onBannerLink(const QString& link);
  void refreshRecentMenu();
  void newWorkspace();
  void chooseWorkspace();
  void updateStatus();
  void restoreLayout();
  void showError(const QString& message);
  void onPresentationScale(double scale);  // saved with the workspace
  void followPageInGuide();                // the Start-here bar or tour shows this page's step
  // "Pre-training" or "Fine-tuning" while a run is going; empty when none is.
  QString runningWork() const;
  // Stops every run, saving what it has; false when one did not stop in time.
  bool stopRuns();

  std::unique_ptr<Workspace> workspace_;
  QListWidget* stageList_;
  QStackedWidget* stages_;
  ModelStagePage* modelPage_ = nullptr;
  PretrainPanel* pretrainPanel_ = nullptr;
  QTabWidget* pretrainTabs_ = nullptr;  // Masking & NSP, then Training
  PresentationMode* presentation_;
  HelpWindow* help_ = nullptr;
  RunHistoryDialog* runHistory_ = nullptr;
  GuideBar* guideBar_;
  QAction* presentationAction_;
  FinetunePanel* finetunePanel_ = nullptr;
  PlaygroundPanel* playgroundPanel_ = nullptr;
  AttentionPanel* attentionPanel_ = nullptr;
  EmbeddingPanel* embeddingPanel_ = nullptr;
  ExperimentsPanel* experimentsPanel_ = nullptr;
  PredictorService* predictorService_;
  BackgroundJob* demoJob_;
  QProgressDialog* demoProgress_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QLabel* deviceLabel_;
  QLabel* modelLabel_;
  ElidedLabel* runLabel_;
  QLabel* banner_;
  QString bannerFolder_;  // the workspace the crash-at-start banner offers
  std::function<void(const QString&)> reportError_;
  std::function<bool()> confirmClose_;
};

}  // namespace bertwb::ui
