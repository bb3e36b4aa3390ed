#pragma once
// Reads and tokenizes the workspace's corpus files one by one (on a worker thread), so that
// each file gets its own statistics and a broken file is reported by name while the others
// still load. The Data panel shows the result; the Masking panel samples from `corpus`.
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

#include "data/corpus.h"
#include "util/progress.h"

namespace bertwb::ui {

struct CorpusFileReport {
  QString path;
  qint64 bytes = 0;
  CorpusStatistics statistics;  // zero when the file could not be read
  QString error;                // why the file gave nothing (empty: it loaded)
  QStringList warnings;         // e.g. its first invalid UTF-8 line
};

struct LoadedCorpus {
  QVector<CorpusFileReport> files;
  CorpusStatistics totals;  // over the files that loaded
  TokenizedCorpus corpus;   // every document of every file that loaded, in file order
  QStringList sampleLines;  // a few raw lines per file, for the tokenization preview

  bool anyLoaded() const { return totals.sentences > 0; }
  // Errors and warnings of every file, one line each, file names without their folder.
  QStringList problems() const;
};

// Tokenizes `files` with `tokenizer`. Never throws for a bad file (its report says why);
// throws bertwb::Cancelled when asked to stop.
LoadedCorpus loadCorpusFiles(const QStringList& files, const Tokenizer& tokenizer,
                             const ProgressCallback& progress = nullptr,
                             const CancelFlag* cancel = nullptr);

// Copies text files into `folder` as *.txt (the workspace lists only those; "notes.md" becomes
// "notes.md.txt"), never overwriting: a name taken gets " (2)". Returns the copies' paths;
// `failures` gets a line per file that could not be copied.
QStringList copyIntoCorpusFolder(const QStringList& paths, const QString& folder,
                                 QStringList* failures);

// Adds `from`'s counts into `into` (histograms of different lengths are padded).
void accumulateStatistics(CorpusStatistics& into, const CorpusStatistics& from);

}  // namespace bertwb::ui
