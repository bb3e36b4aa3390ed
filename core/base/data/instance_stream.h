#pragma once
// Where the trainer's pre-training instances come from: an endless sequence that is a pure
// function of its seed and position, so a run resumed at position k sees exactly what the
// uninterrupted run saw from k on.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/pretraining_instance.h"
#include "data/pretraining_sampler.h"
#include "data/random.h"

namespace bertwb {

class InstanceSource {
 public:
  virtual ~InstanceSource() = default;
  virtual PretrainingInstance next() = 0;
  // Instances handed out so far.
  virtual uint64_t position() const = 0;
  // Continues as if `position` instances had been taken (regenerates them when needed).
  virtual void skipTo(uint64_t position) = 0;
  // Completed passes over the data (for progress and logs).
  virtual int64_t epoch() const = 0;
};

// Instances made on the fly from a corpus, in bounded memory. Each epoch visits the documents
// in a fresh shuffled order; a document's A/B split in epoch e uses an Rng keyed by
// (seed, e mod dupe_factor, document), so with static masking an instance and its mask come
// back every dupe_factor epochs exactly as the original's dupe_factor copies do, and with
// dynamic masking the mask is drawn afresh (keyed by the epoch) each time. Instances pass
// through a shuffle buffer so one batch does not hold a single document's chunks.
class CorpusInstanceStream final : public InstanceSource {
 public:
  CorpusInstanceStream(const PretrainingSampler& sampler, uint64_t seed,
                       size_t shuffleBufferSize = 4096);
  PretrainingInstance next() override;
  uint64_t position() const override { return position_; }
  void skipTo(uint64_t position) override;
  int64_t epoch() const override { return epoch_; }

 private:
  void restart();
  void startEpoch();
  // Generates the next document's instances into pending_; false never (the stream is endless).
  void produceDocument();

  const PretrainingSampler& sampler_;
  uint64_t seed_;
  size_t bufferSize_;
  Rng bufferRng_;
  std::vector<PretrainingInstance> buffer_;
  std::vector<PretrainingInstance> pending_;  // produced, not yet in the buffer
  std::vector<size_t> order_;
  size_t cursor_ = 0;  // next index into order_
  int64_t epoch_ = 0;
  uint64_t position_ = 0;
};

// What a model can take. An instance longer than its positions, with a segment id past its
// token-type table or a token id past its vocabulary would fail deep inside LibTorch
// ("index out of range in self"); checked here it fails with the record's name instead.
struct InstanceLimits {
  int maxLength = 0;       // max_position_embeddings
  int typeVocabSize = 0;   // type_vocab_size
  int32_t vocabSize = 0;   // vocab_size
  int maxPredictions = 0;  // 0: any number of masked positions
};

// Throws bertwb::Error "<where>: <field> …" when `instance` does not fit `limits`.
void checkInstanceFits(const PretrainingInstance& instance, const InstanceLimits& limits,
                       const std::string& where);

// Instances read from a create-pretraining-data JSON-lines file (already masked and
// shuffled), in file order, starting again at the top after the last line. Tokens are mapped
// to ids with `tokenizer`; a malformed line or an unknown token is an error naming file:line.
class JsonlInstanceSource final : public InstanceSource {
 public:
  // With `limits`, every line is read and checked once here, before any training: a bad line
  // 1,001 then stops the command at once, not a run at step 250.
  JsonlInstanceSource(const std::string& path, const Tokenizer& tokenizer,
                      std::optional<InstanceLimits> limits = std::nullopt);
  ~JsonlInstanceSource() override;
  PretrainingInstance next() override;
  uint64_t position() const override { return position_; }
  void skipTo(uint64_t position) override;
  int64_t epoch() const override { return epoch_; }
  // Instances in one pass over the file (counted when opened).
  uint64_t size() const { return size_; }

 private:
  struct Reader;
  std::string path_;
  const Tokenizer& tokenizer_;
  std::optional<InstanceLimits> limits_;
  std::unique_ptr<Reader> reader_;
  uint64_t size_ = 0;
  uint64_t position_ = 0;
  int64_t epoch_ = 0;
};

}  // namespace bertwb
