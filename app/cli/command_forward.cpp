// `forward`: run a checkpoint on token ids from a JSON file and write Hugging Face–named
// outputs, so results can be compared with `transformers` number for number.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "io/model_loading.h"
#include "io/output_folder.h"
#include "option_checks.h"
#include "runtime/device.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb::cli {
namespace {

using nlohmann::json;

struct ForwardCliOptions {
  std::string checkpoint;
  std::string input;
  std::string output;
  bool attentions = false;
  bool hiddenStates = false;
  bool predictionLogits = false;
  std::string device = "cpu";
  int threads = 0;
  bool force = false;
};

// A rectangular (B, S) integer array from the input file; `field` names it in errors.
torch::Tensor readIdMatrix(const json& root, const char* field, const std::string& source,
                           bool required) {
  auto it = root.find(field);
  if (it == root.end()) {
    if (required) throw Error(source + ": missing field \"" + field + "\"");
    return {};
  }
  if (!it->is_array() || it->empty())
    throw Error(source + ": \"" + field + "\" must be a non-empty array of arrays");
  const size_t rows = it->size();
  const size_t columns = (*it)[0].is_array() ? (*it)[0].size() : 0;
  std::vector<int64_t> values;
  values.reserve(rows * columns);
  for (size_t r = 0; r < rows; ++r) {
    const json& row = (*it)[r];
    if (!row.is_array() || row.size() != columns || columns == 0) {
      throw Error(source + ": \"" + field + "\" row " + std::to_string(r) +
                  " must be an array of " + std::to_string(columns) +
                  " integers (all rows the same length)");
    }
    for (size_t c = 0; c < columns; ++c) {
      if (!row[c].is_number_integer()) {
        throw Error(source + ": \"" + field + "\"[" + std::to_string(r) + "][" + std::to_string(c) +
                    "] is not an integer: " + row[c].dump());
      }
      values.push_back(jsonInteger<int64_t>(row[c]));
    }
  }
  return torch::tensor(values, torch::kInt64)
      .view({static_cast<int64_t>(rows), static_cast<int64_t>(columns)});
}

json tensorToJson(const torch::Tensor& tensor) {
  torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  if (t.dim() == 1) {
    const float* data = t.data_ptr<float>();
    return json(std::vector<float>(data, data + t.numel()));
  }
  json array = json::array();
  for (int64_t i = 0; i < t.size(0); ++i) array.push_back(tensorToJson(t[i]));
  return array;
}

json tensorsToJson(const std::vector<torch::Tensor>& tensors) {
  json array = json::array();
  for (const auto& t : tensors) array.push_back(tensorToJson(t));
  return array;
}

void runForward(const ForwardCliOptions& o) {
  claimOutputFile(o.output, o.force);
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);

  json root;
  try {
    root = parseJson(readRegularFile(o.input, kJsonInputFile));
  } catch (const json::parse_error& e) {
    throw Error(o.input + ": not valid JSON (" + jsonErrorText(e) + ")");
  }
  if (!root.is_object()) throw Error(o.input + ": expected an object with \"input_ids\"");
  BertInputs inputs{readIdMatrix(root, "input_ids", o.input, true),
                    readIdMatrix(root, "token_type_ids", o.input, false),
                    readIdMatrix(root, "attention_mask", o.input, false)};

  const CheckpointSummary summary = inspectCheckpoint(o.checkpoint);
  checkModelInputs(summary.config, inputs);
  ForwardOptions options;
  options.outputAttentions = o.attentions;
  options.outputHiddenStates = o.hiddenStates;

  BertInputs onDevice{
      inputs.inputIds.to(device),
      inputs.tokenTypeIds.defined() ? inputs.tokenTypeIds.to(device) : torch::Tensor(),
      inputs.attentionMask.defined() ? inputs.attentionMask.to(device) : torch::Tensor()};
  torch::NoGradGuard noGrad;
  LoadReport report;
  json out;
  BertModelOutput bertOut;
  if (summary.hasPretrainingHeads) {
    BertForPreTraining model = loadPretrainingModel(o.checkpoint, &report);
    model->to(device);
    // The masked-LM logits are B × S × V floats (15 MB of JSON for one 128-token sequence at
    // BERT-Base): computed and written only when asked; otherwise the head sees no positions.
    const torch::Tensor positions =
        o.predictionLogits ? torch::Tensor()
                           : torch::zeros({inputs.inputIds.size(0), 0},
                                          torch::TensorOptions(torch::kInt64).device(device));
    PreTrainingOutput result = model(onDevice, positions, options);
    if (o.predictionLogits) out["prediction_logits"] = tensorToJson(result.predictionLogits);
    out["seq_relationship_logits"] = tensorToJson(result.seqRelationshipLogits);
    bertOut = std::move(result.bert);
  } else {
    BertModel model = loadBareModel(o.checkpoint, &report);
    model->to(device);
    bertOut = model(onDevice, options);
  }
  std::cerr << report.warningText(summary.hasPretrainingHeads ? "BertForPreTraining" : "BertModel",
                                  o.checkpoint);
  out["last_hidden_state"] = tensorToJson(bertOut.lastHiddenState);
  out["pooler_output"] = tensorToJson(bertOut.pooledOutput);
  if (o.attentions) out["attentions"] = tensorsToJson(bertOut.attentions);
  if (o.hiddenStates) out["hidden_states"] = tensorsToJson(bertOut.hiddenStates);
  writeFileAtomically(o.output, out.dump() + "\n");
  std::cerr << "wrote " << o.output << " (batch " << inputs.inputIds.size(0) << ", sequence "
            << inputs.inputIds.size(1) << ", " << describeDevice(device) << ")\n";
}

}  // namespace

void addForwardCommand(CLI::App& app) {
  auto o = std::make_shared<ForwardCliOptions>();
  CLI::App* command = app.add_subcommand(
      "forward",
      "Run a checkpoint on token ids (JSON) and write its outputs with Hugging Face names (JSON)");
  command->add_option("--checkpoint", o->checkpoint, "checkpoint folder")->required();
  command
      ->add_option(
          "--input", o->input,
          "JSON {\"input_ids\": [[...]], \"token_type_ids\": [[...]], \"attention_mask\": [[...]]}")
      ->required();
  command->add_option("--output", o->output, "JSON file to write")->required();
  command->add_flag("--force", o->force, "replace an existing --output file");
  command->add_flag("--attentions", o->attentions,
                    "also write attentions: per layer a B×A×S×S array");
  command->add_flag("--hidden-states", o->hiddenStates,
                    "also write hidden_states: L+1 arrays of B×S×H");
  command->add_flag("--prediction-logits", o->predictionLogits,
                    "also write prediction_logits, the masked-LM scores: B×S×V (models with "
                    "pre-training heads)");
  command->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  command->add_option("--threads", o->threads, "CPU threads (0 = one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  command->callback([o] { runForward(*o); });
}

}  // namespace bertwb::cli
