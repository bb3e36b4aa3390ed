#include "data/corpus_view.h"

namespace bertwb {
namespace {

class InMemoryCorpusView final : public CorpusView {
 public:
  explicit InMemoryCorpusView(const TokenizedCorpus& corpus) : corpus_(corpus) {}
  size_t documentCount() const override { return corpus_.documents.size(); }
  size_t sentenceCount(size_t document) const override {
    return corpus_.documents[document].sentences.size();
  }
  TokenSpan sentence(size_t document, size_t index) const override {
    const auto& ids = corpus_.documents[document].sentences[index];
    return {ids.data(), ids.size()};
  }
  std::string documentSource(size_t document) const override {
    return corpus_.documents[document].source;
  }

 private:
  const TokenizedCorpus& corpus_;
};

}  // namespace

std::unique_ptr<CorpusView> viewOf(const TokenizedCorpus& corpus) {
  return std::make_unique<InMemoryCorpusView>(corpus);
}

}  // namespace bertwb
