#pragma once
// The Embedding stage (feature-based use, BERT paper §5.3): the vectors the loaded model
// gives a list of sentences, from a chosen layer (or the sum / concatenation of the last
// four) and pooling ([CLS] or the mean of the pieces), projected on their first two principal
// components. Sentences of one kind of text should sit together when the model has learnt
// something. Points are sentences or their word pieces; hovering tells which is which. The
// vectors export as .npy and as TensorBoard-projector TSV through the core's writers.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "attention/embedding_computation.h"
#include "infer/predictor.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace bertwb::ui {

class EmbeddingScatter;
class PredictorService;

class EmbeddingPanel : public QWidget {
  Q_OBJECT
 public:
  enum class Points { Sentences, Tokens };

  explicit EmbeddingPanel(PredictorService* service, QWidget* parent = nullptr);

  // A dozen sentences from the demo world's kinds of text (people, towns, organisations,
  // recipes, objects, reviews): what the panel starts with.
  static QStringList demoSentences();

  void setSentences(const QStringList& sentences);
  QStringList sentences() const;           // the non-empty lines
  void setLayerSpec(const QString& spec);  // "-1", "-2", "-4", "0", "sum4", "concat4"
  QString layerSpec() const;
  bool isLayerSpecOffered(const QString& spec) const;  // false: the model has too few layers
  void setPooling(EmbeddingPooling pooling);
  EmbeddingPooling pooling() const;
  void setPoints(Points points);
  Points points() const;

  // Asks the model for the vectors of every sentence (off the GUI thread).
  void compute();
  // Shows vectors computed elsewhere (what a finished request does); one result per sentence.
  void setResults(const QStringList& sentences, const std::vector<EmbeddingResult>& results);
  bool hasResults() const { return !results_.empty(); }
  const PcaProjection& projection() const;  // of the points shown
  EmbeddingScatter* scatter() const { return scatter_; }
  QString message() const;

  // The shown points' vectors (N×D) as one float32 .npy file.
  bool exportNpy(const QString& path, QString* error = nullptr);
  // tokens.npy, sentences.npy, vectors.tsv, metadata.tsv, sentence_vectors.tsv and
  // sentence_metadata.tsv in `folder` (the core's writeFeatures).
  bool exportProjector(const QString& folder, QString* error = nullptr);

 Q_SIGNALS:
  void resultsShown();

 private:
  void buildControls();
  void onModelChanged();
  void applyComputation(const QStringList& sentences, const EmbeddingComputation& computation);
  // Greys out the layer choices a model of `layerCount` layers cannot give.
  void offerLayerSpecsFor(int layerCount);
  void refreshScatter();
  void showMessage(const QString& text, bool error = false);
  // The shown points' vectors, row-major, and their count and dimension.
  std::vector<float> shownVectors(int* count, int* dimension) const;

  PredictorService* service_;
  QStringList computedSentences_;
  std::vector<EmbeddingResult> results_;
  PcaProjection sentenceProjection_, pieceProjection_;
  QLabel* modelLabel_;
  QLabel* messageLabel_;
  QPlainTextEdit* sentencesEdit_;
  QComboBox* layerBox_;
  QComboBox* poolingBox_;
  QComboBox* pointsBox_;
  QPushButton* computeButton_;
  QPushButton* npyButton_;
  QPushButton* projectorButton_;
  QPushButton* pictureButton_;
  EmbeddingScatter* scatter_;
};

}  // namespace bertwb::ui
