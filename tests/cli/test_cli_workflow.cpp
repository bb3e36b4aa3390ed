// The CLI's whole workflow as a user types it, with no Qt (so the headless build runs it too):
// demo data → tokenizer → init → info → forward → tokenize → create-pretraining-data →
// prepare-corpus → pretrain a few steps → resume → finetune a tiny task → evaluate → predict →
// extract-features, checking each exit status and what it wrote; then every command's answer
// to a missing or malformed file: exit status 1 and one "error:" line naming the file.
//
// Each check prints what failed and the suite goes on, so one run shows every broken step;
// the exit status is the number of failed checks (capped at 100).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int failures = 0;

void check(bool condition, const std::string& what, const std::string& detail = {}) {
  if (condition) return;
  ++failures;
  std::cerr << "FAILED: " << what << (detail.empty() ? "" : "\n" + detail) << "\n";
}

struct Result {
  int exitCode = -1;
  std::string output;  // stdout
  std::string errors;  // stderr
  std::string all() const { return output + errors; }
};

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class Workflow {
 public:
  explicit Workflow(fs::path root) : root_(std::move(root)) {}

  // Runs the CLI with `arguments`, `input` on its standard input.
  Result cli(const std::vector<std::string>& arguments, const std::string& input = {}) {
    const fs::path in = root_ / "stdin.txt", out = root_ / "stdout.txt", err = root_ / "stderr.txt";
    writeText(in, input);
    std::string command = quoted(BERTWB_CLI);
    for (const std::string& argument : arguments) command += " " + quoted(argument);
    command += " <" + quoted(in) + " >" + quoted(out) + " 2>" + quoted(err);
    const int status = std::system(command.c_str());
    Result result;
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.output = readText(out);
    result.errors = readText(err);
    return result;
  }

  // A step that must succeed; prints the command's output when it does not.
  Result step(const std::string& name, const std::vector<std::string>& arguments,
              const std::string& input = {}) {
    std::cerr << "-- " << name << "\n";
    Result r = cli(arguments, input);
    check(r.exitCode == 0, name + " exits 0 (got " + std::to_string(r.exitCode) + ")", r.all());
    return r;
  }

  // A command given a bad file: exit status 1, an "error:" line naming `culprit`, no crash.
  void refuses(const std::string& name, const std::vector<std::string>& arguments,
               const std::string& culprit, const std::string& input = {}) {
    const Result r = cli(arguments, input);
    check(r.exitCode == 1, name + ": exit status 1 (got " + std::to_string(r.exitCode) + ")",
          r.all());
    check(r.errors.find("error: ") != std::string::npos &&
              r.errors.find(culprit) != std::string::npos,
          name + ": an error naming " + culprit, r.all());
  }

  fs::path path(const std::string& name) const { return root_ / name; }

 private:
  fs::path root_;
};

}  // namespace

int main() {
  char pattern[] = "/tmp/bertwb-cli-workflow-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path root = pattern;
  Workflow w(root);
  const std::string demo = w.path("demo"), tokenizer = w.path("tok"), model = w.path("model");
  const std::string corpus = demo + "/corpus/pretrain.txt";
  const std::string tasks = demo + "/tasks/sentiment";

  // Data, tokenizer and a fresh model.
  w.step("demo-data", {"demo-data", "--out", demo});
  check(fs::exists(corpus) && fs::exists(tasks + "/train.tsv"),
        "demo-data writes a corpus and tasks");
  w.step("train-tokenizer",
         {"train-tokenizer", "--input", corpus, "--vocab-size", "2000", "--out", tokenizer});
  const size_t vocabSize = lines(readText(tokenizer + "/vocab.txt")).size();
  check(vocabSize >= 1000 && vocabSize <= 2000,
        "train-tokenizer writes vocab.txt of at most --vocab-size");
  w.step("init",
         {"init", "--preset", "tiny", "--tokenizer", tokenizer, "--seed", "3", "--out", model});
  check(fs::exists(model + "/config.json") && fs::exists(model + "/model.safetensors") &&
            fs::exists(model + "/vocab.txt"),
        "init writes config, weights and the tokenizer");

  // info: the exact count for the model init wrote.
  Result r = w.step("info", {"info", "--checkpoint", model, "--json"});
  try {
    const json info = json::parse(r.output);
    check(info.at("config").at("vocab_size").get<size_t>() == vocabSize &&
              info.at("parameters").at("bert_model").get<long>() > 0,
          "info reports the model's vocabulary (the tokenizer's) and its parameters", r.output);
  } catch (const json::exception& e) {
    check(false, "info --json prints JSON", r.output + e.what());
  }

  // forward: shapes of every output for a 1 × 5 batch.
  writeText(w.path("in.json"), R"({"input_ids": [[2, 40, 41, 42, 3]]})");
  w.step("forward", {"forward", "--checkpoint", model, "--input", w.path("in.json"), "--output",
                     w.path("out.json"), "--attentions"});
  // The masked-LM scores (B × S × V) only when asked.
  w.step("forward --prediction-logits",
         {"forward", "--checkpoint", model, "--input", w.path("in.json"), "--output",
          w.path("logits.json"), "--prediction-logits"});
  try {
    const json out = json::parse(readText(w.path("out.json")));
    const json config = json::parse(readText(model + "/config.json"));
    const auto& hidden = out.at("last_hidden_state");
    check(hidden.size() == 1 && hidden[0].size() == 5 &&
              hidden[0][0].size() == config.at("hidden_size").get<size_t>(),
          "forward: last_hidden_state is 1 × 5 × H");
    const auto& attentions = out.at("attentions");
    check(attentions.size() == config.at("num_hidden_layers").get<size_t>() &&
              attentions[0][0].size() == config.at("num_attention_heads").get<size_t>(),
          "forward: one B × A × S × S attention per layer");
    double rowSum = 0;
    for (const auto& p : attentions[0][0][0][0]) rowSum += p.get<double>();
    check(std::abs(rowSum - 1.0) < 1e-4, "forward: attention rows sum to 1",
          std::to_string(rowSum));
    check(!out.contains("prediction_logits") && out.at("seq_relationship_logits")[0].size() == 2,
          "forward: no masked-LM scores unless asked; the NSP scores always");
    const json logits = json::parse(readText(w.path("logits.json"))).at("prediction_logits");
    check(logits.size() == 1 && logits[0].size() == 5 &&
              logits[0][0].size() == config.at("vocab_size").get<size_t>(),
          "forward --prediction-logits: 1 × 5 × V masked-LM scores");
  } catch (const json::exception& e) {
    check(false, "forward writes its JSON", e.what());
  }

  // tokenize: pieces and ids agree in number; [UNK] never for words of the corpus.
  r = w.step("tokenize", {"tokenize", "--checkpoint", model}, "the people of the town\n");
  const std::string pieces = r.output;
  r = w.step("tokenize --ids", {"tokenize", "--checkpoint", model, "--ids"},
             "the people of the town\n");
  std::istringstream pieceWords(pieces), idWords(r.output);
  const std::vector<std::string> pieceList{std::istream_iterator<std::string>(pieceWords), {}};
  const std::vector<std::string> idList{std::istream_iterator<std::string>(idWords), {}};
  check(!pieceList.empty() && pieceList.size() == idList.size(), "tokenize: as many ids as pieces",
        pieces + "|" + r.output);
  check(pieces.find("[UNK]") == std::string::npos, "tokenize: corpus words are known", pieces);

  // create-pretraining-data: [CLS] A [SEP] B [SEP] instances with masked positions.
  w.step("create-pretraining-data",
         {"create-pretraining-data", "--input", corpus, "--checkpoint", model, "--output",
          w.path("instances.jsonl"), "--dupe-factor", "1", "--max-seq-length", "64"});
  const std::vector<std::string> instances = lines(readText(w.path("instances.jsonl")));
  check(instances.size() > 50, "create-pretraining-data writes instances",
        std::to_string(instances.size()));
  if (!instances.empty()) {
    const std::string first = json::parse(instances.front()).dump();
    check(first.find("[CLS]") != std::string::npos && first.find("[SEP]") != std::string::npos &&
              first.find("[MASK]") != std::string::npos,
          "an instance has [CLS], [SEP] and [MASK]", first);
  }
  r = w.step("inspect-data",
             {"inspect-data", "--input", w.path("instances.jsonl"), "--index", "0"});
  check(r.output.find("[CLS]") != std::string::npos, "inspect-data shows the instance", r.output);

  // prepare-corpus → pretrain 4 steps with a checkpoint at 2 → resume to 6.
  const std::string shards = w.path("corpus.shards");
  w.step("prepare-corpus",
         {"prepare-corpus", "--input", corpus, "--checkpoint", model, "--out", shards});
  check(fs::exists(shards + "/corpus.json"), "prepare-corpus writes corpus.json");
  const std::string run = w.path("run");
  const std::vector<std::string> pretrain = {
      "pretrain", "--corpus",     shards, "--checkpoint",     model, "--out",
      run,        "--batch-size", "8",    "--max-seq-length", "64",  "--save-every",
      "2",        "--log-every",  "1",    "--device",         "cpu", "--threads",
      "2",        "--precision",  "fp32"};
  std::vector<std::string> first = pretrain;
  first.insert(first.end(), {"--steps", "4"});
  w.step("pretrain", first);
  check(fs::exists(run + "/checkpoint-000004") && fs::exists(run + "/model.safetensors"),
        "pretrain leaves checkpoint-000004 and the final model");
  std::vector<std::string> more = pretrain;
  more.insert(more.end(), {"--steps", "6", "--resume"});
  r = w.step("pretrain --resume", more);
  check(r.all().find("resuming from") != std::string::npos, "resume says where it starts", r.all());
  const std::vector<std::string> metrics = lines(readText(run + "/metrics.jsonl"));
  int lastStep = 0;
  bool finite = true;
  for (const std::string& line : metrics) {
    const json m = json::parse(line);
    if (!m.contains("loss")) continue;
    lastStep = std::max(lastStep, m.value("step", 0));
    finite = finite && std::isfinite(m.at("loss").get<double>());
  }
  check(lastStep == 6 && finite, "metrics.jsonl logs finite losses up to step 6",
        std::to_string(lastStep));

  // Fine-tune the pre-trained model on the demo's sentiment task, then use it.
  const std::string tuned = w.path("tuned");
  w.step("finetune", {"finetune",
                      "--task",
                      "classify",
                      "--train",
                      tasks + "/train.tsv",
                      "--dev",
                      tasks + "/dev.tsv",
                      "--checkpoint",
                      run,
                      "--out",
                      tuned,
                      "--epochs",
                      "1",
                      "--batch-size",
                      "16",
                      "--max-seq-length",
                      "48",
                      "--lr",
                      "1e-3",
                      "--device",
                      "cpu",
                      "--threads",
                      "2"});
  check(fs::exists(tuned + "/best/config.json") && fs::exists(tuned + "/metrics.jsonl"),
        "finetune writes best/ and metrics.jsonl");
  r = w.step("evaluate",
             {"evaluate", "--task", "classify", "--checkpoint", tuned + "/best", "--data",
              tasks + "/dev.tsv", "--predictions", w.path("predictions.jsonl"), "--device", "cpu"});
  try {
    const json scores = json::parse(lines(r.output).back());
    check(scores.contains("accuracy") && scores.at("accuracy").get<double>() >= 0.0 &&
              scores.at("accuracy").get<double>() <= 1.0,
          "evaluate prints an accuracy", r.output);
  } catch (const std::exception& e) {
    check(false, "evaluate prints JSON scores", r.output + e.what());
  }
  const size_t devRows = lines(readText(tasks + "/dev.tsv")).size();
  const size_t predicted = lines(readText(w.path("predictions.jsonl"))).size();
  check(predicted + 1 >= devRows && predicted <= devRows, "one prediction per dev example",
        std::to_string(predicted) + " of " + std::to_string(devRows));
  r = w.step(
      "predict", {"predict", "--checkpoint", tuned + "/best", "--task", "classify"},
      "{\"id\": 1, \"text\": \"a wonderful day\"}\n{\"id\": 2, \"text\": \"a terrible day\"}\n");
  const std::vector<std::string> answers = lines(r.output);
  check(answers.size() == 2, "predict answers each line", r.output);
  for (const std::string& answer : answers) {
    const json a = json::parse(answer, nullptr, /*allow_exceptions=*/false);
    check(a.is_object() && a.contains("id") && a.contains("label"), "a prediction has id and label",
          answer);
  }
  writeText(w.path("sentences.txt"), "the people of the town\nthe town ||| the people\n");
  w.step("extract-features",
         {"extract-features", "--checkpoint", run, "--input", w.path("sentences.txt"), "--output",
          w.path("features"), "--device", "cpu"});
  check(fs::exists(w.path("features")) && !fs::is_empty(w.path("features")),
        "extract-features writes vectors");

  // Missing and malformed files: one clear error naming the file, exit status 1.
  std::cerr << "-- error paths\n";
  const std::string missing = w.path("no-such-file");
  writeText(w.path("broken.json"), "{\"input_ids\": [[2, 40,");
  writeText(w.path("empty.tsv"), "");
  writeText(w.path("bad-config/config.json"), "{\"hidden_size\": 30, \"num_attention_heads\": 4}");
  w.refuses("info, missing checkpoint", {"info", "--checkpoint", missing}, missing);
  w.refuses("init, H not divisible by A",
            {"init", "--config", w.path("bad-config/config.json"), "--out", w.path("never")},
            "num_attention_heads");
  check(!fs::exists(w.path("never")), "a refused init writes nothing");
  w.refuses("forward, missing input",
            {"forward", "--checkpoint", model, "--input", missing, "--output", w.path("o.json")},
            missing);
  w.refuses("forward, malformed input",
            {"forward", "--checkpoint", model, "--input", w.path("broken.json"), "--output",
             w.path("o.json")},
            "broken.json");
  w.refuses("tokenize, missing vocabulary", {"tokenize", "--vocab", missing}, missing, "text\n");
  w.refuses("create-pretraining-data, missing corpus",
            {"create-pretraining-data", "--input", missing, "--checkpoint", model, "--output",
             w.path("i.jsonl")},
            missing);
  w.refuses(
      "prepare-corpus, missing corpus",
      {"prepare-corpus", "--input", missing, "--checkpoint", model, "--out", w.path("shards2")},
      missing);
  w.refuses("pretrain, missing instances",
            {"pretrain", "--data", missing, "--checkpoint", model, "--out", w.path("run2"),
             "--steps", "1"},
            missing);
  w.refuses("finetune, missing training file",
            {"finetune", "--task", "classify", "--train", missing, "--dev", tasks + "/dev.tsv",
             "--checkpoint", model, "--out", w.path("tuned2")},
            missing);
  w.refuses("evaluate, empty data",
            {"evaluate", "--task", "classify", "--checkpoint", tuned + "/best", "--data",
             w.path("empty.tsv")},
            "empty.tsv");
  w.refuses("predict, missing checkpoint",
            {"predict", "--checkpoint", missing, "--task", "classify"}, missing,
            "{\"text\": \"x\"}\n");
  w.refuses("extract-features, missing input",
            {"extract-features", "--checkpoint", model, "--input", missing, "--output",
             w.path("features2")},
            missing);
  check(!fs::exists(w.path("run2")) && !fs::exists(w.path("tuned2")) &&
            !fs::exists(w.path("features2")),
        "refused commands leave no folders behind");

  if (failures == 0) {
    fs::remove_all(root);
    std::cerr << "all CLI workflow checks passed\n";
  } else {
    std::cerr << failures << " check(s) failed; files kept in " << root << "\n";
  }
  return std::min(failures, 100);
}
