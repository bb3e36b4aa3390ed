#pragma once
// A fine-tuned model's per-example predictions: scoring a saved model on a task file again
// (a run's best model on its dev set, the CLI's --test file) and writing them as JSON lines
// (OUT/dev_predictions.jsonl, --predictions), one object per scored example with source,
// text, gold, predicted and, for classification, confidence. Written atomically.
#include <string>
#include <vector>

#include "finetune/task_adapters.h"
#include "runtime/precision.h"
#include "tasks/finetune_task.h"
#include "tasks/task_dataset_reader.h"

namespace bertwb {

// Scores the adapter's dev set in eval mode, without gradients, under `precision`.
TaskMetrics evaluateAdapter(TaskAdapter& adapter, const torch::Device& device,
                            const PrecisionChoice& precision, int batchSize);

// Loads the fine-tuned model in `modelFolder` with `labels` as its classes and scores `data`
// with it; `predictions`, when given, receives one per scored example.
TaskMetrics scoreSavedModel(const std::string& modelFolder, FinetuneTask task,
                            const Tokenizer& tokenizer, const TaskDataset& data,
                            const std::vector<std::string>& labels,
                            const TaskAdapterOptions& options, const torch::Device& device,
                            const PrecisionChoice& precision, int batchSize, uint64_t seed,
                            std::vector<ExamplePrediction>* predictions = nullptr);

void writePredictionsFile(const std::string& path,
                          const std::vector<ExamplePrediction>& predictions);

}  // namespace bertwb
