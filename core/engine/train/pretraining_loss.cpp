#include "train/pretraining_loss.h"

namespace bertwb {

PretrainingLoss pretrainingLoss(const PreTrainingOutput& output, const PretrainingBatch& batch,
                                bool withNsp, const LossNormalisers& normalisers) {
  namespace F = torch::nn::functional;
  PretrainingLoss loss;
  const int64_t vocab = output.predictionLogits.size(-1);
  // Cross-entropy in fp32 whatever the autocast precision: a softmax over 30k classes in
  // bf16 loses the small probabilities the loss is made of.
  const torch::Tensor logits = output.predictionLogits.reshape({-1, vocab}).to(torch::kFloat32);
  const torch::Tensor labels = batch.maskedLabels.reshape({-1});
  const torch::Tensor mlmSum = F::cross_entropy(
      logits, labels,
      F::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel).reduction(torch::kSum));
  loss.mlm = mlmSum / normalisers.predictions;

  const torch::Tensor real = labels.ne(kIgnoreLabel);
  const torch::Tensor nspLogits = output.seqRelationshipLogits.to(torch::kFloat32);
  torch::Tensor nspSum = torch::zeros({}, logits.options());
  if (withNsp)
    nspSum = F::cross_entropy(nspLogits, batch.nextSentenceLabels,
                              F::CrossEntropyFuncOptions().reduction(torch::kSum));
  loss.nsp = nspSum / normalisers.sequences;
  loss.total = loss.mlm + loss.nsp;

  // One device→host transfer for all the metric numbers.
  torch::NoGradGuard noGrad;
  const torch::Tensor numbers =
      torch::stack({mlmSum.detach(),
                    (logits.argmax(-1).eq(labels) & real).sum().to(torch::kFloat32),
                    real.sum().to(torch::kFloat32), nspSum.detach(),
                    nspLogits.argmax(-1).eq(batch.nextSentenceLabels).sum().to(torch::kFloat32)})
          .to(torch::kCPU, torch::kFloat64);
  const double* n = numbers.data_ptr<double>();
  loss.mlmLossSum = n[0];
  loss.mlmCorrect = static_cast<int64_t>(n[1]);
  loss.mlmCount = static_cast<int64_t>(n[2]);
  loss.nspLossSum = n[3];
  loss.nspCorrect = static_cast<int64_t>(n[4]);
  loss.nspCount = batch.nextSentenceLabels.size(0);
  return loss;
}

}  // namespace bertwb
