#include "finetune/task_adapters.h"

#include "finetune/choice_adapter.h"
#include "finetune/classification_adapter.h"
#include "finetune/qa_adapter.h"
#include "finetune/tagging_adapter.h"
#include "util/error.h"

namespace bertwb {
namespace {

// The dataset a task needs, or an error saying which file format it reads.
template <typename Dataset>
const Dataset& adaptersDatasetFor(const TaskDataset& data, const std::string& task,
                                  const char* format) {
  const Dataset* dataset = std::get_if<Dataset>(&data);
  if (!dataset) throw Error("task '" + task + "' reads " + format + " data");
  return *dataset;
}

}  // namespace

std::unique_ptr<TaskAdapter> makeTaskAdapter(const std::string& taskName, TaskModel model,
                                             const Tokenizer& tokenizer, const TaskDataset& train,
                                             const TaskDataset& dev,
                                             const TaskAdapterOptions& options) {
  const std::optional<FinetuneTask> task = finetuneTaskFromName(taskName);
  if (!task)
    throw Error("unknown task '" + taskName + "'; choose one of " + finetuneTaskNameList());
  if (model.kind != taskKindOf(*task))
    throw Error("task '" + taskName + "' needs a " + architectureName(taskKindOf(*task)) +
                ", not a " + architectureName(model.kind));
  const int maxSeqLength =
      options.maxSeqLength > 0 ? options.maxSeqLength : defaultMaxSeqLength(*task);
  if (maxSeqLength > model.config.max_position_embeddings)
    throw Error("max_seq_length " + std::to_string(maxSeqLength) + " is longer than the model's " +
                std::to_string(model.config.max_position_embeddings) + " positions");

  switch (*task) {
    case FinetuneTask::Classify:
    case FinetuneTask::Pair:
    case FinetuneTask::Regress: {
      ClassificationAdapterOptions o;
      o.features.maxSeqLength = maxSeqLength;
      o.mainMetric = options.mainMetric;
      const TextDataset& trainSet = adaptersDatasetFor<TextDataset>(train, taskName, "TSV/CSV");
      const TextDataset& devSet = adaptersDatasetFor<TextDataset>(dev, taskName, "TSV/CSV");
      if ((*task == FinetuneTask::Pair) && !devSet.pair)
        throw Error("task 'pair' needs a second text column (--text-b)");
      return std::make_unique<ClassificationAdapter>(std::move(model), tokenizer, trainSet, devSet,
                                                     o);
    }
    case FinetuneTask::Tag: {
      TaggingAdapterOptions o;
      o.features.maxSeqLength = maxSeqLength;
      o.decoding.aggregation = options.tagAggregation;
      return std::make_unique<TaggingAdapter>(
          std::move(model), tokenizer, adaptersDatasetFor<TaggedDataset>(train, taskName, "CoNLL"),
          adaptersDatasetFor<TaggedDataset>(dev, taskName, "CoNLL"), o);
    }
    case FinetuneTask::Qa: {
      QaAdapterOptions o;
      o.features.maxSeqLength = maxSeqLength;
      o.features.docStride = options.docStride;
      o.features.maxQueryLength = options.maxQueryLength;
      o.decoding.nBestSize = options.nBestSize;
      o.decoding.maxAnswerLength = options.maxAnswerLength;
      o.decoding.nullScoreDiffThreshold = options.nullScoreDiffThreshold;
      return std::make_unique<QaAdapter>(
          std::move(model), tokenizer, adaptersDatasetFor<QaDataset>(train, taskName, "SQuAD JSON"),
          adaptersDatasetFor<QaDataset>(dev, taskName, "SQuAD JSON"), o);
    }
    case FinetuneTask::Choice: {
      ChoiceAdapterOptions o;
      o.features.maxSeqLength = maxSeqLength;
      return std::make_unique<ChoiceAdapter>(
          std::move(model), tokenizer,
          adaptersDatasetFor<ChoiceDataset>(train, taskName, "multiple-choice TSV/CSV"),
          adaptersDatasetFor<ChoiceDataset>(dev, taskName, "multiple-choice TSV/CSV"), o);
    }
  }
  throw Error("unknown task '" + taskName + "'");
}

}  // namespace bertwb
