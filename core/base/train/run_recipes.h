#pragma once
// One source for the settings a run starts from: the paper's pre-training and fine-tuning
// hyper-parameters, their scaling to a desktop by model width, and the demo's measured
// recipe. The CLI's flags and the GUI's forms both take their defaults from here, and both
// save and read recipes through the same JSON fields (the workspace's "pretrain" and
// "finetune" sections use them). Torch-free: the GUI's forms include it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "data/pretraining_sampler.h"
#include "model/bert_config.h"
#include "tasks/finetune_task.h"

namespace bertwb {

struct PretrainingRecipe {
  int64_t steps = 1000;             // optimizer steps
  int batchSize = 32;               // sequences per micro-batch
  int accumulate = 1;               // micro-batches per optimizer step (effective batch B × K)
  int maxSeqLength = 128;           // paper §A.2: 128 tokens for 90% of the steps
  double learningRate = 1e-4;       // the peak, reached at the end of warm-up (paper: 1e-4)
  int64_t warmupSteps = 10;         // paper: 10,000 of 1,000,000 steps (1%)
  std::string schedule = "linear";  // after warm-up: linear (to 0), cosine or constant
  double weightDecay = 0.01;        // AdamW, not on LayerNorm or biases (paper §A.2)
  double clipNorm = 1.0;            // global gradient norm (the original optimization.py)
  bool nsp = true;                  // false: masked LM only (the paper's "No NSP" ablation)
  std::string precision = "auto";   // auto | fp32 | bf16 | fp16 (runtime/precision.h)
  uint64_t seed = 12345;            // weights, data order, masking and dropout
  int64_t logEvery = 10;            // a metrics line every N steps
  int64_t saveEvery = 250;          // a checkpoint every N steps (0: only at the end and on stop)
  int keepLast = 2;                 // checkpoints kept
  int64_t probeEvery = 50;          // probe predictions every N steps (0: never)
  // The instances (create_pretraining_data.py's flags). The GUI's Masking & NSP tab edits
  // these same fields, so what it draws is what the run trains on.
  double maskedLmProb = 0.15;     // paper §3.1
  double maskTokenShare = 0.8;    // of the chosen positions: → [MASK] (paper §3.1, Table 8)
  double randomTokenShare = 0.1;  // → a random token; the rest stay unchanged
  int maxPredictionsPerSeq = 20;  // max_predictions_per_seq
  double shortSeqProb = 0.1;      // short_seq_prob
  int dupeFactor = 10;            // static masking: distinct masks per document
  bool dynamicMasking = false;    // a fresh mask every epoch instead
  bool wholeWordMask = false;
};

// The paper's own run (§A.2): 1,000,000 steps of 256 sequences of 128 tokens, lr 1e-4 with
// 10,000 warm-up steps. For the record and for scaling; no desktop finishes it.
PretrainingRecipe paperPretrainingRecipe();

// The paper's recipe shaped for a desktop run of `steps` on `model`: batch 32, warm-up over
// the first 1%, four checkpoints a run, and a peak learning rate by width (narrow models
// need larger steps to learn in a short run: 1e-3 up to H=256, 5e-4 up to 512, the paper's
// 1e-4 above).
PretrainingRecipe desktopPretrainingRecipe(const BertConfig& model, int64_t steps = 1000);

// The demo world's measured recipe (sequences of 64, warm-up over 5%, lr 2e-3 for narrow
// models), chosen on 2 CPU cores for a Tiny model: in 1,000 steps (~90 s in fp32) the MLM
// loss falls below half its first value and NSP accuracy climbs past 85% (see
// demo_world_corpus.cpp for why a random "next" segment is recognisable).
PretrainingRecipe demoPretrainingRecipe(const BertConfig& model, int64_t steps = 1000);

// The recipe's instance settings as the sampler takes them (its seed is the run's), and back
// (the Masking & NSP tab edits them through its knobs; the seed stays the recipe's).
PretrainingDataOptions pretrainingDataOptions(const PretrainingRecipe& recipe);
void setDataOptions(PretrainingRecipe& recipe, const PretrainingDataOptions& options);

struct FinetuningRecipe {
  int epochs = 3;      // paper A.3: 2, 3 or 4
  int batchSize = 32;  // paper A.3: 16 or 32
  int accumulate = 1;
  double learningRate = 3e-5;   // paper A.3: 5e-5, 3e-5 or 2e-5
  double warmupFraction = 0.1;  // of all steps (run_classifier.py's warmup_proportion)
  double weightDecay = 0.01;
  std::string schedule = "linear";
  double clipNorm = 1.0;
  int maxSeqLength = 128;  // run_classifier.py; QA 384 (run_squad.py)
  int64_t evalEvery = 0;   // steps between dev evaluations; 0: at each epoch's end
  int evalBatchSize = 64;
  bool frozenEncoder = false;  // train the new head only (the feature-based comparison)
  std::string precision = "auto";
  uint64_t seed = 12345;  // the head's weights, the data order and dropout
  int64_t logEvery = 10;
};

// The learning rates the paper searched for fine-tuning (A.3); the first is the default.
constexpr double kPaperFinetuningLearningRates[] = {3e-5, 5e-5, 2e-5};

// The paper's fine-tuning recipe for `task` (max_seq_length 384 for QA, 128 otherwise).
FinetuningRecipe paperFinetuningRecipe(FinetuneTask task);
// The fine-tuning recipe for `task` starting from a pre-trained `model`: the paper's (A.3) for
// models of BERT-Base's width and above; a narrow model (H ≤ 256) pre-trained briefly on a
// desktop needs larger steps and more passes: lr 1e-3 over 5 epochs (measured on the demo
// world, where the paper's 3e-5 × 3 leaves the pre-trained Tiny model at chance on demo
// sentiment). Widths in between keep the paper's values (not measured). `source`, when given,
// says which in a sentence for the GUI and the CLI to show.
FinetuningRecipe desktopFinetuningRecipe(FinetuneTask task, const BertConfig& model,
                                         std::string* source = nullptr);
// The task's default max_seq_length: 384 for QA (run_squad.py), 128 otherwise.
int defaultMaxSeqLength(FinetuneTask task);

// Warm-up steps of a fine-tuning run of `totalSteps` (the fraction, rounded).
int64_t finetuningWarmupSteps(const FinetuningRecipe& recipe, int64_t totalSteps);

// The recipes as JSON objects with camelCase fields ("steps", "batchSize", "learningRate",
// ...), and back: fields absent from `json`, or of the wrong type, keep `base`'s values (a
// hand-edited workspace never loses its other settings over one bad field).
nlohmann::json recipeToJson(const PretrainingRecipe& recipe);
PretrainingRecipe pretrainingRecipeFromJson(const nlohmann::json& json, PretrainingRecipe base);
nlohmann::json recipeToJson(const FinetuningRecipe& recipe);
FinetuningRecipe finetuningRecipeFromJson(const nlohmann::json& json, FinetuningRecipe base);

}  // namespace bertwb
