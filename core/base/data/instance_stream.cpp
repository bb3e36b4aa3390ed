#include "data/instance_stream.h"

#include <fstream>
#include <numeric>

#include "data/instance_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

// SplitMix64's finaliser: turns (seed, epoch, document) into well-spread Rng seeds.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t keyOf(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  return mix(mix(mix(seed ^ mix(a)) ^ b) ^ c);
}

// Stream tags, so the order, split and mask Rngs never share a seed.
constexpr uint64_t kOrderTag = 1, kSplitTag = 2, kMaskTag = 3, kBufferTag = 4;

}  // namespace

CorpusInstanceStream::CorpusInstanceStream(const PretrainingSampler& sampler, uint64_t seed,
                                           size_t shuffleBufferSize)
    : sampler_(sampler),
      seed_(seed),
      bufferSize_(std::max<size_t>(1, shuffleBufferSize)),
      bufferRng_(0) {
  restart();
}

void CorpusInstanceStream::restart() {
  bufferRng_ = Rng(keyOf(seed_, kBufferTag, 0, 0));
  buffer_.clear();
  pending_.clear();
  epoch_ = 0;
  position_ = 0;
  startEpoch();
}

void CorpusInstanceStream::startEpoch() {
  order_.resize(sampler_.corpus().documentCount());
  std::iota(order_.begin(), order_.end(), 0);
  Rng orderRng(keyOf(seed_, kOrderTag, static_cast<uint64_t>(epoch_), 0));
  orderRng.shuffle(order_);
  cursor_ = 0;
}

void CorpusInstanceStream::produceDocument() {
  while (pending_.empty()) {
    if (cursor_ == order_.size()) {
      ++epoch_;
      startEpoch();
    }
    const size_t document = order_[cursor_++];
    const auto& options = sampler_.options();
    const uint64_t copy = static_cast<uint64_t>(epoch_) % static_cast<uint64_t>(options.dupeFactor);
    Rng splitRng(keyOf(seed_, kSplitTag, copy, document));
    pending_ = sampler_.instancesFromDocument(document, splitRng);
    Rng maskRng(keyOf(seed_, kMaskTag,
                      options.dynamicMasking ? static_cast<uint64_t>(epoch_) : copy, document));
    for (auto& instance : pending_) sampler_.applyMasking(instance, maskRng);
  }
}

PretrainingInstance CorpusInstanceStream::next() {
  while (buffer_.size() < bufferSize_) {
    produceDocument();
    buffer_.push_back(std::move(pending_.back()));
    pending_.pop_back();
  }
  const size_t pick =
      static_cast<size_t>(bufferRng_.between(0, static_cast<int64_t>(buffer_.size()) - 1));
  PretrainingInstance out = std::move(buffer_[pick]);
  buffer_[pick] = std::move(buffer_.back());
  buffer_.pop_back();
  ++position_;
  return out;
}

void CorpusInstanceStream::skipTo(uint64_t position) {
  if (position < position_) restart();
  while (position_ < position) next();
}

// ---------------------------------------------------------------------------------------

struct JsonlInstanceSource::Reader {
  std::ifstream in;
  uint64_t lineNumber = 0;
};

void checkInstanceFits(const PretrainingInstance& instance, const InstanceLimits& limits,
                       const std::string& where) {
  const size_t length = instance.tokens.size();
  if (limits.maxLength > 0 && length > static_cast<size_t>(limits.maxLength))
    throw Error(where + ": " + std::to_string(length) + " tokens, more than the model's " +
                std::to_string(limits.maxLength) + " positions");
  if (instance.segmentIds.size() != length)
    throw Error(where + ": " + std::to_string(instance.segmentIds.size()) + " segment ids for " +
                std::to_string(length) + " tokens");
  for (size_t i = 0; i < length; ++i) {
    if (limits.typeVocabSize > 0 &&
        (instance.segmentIds[i] < 0 || instance.segmentIds[i] >= limits.typeVocabSize))
      throw Error(where + ": segment id " + std::to_string(instance.segmentIds[i]) +
                  " at position " + std::to_string(i) + " (the model has " +
                  std::to_string(limits.typeVocabSize) + " segment types)");
    if (limits.vocabSize > 0 && (instance.tokens[i] < 0 || instance.tokens[i] >= limits.vocabSize))
      throw Error(where + ": token id " + std::to_string(instance.tokens[i]) + " at position " +
                  std::to_string(i) + " is outside the model's vocabulary of " +
                  std::to_string(limits.vocabSize));
  }
  if (limits.maxPredictions > 0 &&
      instance.masked.size() > static_cast<size_t>(limits.maxPredictions))
    throw Error(where + ": " + std::to_string(instance.masked.size()) +
                " masked positions, more than " + std::to_string(limits.maxPredictions));
  for (const MaskedPosition& masked : instance.masked) {
    if (masked.position < 0 || static_cast<size_t>(masked.position) >= length)
      throw Error(where + ": masked position " + std::to_string(masked.position) +
                  " is outside the " + std::to_string(length) + " tokens");
    if (limits.vocabSize > 0 && (masked.originalId < 0 || masked.originalId >= limits.vocabSize))
      throw Error(where + ": the label at masked position " + std::to_string(masked.position) +
                  " is outside the model's vocabulary");
  }
}

JsonlInstanceSource::JsonlInstanceSource(const std::string& path, const Tokenizer& tokenizer,
                                         std::optional<InstanceLimits> limits)
    : path_(path), tokenizer_(tokenizer), limits_(limits) {
  std::ifstream in = openRegularFile(path, "pre-training data");
  std::string line;
  uint64_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (line.empty()) continue;
    ++size_;
    if (limits_) {
      const std::string where = path + ":" + std::to_string(lineNumber);
      checkInstanceFits(instanceFromJson(line, tokenizer_, where), *limits_, where);
    }
  }
  if (size_ == 0) throw Error("pre-training data '" + path + "' holds no instances");
  reader_ = std::make_unique<Reader>();
  reader_->in.open(path, std::ios::binary);
}

JsonlInstanceSource::~JsonlInstanceSource() = default;

PretrainingInstance JsonlInstanceSource::next() {
  std::string line;
  for (;;) {
    if (!std::getline(reader_->in, line)) {
      ++epoch_;
      reader_ = std::make_unique<Reader>();
      reader_->in.open(path_, std::ios::binary);
      continue;
    }
    ++reader_->lineNumber;
    if (!line.empty()) break;
  }
  ++position_;
  const std::string where = path_ + ":" + std::to_string(reader_->lineNumber);
  PretrainingInstance instance = instanceFromJson(line, tokenizer_, where);
  if (limits_) checkInstanceFits(instance, *limits_, where);  // the file may have changed since
  return instance;
}

void JsonlInstanceSource::skipTo(uint64_t position) {
  reader_ = std::make_unique<Reader>();
  reader_->in.open(path_, std::ios::binary);
  epoch_ = static_cast<int64_t>(position / size_);
  std::string line;
  for (uint64_t left = position % size_; left > 0;) {
    if (!std::getline(reader_->in, line)) break;
    ++reader_->lineNumber;
    if (!line.empty()) --left;
  }
  position_ = position;
}

}  // namespace bertwb
