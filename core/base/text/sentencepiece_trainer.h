#pragma once
// Training a SentencePiece model for BERT: runs the bertwb-spm-train helper as a child
// process (libsentencepiece_train cannot live beside LibTorch, DESIGN.md), follows its log
// for progress, and writes <outputFolder>/spiece.model atomically.
//
// The model reserves BERT's special tokens at fixed ids, so it works with BERT unchanged:
// [PAD]=0 (pad piece), [UNK]=1 (unknown piece), [CLS]=2, [SEP]=3, [MASK]=4 (user-defined
// symbols: "[MASK]" written in text encodes to the [MASK] id). No <s> / </s>.
#include <optional>
#include <string>
#include <vector>

#include "util/progress.h"

namespace bertwb {

struct SentencePieceTrainOptions {
  std::vector<std::string> inputFiles;  // plain UTF-8 text, one sentence per line
  std::string outputFolder;             // created if missing; receives spiece.model
  int vocabSize = 8000;                 // pieces in all, the five specials included
  // Share of characters the model must cover; rarer ones become [UNK]. 0.9995: SentencePiece's
  // default, meant for languages with small alphabets (use 1.0 for small corpora).
  double characterCoverage = 0.9995;
  std::string modelType = "unigram";  // "unigram" or "bpe"
  // At most this many sentences, sampled at random from the whole input (SentencePiece's
  // input_sentence_size with shuffling); 0 = use every sentence.
  int64_t maxSentences = 1'000'000;
  // When the text cannot give `vocabSize` pieces, stop short instead of failing
  // (SentencePiece's hard_vocab_limit=false): the vocabulary size is then an upper bound.
  bool allowSmallerVocabulary = false;
};

// Trains and writes <outputFolder>/spiece.model, replacing any previous one only on success.
// Throws bertwb::Error for bad options or inputs (before starting) and when training fails
// (with the tail of the trainer's log); bertwb::Cancelled when `cancel` is raised, leaving
// no spiece.model behind that was not there before and no temporary files.
void trainSentencePiece(const SentencePieceTrainOptions& options,
                        const ProgressCallback& progress = nullptr,
                        const CancelFlag* cancel = nullptr);

// The command line trainSentencePiece gives bertwb-spm-train (without the program name),
// training to `modelPrefix`.model. Exposed for tests and for the curious.
std::vector<std::string> sentencePieceTrainerArguments(const SentencePieceTrainOptions& options,
                                                       const std::string& modelPrefix);

// Turns SentencePiece's log lines into progress estimates. Training runs in phases (load,
// normalise, seed pieces, then EM pruning for unigram or merges for BPE, then save); each
// phase owns a slice of 0..1 and moves within it by what the log says (pieces so far against
// the vocabulary size). Fractions never go down.
class SentencePieceLogProgress {
 public:
  // `expectedLines`: an estimate of the lines in the input, for the loading phase (0 = none).
  SentencePieceLogProgress(int vocabSize, int64_t expectedLines);
  // The progress a log line implies, or nothing when the line says nothing new.
  std::optional<Progress> consume(const std::string& line);
  double fraction() const { return fraction_; }

 private:
  std::optional<Progress> advanceTo(double fraction, std::string message);

  int vocabSize_;
  int64_t expectedLines_;
  int64_t unigramInitialSize_ = 0;  // seed pieces, the start of the EM pruning
  double fraction_ = 0;
};

}  // namespace bertwb
