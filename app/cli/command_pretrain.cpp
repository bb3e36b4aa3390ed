// `pretrain`: masked-LM + next-sentence pre-training from a corpus, a prepared corpus, a
// create-pretraining-data file or the built-in demo world, with a live progress line,
// checkpoints, exact --resume and a summary.
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "console_format.h"
#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "data/corpus_view.h"
#include "data/instance_stream.h"
#include "io/model_loading.h"
#include "io/output_folder.h"
#include "io/tokenizer_fit.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model_source.h"
#include "option_checks.h"
#include "run_interruption.h"
#include "runtime/device.h"
#include "text/tokenizer.h"
#include "tokenizer_source.h"
#include "train/demo_pretraining.h"
#include "train/run_setup.h"
#include "train/training_checkpoint.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

namespace fs = std::filesystem;

struct PretrainOptions {
  std::vector<std::string> corpus;
  std::string data;
  bool demo = false;
  ModelSource model;
  std::string tokenizerFolder, vocab, spm;
  bool cased = false;
  std::string out;
  std::string device = "auto";
  int threads = 0;
  bool resume = false;
  bool noNsp = false;
  // The run's settings as given on the command line. The recipe's own defaults
  // (run_recipes.h) fill in every flag the user did not give; some depend on the model
  // (the learning rate on its width), so they are resolved once the model is known.
  PretrainingRecipe given;
  CLI::App* command = nullptr;  // to ask which flags were given
  bool has(const char* flag) const {
    const CLI::Option* option = command->get_option_no_throw(flag);
    return option != nullptr && option->count() > 0;
  }
};

// The progress line on a terminal, plain log lines otherwise.
class ConsoleEvents final : public TrainingEvents {
 public:
  explicit ConsoleEvents(bool terminal) : terminal_(terminal) {}
  void onStep(const StepMetrics& m) override {
    last_ = m;
    std::ostringstream line;
    line << "step " << m.step << "/" << m.totalSteps << "  loss " << fixedPoint(m.loss, 3)
         << " (mlm " << fixedPoint(m.mlmLoss, 3) << ", nsp " << fixedPoint(m.nspLoss, 3)
         << ")  mlm acc " << percent(m.mlmAccuracy) << "  nsp acc " << percent(m.nspAccuracy)
         << "  lr " << std::setprecision(3) << m.learningRate << "  "
         << formatCount(static_cast<int64_t>(m.tokensPerSecond)) << " tok/s  ETA "
         << formatSeconds(m.etaSeconds);
    if (terminal_) {
      std::cerr << "\r\033[K" << progressBar(static_cast<double>(m.step) / m.totalSteps, 20) << " "
                << line.str() << std::flush;
    } else {
      std::cerr << line.str() << "\n";
    }
  }
  void onProbe(const ProbeResult& probe) override {
    if (!terminal_ || probe.step == 0) return;
    lastProbe_ = probe;
  }
  void onCheckpoint(const std::string& folder, int64_t step) override {
    if (!terminal_) std::cerr << "saved checkpoint " << folder << " (step " << step << ")\n";
  }
  void onFinished(const RunOutcome&) override {
    if (terminal_) std::cerr << "\n";
  }
  const StepMetrics& last() const { return last_; }
  const ProbeResult& lastProbe() const { return lastProbe_; }

 private:
  bool terminal_;
  StepMetrics last_;
  ProbeResult lastProbe_;
};

void printProbe(const ProbeResult& probe) {
  for (const auto& fill : probe.fillMask) {
    std::cout << "  " << fill.text << "\n";
    for (const auto& candidates : fill.perMask) {
      std::cout << "    [MASK] →";
      for (const auto& c : candidates)
        std::cout << "  " << c.token << " " << percent(c.probability);
      std::cout << "\n";
    }
  }
  if (probe.isNextProbability >= 0) {
    std::cout << "  P(IsNext | \"" << probe.nspTextA << "\" → \"" << probe.nspTextB
              << "\") = " << percent(probe.isNextProbability) << "\n";
  }
}

// The recipe of this run: the demo's or the desktop one for the model, then every flag the
// user gave.
PretrainingRecipe recipeFor(const PretrainOptions& o, const BertConfig& model) {
  const int64_t steps = o.has("--steps") ? o.given.steps : PretrainingRecipe().steps;
  PretrainingRecipe r =
      o.demo ? demoPretrainingRecipe(model, steps) : desktopPretrainingRecipe(model, steps);
  const PretrainingRecipe& g = o.given;
  if (o.has("--batch-size")) r.batchSize = g.batchSize;
  if (o.has("--accumulate")) r.accumulate = g.accumulate;
  if (o.has("--max-seq-length")) r.maxSeqLength = g.maxSeqLength;
  if (o.has("--lr")) r.learningRate = g.learningRate;
  if (o.has("--warmup-steps")) r.warmupSteps = g.warmupSteps;
  if (o.has("--schedule")) r.schedule = g.schedule;
  if (o.has("--weight-decay")) r.weightDecay = g.weightDecay;
  if (o.has("--clip-norm")) r.clipNorm = g.clipNorm;
  if (o.has("--precision")) r.precision = g.precision;
  if (o.has("--seed")) r.seed = g.seed;
  if (o.has("--log-every")) r.logEvery = g.logEvery;
  if (o.has("--save-every")) r.saveEvery = g.saveEvery;
  if (o.has("--keep-last")) r.keepLast = g.keepLast;
  if (o.has("--probe-every")) r.probeEvery = g.probeEvery;
  if (o.has("--masked-lm-prob")) r.maskedLmProb = g.maskedLmProb;
  if (o.has("--mask-token-share")) r.maskTokenShare = g.maskTokenShare;
  if (o.has("--random-token-share")) r.randomTokenShare = g.randomTokenShare;
  if (o.has("--max-predictions-per-seq")) r.maxPredictionsPerSeq = g.maxPredictionsPerSeq;
  if (o.has("--short-seq-prob")) r.shortSeqProb = g.shortSeqProb;
  if (o.has("--dupe-factor")) r.dupeFactor = g.dupeFactor;
  if (o.noNsp) r.nsp = false;
  if (o.has("--dynamic-masking")) r.dynamicMasking = true;
  if (o.has("--whole-word-mask")) r.wholeWordMask = true;
  return r;
}

void runPretrain(PretrainOptions o) {
  const int sources = !o.corpus.empty() + !o.data.empty() + o.demo;
  if (sources != 1) throw Error("give exactly one of --corpus, --data or --demo");
  const int threads = configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  // Resolved before any slow preparation, so an impossible choice fails at once.
  const PrecisionChoice precision =
      resolvePrecision(precisionRequestFromName(o.given.precision), device);

  // Never write over anything the user has: --out must be new, empty, or this kind of run
  // asked to continue; and no other run may use it meanwhile (the lock lives as long as the run).
  claimOutputFolder(o.out, OutputKind::PretrainingRun, {o.resume, false});
  const std::shared_ptr<FolderLock> lock =
      FolderLock::acquire(o.out, "bert-workbench-cli pretrain");
  recoverCheckpointFolders(o.out);  // a save an earlier kill interrupted is put back first
  const auto existing = listTrainingCheckpoints(o.out);
  if (o.resume && existing.empty())
    throw Error("--resume: '" + o.out + "' holds no checkpoint to continue from");

  // Data and tokenizer.
  ProbeSet probes;
  std::unique_ptr<Tokenizer> tokenizer;
  if (o.demo) {
    std::cerr << "preparing the demo world in " << (fs::path(o.out) / "demo-world").string()
              << "\n";
    const DemoPretrainingSetup setup =
        prepareDemoPretraining((fs::path(o.out) / "demo-world").string(), 12345, nullptr, nullptr,
                               /*replace=*/true);  // this run's own copy of the demo
    tokenizer = loadTokenizer(setup.tokenizerFolder);
    o.corpus = {setup.world.corpus};
    probes = demoProbes(setup.world.corpus);
    if (o.model.preset.empty() && o.model.configPath.empty() && o.model.checkpoint.empty())
      o.model.preset = "tiny";
  } else {
    TokenizerSource source;
    source.vocab = o.vocab;
    source.spm = o.spm;
    source.cased = o.cased;
    source.checkpoint = !o.tokenizerFolder.empty() ? o.tokenizerFolder : o.model.checkpoint;
    if (source.vocab.empty() && source.spm.empty() && source.checkpoint.empty()) {
      throw Error(
          "which tokenizer? give --tokenizer DIR, --vocab FILE or --spm FILE (or --checkpoint with "
          "a saved tokenizer)");
    }
    tokenizer = openTokenizer(source);
  }
  if (!o.demo && o.model.preset.empty() && o.model.configPath.empty() &&
      o.model.checkpoint.empty()) {
    throw Error("which model? give --preset NAME, --config FILE or --checkpoint DIR");
  }

  // Model.
  BertForPreTraining model{nullptr};
  std::string description;
  if (!o.model.checkpoint.empty()) {
    LoadReport report;
    model = loadPretrainingModel(o.model.checkpoint, &report);
    description = "checkpoint " + o.model.checkpoint;
    const std::string warning = report.warningText("BertForPreTraining", o.model.checkpoint);
    if (!warning.empty()) std::cerr << warning << "\n";
  } else {
    BertConfig config = resolveConfig(o.model, &description);
    config.vocab_size = tokenizer->vocabSize();
    if (tokenizer->specialTokenIds().pad >= 0)
      config.pad_token_id = tokenizer->specialTokenIds().pad;
    model = BertForPreTraining(config);
    initializeBertWeights(*model, config.initializer_range, o.given.seed);
  }
  const BertConfig& config = model->config();
  // Masked LM needs [MASK], and a checkpoint's model must read the ids its tokenizer gives.
  checkTokenizerFitsModel(*tokenizer, config,
                          o.model.checkpoint.empty() ? "the new model" : o.model.checkpoint,
                          {/*mask=*/true});
  const PretrainingRecipe recipe = recipeFor(o, config);
  if (recipe.maxSeqLength > config.max_position_embeddings) {
    throw Error("--max-seq-length " + std::to_string(recipe.maxSeqLength) +
                " is longer than the model's " + std::to_string(config.max_position_embeddings) +
                " positions");
  }

  // Instances.
  const PretrainingDataOptions dataOptions = pretrainingDataOptions(recipe);
  TokenizedCorpus corpus;
  std::unique_ptr<ShardedCorpus> sharded;
  std::unique_ptr<CorpusView> view;
  std::unique_ptr<PretrainingSampler> sampler;
  std::unique_ptr<InstanceSource> data;
  if (!o.data.empty()) {
    // Every instance is checked against the model before the first step (ids, segment ids,
    // length), so a bad line far down the file cannot end a long run half-way.
    std::cerr << "checking the instances in " << o.data << "\n";
    data = std::make_unique<JsonlInstanceSource>(
        o.data, *tokenizer,
        InstanceLimits{config.max_position_embeddings, config.type_vocab_size, config.vocab_size,
                       0});
  } else {
    const bool prepared = o.corpus.size() == 1 && isCorpusShardFolder(o.corpus[0]);
    const CorpusView* corpusView = nullptr;
    if (prepared) {
      sharded = std::make_unique<ShardedCorpus>(o.corpus[0]);
      sharded->checkTokenizer(*tokenizer);
      corpusView = sharded.get();
    } else {
      const bool terminal = ::isatty(STDERR_FILENO);
      corpus = readCorpus(o.corpus, *tokenizer, {}, [terminal](const Progress& p) {
        if (terminal)
          std::cerr << "\r\033[K[" << static_cast<int>(p.fraction * 100) << "%] " << p.message
                    << std::flush;
      });
      if (terminal) std::cerr << "\n";
      view = viewOf(corpus);
      corpusView = view.get();
    }
    sampler = std::make_unique<PretrainingSampler>(*corpusView, samplerVocabulary(*tokenizer),
                                                   dataOptions);
    data = std::make_unique<CorpusInstanceStream>(*sampler, recipe.seed);
  }

  // The run.
  PretrainingObjectiveOptions objectiveOptions = pretrainingObjectiveOptions(recipe, probes);
  // Instances made beforehand carry their own masking; the run records where they came from.
  if (!o.data.empty()) objectiveOptions.dataSettings = {{"instances", o.data}};
  PretrainingObjective objective(std::move(model), *tokenizer, *data, objectiveOptions);
  TrainingRunOptions runOptions = pretrainingRunOptions(recipe, o.out, precision);
  runOptions.folderLock = lock;
  TrainingEngine trainer(objective, tokenizer.get(), runOptions, device);
  if (o.resume) {
    const std::string from = trainer.latestCheckpoint();
    trainer.resumeFrom(from);
    std::cerr << "resuming from " << from << " (step " << trainer.step() << ")\n";
  }
  std::cerr << "pre-training " << description << " ("
            << formatCount(countParameters(config).withPretrainingHeads()) << " parameters) on "
            << describeDevice(device) << ", " << threads << " threads, " << precision.reason << "; "
            << recipe.steps << " steps of " << recipe.batchSize << "×" << recipe.accumulate
            << " sequences, lr " << recipe.learningRate << ", warm-up " << recipe.warmupSteps
            << (recipe.nsp ? "" : ", no NSP") << "\n";

  CancelFlag cancel;
  ConsoleEvents events(::isatty(STDERR_FILENO));
  RunOutcome outcome;
  {
    const InterruptScope interrupts(cancel);  // Ctrl-C, SIGTERM, SIGHUP: stop after this step
    outcome = trainer.run(&events, &cancel);
  }

  const StepMetrics& m = events.last();
  if (outcome.end == RunEnd::Failed) throw Error(outcome.message);
  std::cout << (outcome.end == RunEnd::Cancelled ? "stopped" : "finished") << " at step "
            << outcome.step << "/" << recipe.steps << ": loss " << fixedPoint(m.loss, 4) << " (MLM "
            << fixedPoint(m.mlmLoss, 4) << ", perplexity " << fixedPoint(m.mlmPerplexity, 1)
            << "; NSP " << fixedPoint(m.nspLoss, 4) << "), MLM accuracy " << percent(m.mlmAccuracy)
            << ", NSP accuracy " << percent(m.nspAccuracy) << ", "
            << formatCount(static_cast<int64_t>(m.tokensPerSecond)) << " tokens/s, "
            << formatSeconds(m.elapsedSeconds) << " in all\n";
  if (!events.lastProbe().fillMask.empty() || events.lastProbe().isNextProbability >= 0) {
    std::cout << "probes at step " << events.lastProbe().step << ":\n";
    printProbe(events.lastProbe());
  }
  std::cout << "checkpoint: " << outcome.lastCheckpoint
            << "\nmetrics: " << (fs::path(o.out) / "metrics.jsonl").string() << "\n";
  if (outcome.end == RunEnd::Finished) std::cout << "model: " << o.out << "\n";
  // An interrupted run is not a finished model: `pretrain && finetune` must not go on.
  if (outcome.end == RunEnd::Cancelled) throw RunInterrupted("stopped");
}

}  // namespace

void addPretrainCommand(CLI::App& app) {
  auto o = std::make_shared<PretrainOptions>();
  CLI::App* c =
      app.add_subcommand("pretrain", "Pre-train with masked LM + next-sentence prediction");
  c->add_option("--corpus", o->corpus,
                "text corpus (one sentence per line, blank line between documents), or a "
                "prepare-corpus folder");
  c->add_option("--data", o->data, "instances from create-pretraining-data (.jsonl)");
  c->add_flag("--demo", o->demo,
              "the built-in demo world with the Tiny preset and settings that learn in minutes");
  addModelSourceOptions(c, o->model, /*allowCheckpoint=*/true, /*required=*/false);
  c->add_option("--tokenizer", o->tokenizerFolder, "tokenizer folder (vocab.txt or spiece.model)");
  c->add_option("--vocab", o->vocab, "WordPiece vocab.txt");
  c->add_option("--spm", o->spm, "SentencePiece model");
  c->add_flag("--cased", o->cased, "with --vocab: keep case and accents");
  c->add_option("--out", o->out, "run folder: checkpoints, metrics.jsonl, the final model")
      ->required();
  PretrainingRecipe& g = o->given;  // the recipe's defaults, shown by --help
  c->add_option("--steps", g.steps, "optimizer steps")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--batch-size", g.batchSize, "sequences per micro-batch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--max-seq-length", g.maxSeqLength, "longest sequence, in tokens (--demo: 64)")
      ->capture_default_str()
      ->check(CLI::Range(5, 100000));
  c->add_option("--lr", g.learningRate,
                "peak learning rate (default by model width: 1e-3 up to H=256, 5e-4 up to 512, the "
                "paper's 1e-4 "
                "above; --demo 2e-3)")
      ->check(finitePositive());
  c->add_option("--warmup-steps", g.warmupSteps,
                "linear warm-up steps (default 1% of the steps; --demo 5%)")
      ->check(CLI::NonNegativeNumber);
  c->add_option("--schedule", g.schedule, "after warm-up: linear (to 0), cosine or constant")
      ->capture_default_str();
  c->add_option("--accumulate", g.accumulate, "micro-batches per optimizer step")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--weight-decay", g.weightDecay, "AdamW weight decay (not on LayerNorm or biases)")
      ->capture_default_str()
      ->check(finiteNonNegative());
  c->add_option("--clip-norm", g.clipNorm, "global gradient-norm clipping (0: off)")
      ->capture_default_str()
      ->check(finiteNonNegative());
  c->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  c->add_option("--precision", g.precision,
                "auto (bf16 where the CPU or GPU has native bf16, else fp32), fp32, bf16, or fp16 "
                "(CUDA only)")
      ->capture_default_str();
  c->add_option("--threads", o->threads, "CPU threads (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  c->add_option("--seed", g.seed, "seed for the weights, the data and dropout")
      ->capture_default_str();
  c->add_option(
       "--save-every", g.saveEvery,
       "checkpoint every N steps (default a quarter of the steps; 0: at the end and on Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  c->add_option("--keep-last", g.keepLast, "checkpoints kept (0: all)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  c->add_option("--log-every", g.logEvery, "a metrics line every N steps")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--probe-every", g.probeEvery,
                "probe predictions every N steps, with --demo (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  c->add_flag("--resume", o->resume, "continue the run in --out from its newest checkpoint");
  c->add_flag("--no-nsp", o->noNsp, "masked LM only (the paper's No-NSP ablation)");
  c->add_flag("--dynamic-masking", g.dynamicMasking,
              "a fresh mask every epoch instead of dupe_factor fixed copies");
  c->add_flag("--whole-word-mask", g.wholeWordMask, "mask all pieces of a word together");
  c->add_option("--masked-lm-prob", g.maskedLmProb, "share of tokens predicted")
      ->capture_default_str();
  c->add_option("--mask-token-share", g.maskTokenShare,
                "of the predicted tokens, the share replaced by [MASK]")
      ->capture_default_str();
  c->add_option("--random-token-share", g.randomTokenShare,
                "of the predicted tokens, the share replaced by a random token (the rest stay)")
      ->capture_default_str();
  c->add_option("--max-predictions-per-seq", g.maxPredictionsPerSeq,
                "most predicted tokens per sequence")
      ->capture_default_str();
  c->add_option("--short-seq-prob", g.shortSeqProb,
                "share of instances aiming at a shorter, random length")
      ->capture_default_str();
  c->add_option("--dupe-factor", g.dupeFactor, "static masking: distinct masks per document")
      ->capture_default_str();
  o->command = c;
  c->callback([o] { runPretrain(*o); });
}

}  // namespace bertwb::cli
