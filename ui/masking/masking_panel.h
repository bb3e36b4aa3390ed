#pragma once
// The Masking & NSP panel: how BERT turns a corpus into training examples. One sampled
// instance drawn as chips (segments, [MASK] / random / kept positions, the next-sentence
// label and where B came from), the knobs that shape it (redrawn on every change), and
// statistics over N instances, measured on a worker thread, against the targets.
//
// The knobs are the pre-training recipe's instance settings (Workspace::pretrainingRecipe):
// what the tab draws is what the next run trains on; they are locked while a run is active.
// Reproducible: instance k of seed s is always the same for the same knobs and corpus.
// The browsing seed, the instance and N are saved in the workspace ("masking" section).
#include <QWidget>
#include <memory>

#include "data/pretraining_instance.h"
#include "data/pretraining_sampler.h"
#include "masking/masking_sampling.h"

class QLabel;
class QPushButton;
class QSpinBox;

namespace bertwb::ui {

class BackgroundJob;
class InstanceCard;
class MaskingKnobs;
class MaskingStatisticsBox;
class MaskingStatisticsView;
class TokenChipsView;
class Workspace;
struct LoadedCorpus;

class MaskingPanel : public QWidget {
  Q_OBJECT
 public:
  explicit MaskingPanel(Workspace* workspace, QWidget* parent = nullptr);
  ~MaskingPanel() override;

  // Re-reads the corpus and tokenizer (the workspace's change signals call this).
  void reload();
  bool isLoading() const;
  bool isComputingStatistics() const;

  quint64 seed() const;
  void setSeed(quint64 seed);  // back to the seed's first instance
  int instanceIndex() const { return instanceIndex_; }
  void setInstanceIndex(int index);
  void showNextInstance();
  void showPreviousInstance();
  // A fresh random seed (shown, so the instance can be found again).
  void resample();
  void setStatisticsInstanceCount(int count);

  MaskingKnobs* knobs() const { return knobs_; }
  // What the knobs say about settings that change nothing on this corpus (whole-word masking
  // without ##pieces, a max-predictions cap never reached), and the share of ##pieces; empty
  // when there is nothing to say.
  QString settingsNoteText() const;
  // The instance on screen (null when there is none) and what is drawn for it.
  const PretrainingInstance* currentInstance() const { return hasInstance_ ? &instance_ : nullptr; }
  const TokenChipsView* instanceChipsView() const;
  InstanceCard* instanceCard() const { return card_; }
  MaskingStatisticsView* statisticsView() const;
  // The latest finished statistics (null before the first).
  const MaskingStatistics* statistics() const;

  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);

 Q_SIGNALS:
  void corpusLoaded();       // a corpus load ended (ready, or with a message on the card)
  void instanceChanged();    // the card shows another instance (or a message)
  void statisticsUpdated();  // new statistics are drawn

 private:
  void loadCorpus();
  void rebuildSampler();
  void drawCurrentInstance();
  void scheduleStatistics();
  void saveSettings();
  void restoreSettings();
  void followWorkspaceRecipe();  // the recipe changed elsewhere (the Training tab)
  void showKnobsLock();
  void showSettingsWithoutEffect();
  void exportWithDialog(bool svg);

  Workspace* workspace_;
  BackgroundJob* corpusJob_;
  bool corpusReloadPending_ = false;
  bool restoring_ = false;

  std::shared_ptr<const Tokenizer> tokenizer_;
  std::shared_ptr<const SamplerVocabulary> vocabulary_;
  std::shared_ptr<LoadedCorpus> pendingCorpus_;
  std::shared_ptr<const LoadedCorpus> corpus_;
  std::unique_ptr<PretrainingSampler> sampler_;
  QString samplerError_;
  PretrainingInstance instance_;
  bool hasInstance_ = false;
  int instanceIndex_ = 0;

  MaskingKnobs* knobs_;
  QLabel* knobsNote_;
  QLabel* settingsNote_;
  double continuationShare_ = -1;  // of the loaded corpus's tokens; -1 before it loads
  QSpinBox* seedBox_;
  QPushButton* resampleButton_;
  QPushButton* previousButton_;
  QPushButton* nextButton_;
  QLabel* indexLabel_;
  QPushButton* exportPngButton_;
  QPushButton* exportSvgButton_;
  InstanceCard* card_;
  MaskingStatisticsBox* statisticsBox_;
  QLabel* loadStatus_;
};

}  // namespace bertwb::ui
