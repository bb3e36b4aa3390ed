#pragma once
// An experiment recipe: the paper's kind of controlled comparison as a JSON file a person can
// read and edit. A base model, base pre-training and fine-tuning settings, the tasks to score
// on, the number of seeds, and variants that each override a few settings (objective, NSP,
// masking mix, L/H/A, steps, initialisation, feature-based layers ...). Every field is checked
// when the recipe is read, and every bad one is named in one error, by its path
// ("variants[2].pretraining.learningRate: expected a number, got \"fast\"").
//
// File format (version 1; camelCase fields as in the workspace's recipes):
//   {"format": "bert-workbench-experiment", "version": 1, "name": "table5", "title": "...",
//    "about": "what the paper found and what to expect at this scale",
//    "model": {"preset": "tiny"},            // optionally "layers", "hidden", "heads"
//    "pretraining": {"steps": 600},          // onto the demo's measured pre-training recipe
//    "finetuning": {"epochs": 3},            // onto the desktop fine-tuning recipe per task
//    "tasks": [{"task": "sentiment", "trainExamples": 300}],   // metric: the task's own
//    "seeds": 3,
//    "variants": [{"name": "mlm-nsp"}, {"name": "ltr", "objective": "ltr", "nsp": false}],
//    "claims": [{"better": "mlm-nsp", "worse": "ltr", "paper": "LTR loses 10.7 F1 on SQuAD"}]}
// Torch-free, so the GUI's recipe form and the CLI share it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bertwb {

inline constexpr const char* kExperimentFormat = "bert-workbench-experiment";
inline constexpr int kExperimentVersion = 1;

// How a variant's encoder starts fine-tuning.
enum class ExperimentInit { Pretrained, Random };
// The pre-training objective: masked LM (bidirectional) or left-to-right next-token
// prediction with a causal mask (the paper's "LTR").
enum class PretrainingObjectiveKind { MaskedLm, LeftToRight };
// What pre-training sees as input: the paper's segment pairs ([CLS] A [SEP] B [SEP]), or single
// contiguous segments (RoBERTa's critique of the paper's "No NSP", which kept the pairs).
enum class SegmentFormat { Pairs, Single };

// The hidden layers a feature-based variant feeds its head (paper Table 7); None fine-tunes
// every weight.
enum class FeatureLayers {
  None,
  Embeddings,
  Last,
  SecondToLast,
  SumLastFour,
  ConcatLastFour,
  WeightedSumAll
};

// What reads a feature-based variant's layers: a linear layer per token, or the paper's
// two-layer BiLSTM and then the linear layer (Table 7's tagger).
enum class FeatureTagger { Linear, BiLstm };

struct ExperimentTask {
  std::string task;       // a demo task: sentiment, entailment, ner or qa
  std::string metric;     // accuracy (sentiment, entailment), f1 (ner, qa)
  int64_t trainExamples;  // the training set cut to this many (0: all), for few-shot splits
};

struct ExperimentVariant {
  std::string name;  // unique in the recipe: letters, digits and '-'
  std::string about;
  ExperimentInit init = ExperimentInit::Pretrained;
  PretrainingObjectiveKind objective = PretrainingObjectiveKind::MaskedLm;
  SegmentFormat segments = SegmentFormat::Pairs;
  FeatureLayers features = FeatureLayers::None;
  FeatureTagger tagger = FeatureTagger::Linear;  // "featureHead": feature-based variants only
  // Fine-tune from the pre-training's checkpoint at this step instead of its final model (0):
  // points along one run, as the paper's Figure 5. The pre-training must save a checkpoint
  // there ("saveEvery" dividing it, "keepLast": 0 to keep them all).
  int64_t fromStep = 0;
  nlohmann::json model = nlohmann::json::object();        // overrides of the recipe's model
  nlohmann::json pretraining = nlohmann::json::object();  // overrides (nsp, masking mix ...)
  nlohmann::json finetuning = nlohmann::json::object();
  // The paper's number per task name, where it has one; "perplexity" for its pre-training
  // (Table 6's masked-LM perplexity).
  std::map<std::string, double> paper;
};

// A comparison the report gives a verdict on: `better` beats `worse` on `tasks` (all tasks
// when empty), as the paper claims.
struct ExperimentClaim {
  std::string better, worse;
  std::vector<std::string> tasks;
  std::string paper;  // what the paper reported, in words
};

struct ExperimentRecipe {
  std::string name;  // the experiment's folder name: letters, digits and '-'
  std::string title;
  std::string about;
  nlohmann::json model;        // {"preset": ...} plus optional layers/hidden/heads/intermediate
  nlohmann::json pretraining;  // overrides of the demo pre-training recipe
  nlohmann::json finetuning;   // overrides of the per-task fine-tuning recipe
  uint64_t dataSeed = 12345;   // the demo world the experiment trains and scores on
  std::vector<ExperimentTask> tasks;
  int seeds = 1;
  std::vector<ExperimentVariant> variants;
  std::vector<ExperimentClaim> claims;

  const ExperimentVariant* variant(const std::string& name) const;
};

// Reads and checks a recipe; `source` names it in errors (a file path or "built-in 'table5'").
// Throws bertwb::Error listing every problem, one per line, each with its field's path.
ExperimentRecipe parseExperimentRecipe(const nlohmann::json& json, const std::string& source);
// The same from a file (at most 1 MiB of JSON).
ExperimentRecipe readExperimentRecipe(const std::string& path);
// Back to JSON: parseExperimentRecipe(experimentRecipeToJson(r)) gives r again.
nlohmann::json experimentRecipeToJson(const ExperimentRecipe& recipe);

// The names used in the files ("mlm", "ltr", "second-to-last", ...).
std::string objectiveName(PretrainingObjectiveKind objective);
std::string featureLayersName(FeatureLayers layers);
std::string initName(ExperimentInit init);
std::string segmentFormatName(SegmentFormat segments);
std::string featureTaggerName(FeatureTagger tagger);  // "linear", "bilstm"
// The metric a demo task is scored by; nullopt for an unknown task.
std::optional<std::string> demoTaskMetric(const std::string& task);

}  // namespace bertwb
