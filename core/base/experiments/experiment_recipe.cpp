#include "experiments/experiment_recipe.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "model/presets.h"
#include "train/run_recipes.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

using nlohmann::json;

constexpr uintmax_t kMaxRecipeBytes = 1 << 20;
constexpr int kMaxSeeds = 20;
constexpr size_t kMaxVariants = 64;

// Every problem of a recipe, each "path: what", reported together.
class Problems {
 public:
  void add(const std::string& path, const std::string& what) {
    lines_.push_back(path + ": " + what);
  }
  bool empty() const { return lines_.empty(); }
  void throwIfAny(const std::string& source) const {
    if (lines_.empty()) return;
    std::string message = "experiment recipe " + source + " has " + std::to_string(lines_.size()) +
                          (lines_.size() == 1 ? " problem:" : " problems:");
    for (const std::string& line : lines_) message += "\n  " + line;
    throw Error(message);
  }

 private:
  std::vector<std::string> lines_;
};

std::string shown(const json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "a list";
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Names every field of `object` that is not in `allowed`.
void checkKnownFields(const json& object, const std::vector<std::string>& allowed,
                      const std::string& path, Problems& problems) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      problems.add(child(path, key), "unknown field (expected one of " + joined(allowed) + ")");
  }
}

std::optional<std::string> readString(const json& object, const std::string& key,
                                      const std::string& path, Problems& problems, bool required) {
  if (!object.contains(key)) {
    if (required) problems.add(child(path, key), "missing");
    return std::nullopt;
  }
  const json& value = object[key];
  if (!value.is_string()) {
    problems.add(child(path, key), "expected a string, got " + shown(value));
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<int64_t> readWhole(const json& object, const std::string& key,
                                 const std::string& path, Problems& problems, int64_t low,
                                 int64_t high) {
  if (!object.contains(key)) return std::nullopt;
  const json& value = object[key];
  if (!value.is_number_integer() && !value.is_number_unsigned()) {
    problems.add(child(path, key), "expected a whole number, got " + shown(value));
    return std::nullopt;
  }
  const int64_t number =
      value.is_number_unsigned()
          ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX))
          : value.get<int64_t>();
  if (number < low || number > high) {
    problems.add(child(path, key), std::to_string(number) + " is outside " + std::to_string(low) +
                                       "…" + std::to_string(high));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> readBool(const json& object, const std::string& key, const std::string& path,
                             Problems& problems) {
  if (!object.contains(key)) return std::nullopt;
  if (!object[key].is_boolean()) {
    problems.add(child(path, key), "expected true or false, got " + shown(object[key]));
    return std::nullopt;
  }
  return object[key].get<bool>();
}

// One of `names` (the file's spelling of an enum); nullopt when absent or bad (named).
template <typename Enum>
std::optional<Enum> readChoice(const json& object, const std::string& key, const std::string& path,
                               Problems& problems,
                               const std::vector<std::pair<std::string, Enum>>& names) {
  const std::optional<std::string> text = readString(object, key, path, problems, false);
  if (!text) return std::nullopt;
  std::vector<std::string> spelled;
  for (const auto& [name, value] : names) {
    if (name == *text) return value;
    spelled.push_back(name);
  }
  problems.add(child(path, key), "'" + *text + "' is not one of " + joined(spelled));
  return std::nullopt;
}

bool validName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && name.front() != '-' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-';
         });
}

const std::vector<std::pair<std::string, ExperimentInit>> kInits = {
    {"pretrained", ExperimentInit::Pretrained}, {"random", ExperimentInit::Random}};
const std::vector<std::pair<std::string, PretrainingObjectiveKind>> kObjectives = {
    {"mlm", PretrainingObjectiveKind::MaskedLm}, {"ltr", PretrainingObjectiveKind::LeftToRight}};
const std::vector<std::pair<std::string, SegmentFormat>> kSegmentFormats = {
    {"pairs", SegmentFormat::Pairs}, {"single", SegmentFormat::Single}};
const std::vector<std::pair<std::string, FeatureTagger>> kFeatureTaggers = {
    {"linear", FeatureTagger::Linear}, {"bilstm", FeatureTagger::BiLstm}};
const std::vector<std::pair<std::string, FeatureLayers>> kFeatureLayers = {
    {"none", FeatureLayers::None},
    {"embeddings", FeatureLayers::Embeddings},
    {"last", FeatureLayers::Last},
    {"second-to-last", FeatureLayers::SecondToLast},
    {"sum-last-four", FeatureLayers::SumLastFour},
    {"concat-last-four", FeatureLayers::ConcatLastFour},
    {"weighted-sum-all", FeatureLayers::WeightedSumAll}};

template <typename Enum>
std::string nameOf(Enum value, const std::vector<std::pair<std::string, Enum>>& names) {
  for (const auto& [name, candidate] : names)
    if (candidate == value) return name;
  return "?";
}

// The limits of the settings a recipe may override; a field without one must not be negative.
struct Range {
  double low, high;
  bool lowOpen;  // the low end itself is not allowed (a learning rate of 0)
};
const std::map<std::string, Range>& settingRanges() {
  static const std::map<std::string, Range> ranges = {
      {"steps", {1, 1e9, false}},
      {"epochs", {1, 1000, false}},
      {"batchSize", {1, 4096, false}},
      {"evalBatchSize", {1, 4096, false}},
      {"accumulate", {1, 1024, false}},
      {"maxSeqLength", {8, 512, false}},
      {"learningRate", {0, 1, true}},
      {"warmupFraction", {0, 1, false}},
      {"weightDecay", {0, 1, false}},
      {"maskedLmProb", {0, 1, true}},
      {"maskTokenShare", {0, 1, false}},
      {"randomTokenShare", {0, 1, false}},
      {"shortSeqProb", {0, 1, false}},
      {"dupeFactor", {1, 1000, false}},
      {"maxPredictionsPerSeq", {1, 512, false}},
  };
  return ranges;
}

// Checks overrides of a run recipe against the recipe's own fields (`defaults` is
// recipeToJson of a default recipe): known names, the same JSON types, values in range.
// The seed is the experiment's to set, one per seed index.
void checkRecipeOverrides(const json& overrides, const json& defaults, const std::string& path,
                          Problems& problems) {
  if (!overrides.is_object()) {
    problems.add(path, "expected an object of settings, got " + shown(overrides));
    return;
  }
  std::vector<std::string> allowed;
  for (const auto& [key, value] : defaults.items())
    if (key != "seed") allowed.push_back(key);
  for (const auto& [key, value] : overrides.items()) {
    const std::string where = child(path, key);
    if (key == "seed") {
      problems.add(where, "set by the experiment, one per seed (use \"seeds\")");
      continue;
    }
    if (!defaults.contains(key)) {
      problems.add(where, "unknown setting (expected one of " + joined(allowed) + ")");
      continue;
    }
    const json& expected = defaults[key];
    if (expected.is_boolean() != value.is_boolean() || expected.is_string() != value.is_string() ||
        expected.is_number() != value.is_number()) {
      problems.add(where, std::string("expected ") +
                              (expected.is_boolean()  ? "true or false"
                               : expected.is_string() ? "a string"
                                                      : "a number") +
                              ", got " + shown(value));
      continue;
    }
    if (!value.is_number()) continue;
    const double number = value.get<double>();
    if ((expected.is_number_integer() || expected.is_number_unsigned()) &&
        number != std::floor(number)) {
      problems.add(where, "expected a whole number, got " + shown(value));
      continue;
    }
    const auto range = settingRanges().find(key);
    const Range limits = range != settingRanges().end() ? range->second : Range{0, 1e18, false};
    if (!std::isfinite(number) || number > limits.high || number < limits.low ||
        (limits.lowOpen && number == limits.low)) {
      problems.add(where, shown(value) + " is outside " + (limits.lowOpen ? "(" : "[") +
                              json(limits.low).dump() + ", " + json(limits.high).dump() + "]");
    }
  }
}

// The model: a preset and optional sizes; returns the resolved (layers, hidden, heads) check.
void checkModel(const json& model, const std::string& path, Problems& problems, bool needsPreset) {
  if (!model.is_object()) {
    problems.add(path, "expected an object such as {\"preset\": \"tiny\"}, got " + shown(model));
    return;
  }
  checkKnownFields(model, {"preset", "layers", "hidden", "heads", "intermediate"}, path, problems);
  const std::optional<std::string> preset =
      readString(model, "preset", path, problems, needsPreset);
  if (preset) {
    try {
      findPreset(*preset);
    } catch (const Error& e) {
      problems.add(child(path, "preset"), e.what());
    }
  }
  readWhole(model, "layers", path, problems, 1, 48);
  readWhole(model, "hidden", path, problems, 8, 4096);
  readWhole(model, "heads", path, problems, 1, 64);
  readWhole(model, "intermediate", path, problems, 8, 16384);
}

// The merged model of a variant must be buildable: H divisible by A.
void checkModelShape(const json& merged, const std::string& path, Problems& problems) {
  if (!merged.contains("preset") || !merged["preset"].is_string()) return;
  try {
    const ModelPreset& preset = findPreset(merged["preset"].get<std::string>());
    const auto number = [&](const char* key, int fallback) {
      try {
        return merged.contains(key) ? jsonInteger<int>(merged[key]) : fallback;
      } catch (const json::type_error&) {
        return fallback;  // named by checkRecipeOverrides
      }
    };
    const int hidden = number("hidden", preset.hidden);
    const int heads = number("heads", preset.heads);
    if (heads > 0 && hidden % heads != 0)
      problems.add(path, "hidden size " + std::to_string(hidden) + " is not divisible by " +
                             std::to_string(heads) + " heads");
  } catch (const Error&) {
    // the preset itself was named already
  }
}

ExperimentVariant parseVariant(const json& entry, const std::string& path,
                               const ExperimentRecipe& recipe, Problems& problems) {
  ExperimentVariant variant;
  if (!entry.is_object()) {
    problems.add(path, "expected an object, got " + shown(entry));
    return variant;
  }
  checkKnownFields(entry,
                   {"name", "about", "init", "objective", "segments", "features", "featureHead",
                    "fromStep", "model", "pretraining", "finetuning", "paper"},
                   path, problems);
  if (const auto name = readString(entry, "name", path, problems, true)) {
    if (!validName(*name))
      problems.add(child(path, "name"),
                   "'" + *name + "' must be 1-64 letters, digits or '-', not starting with '-'");
    variant.name = *name;
  }
  variant.about = readString(entry, "about", path, problems, false).value_or("");
  variant.init = readChoice(entry, "init", path, problems, kInits).value_or(variant.init);
  variant.objective =
      readChoice(entry, "objective", path, problems, kObjectives).value_or(variant.objective);
  variant.segments =
      readChoice(entry, "segments", path, problems, kSegmentFormats).value_or(variant.segments);
  variant.features =
      readChoice(entry, "features", path, problems, kFeatureLayers).value_or(variant.features);
  variant.tagger =
      readChoice(entry, "featureHead", path, problems, kFeatureTaggers).value_or(variant.tagger);
  if (variant.tagger != FeatureTagger::Linear && variant.features == FeatureLayers::None)
    problems.add(child(path, "featureHead"),
                 "a feature head reads frozen features: give the variant \"features\" too");
  variant.fromStep =
      readWhole(entry, "fromStep", path, problems, 1, std::numeric_limits<int32_t>::max())
          .value_or(0);
  if (entry.contains("model")) {
    checkModel(entry["model"], child(path, "model"), problems, false);
    if (entry["model"].is_object()) variant.model = entry["model"];
  }
  json merged = recipe.model;
  merged.merge_patch(variant.model);
  checkModelShape(merged, child(path, "model"), problems);
  for (const char* section : {"pretraining", "finetuning"}) {
    if (!entry.contains(section)) continue;
    const json defaults = std::string(section) == "pretraining" ? recipeToJson(PretrainingRecipe())
                                                                : recipeToJson(FinetuningRecipe());
    checkRecipeOverrides(entry[section], defaults, child(path, section), problems);
    if (entry[section].is_object())
      (std::string(section) == "pretraining" ? variant.pretraining : variant.finetuning) =
          entry[section];
  }
  json mergedPretraining = recipe.pretraining.is_object() ? recipe.pretraining : json::object();
  mergedPretraining.merge_patch(variant.pretraining);
  // Off only when written false; a field of the wrong type is named by checkRecipeOverrides
  // (value() would throw on it: found by fuzz_recipes).
  const auto nspField = mergedPretraining.find("nsp");
  const bool nsp =
      nspField == mergedPretraining.end() || !nspField->is_boolean() || nspField->get<bool>();
  if (variant.objective == PretrainingObjectiveKind::LeftToRight && nsp)
    problems.add(child(path, "pretraining"),
                 "the left-to-right objective has no next-sentence prediction (the paper's "
                 "'LTR & No NSP'): add \"nsp\": false");
  if (variant.segments == SegmentFormat::Single && nsp)
    problems.add(child(path, "pretraining"),
                 "single segments have no next sentence to predict: add \"nsp\": false");
  if (variant.init == ExperimentInit::Random &&
      (entry.contains("objective") || entry.contains("segments") || entry.contains("pretraining") ||
       entry.contains("fromStep")))
    problems.add(path,
                 "a randomly initialised variant is not pre-trained, so 'objective', "
                 "'segments', 'pretraining' and 'fromStep' mean nothing for it");
  if (variant.fromStep > 0) {
    // A field of the wrong type is named by checkRecipeOverrides; read it as its default here.
    const auto whole = [&mergedPretraining](const char* key, int64_t fallback) {
      try {
        return mergedPretraining.contains(key) ? jsonInteger<int64_t>(mergedPretraining[key])
                                               : fallback;
      } catch (const json::type_error&) {
        return fallback;
      }
    };
    const int64_t steps = whole("steps", 1000);
    const int64_t saveEvery = whole("saveEvery", 0);
    if (variant.fromStep > steps)
      problems.add(child(path, "fromStep"), "step " + std::to_string(variant.fromStep) +
                                                " is after the pre-training's last (" +
                                                std::to_string(steps) + ")");
    else if (variant.fromStep < steps && (saveEvery <= 0 || variant.fromStep % saveEvery != 0))
      problems.add(child(path, "fromStep"),
                   "the pre-training saves no checkpoint at step " +
                       std::to_string(variant.fromStep) +
                       ": give it a \"saveEvery\" that divides the step (and \"keepLast\": 0)");
  }
  if (entry.contains("paper")) {
    const json& paper = entry["paper"];
    if (!paper.is_object()) {
      problems.add(child(path, "paper"),
                   "expected an object of numbers by task, got " + shown(paper));
    } else {
      for (const auto& [task, value] : paper.items()) {
        if (!value.is_number())
          problems.add(child(child(path, "paper"), task), "expected a number, got " + shown(value));
        else
          variant.paper[task] = value.get<double>();
      }
    }
  }
  return variant;
}

ExperimentTask parseTask(const json& entry, const std::string& path, Problems& problems) {
  ExperimentTask task{"", "", 0};
  if (!entry.is_object()) {
    problems.add(path, "expected an object such as {\"task\": \"sentiment\"}, got " + shown(entry));
    return task;
  }
  checkKnownFields(entry, {"task", "metric", "trainExamples"}, path, problems);
  if (const auto name = readString(entry, "task", path, problems, true)) {
    task.task = *name;
    if (const auto metric = demoTaskMetric(*name))
      task.metric = *metric;
    else
      problems.add(child(path, "task"),
                   "'" + *name + "' is not a demo task (sentiment, entailment, ner, qa)");
  }
  if (const auto metric = readString(entry, "metric", path, problems, false)) {
    if (!task.metric.empty() && *metric != task.metric)
      problems.add(child(path, "metric"),
                   "'" + *metric + "': " + task.task + " is scored by " + task.metric);
  }
  task.trainExamples = readWhole(entry, "trainExamples", path, problems, 0, 10000000).value_or(0);
  return task;
}

ExperimentClaim parseClaim(const json& entry, const std::string& path,
                           const ExperimentRecipe& recipe, Problems& problems) {
  ExperimentClaim claim;
  if (!entry.is_object()) {
    problems.add(path, "expected an object, got " + shown(entry));
    return claim;
  }
  checkKnownFields(entry, {"better", "worse", "tasks", "paper"}, path, problems);
  for (const char* side : {"better", "worse"}) {
    const auto name = readString(entry, side, path, problems, true);
    if (!name) continue;
    if (!recipe.variant(*name))
      problems.add(child(path, side), "'" + *name + "' is not one of the variants");
    (std::string(side) == "better" ? claim.better : claim.worse) = *name;
  }
  if (!claim.better.empty() && claim.better == claim.worse)
    problems.add(path, "compares '" + claim.better + "' with itself");
  if (entry.contains("tasks")) {
    const json& tasks = entry["tasks"];
    if (!tasks.is_array()) {
      problems.add(child(path, "tasks"), "expected a list of task names, got " + shown(tasks));
    } else {
      for (size_t i = 0; i < tasks.size(); ++i) {
        const std::string where = child(path, "tasks") + "[" + std::to_string(i) + "]";
        const bool known = tasks[i].is_string() &&
                           std::any_of(recipe.tasks.begin(), recipe.tasks.end(),
                                       [&](const ExperimentTask& t) { return t.task == tasks[i]; });
        if (!known)
          problems.add(where, shown(tasks[i]) + " is not one of the recipe's tasks");
        else
          claim.tasks.push_back(tasks[i].get<std::string>());
      }
    }
  }
  claim.paper = readString(entry, "paper", path, problems, false).value_or("");
  return claim;
}

}  // namespace

const ExperimentVariant* ExperimentRecipe::variant(const std::string& wanted) const {
  for (const ExperimentVariant& v : variants)
    if (v.name == wanted) return &v;
  return nullptr;
}

std::optional<std::string> demoTaskMetric(const std::string& task) {
  if (task == "sentiment" || task == "entailment") return std::string("accuracy");
  if (task == "ner" || task == "qa") return std::string("f1");
  return std::nullopt;
}

std::string objectiveName(PretrainingObjectiveKind objective) {
  return nameOf(objective, kObjectives);
}
std::string featureLayersName(FeatureLayers layers) {
  return nameOf(layers, kFeatureLayers);
}
std::string featureTaggerName(FeatureTagger tagger) {
  return nameOf(tagger, kFeatureTaggers);
}
std::string initName(ExperimentInit init) {
  return nameOf(init, kInits);
}
std::string segmentFormatName(SegmentFormat segments) {
  return nameOf(segments, kSegmentFormats);
}

namespace {

ExperimentRecipe parseRecipeFields(const json& root, const std::string& source) {
  Problems problems;
  ExperimentRecipe recipe;
  if (!root.is_object()) {
    problems.add("(top level)", "expected an object, got " + shown(root));
    problems.throwIfAny(source);
  }
  checkKnownFields(root,
                   {"format", "version", "name", "title", "about", "model", "pretraining",
                    "finetuning", "dataSeed", "tasks", "seeds", "variants", "claims"},
                   "", problems);
  const auto format = readString(root, "format", "", problems, true);
  if (format && *format != kExperimentFormat)
    problems.add("format", "'" + *format + "' is not '" + kExperimentFormat + "'");
  if (const auto version = readWhole(root, "version", "", problems, 1, 1000000)) {
    if (*version > kExperimentVersion)
      problems.add("version", std::to_string(*version) + " is newer than this program reads (" +
                                  std::to_string(kExperimentVersion) + "); update bert-workbench");
  } else if (!root.contains("version")) {
    problems.add("version", "missing");
  }
  if (const auto name = readString(root, "name", "", problems, true)) {
    if (!validName(*name))
      problems.add("name", "'" + *name +
                               "' must be 1-64 letters, digits or '-' (it names the "
                               "experiment's folder)");
    recipe.name = *name;
  }
  recipe.title = readString(root, "title", "", problems, false).value_or(recipe.name);
  recipe.about = readString(root, "about", "", problems, false).value_or("");
  recipe.model = root.value("model", json{{"preset", "tiny"}});
  checkModel(recipe.model, "model", problems, true);
  checkModelShape(recipe.model, "model", problems);
  recipe.pretraining = root.value("pretraining", json::object());
  checkRecipeOverrides(recipe.pretraining, recipeToJson(PretrainingRecipe()), "pretraining",
                       problems);
  recipe.finetuning = root.value("finetuning", json::object());
  checkRecipeOverrides(recipe.finetuning, recipeToJson(FinetuningRecipe()), "finetuning", problems);
  recipe.dataSeed = static_cast<uint64_t>(
      readWhole(root, "dataSeed", "", problems, 0, INT64_MAX).value_or(12345));
  recipe.seeds = static_cast<int>(readWhole(root, "seeds", "", problems, 1, kMaxSeeds).value_or(1));

  if (!root.contains("tasks") || !root["tasks"].is_array() || root["tasks"].empty()) {
    problems.add("tasks", "expected a list of one or more tasks");
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < root["tasks"].size(); ++i) {
      const std::string path = "tasks[" + std::to_string(i) + "]";
      ExperimentTask task = parseTask(root["tasks"][i], path, problems);
      if (!task.task.empty() && !seen.insert(task.task).second)
        problems.add(path, "'" + task.task + "' is listed twice");
      recipe.tasks.push_back(task);
    }
  }
  if (!root.contains("variants") || !root["variants"].is_array() || root["variants"].size() < 2) {
    problems.add("variants", "expected a list of at least two variants to compare");
  } else if (root["variants"].size() > kMaxVariants) {
    problems.add("variants", std::to_string(root["variants"].size()) + " variants; at most " +
                                 std::to_string(kMaxVariants));
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < root["variants"].size(); ++i) {
      const std::string path = "variants[" + std::to_string(i) + "]";
      ExperimentVariant variant = parseVariant(root["variants"][i], path, recipe, problems);
      if (!variant.name.empty() && !seen.insert(variant.name).second)
        problems.add(child(path, "name"), "'" + variant.name + "' is used twice");
      recipe.variants.push_back(std::move(variant));
    }
  }
  if (root.contains("claims")) {
    if (!root["claims"].is_array()) {
      problems.add("claims", "expected a list, got " + shown(root["claims"]));
    } else {
      for (size_t i = 0; i < root["claims"].size(); ++i)
        recipe.claims.push_back(
            parseClaim(root["claims"][i], "claims[" + std::to_string(i) + "]", recipe, problems));
    }
  }
  problems.throwIfAny(source);
  return recipe;
}

}  // namespace

ExperimentRecipe parseExperimentRecipe(const json& root, const std::string& source) {
  // Every field is checked by type before it is read; this is the net under a check that was
  // missed, so a recipe can only ever be refused, never escape as a library exception.
  try {
    return parseRecipeFields(root, source);
  } catch (const json::exception& e) {
    throw Error(source + ": " + jsonErrorText(e));
  }
}

ExperimentRecipe readExperimentRecipe(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw Error("experiment recipe '" + path + "' is not a file");
  if (fs::file_size(path, ec) > kMaxRecipeBytes)
    throw Error("experiment recipe '" + path + "' is larger than 1 MiB; a recipe is a few KB");
  json root;
  try {
    root = parseJson(readRegularFile(path, kSettingsFile));
  } catch (const json::parse_error& e) {
    throw Error("experiment recipe '" + path + "' is not valid JSON: " + jsonErrorText(e));
  }
  return parseExperimentRecipe(root, "'" + path + "'");
}

json experimentRecipeToJson(const ExperimentRecipe& recipe) {
  json variants = json::array();
  for (const ExperimentVariant& v : recipe.variants) {
    json entry = {{"name", v.name}, {"init", initName(v.init)}};
    if (!v.about.empty()) entry["about"] = v.about;
    if (v.init == ExperimentInit::Pretrained) {
      entry["objective"] = objectiveName(v.objective);
      entry["segments"] = segmentFormatName(v.segments);
      if (!v.pretraining.empty()) entry["pretraining"] = v.pretraining;
    }
    entry["features"] = featureLayersName(v.features);
    if (v.tagger != FeatureTagger::Linear) entry["featureHead"] = featureTaggerName(v.tagger);
    if (v.fromStep > 0) entry["fromStep"] = v.fromStep;
    if (!v.model.empty()) entry["model"] = v.model;
    if (!v.finetuning.empty()) entry["finetuning"] = v.finetuning;
    if (!v.paper.empty()) entry["paper"] = v.paper;
    variants.push_back(entry);
  }
  json tasks = json::array();
  for (const ExperimentTask& t : recipe.tasks)
    tasks.push_back({{"task", t.task}, {"metric", t.metric}, {"trainExamples", t.trainExamples}});
  json claims = json::array();
  for (const ExperimentClaim& c : recipe.claims) {
    json entry = {{"better", c.better}, {"worse", c.worse}};
    if (!c.tasks.empty()) entry["tasks"] = c.tasks;
    if (!c.paper.empty()) entry["paper"] = c.paper;
    claims.push_back(entry);
  }
  return {{"format", kExperimentFormat},
          {"version", kExperimentVersion},
          {"name", recipe.name},
          {"title", recipe.title},
          {"about", recipe.about},
          {"model", recipe.model},
          {"pretraining", recipe.pretraining},
          {"finetuning", recipe.finetuning},
          {"dataSeed", recipe.dataSeed},
          {"tasks", tasks},
          {"seeds", recipe.seeds},
          {"variants", variants},
          {"claims", claims}};
}

}  // namespace bertwb
