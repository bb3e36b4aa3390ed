#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

#include "model/model_stats.h"
#include "model_summary_widget.h"
#include "stage_placeholder.h"
#include "util/format.h"

namespace bertwb::ui {

MainWindow::MainWindow(const QString& deviceDescription, QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("BERT Workbench"));
  stageList_ = new QListWidget(this);
  stageList_->setFixedWidth(170);
  stageList_->setIconSize(QSize(20, 20));
  stages_ = new QStackedWidget(this);
  modelSummary_ = new ModelSummaryWidget(this);

  struct StageEntry {
    QString title;
    QString tip;
    QWidget* page;
  };
  const QList<StageEntry> entries = {
      {tr("1  Data"), tr("Corpus files, statistics and tokenization"),
       new StagePlaceholder(tr("Data"), tr("Corpus files and their statistics, a tokenization preview, and the "
                                           "masking and next-sentence sampling drawn token by token."))},
      {tr("2  Model"), tr("Size the model: layers L, hidden H, heads A"), modelSummary_},
      {tr("3  Pre-train"), tr("Masked-LM + next-sentence pre-training with live curves"),
       new StagePlaceholder(tr("Pre-train"), tr("Masked-LM and next-sentence pre-training with live loss and "
                                                "accuracy curves and probe sentences."))},
      {tr("4  Fine-tune"), tr("Classification, tagging, question answering"),
       new StagePlaceholder(tr("Fine-tune"), tr("One extra output layer per task, all weights trained."))},
      {tr("5  Playground"), tr("Type a sentence, see what the model makes of it"),
       new StagePlaceholder(tr("Playground"), tr("Classify, tag, answer, fill [MASK]."))},
      {tr("6  Attention"), tr("Every layer's and head's attention"),
       new StagePlaceholder(tr("Attention"), tr("Heatmaps and line views of attention per layer and head."))},
  };
  for (const auto& entry : entries) {
    auto* item = new QListWidgetItem(entry.title, stageList_);
    item->setToolTip(entry.tip);
    item->setSizeHint(QSize(160, 34));
    stages_->addWidget(entry.page);
  }
  connect(stageList_, &QListWidget::currentRowChanged, stages_, &QStackedWidget::setCurrentIndex);

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  layout->addWidget(stageList_);
  layout->addWidget(stages_, 1);
  setCentralWidget(central);

  auto* fileMenu = menuBar()->addMenu(tr("&File"));
  QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  auto* viewMenu = menuBar()->addMenu(tr("&View"));
  for (int i = 0; i < entries.size(); ++i) {
    QAction* go = viewMenu->addAction(entries[i].title.mid(3), this, [this, i] { showStage(Stage(i)); });
    go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
  }
  auto* helpMenu = menuBar()->addMenu(tr("&Help"));
  helpMenu->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About BERT Workbench"),
                       tr("BERT Workbench builds, pre-trains, fine-tunes and explains BERT models "
                          "(Devlin et al., 2019)."));
  });

  deviceLabel_ = new QLabel(tr("Device: %1").arg(deviceDescription), this);
  modelLabel_ = new QLabel(this);
  statusBar()->addWidget(deviceLabel_);
  statusBar()->addPermanentWidget(modelLabel_);
  connect(modelSummary_, &ModelSummaryWidget::configChanged, this, &MainWindow::updateStatus);
  updateStatus();
  showStage(Model);
  resize(1100, 720);
  restoreLayout();
}

void MainWindow::showStage(Stage stage) { stageList_->setCurrentRow(static_cast<int>(stage)); }

void MainWindow::updateStatus() {
  const BertConfig& c = modelSummary_->config();
  modelLabel_->setText(tr("Model: L=%1 H=%2 A=%3, %4 parameters")
                           .arg(c.num_hidden_layers)
                           .arg(c.hidden_size)
                           .arg(c.num_attention_heads)
                           .arg(QString::fromStdString(formatCount(countParameters(c).withPretrainingHeads()))));
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (settings.contains("window/geometry")) restoreGeometry(settings.value("window/geometry").toByteArray());
  if (settings.contains("window/state")) restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  event->accept();
}

}  // namespace bertwb::ui
