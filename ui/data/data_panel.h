#pragma once
// The Data stage: the workspace's corpus files with what the tokenizer makes of them
// (documents, sentences, tokens, [UNK] rate per file and in all), a histogram of sentence
// lengths, and a live tokenization preview. Tokenizing runs on a BackgroundJob; the panel
// reloads whenever the workspace says the corpus or the tokenizer changed.
#include <QWidget>
#include <memory>

class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace bertwb {
class Tokenizer;
}

namespace bertwb::ui {

class BackgroundJob;
class StatTiles;
class TokenizationPreview;
class Workspace;
struct LoadedCorpus;

class DataPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DataPanel(Workspace* workspace, QWidget* parent = nullptr);
  ~DataPanel() override;

  // Re-reads the corpus (cancels a load in progress and starts over).
  void reload();
  bool isLoading() const;
  // The last finished load (null before the first one ends, or when there is no tokenizer).
  std::shared_ptr<const LoadedCorpus> loadedCorpus() const { return loaded_; }
  // Copies text files into the workspace's corpus folder (a name taken gets " (2)", a name
  // without .txt gets it) and tells the workspace. Returns the copies; `error` says what failed.
  QStringList addFiles(const QStringList& paths, QString* error = nullptr);

  // What is on screen, for tests: the table row by row ("name\tsize\tdocs\t..."), the totals
  // ("3 documents · 4 sentences · …"), the problem lines, the histogram's bars.
  QStringList fileRows() const;
  QString statusText() const;
  QString problemsText() const;
  int histogramBarCount() const;
  double histogramTotal() const;
  TokenizationPreview* preview() const { return preview_; }

 Q_SIGNALS:
  // A load ended (with data, with an error, or without a tokenizer).
  void loadFinished();

 private:
  void chooseFilesToAdd();
  void showLoaded();
  void showFilesWithoutStatistics(const QString& reason);
  void setProblems(const QStringList& lines);
  void fitTableHeight();

  Workspace* workspace_;
  BackgroundJob* job_;
  bool reloadPending_ = false;
  std::shared_ptr<const Tokenizer> tokenizer_;
  std::shared_ptr<LoadedCorpus> pending_;  // written by the worker, read after it succeeded
  std::shared_ptr<const LoadedCorpus> loaded_;

  QPushButton* addButton_;
  QPushButton* reloadButton_;
  QProgressBar* progress_;
  QLabel* status_;
  QTableWidget* table_;
  StatTiles* totals_;
  QLabel* problems_;
  QCustomPlot* histogram_;
  TokenizationPreview* preview_;
};

}  // namespace bertwb::ui
