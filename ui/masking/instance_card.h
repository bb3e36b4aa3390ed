#pragma once
// One pre-training instance as a student sees it: a title line (which instance, how long,
// how many predictions), the token chips, the next-sentence label with where B came from,
// and the legend. It is also what "Export PNG/SVG" writes (all chips, even those scrolled out
// of view), so it holds nothing interactive.
#include <QWidget>

#include "data/corpus_view.h"
#include "data/pretraining_instance.h"
#include "data/pretraining_sampler.h"

class QLabel;
class QPainter;

namespace bertwb::ui {

class MaskingLegend;
class TokenChipsView;

class InstanceCard : public QWidget {
  Q_OBJECT
 public:
  explicit InstanceCard(QWidget* parent = nullptr);

  void showInstance(const PretrainingInstance& instance, const Tokenizer& tokenizer,
                    const CorpusView& corpus, const PretrainingDataOptions& options, quint64 seed,
                    int index);
  // No instance to show (no corpus yet, settings the sampler refuses): say why instead.
  void showMessage(const QString& message);
  void setOptions(const PretrainingDataOptions& options);  // the legend's shares

  const TokenChipsView* chipsView() const { return chips_; }
  QString titleText() const;
  QString nspText() const;

  // The card as a picture: PNG at the screen's pixel ratio, SVG as vectors. False (with the
  // reason in `error`) when the file cannot be written.
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);

 private:
  QSize exportSize() const;
  QList<QWidget*> exportParts() const;
  void paintExport(QPainter& painter) const;

  QLabel* title_;
  TokenChipsView* chips_;
  QLabel* nsp_;
  MaskingLegend* legend_;
};

}  // namespace bertwb::ui
