#include "finetune/adapter_batching.h"

#include <algorithm>

#include "tasks/task_kind.h"
#include "util/error.h"

namespace bertwb {

int32_t paddingIdOf(const Tokenizer& tokenizer) {
  const int32_t pad = tokenizer.specialTokenIds().pad;
  return pad >= 0 ? pad : 0;
}

PaddedBatch padSequences(const std::vector<TokenSequence>& sequences, int32_t paddingId,
                         const torch::Device& device) {
  if (sequences.empty()) throw Error("internal: an empty batch");
  PaddedBatch batch;
  for (const TokenSequence& sequence : sequences)
    batch.length = std::max<int64_t>(batch.length, static_cast<int64_t>(sequence.ids->size()));
  const int64_t rows = static_cast<int64_t>(sequences.size());
  std::vector<int64_t> ids(static_cast<size_t>(rows * batch.length), paddingId);
  std::vector<int64_t> segments(ids.size(), 0), mask(ids.size(), 0);
  for (int64_t row = 0; row < rows; ++row) {
    const TokenSequence& sequence = sequences[static_cast<size_t>(row)];
    const size_t offset = static_cast<size_t>(row * batch.length);
    for (size_t position = 0; position < sequence.ids->size(); ++position) {
      ids[offset + position] = (*sequence.ids)[position];
      segments[offset + position] = (*sequence.segmentIds)[position];
      mask[offset + position] = 1;
    }
    batch.realTokens += static_cast<int64_t>(sequence.ids->size());
  }
  batch.inputs.inputIds = int64Tensor(ids, device).view({rows, batch.length});  // (B·S) → (B, S)
  batch.inputs.tokenTypeIds = int64Tensor(segments, device).view({rows, batch.length});
  batch.inputs.attentionMask = int64Tensor(mask, device).view({rows, batch.length});
  return batch;
}

torch::Tensor padLabelRows(const std::vector<const std::vector<int64_t>*>& rows, int64_t length,
                           const torch::Device& device) {
  std::vector<int64_t> labels(rows.size() * static_cast<size_t>(length), kIgnoreLabel);
  for (size_t row = 0; row < rows.size(); ++row) {
    std::copy(rows[row]->begin(), rows[row]->end(),
              labels.begin() + static_cast<std::ptrdiff_t>(row * length));
  }
  return int64Tensor(labels, device)
      .view({static_cast<int64_t>(rows.size()), length});  // (B·S) → (B, S)
}

torch::Tensor int64Tensor(const std::vector<int64_t>& values, const torch::Device& device) {
  return torch::tensor(values, torch::kInt64).to(device);
}

torch::Tensor floatTensor(const std::vector<float>& values, const torch::Device& device) {
  return torch::tensor(values, torch::kFloat32).to(device);
}

std::vector<float> floatValues(const torch::Tensor& tensor) {
  const torch::Tensor flat =
      tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().view({-1});
  return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

void forEachBatch(size_t count, int batchSize, const std::function<void(size_t, size_t)>& visit) {
  const size_t step = static_cast<size_t>(std::max(1, batchSize));
  for (size_t first = 0; first < count; first += step) visit(first, std::min(count, first + step));
}

}  // namespace bertwb
