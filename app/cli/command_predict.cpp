// `predict`: a fine-tuned (or pre-trained) checkpoint answers JSON lines from stdin, one JSON
// line out per line in, so it sits in a shell pipeline. A bad line gets an {"error": ...}
// line and the rest still run; the exit code says whether any failed.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "infer/predictor.h"
#include "option_checks.h"
#include "runtime/device.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb::cli {
namespace {

using nlohmann::json;
using PredictOrderedJson =
    nlohmann::ordered_json;  // keys in the order written, for readable output

struct PredictCliOptions {
  std::string checkpoint;
  std::string task;
  int topK = kDefaultPredictorTopK;
  std::string aggregation = "first";
  std::string device = "cpu";
  std::string precision = "auto";  // the inference policy (runtime/precision.h)
  int threads = 0;
};

// The string field `name` of an input line; throws bertwb::Error naming it when it is absent
// or not a string (the caller adds the line number).
std::string predictStringField(const json& input, const char* name) {
  const auto it = input.find(name);
  if (it == input.end()) throw Error(std::string("missing field \"") + name + "\"");
  if (!it->is_string())
    throw Error(std::string("field \"") + name + "\" must be a string, got " + it->dump());
  return it->get<std::string>();
}

std::optional<std::string> predictOptionalStringField(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return std::nullopt;
  return predictStringField(input, name);
}

TagAggregation predictAggregationFromName(const std::string& name) {
  if (name == "first") return TagAggregation::First;
  if (name == "average") return TagAggregation::Average;
  return TagAggregation::Max;  // CLI11 has already limited the choices
}

PredictOrderedJson predictClassificationJson(const ClassificationResult& result) {
  if (result.regression) return {{"value", result.value}};
  PredictOrderedJson scores = PredictOrderedJson::array();
  for (const auto& label : result.ranked)
    scores.push_back({{"label", label.label}, {"probability", label.probability}});
  return {{"label", result.bestLabel},
          {"probability", result.ranked.front().probability},
          {"scores", scores}};
}

PredictOrderedJson predictTagJson(const TagResult& result) {
  PredictOrderedJson entities = PredictOrderedJson::array(), words = PredictOrderedJson::array();
  for (const auto& e : result.prediction.entities) {
    entities.push_back({{"type", e.type},
                        {"text", e.text},
                        {"start", e.start},
                        {"end", e.end},
                        {"score", e.score}});
  }
  for (size_t i = 0; i < result.words.size() && i < result.prediction.words.size(); ++i) {
    const WordTag& tag = result.prediction.words[i];
    words.push_back({{"word", result.words[i]}, {"label", tag.label}, {"score", tag.score}});
  }
  return {{"entities", entities}, {"words", words}};
}

PredictOrderedJson predictSpanJson(const QaAnswerSpan& span) {
  return {{"text", span.text},
          {"start", span.start},
          {"end", span.end},
          {"score", span.score},
          {"probability", span.probability},
          {"no_answer", span.isNull}};
}

PredictOrderedJson predictAnswerJson(const AnswerResult& result) {
  const QaPrediction& p = result.prediction;
  PredictOrderedJson out = {{"answer", p.text}, {"no_answer", p.predictedNull}};
  if (p.hasSpan) out["best_span"] = predictSpanJson(p.best);
  PredictOrderedJson nBest = PredictOrderedJson::array();
  for (const auto& span : p.nBest) nBest.push_back(predictSpanJson(span));
  out["n_best"] = nBest;
  if (result.allowNoAnswer) out["null_score_diff"] = p.nullScoreDiff;
  out["windows"] = result.windows;
  return out;
}

PredictOrderedJson predictFillMaskJson(const FillMaskResult& result) {
  PredictOrderedJson masks = PredictOrderedJson::array();
  for (const auto& fill : result.masks) {
    PredictOrderedJson candidates = PredictOrderedJson::array();
    for (const auto& c : fill.candidates)
      candidates.push_back({{"token", c.token}, {"probability", c.probability}});
    masks.push_back({{"position", fill.position}, {"candidates", candidates}});
  }
  return {{"masks", masks}};
}

// One input line → one output object; throws bertwb::Error (or json errors) for bad input.
PredictOrderedJson predictLine(const Predictor& predictor, const PredictCliOptions& o,
                               const std::string& line) {
  const json input = parseJson(line);
  if (!input.is_object()) throw Error("expected a JSON object, got " + input.dump());
  PredictOrderedJson out;
  if (input.contains("id")) out["id"] = input["id"];
  PredictOrderedJson result;
  if (o.task == "classify") {
    result = predictClassificationJson(predictor.classify(
        predictStringField(input, "text"), predictOptionalStringField(input, "text_b")));
  } else if (o.task == "pair") {
    result = predictClassificationJson(
        predictor.classify(predictStringField(input, "text"), predictStringField(input, "text_b")));
  } else if (o.task == "tag") {
    result = predictTagJson(predictor.tag(predictStringField(input, "text"),
                                          predictAggregationFromName(o.aggregation)));
  } else if (o.task == "qa") {
    AnswerOptions options;
    options.nBest = o.topK;
    result = predictAnswerJson(predictor.answer(predictStringField(input, "question"),
                                                predictStringField(input, "context"), options));
  } else {
    result = predictFillMaskJson(predictor.fillMask(predictStringField(input, "text"), o.topK));
  }
  out.update(result);
  return out;
}

// Fails before reading any input when the checkpoint cannot do the task at all.
void predictCheckTaskFits(const Predictor& predictor, const PredictCliOptions& o) {
  const PredictorCapabilities& can = predictor.capabilities();
  const bool fits = (o.task == "classify" || o.task == "pair") ? can.classify
                    : o.task == "tag"                          ? can.tag
                    : o.task == "qa"                           ? can.answer
                                                               : can.fillMask;
  if (!fits) {
    throw Error(
        "--task " + o.task + ": " + o.checkpoint + " is a " + predictor.architecture() +
        ", which cannot do that (classify/pair: BertForSequenceClassification, tag: "
        "BertForTokenClassification, qa: BertForQuestionAnswering, fill-mask: BertForPreTraining)");
  }
}

void runPredict(const PredictCliOptions& o) {
  configureThreads(o.threads);
  const Predictor predictor = Predictor::load(o.checkpoint, o.device, o.precision);
  std::cerr << "predicting on " << o.device << " in " << predictor.precision() << "\n";
  predictCheckTaskFits(predictor, o);
  int lineNumber = 0, failed = 0, answered = 0;
  for (std::string line; std::getline(std::cin, line);) {
    ++lineNumber;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;  // blank lines are not inputs
    PredictOrderedJson out;
    try {
      out = predictLine(predictor, o, line);
      ++answered;
    } catch (const json::exception& e) {
      out = {{"error", "line " + std::to_string(lineNumber) + ": not valid JSON: " + e.what()}};
      ++failed;
    } catch (const Error& e) {
      out = {{"error", "line " + std::to_string(lineNumber) + ": " + e.what()}};
      ++failed;
    }
    // Flushed per line: a caller in a pipe sees each answer as soon as it exists.
    std::cout << out.dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false,
                          json::error_handler_t::replace)
              << std::endl;
  }
  if (failed > 0) {
    throw Error(std::to_string(failed) + " of " + std::to_string(failed + answered) +
                " input lines failed (see their \"error\" lines)");
  }
}

}  // namespace

void addPredictCommand(CLI::App& app) {
  auto o = std::make_shared<PredictCliOptions>();
  CLI::App* command = app.add_subcommand(
      "predict",
      "Run a checkpoint on JSON lines from stdin and write one JSON line of predictions per input");
  command->add_option("--checkpoint", o->checkpoint, "checkpoint folder")->required();
  command
      ->add_option(
          "--task", o->task,
          "classify {\"text\"[, \"text_b\"]}, pair {\"text\", \"text_b\"}, tag {\"text\"}, "
          "qa {\"question\", \"context\"} or fill-mask {\"text\" with [MASK]}")
      ->required()
      ->check(CLI::IsMember({"classify", "pair", "tag", "qa", "fill-mask"}));
  command->add_option("--top-k", o->topK, "fill-mask candidates per [MASK]; qa spans in n_best")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--aggregation", o->aggregation, "tag: a word's label from its pieces")
      ->check(CLI::IsMember({"first", "average", "max"}))
      ->capture_default_str();
  command->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  command
      ->add_option("--precision", o->precision,
                   "auto (bf16 where the CPU or GPU has native bf16, else fp32), fp32, bf16, or "
                   "fp16 (CUDA only)")
      ->capture_default_str();
  command->add_option("--threads", o->threads, "CPU threads (0 = one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  command->callback([o] { runPredict(*o); });
}

}  // namespace bertwb::cli
