// `pretrain`: masked-LM + next-sentence pre-training from a corpus, a prepared corpus, a
// create-pretraining-data file or the built-in demo world, with a live progress line,
// checkpoints, exact --resume and a summary.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "data/corpus_view.h"
#include "data/instance_stream.h"
#include "io/model_loading.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model_source.h"
#include "runtime/device.h"
#include "text/tokenizer.h"
#include "tokenizer_source.h"
#include "train/demo_pretraining.h"
#include "train/pretrainer.h"
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
  int64_t steps = 0;  // 0: 1,000
  int batchSize = 32;
  int maxSeqLength = 0;  // 0: 128 (the demo: 64)
  double lr = 0;  // 0: 1e-4 (the demo: 1e-3)
  int64_t warmupSteps = -1;  // -1: 1% of the steps (10,000 of BERT's 1,000,000), 5% for the demo
  std::string schedule = "linear";
  int accumulate = 1;
  double weightDecay = 0.01;
  double clipNorm = 1.0;
  std::string device = "auto";
  std::string precision;  // "": bf16 on CUDA, fp32 on the CPU
  int threads = 0;
  uint64_t seed = 12345;
  int64_t saveEvery = 0;
  int keepLast = 2;
  int64_t logEvery = 10;
  bool resume = false;
  bool noNsp = false;
  bool dynamicMasking = false;
  bool wholeWordMask = false;
  double maskedLmProb = 0.15;
  int dupeFactor = 10;
};

CancelFlag* gCancel = nullptr;
void onPretrainInterrupt(int) {
  if (gCancel) gCancel->request();  // an atomic store: safe in a signal handler
}

std::string bar(double fraction, int width) {
  const int filled = static_cast<int>(fraction * width + 0.5);
  std::string s;
  for (int i = 0; i < width; ++i) s += i < filled ? "\xe2\x96\x88" : "\xe2\x96\x91";  // █ ░
  return s;
}

std::string percent(double value) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << value * 100 << "%";
  return s.str();
}

std::string number(double value, int precision) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << value;
  return s.str();
}

// The progress line on a terminal, plain log lines otherwise.
class ConsoleEvents final : public TrainingEvents {
 public:
  explicit ConsoleEvents(bool terminal) : terminal_(terminal) {}
  void onStep(const StepMetrics& m) override {
    last_ = m;
    std::ostringstream line;
    line << "step " << m.step << "/" << m.totalSteps << "  loss " << number(m.loss, 3) << " (mlm " << number(m.mlmLoss, 3)
         << ", nsp " << number(m.nspLoss, 3) << ")  mlm acc " << percent(m.mlmAccuracy) << "  nsp acc "
         << percent(m.nspAccuracy) << "  lr " << std::setprecision(3) << m.learningRate << "  "
         << formatCount(static_cast<int64_t>(m.tokensPerSecond)) << " tok/s  ETA " << formatSeconds(m.etaSeconds);
    if (terminal_) {
      std::cerr << "\r\033[K" << bar(static_cast<double>(m.step) / m.totalSteps, 20) << " " << line.str() << std::flush;
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
      for (const auto& c : candidates) std::cout << "  " << c.token << " " << percent(c.probability);
      std::cout << "\n";
    }
  }
  if (probe.isNextProbability >= 0) {
    std::cout << "  P(IsNext | \"" << probe.nspTextA << "\" → \"" << probe.nspTextB << "\") = "
              << percent(probe.isNextProbability) << "\n";
  }
}

void runPretrain(PretrainOptions o) {
  const int sources = !o.corpus.empty() + !o.data.empty() + o.demo;
  if (sources != 1) throw Error("give exactly one of --corpus, --data or --demo");
  const int threads = configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  const Precision precision = precisionFromName(o.precision.empty() ? (device.is_cuda() ? "bf16" : "fp32") : o.precision);
  checkPrecisionSupported(precision, device);  // before any slow preparation

  // Never write over a run the user has without being asked to continue it.
  const auto existing = listTrainingCheckpoints(o.out);
  if (!existing.empty() && !o.resume) {
    throw Error("'" + o.out + "' already holds a run (" + fs::path(existing.back().folder).filename().string() +
                "); add --resume to continue it, or choose another --out");
  }
  if (o.resume && existing.empty()) throw Error("--resume: '" + o.out + "' holds no checkpoint to continue from");

  // Data and tokenizer.
  ProbeSet probes;
  std::unique_ptr<Tokenizer> tokenizer;
  if (o.demo) {
    std::cerr << "preparing the demo world in " << (fs::path(o.out) / "demo-world").string() << "\n";
    const DemoPretrainingSetup setup = prepareDemoPretraining((fs::path(o.out) / "demo-world").string(), 12345);
    tokenizer = loadTokenizer(setup.tokenizerFolder);
    o.corpus = {setup.world.corpus};
    probes = demoProbes(setup.world.corpus);
    if (o.model.preset.empty() && o.model.configPath.empty() && o.model.checkpoint.empty()) o.model.preset = "tiny";
  } else {
    TokenizerSource source;
    source.vocab = o.vocab;
    source.spm = o.spm;
    source.cased = o.cased;
    source.checkpoint = !o.tokenizerFolder.empty() ? o.tokenizerFolder : o.model.checkpoint;
    if (source.vocab.empty() && source.spm.empty() && source.checkpoint.empty()) {
      throw Error("which tokenizer? give --tokenizer DIR, --vocab FILE or --spm FILE (or --checkpoint with a saved tokenizer)");
    }
    tokenizer = openTokenizer(source);
  }
  if (!o.demo && o.model.preset.empty() && o.model.configPath.empty() && o.model.checkpoint.empty()) {
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
    if (tokenizer->specialTokenIds().pad >= 0) config.pad_token_id = tokenizer->specialTokenIds().pad;
    model = BertForPreTraining(config);
    initializeBertWeights(*model, config.initializer_range, o.seed);
  }
  const BertConfig& config = model->config();
  if (o.maxSeqLength == 0) o.maxSeqLength = o.demo ? kDemoMaxSeqLength : 128;
  if (o.maxSeqLength > config.max_position_embeddings) {
    throw Error("--max-seq-length " + std::to_string(o.maxSeqLength) + " is longer than the model's " +
                std::to_string(config.max_position_embeddings) + " positions");
  }

  // Instances.
  PretrainingDataOptions dataOptions;
  dataOptions.maxSeqLength = o.maxSeqLength;
  dataOptions.maskedLmProb = o.maskedLmProb;
  dataOptions.dupeFactor = o.dupeFactor;
  dataOptions.wholeWordMask = o.wholeWordMask;
  dataOptions.dynamicMasking = o.dynamicMasking;
  dataOptions.seed = o.seed;
  TokenizedCorpus corpus;
  std::unique_ptr<ShardedCorpus> sharded;
  std::unique_ptr<CorpusView> view;
  std::unique_ptr<PretrainingSampler> sampler;
  std::unique_ptr<InstanceSource> data;
  if (!o.data.empty()) {
    data = std::make_unique<JsonlInstanceSource>(o.data, *tokenizer);
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
        if (terminal) std::cerr << "\r\033[K[" << static_cast<int>(p.fraction * 100) << "%] " << p.message << std::flush;
      });
      if (terminal) std::cerr << "\n";
      view = viewOf(corpus);
      corpusView = view.get();
    }
    sampler = std::make_unique<PretrainingSampler>(*corpusView, samplerVocabulary(*tokenizer), dataOptions);
    data = std::make_unique<CorpusInstanceStream>(*sampler, o.seed);
  }

  // The run.
  const int64_t defaultSteps = 1000;
  PretrainingRunOptions run = o.demo ? demoRunOptions(o.out, o.steps > 0 ? o.steps : defaultSteps) : PretrainingRunOptions();
  run.outputFolder = o.out;
  run.maxSeqLength = o.maxSeqLength;
  if (!o.demo) {
    run.steps = o.steps > 0 ? o.steps : defaultSteps;
    run.batchSize = o.batchSize;
    run.warmupSteps = o.warmupSteps >= 0 ? o.warmupSteps : std::max<int64_t>(1, run.steps / 100);
  } else {
    if (o.batchSize != 32) run.batchSize = o.batchSize;
    if (o.warmupSteps >= 0) run.warmupSteps = o.warmupSteps;
  }
  if (o.lr > 0) run.adam.learningRate = o.lr;
  run.accumulate = o.accumulate;
  run.schedule = lrScheduleKindFromName(o.schedule);
  run.adam.weightDecay = o.weightDecay;
  run.clipNorm = o.clipNorm;
  run.nsp = !o.noNsp;
  run.precision = precision;
  run.seed = o.seed;
  run.saveEvery = o.saveEvery;
  run.keepLast = o.keepLast;
  run.logEvery = o.logEvery;
  run.probes = probes;
  if (!probes.empty() && run.probeEvery == 0) run.probeEvery = 100;

  Pretrainer trainer(std::move(model), *tokenizer, *data, run, device);
  if (o.resume) {
    const std::string from = trainer.latestCheckpoint();
    trainer.resumeFrom(from);
    std::cerr << "resuming from " << from << " (step " << trainer.step() << ")\n";
  }
  std::cerr << "pre-training " << description << " (" << formatCount(countParameters(config).withPretrainingHeads())
            << " parameters) on " << describeDevice(device) << ", " << threads << " threads, " << precisionName(precision)
            << "; " << run.steps << " steps of " << run.batchSize << "×" << run.accumulate << " sequences, lr "
            << run.adam.learningRate << ", warm-up " << run.warmupSteps << (run.nsp ? "" : ", no NSP") << "\n";

  CancelFlag cancel;
  gCancel = &cancel;
  std::signal(SIGINT, onPretrainInterrupt);
  std::signal(SIGTERM, onPretrainInterrupt);
  ConsoleEvents events(::isatty(STDERR_FILENO));
  const RunOutcome outcome = trainer.run(&events, &cancel);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  gCancel = nullptr;

  const StepMetrics& m = events.last();
  if (outcome.end == RunEnd::Failed) throw Error(outcome.message);
  std::cout << (outcome.end == RunEnd::Cancelled ? "stopped" : "finished") << " at step " << outcome.step << "/"
            << run.steps << ": loss " << number(m.loss, 4) << " (MLM " << number(m.mlmLoss, 4) << ", perplexity "
            << number(m.mlmPerplexity, 1) << "; NSP " << number(m.nspLoss, 4) << "), MLM accuracy "
            << percent(m.mlmAccuracy) << ", NSP accuracy " << percent(m.nspAccuracy) << ", "
            << formatCount(static_cast<int64_t>(m.tokensPerSecond)) << " tokens/s, " << formatSeconds(m.elapsedSeconds)
            << " in all\n";
  if (!events.lastProbe().fillMask.empty() || events.lastProbe().isNextProbability >= 0) {
    std::cout << "probes at step " << events.lastProbe().step << ":\n";
    printProbe(events.lastProbe());
  }
  std::cout << "checkpoint: " << outcome.lastCheckpoint << "\nmetrics: " << (fs::path(o.out) / "metrics.jsonl").string()
            << "\n";
  if (outcome.end == RunEnd::Finished) std::cout << "model: " << o.out << "\n";
}

}  // namespace

void addPretrainCommand(CLI::App& app) {
  auto o = std::make_shared<PretrainOptions>();
  CLI::App* c = app.add_subcommand("pretrain", "Pre-train with masked LM + next-sentence prediction");
  c->add_option("--corpus", o->corpus, "text corpus (one sentence per line, blank line between documents), or a prepare-corpus folder");
  c->add_option("--data", o->data, "instances from create-pretraining-data (.jsonl)");
  c->add_flag("--demo", o->demo, "the built-in demo world with the Tiny preset and settings that learn in minutes");
  addModelSourceOptions(c, o->model, /*allowCheckpoint=*/true, /*required=*/false);
  c->add_option("--tokenizer", o->tokenizerFolder, "tokenizer folder (vocab.txt or spiece.model)");
  c->add_option("--vocab", o->vocab, "WordPiece vocab.txt");
  c->add_option("--spm", o->spm, "SentencePiece model");
  c->add_flag("--cased", o->cased, "with --vocab: keep case and accents");
  c->add_option("--out", o->out, "run folder: checkpoints, metrics.jsonl, the final model")->required();
  c->add_option("--steps", o->steps, "optimizer steps");
  c->add_option("--batch-size", o->batchSize, "sequences per micro-batch")->capture_default_str()->check(CLI::PositiveNumber);
  c->add_option("--max-seq-length", o->maxSeqLength, "longest sequence, in tokens (default 128; --demo 64)")->check(CLI::Range(5, 100000));
  c->add_option("--lr", o->lr, "peak learning rate (default 1e-4 as BERT; --demo 2e-3)");
  c->add_option("--warmup-steps", o->warmupSteps, "linear warm-up steps (default 1% of the steps)");
  c->add_option("--schedule", o->schedule, "after warm-up: linear (to 0), cosine or constant")->capture_default_str();
  c->add_option("--accumulate", o->accumulate, "micro-batches per optimizer step")->capture_default_str()->check(CLI::PositiveNumber);
  c->add_option("--weight-decay", o->weightDecay, "AdamW weight decay (not on LayerNorm or biases)")->capture_default_str();
  c->add_option("--clip-norm", o->clipNorm, "global gradient-norm clipping (0: off)")->capture_default_str();
  c->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  c->add_option("--precision", o->precision, "fp32, bf16 or fp16 (default bf16 on CUDA, fp32 on the CPU)");
  c->add_option("--threads", o->threads, "CPU threads (0: one per core)")->capture_default_str();
  c->add_option("--seed", o->seed, "seed for the weights, the data and dropout")->capture_default_str();
  c->add_option("--save-every", o->saveEvery, "checkpoint every N steps (0: at the end and on Ctrl-C)")->capture_default_str();
  c->add_option("--keep-last", o->keepLast, "checkpoints kept")->capture_default_str();
  c->add_option("--log-every", o->logEvery, "a metrics line every N steps")->capture_default_str()->check(CLI::PositiveNumber);
  c->add_flag("--resume", o->resume, "continue the run in --out from its newest checkpoint");
  c->add_flag("--no-nsp", o->noNsp, "masked LM only (the paper's No-NSP ablation)");
  c->add_flag("--dynamic-masking", o->dynamicMasking, "a fresh mask every epoch instead of dupe_factor fixed copies");
  c->add_flag("--whole-word-mask", o->wholeWordMask, "mask all pieces of a word together");
  c->add_option("--masked-lm-prob", o->maskedLmProb, "share of tokens predicted")->capture_default_str();
  c->add_option("--dupe-factor", o->dupeFactor, "static masking: distinct masks per document")->capture_default_str();
  c->callback([o] { runPretrain(*o); });
}

}  // namespace bertwb::cli
