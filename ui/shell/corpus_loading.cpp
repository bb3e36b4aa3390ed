#include "shell/corpus_loading.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <exception>

#include "shell/bounded_read.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

// Enough lines to pick a few interesting examples from, few enough to read instantly.
constexpr int kSampleLinesPerFile = 12;
constexpr int kSampleLinesInAll = 60;
// A preview line longer than this is an unsplit paragraph, not a sentence worth previewing.
constexpr int kLongestSampleLine = 400;

QStringList firstLines(const QString& path, int count) {
  QStringList lines;
  QFile file(path);
  if (!isReadableRegularFile(path) || !file.open(QIODevice::ReadOnly)) return lines;
  while (lines.size() < count && !file.atEnd()) {
    const QString line = QString::fromUtf8(file.readLine()).trimmed();
    if (!line.isEmpty() && line.size() <= kLongestSampleLine) lines << line;
  }
  return lines;
}

// A copy target in `folder` for `source`: always *.txt, never a file already there.
QString freeTargetName(const QDir& folder, const QFileInfo& source) {
  const QString base = source.suffix().compare(QStringLiteral("txt"), Qt::CaseInsensitive) == 0
                           ? source.completeBaseName()
                           : source.fileName();
  QString name = base + QStringLiteral(".txt");
  for (int copy = 2; folder.exists(name); ++copy)
    name = QStringLiteral("%1 (%2).txt").arg(base).arg(copy);
  return folder.filePath(name);
}

}  // namespace

QStringList copyIntoCorpusFolder(const QStringList& paths, const QString& folder,
                                 QStringList* failures) {
  const QDir target(folder);
  QStringList copies;
  for (const QString& path : paths) {
    const QString copy = freeTargetName(target, QFileInfo(path));
    if (QFile::copy(path, copy)) {
      copies << copy;
    } else if (failures) {
      *failures << QStringLiteral("could not copy %1 into %2")
                       .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(folder));
    }
  }
  return copies;
}

void accumulateStatistics(CorpusStatistics& into, const CorpusStatistics& from) {
  into.documents += from.documents;
  into.sentences += from.sentences;
  into.tokens += from.tokens;
  into.unknownTokens += from.unknownTokens;
  into.invalidUtf8Lines += from.invalidUtf8Lines;
  if (into.sentenceLengthCounts.size() < from.sentenceLengthCounts.size())
    into.sentenceLengthCounts.resize(from.sentenceLengthCounts.size(), 0);
  for (size_t n = 0; n < from.sentenceLengthCounts.size(); ++n)
    into.sentenceLengthCounts[n] += from.sentenceLengthCounts[n];
}

QStringList LoadedCorpus::problems() const {
  QStringList lines;
  for (const CorpusFileReport& file : files) {
    const QString name = QFileInfo(file.path).fileName();
    // Core messages name full paths; the panel lists files by name, so the folder is noise.
    const QString folder = QFileInfo(file.path).absolutePath() + QLatin1Char('/');
    if (!file.error.isEmpty())
      lines << name + QStringLiteral(": ") + QString(file.error).replace(folder, QString());
    for (const QString& warning : file.warnings)
      lines << QString(warning).replace(folder, QString());
  }
  return lines;
}

LoadedCorpus loadCorpusFiles(const QStringList& files, const Tokenizer& tokenizer,
                             const ProgressCallback& progress, const CancelFlag* cancel) {
  LoadedCorpus loaded;
  for (int i = 0; i < files.size(); ++i) {
    if (cancel && cancel->isRequested()) throw Cancelled();
    CorpusFileReport report;
    report.path = files[i];
    report.bytes = QFileInfo(files[i]).size();
    // Each file's progress is a slice of the whole.
    const ProgressCallback fileProgress = [&](const Progress& p) {
      if (progress)
        progress({(i + std::max(0.0, p.fraction)) / files.size(),
                  QFileInfo(files[i]).fileName().toStdString() + ": " + p.message});
    };
    try {
      if (!QFileInfo(files[i]).isFile())
        throw Error("the file is missing (moved or deleted since the list was made)");
      TokenizedCorpus corpus = readCorpus({QDir::toNativeSeparators(files[i]).toStdString()},
                                          tokenizer, {}, fileProgress, cancel);
      report.statistics = corpus.statistics;
      for (const std::string& warning : corpus.warnings)
        report.warnings << QString::fromStdString(warning);
      accumulateStatistics(loaded.totals, corpus.statistics);
      for (auto& document : corpus.documents)
        loaded.corpus.documents.push_back(std::move(document));
      if (loaded.sampleLines.size() < kSampleLinesInAll)
        loaded.sampleLines << firstLines(files[i], kSampleLinesPerFile);
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      report.error = QString::fromStdString(e.what());
    }
    loaded.files.push_back(report);
  }
  loaded.corpus.statistics = loaded.totals;
  for (const CorpusFileReport& file : loaded.files)
    for (const QString& warning : file.warnings)
      loaded.corpus.warnings.push_back(warning.toStdString());
  if (progress)
    progress({1.0, "tokenized " + std::to_string(loaded.totals.sentences) + " sentences"});
  return loaded;
}

}  // namespace bertwb::ui
