#include "io/checkpoint.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "io/tokenizer_fit.h"
#include "model/model_stats.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace fs = std::filesystem;
namespace {

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}
bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string joinKeys(const std::vector<std::string>& keys) {
  return "[" + joinForMessage(keys) + "]";
}

// NaN or infinite weights give a model whose every output is NaN: refuse them by name
// rather than let a forward pass print nulls and training blame the learning rate.
void requireFinite(const torch::Tensor& value, const std::string& path, const std::string& name) {
  if (!value.is_floating_point()) return;
  const int64_t bad = value.numel() - torch::isfinite(value).sum().item<int64_t>();
  if (bad > 0) {
    throw Error(path + ": tensor \"" + name + "\" holds " + std::to_string(bad) +
                " NaN or infinite values of " + std::to_string(value.numel()) +
                ": the file is damaged or was saved from a run that diverged; use an earlier "
                "checkpoint");
  }
}

// The model config.json describes must be about the size of the weights beside it, checked
// before anything is allocated: a hostile or mismatched config (100,000 layers, a huge
// width) would otherwise allocate until the allocator fails. The heads may be missing from
// the file (they are then newly initialised), hence the slack.
void requireConfigFitsWeights(const BertConfig& config, const SafetensorsReader& file) {
  uint64_t held = 0;
  for (const SafetensorsEntry& entry : file.entries()) {
    uint64_t elements = 1;
    for (int64_t size : entry.shape) elements *= static_cast<uint64_t>(size);
    held += elements;
  }
  const auto needed = static_cast<uint64_t>(countParameters(config).withPretrainingHeads());
  constexpr uint64_t kSlack = uint64_t{16} << 20;
  if (needed > 2 * held + kSlack) {
    throw Error(file.path() + " holds " + std::to_string(held) + " weights, but config.json " +
                "describes a model of " + std::to_string(needed) +
                " parameters: does config.json belong to these weights?");
  }
}

}  // namespace

std::string weightsPath(const std::string& folder) {
  return (fs::path(folder) / kWeightsFileName).string();
}

std::string LoadReport::warningText(const std::string& modelName, const std::string& source) const {
  std::string text;
  if (!unexpectedKeys.empty()) {
    text += "Some weights of the model checkpoint at " + source +
            " were not used when initializing " + modelName + ": " + joinKeys(unexpectedKeys) +
            "\n";
  }
  if (!missingKeys.empty()) {
    text +=
        "Some weights of " + modelName + " were not initialized from the model checkpoint at " +
        source + " and are newly initialized: " + joinKeys(missingKeys) +
        "\nYou should probably train this model on a downstream task to use it for predictions.\n";
  }
  return text;
}

std::string canonicalParameterName(const std::string& fileKey, bool modelHasBertPrefix) {
  std::string key = fileKey;
  // Old TensorFlow-converted checkpoints (the hub's bert-base-uncased among them).
  if (endsWith(key, ".gamma")) key = key.substr(0, key.size() - 6) + ".weight";
  if (endsWith(key, ".beta")) key = key.substr(0, key.size() - 5) + ".bias";
  // A bare BertModel saves without "bert."; a model with heads expects it.
  const bool bodyKey =
      startsWith(key, "embeddings.") || startsWith(key, "encoder.") || startsWith(key, "pooler.");
  if (modelHasBertPrefix && bodyKey) key = "bert." + key;
  if (!modelHasBertPrefix && startsWith(key, "bert.")) key = key.substr(5);
  if (endsWith(key, "embeddings.position_ids")) return "";  // a constant arange buffer
  if (key == "cls.predictions.decoder.weight") return "";   // tied to the word embeddings
  if (key == "cls.predictions.decoder.bias") return "cls.predictions.bias";  // same tensor in HF
  return key;
}

LoadReport loadWeights(torch::nn::Module& model, const SafetensorsReader& file) {
  torch::NoGradGuard noGrad;
  auto parameters = model.named_parameters(/*recurse=*/true);
  bool hasBertPrefix = false;
  for (const auto& item : parameters)
    hasBertPrefix = hasBertPrefix || startsWith(item.key(), "bert.");

  LoadReport report;
  std::set<std::string> loaded;
  for (const auto& entry : file.entries()) {
    const std::string key = canonicalParameterName(entry.name, hasBertPrefix);
    if (key.empty()) {
      if (endsWith(entry.name, "decoder.weight"))
        report.notes.push_back(entry.name + ": tied to the word embeddings");
      continue;
    }
    if (key != entry.name) report.notes.push_back(entry.name + " → " + key);
    torch::Tensor* target = parameters.find(key);
    if (!target) {
      report.unexpectedKeys.push_back(entry.name);
      continue;
    }
    if (loaded.count(key)) continue;  // decoder.bias and predictions.bias are one tensor
    torch::Tensor value = file.read(entry.name);
    requireFinite(value, file.path(), entry.name);
    if (value.sizes() != target->sizes()) {
      throw Error(file.path() + ": tensor \"" + entry.name + "\" has shape " +
                  c10::str(value.sizes()) + " but the model's \"" + key + "\" has shape " +
                  c10::str(target->sizes()) + " (does config.json match the weights?)");
    }
    target->copy_(value.to(target->dtype()));
    loaded.insert(key);
  }
  for (const auto& item : parameters) {
    if (!loaded.count(item.key())) report.missingKeys.push_back(item.key());
  }
  // A file none of whose tensors fits would leave a randomly initialised model that looks
  // loaded: that is never what was asked for.
  if (loaded.empty()) {
    throw Error(file.path() +
                (file.entries().empty() ? " holds no tensors"
                                        : " holds none of this model's weights (it has " +
                                              joinKeys(report.unexpectedKeys) + ")") +
                ": it is not a BERT checkpoint, or it is damaged");
  }
  return report;
}

NamedTensors namedWeights(const torch::nn::Module& model) {
  NamedTensors tensors;
  for (const auto& item : model.named_parameters(/*recurse=*/true))
    tensors.emplace_back(item.key(), item.value());
  for (const auto& item : model.named_buffers(/*recurse=*/true))
    tensors.emplace_back(item.key(), item.value());
  return tensors;
}

CheckpointSummary inspectCheckpoint(const std::string& folder) {
  if (!fs::is_directory(folder)) throw Error("checkpoint folder '" + folder + "' does not exist");
  const fs::path configPath = fs::path(folder) / kConfigFileName;
  if (!fs::exists(configPath))
    throw Error("checkpoint folder '" + folder + "' has no " + kConfigFileName);
  CheckpointSummary summary;
  summary.config = loadConfigFile(configPath.string());
  const std::string weights = weightsPath(folder);
  if (!fs::exists(weights)) {
    std::string hint = fs::exists(fs::path(folder) / "pytorch_model.bin")
                           ? " (it has pytorch_model.bin: re-save it with safetensors, e.g. "
                             "save_pretrained(..., safe_serialization=True))"
                           : "";
    throw Error("checkpoint folder '" + folder + "' has no " + kWeightsFileName + hint);
  }
  SafetensorsReader reader(weights);
  requireConfigFitsWeights(summary.config, reader);
  for (const auto& e : reader.entries()) {
    summary.tensorNames.push_back(e.name);
    if (startsWith(e.name, "cls.predictions.") || startsWith(e.name, "cls.seq_relationship.")) {
      summary.hasPretrainingHeads = true;
    }
  }
  return summary;
}

void saveCheckpoint(const std::string& folder, const BertConfig& config,
                    const torch::nn::Module& model, const std::string& architecture,
                    std::optional<torch::ScalarType> storeAs, const Tokenizer* tokenizer) {
  if (tokenizer && tokenizer->vocabSize() > config.vocab_size) {
    throw Error("the tokenizer has " + std::to_string(tokenizer->vocabSize()) +
                " tokens but the model's vocab_size is " + std::to_string(config.vocab_size) +
                ": its ids would fall outside the embedding table");
  }
  BertConfig withArchitecture = config;
  withArchitecture.extra_fields["architectures"] = nlohmann::json::array({architecture}).dump();
  // The tokenizer's identity, so a vocabulary swapped later is noticed at load (tokenizer_fit.h).
  if (tokenizer)
    withArchitecture.extra_fields[kTokenizerIdentityField] =
        tokenizerIdentityJson(tokenizerIdentity(*tokenizer));
  const NamedTensors tensors = namedWeights(model);

  fs::path target(folder);
  // "runs/ckpt/" names the folder "runs/ckpt": without this its filename is empty and the
  // staging folder would be created inside the target instead of beside it.
  if (!target.has_filename() && target.has_parent_path()) target = target.parent_path();
  if (fs::is_directory(target)) {
    // Weights first: a config.json never describes weights that are not there yet.
    writeSafetensors(weightsPath(folder), tensors, {{"format", "pt"}}, storeAs);
    saveConfigFile(withArchitecture, (target / kConfigFileName).string());
    if (tokenizer) tokenizer->save(folder);
    return;
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error("cannot create folder '" + parent.string() + "': " + ec.message());
  const fs::path staging =
      parent / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directory(staging, ec);
  if (ec) throw Error("cannot create folder '" + staging.string() + "': " + ec.message());
  try {
    writeSafetensors(weightsPath(staging.string()), tensors, {{"format", "pt"}}, storeAs);
    saveConfigFile(withArchitecture, (staging / kConfigFileName).string());
    if (tokenizer) tokenizer->save(staging.string());
    fs::rename(staging, target);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staging, ec);
    throw Error("cannot move the saved checkpoint into '" + folder + "': " + e.code().message());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

}  // namespace bertwb
