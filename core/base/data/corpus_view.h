#pragma once
// Read access to a tokenized corpus, whether it lives in memory (TokenizedCorpus) or in id
// shards on disk (data/corpus_shards.h). The instance sampler only ever reads through this,
// which is why the two give identical instances for the same seed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "data/corpus.h"

namespace bertwb {

// A sentence's token ids, borrowed from the view (valid while the view lives).
struct TokenSpan {
  const int32_t* data = nullptr;
  size_t size = 0;
  const int32_t* begin() const { return data; }
  const int32_t* end() const { return data + size; }
};

class CorpusView {
 public:
  virtual ~CorpusView() = default;
  virtual size_t documentCount() const = 0;
  virtual size_t sentenceCount(size_t document) const = 0;
  virtual TokenSpan sentence(size_t document, size_t index) const = 0;
  // Where the document starts in the source text ("file.txt:12").
  virtual std::string documentSource(size_t document) const = 0;
};

// A view of an in-memory corpus; the corpus must outlive it.
std::unique_ptr<CorpusView> viewOf(const TokenizedCorpus& corpus);

}  // namespace bertwb
