#include "train/probes.h"

namespace bertwb {
namespace {

BertInputs inputsOf(const Encoding& encoding, const torch::Device& device) {
  auto toTensor = [&](const std::vector<int32_t>& values) {
    return torch::tensor(std::vector<int64_t>(values.begin(), values.end()), torch::kInt64)
        .unsqueeze(0)
        .to(device);
  };
  BertInputs inputs;
  inputs.inputIds = toTensor(encoding.ids);
  inputs.tokenTypeIds = toTensor(encoding.segmentIds);
  return inputs;
}

}  // namespace

ProbeResult runProbes(BertForPreTraining& model, const Tokenizer& tokenizer, const ProbeSet& probes,
                      const torch::Device& device, int64_t step) {
  ProbeResult result;
  result.step = step;
  const bool wasTraining = model->is_training();
  model->eval();
  torch::NoGradGuard noGrad;
  const int maxLength = static_cast<int>(model->config().max_position_embeddings);
  const int32_t maskId = tokenizer.specialTokenIds().mask;

  for (const auto& text : probes.fillMaskTexts) {
    const Encoding encoding = tokenizer.encode(text, std::nullopt, maxLength);
    std::vector<int64_t> positions;
    for (size_t i = 0; i < encoding.ids.size(); ++i)
      if (encoding.ids[i] == maskId) positions.push_back(static_cast<int64_t>(i));
    ProbeResult::FillMask probe;
    probe.text = text;
    if (!positions.empty()) {
      const torch::Tensor where = torch::tensor(positions, torch::kInt64).unsqueeze(0).to(device);
      const auto output = model->forward(inputsOf(encoding, device), where);
      const torch::Tensor probabilities =
          torch::softmax(output.predictionLogits[0].to(torch::kFloat32), -1);
      const auto top =
          probabilities.topk(std::min<int64_t>(probes.topK, probabilities.size(-1)), -1);
      const torch::Tensor values = std::get<0>(top).cpu(), ids = std::get<1>(top).cpu();
      for (int64_t m = 0; m < values.size(0); ++m) {
        std::vector<FillMaskCandidate> candidates;
        for (int64_t k = 0; k < values.size(1); ++k)
          candidates.push_back(
              {tokenizer.idToToken(static_cast<int32_t>(ids[m][k].item<int64_t>())),
               values[m][k].item<double>()});
        probe.perMask.push_back(std::move(candidates));
      }
    }
    result.fillMask.push_back(std::move(probe));
  }

  if (!probes.nspTextA.empty() && !probes.nspTextB.empty()) {
    const Encoding encoding =
        tokenizer.encode(probes.nspTextA, std::string_view(probes.nspTextB), maxLength);
    const auto output =
        model->forward(inputsOf(encoding, device), torch::zeros({1, 1}, torch::kInt64).to(device));
    result.nspTextA = probes.nspTextA;
    result.nspTextB = probes.nspTextB;
    result.isNextProbability =
        torch::softmax(output.seqRelationshipLogits.to(torch::kFloat32), -1)[0][0].item<double>();
  }
  if (wasTraining) model->train();
  return result;
}

}  // namespace bertwb
