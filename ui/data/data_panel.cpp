#include "data/data_panel.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "data/tokenization_preview.h"
#include "shell/background_job.h"
#include "shell/corpus_loading.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "util/format.h"
#include "widgets/display_units.h"
#include "widgets/histogram_plot.h"
#include "widgets/qcustomplot_include.h"
#include "widgets/stat_tiles.h"

namespace bertwb::ui {
namespace {

enum Column {
  kFileColumn,
  kSizeColumn,
  kDocumentsColumn,
  kSentencesColumn,
  kTokensColumn,
  kUnknownColumn,
  kColumnCount
};
constexpr int kHistogramMinimumWidth = 380;
constexpr int kHistogramMinimumHeight = 240;
constexpr int kTableMinimumRows = 3;          // the table never shrinks below this many rows
constexpr int kTableMaximumRows = 10;         // more files scroll
const QColor kHistogramColour(70, 130, 180);  // the model summary's steel blue
const QColor kProblemColour(170, 30, 30);

QString countText(int64_t value) {
  return fromStd(formatCount(value));
}

QString unknownRateText(const CorpusStatistics& statistics) {
  return QString::number(kPercent * statistics.unknownRate(), 'f', 2) + QLatin1Char('%');
}

}  // namespace

DataPanel::DataPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace) {
  job_ = new BackgroundJob(this);

  auto* intro = new QLabel(
      tr("The corpus is plain text: <b>one sentence per line</b>, a <b>blank line between "
         "documents</b>. Pre-training sees only what the tokenizer makes of it: pieces "
         "with ids, and <b>[UNK]</b> wherever the vocabulary has no piece."),
      this);
  intro->setWordWrap(true);

  addButton_ = new QPushButton(tr("Add files…"), this);
  addButton_->setToolTip(tr("Copy text files into the workspace's corpus folder."));
  reloadButton_ = new QPushButton(tr("Reload"), this);
  reloadButton_->setToolTip(tr("Read and tokenize the corpus files again."));
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setVisible(false);
  status_ = new QLabel(this);
  status_->setSizePolicy(QSizePolicy::Ignored,
                         QSizePolicy::Preferred);  // long messages must not widen the window

  table_ = new QTableWidget(0, kColumnCount, this);
  table_->setHorizontalHeaderLabels(
      {tr("File"), tr("Size"), tr("Documents"), tr("Sentences"), tr("Tokens"), tr("[UNK]")});
  table_->horizontalHeaderItem(kUnknownColumn)
      ->setToolTip(tr("Share of tokens the vocabulary could not cover."));
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(kFileColumn, QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  totals_ = new StatTiles(this);
  problems_ = new QLabel(this);
  problems_->setWordWrap(true);
  problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QPalette problemPalette = problems_->palette();
  problemPalette.setColor(QPalette::WindowText, kProblemColour);
  problems_->setPalette(problemPalette);
  problems_->setVisible(false);

  histogram_ = new QCustomPlot(this);
  histogram_->setMinimumSize(kHistogramMinimumWidth, kHistogramMinimumHeight);
  histogram_->setToolTip(
      tr("How many sentences have each length in pieces. Pre-training packs sentences "
         "into sequences of up to max_seq_length pieces (128 in the paper)."));
  styleChart(histogram_);

  preview_ = new TokenizationPreview(this);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(addButton_);
  buttons->addWidget(reloadButton_);
  buttons->addWidget(progress_, 1);
  buttons->addWidget(status_, 2);
  auto* filesBox = new QGroupBox(tr("Corpus files"), this);
  auto* filesLayout = new QVBoxLayout(filesBox);
  filesLayout->addLayout(buttons);
  filesLayout->addWidget(table_);
  filesLayout->addWidget(totals_);
  filesLayout->addWidget(problems_);
  auto* histogramBox = new QGroupBox(tr("Sentence lengths"), this);
  auto* histogramLayout = new QVBoxLayout(histogramBox);
  histogramLayout->addWidget(histogram_);
  auto* previewBox = new QGroupBox(tr("Tokenization preview"), this);
  auto* previewLayout = new QVBoxLayout(previewBox);
  previewLayout->addWidget(preview_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  // Files and preview on the left, the histogram the full height on the right.
  auto* left = new QVBoxLayout;
  left->addWidget(filesBox);
  left->addWidget(previewBox, 1);
  auto* body = new QHBoxLayout;
  body->addLayout(left, 3);
  body->addWidget(histogramBox, 2);
  layout->addLayout(body, 1);

  connect(addButton_, &QPushButton::clicked, this, &DataPanel::chooseFilesToAdd);
  connect(reloadButton_, &QPushButton::clicked, this, &DataPanel::reload);
  connect(workspace_, &Workspace::corpusChanged, this, &DataPanel::reload);
  connect(workspace_, &Workspace::tokenizerChanged, this, &DataPanel::reload);
  connect(job_, &BackgroundJob::progressed, this,
          [this](double fraction, const QString& message, double) {
            progress_->setRange(
                0, fraction < 0 ? 0 : 100);  // a negative fraction: busy, amount unknown
            progress_->setValue(static_cast<int>(fraction * kPercent));
            status_->setText(message);
          });
  connect(job_, &BackgroundJob::succeeded, this, [this] {
    loaded_ = std::move(pending_);
    showLoaded();
  });
  connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
    showFilesWithoutStatistics(tr("Reading the corpus failed: %1").arg(message));
  });
  connect(job_, &BackgroundJob::cancelled, this, [this] {
    if (!reloadPending_) showFilesWithoutStatistics(tr("Reading the corpus was cancelled."));
  });
  // Whatever the outcome, a reload asked for meanwhile starts now (queued: after the handlers
  // above).
  for (auto signal : {&BackgroundJob::succeeded, &BackgroundJob::cancelled}) {
    connect(
        job_, signal, this,
        [this] {
          if (reloadPending_) reload();
        },
        Qt::QueuedConnection);
  }
  connect(
      job_, &BackgroundJob::failed, this,
      [this] {
        if (reloadPending_) reload();
      },
      Qt::QueuedConnection);
  reload();
}

DataPanel::~DataPanel() = default;  // the job (a child) cancels and waits in its destructor

bool DataPanel::isLoading() const {
  return job_->isRunning() || reloadPending_;
}

void DataPanel::reload() {
  if (job_->isRunning()) {
    reloadPending_ = true;
    job_->cancel();
    return;
  }
  reloadPending_ = false;
  tokenizer_.reset();
  if (!workspace_->hasTokenizer()) {
    showFilesWithoutStatistics(
        tr("No tokenizer in this workspace yet, so the files cannot be counted in pieces. "
           "Train one or put a vocab.txt into %1.")
            .arg(QDir::toNativeSeparators(workspace_->tokenizerFolder())));
    return;
  }
  try {
    tokenizer_ = workspace_->tokenizer();
  } catch (const std::exception& e) {
    showFilesWithoutStatistics(
        tr("The workspace tokenizer cannot be loaded: %1").arg(fromStd(e.what())));
    return;
  }
  const QStringList files = workspace_->corpusFiles();
  if (files.isEmpty()) {
    showFilesWithoutStatistics(
        tr("The corpus folder is empty: use “Add files…” to copy text files into %1.")
            .arg(QDir::toNativeSeparators(workspace_->corpusFolder())));
    preview_->setTokenizer(tokenizer_);
    return;
  }
  auto result = std::make_shared<LoadedCorpus>();
  pending_ = result;
  std::shared_ptr<const Tokenizer> tokenizer = tokenizer_;
  progress_->setVisible(true);
  progress_->setValue(0);
  status_->setText(tr("Tokenizing %n file(s)…", nullptr, files.size()));
  reloadButton_->setEnabled(false);
  job_->start(
      tr("Tokenizing the corpus"),
      [result, tokenizer, files](const ProgressCallback& progress, const CancelFlag& cancel) {
        *result = loadCorpusFiles(files, *tokenizer, progress, &cancel);
      });
}

void DataPanel::showFilesWithoutStatistics(const QString& reason) {
  loaded_.reset();
  progress_->setVisible(false);
  reloadButton_->setEnabled(true);
  status_->clear();
  const QStringList files = workspace_->corpusFiles();
  table_->setRowCount(static_cast<int>(files.size()));
  fitTableHeight();
  for (int row = 0; row < files.size(); ++row) {
    table_->setItem(row, kFileColumn, new QTableWidgetItem(QFileInfo(files[row]).fileName()));
    table_->setItem(row, kSizeColumn,
                    new QTableWidgetItem(
                        fromStd(formatBytes(static_cast<double>(QFileInfo(files[row]).size())))));
    for (int column = kDocumentsColumn; column < kColumnCount; ++column)
      table_->setItem(row, column, new QTableWidgetItem(QStringLiteral("–")));
  }
  totals_->setTiles({});
  setProblems({reason});
  preview_->setTokenizer(tokenizer_);
  preview_->setSampleLines({});
  showHistogram(histogram_, {}, {});
  Q_EMIT loadFinished();
}

void DataPanel::showLoaded() {
  progress_->setVisible(false);
  reloadButton_->setEnabled(true);
  status_->clear();
  const LoadedCorpus& loaded = *loaded_;
  table_->setRowCount(static_cast<int>(loaded.files.size()) + 1);
  auto setRow = [this](int row, const QString& name, qint64 bytes, const CorpusStatistics& s,
                       bool bold, const QString& error) {
    const QStringList cells = {name,
                               fromStd(formatBytes(static_cast<double>(bytes))),
                               error.isEmpty() ? countText(s.documents) : QStringLiteral("–"),
                               error.isEmpty() ? countText(s.sentences) : QStringLiteral("–"),
                               error.isEmpty() ? countText(s.tokens) : QStringLiteral("–"),
                               error.isEmpty() ? unknownRateText(s) : QStringLiteral("–")};
    for (int column = 0; column < kColumnCount; ++column) {
      auto* item = new QTableWidgetItem(cells[column]);
      if (column != kFileColumn) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      QFont font = item->font();
      font.setBold(bold);
      item->setFont(font);
      if (!error.isEmpty()) {
        item->setForeground(kProblemColour);
        item->setToolTip(error);
      }
      table_->setItem(row, column, item);
    }
  };
  qint64 totalBytes = 0;
  for (int row = 0; row < loaded.files.size(); ++row) {
    const CorpusFileReport& file = loaded.files[row];
    setRow(row, QFileInfo(file.path).fileName(), file.bytes, file.statistics, false, file.error);
    totalBytes += file.bytes;
  }
  setRow(static_cast<int>(loaded.files.size()), tr("All files"), totalBytes, loaded.totals, true,
         QString());
  table_->resizeColumnsToContents();
  fitTableHeight();
  table_->horizontalHeader()->setSectionResizeMode(kFileColumn, QHeaderView::Stretch);

  const CorpusStatistics& t = loaded.totals;
  if (loaded.anyLoaded()) {
    totals_->setTiles(
        {{countText(t.documents), tr("documents"),
          tr("Blocks of lines between blank lines: NotNext pairs take B from another one.")},
         {countText(t.sentences), tr("sentences"), tr("Non-blank lines.")},
         {countText(t.tokens), tr("tokens"),
          tr("Pieces the tokenizer made, specials not counted.")},
         {unknownRateText(t), tr("[UNK]"),
          tr("Tokens the vocabulary could not cover: the model never sees what they were.")},
         {QString::number(static_cast<double>(t.tokens) / t.sentences, 'f', 1),
          tr("tokens per sentence"), tr("The mean sentence length in pieces.")}});
  } else {
    totals_->setTiles({});
  }
  setProblems(loaded.problems());
  showHistogram(
      histogram_, t.sentenceLengthCounts,
      {tr("pieces in the sentence"), tr("sentences"), kHistogramColour, /*lastBucketIsOpen=*/true,
       loaded.anyLoaded() ? static_cast<double>(t.tokens) / t.sentences : -1,
       loaded.anyLoaded()
           ? tr("mean %1").arg(static_cast<double>(t.tokens) / t.sentences, 0, 'f', 1)
           : QString()});
  preview_->setTokenizer(tokenizer_);
  preview_->setSampleLines(loaded.sampleLines);
  Q_EMIT loadFinished();
}

void DataPanel::fitTableHeight() {
  // As tall as its rows (no empty white block under two files), up to a scrolling limit.
  const int rows = std::clamp(table_->rowCount(), kTableMinimumRows, kTableMaximumRows);
  const int rowHeight = table_->verticalHeader()->defaultSectionSize();
  table_->setFixedHeight(table_->horizontalHeader()->sizeHint().height() + rows * rowHeight +
                         2 * table_->frameWidth());
}

void DataPanel::setProblems(const QStringList& lines) {
  problems_->setText(lines.join(QLatin1Char('\n')));
  problems_->setVisible(!lines.isEmpty());
}

void DataPanel::chooseFilesToAdd() {
  const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Add corpus files"), QString(),
                                                          tr("Text files (*.txt);;All files (*)"));
  if (paths.isEmpty()) return;
  QString error;
  addFiles(paths, &error);
  if (!error.isEmpty()) setProblems({error});
}

QStringList DataPanel::addFiles(const QStringList& paths, QString* error) {
  QStringList failures;
  const QStringList copies = copyIntoCorpusFolder(paths, workspace_->corpusFolder(), &failures);
  if (error) *error = failures.join(QLatin1Char('\n'));
  if (!copies.isEmpty()) workspace_->notifyCorpusChanged();
  return copies;
}

QStringList DataPanel::fileRows() const {
  QStringList rows;
  for (int row = 0; row < table_->rowCount(); ++row) {
    QStringList cells;
    for (int column = 0; column < kColumnCount; ++column) {
      const QTableWidgetItem* item = table_->item(row, column);
      cells << (item ? item->text() : QString());
    }
    rows << cells.join(QLatin1Char('\t'));
  }
  return rows;
}

QString DataPanel::statusText() const {
  return totals_->text();
}

QString DataPanel::problemsText() const {
  return problems_->text();
}

int DataPanel::histogramBarCount() const {
  auto* bars =
      histogram_->plottableCount() ? qobject_cast<QCPBars*>(histogram_->plottable(0)) : nullptr;
  return bars ? bars->data()->size() : 0;
}

double DataPanel::histogramTotal() const {
  auto* bars =
      histogram_->plottableCount() ? qobject_cast<QCPBars*>(histogram_->plottable(0)) : nullptr;
  double total = 0;
  if (bars)
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
      total += it->value;
  return total;
}

}  // namespace bertwb::ui
