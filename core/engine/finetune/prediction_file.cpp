#include "finetune/prediction_file.h"

#include <nlohmann/json.hpp>

#include "io/task_model_io.h"
#include "util/atomic_file.h"

namespace bertwb {

TaskMetrics evaluateAdapter(TaskAdapter& adapter, const torch::Device& device,
                            const PrecisionChoice& precision, int batchSize) {
  adapter.model().to(device);
  adapter.model().eval();
  torch::NoGradGuard noGrad;
  AutocastScope autocast(device, precision.precision);
  return adapter.evaluate(device, batchSize);
}

TaskMetrics scoreSavedModel(const std::string& modelFolder, FinetuneTask task,
                            const Tokenizer& tokenizer, const TaskDataset& data,
                            const std::vector<std::string>& labels,
                            const TaskAdapterOptions& options, const torch::Device& device,
                            const PrecisionChoice& precision, int batchSize, uint64_t seed,
                            std::vector<ExamplePrediction>* predictions) {
  const int outputs = task == FinetuneTask::Regress ? 1 : 0;
  TaskLoadResult loaded = loadForTask(modelFolder, taskKindOf(task), outputs, labels, seed);
  const std::unique_ptr<TaskAdapter> adapter =
      makeTaskAdapter(finetuneTaskName(task), std::move(loaded.model), tokenizer,
                      withoutExamples(data), data, options);
  const TaskMetrics scores = evaluateAdapter(*adapter, device, precision, batchSize);
  if (predictions) *predictions = adapter->predictions();
  return scores;
}

void writePredictionsFile(const std::string& path,
                          const std::vector<ExamplePrediction>& predictions) {
  std::string lines;
  for (const ExamplePrediction& p : predictions) {
    nlohmann::json line = {
        {"source", p.source}, {"text", p.text}, {"gold", p.gold}, {"predicted", p.predicted}};
    if (p.confidence >= 0) line["confidence"] = p.confidence;
    // Replacement characters rather than an exception for a text cut inside a UTF-8 sequence.
    lines += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  writeFileAtomically(path, lines);
}

}  // namespace bertwb
