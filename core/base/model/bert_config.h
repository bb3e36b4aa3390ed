#pragma once
// BertConfig: the model's shape and regularisation, with Hugging Face `config.json` field
// names so that checkpoints move freely between this workbench and `transformers`.
// Deliberately free of torch and Qt: the wizard and the CLI's `info` use it directly.
#include <map>
#include <string>
#include <vector>

namespace bertwb {

struct BertConfig {
  int vocab_size = 30522;            // WordPiece vocabulary of the released English BERTs
  int hidden_size = 768;             // H
  int num_hidden_layers = 12;        // L
  int num_attention_heads = 12;      // A; H must be divisible by A
  int intermediate_size = 3072;      // feed-forward size, 4H in the paper
  std::string hidden_act = "gelu";   // gelu (exact erf) | gelu_new / gelu_pytorch_tanh | relu
  double hidden_dropout_prob = 0.1;  // paper §A.2
  double attention_probs_dropout_prob = 0.1;
  int max_position_embeddings = 512;  // longest sequence the position table covers
  int type_vocab_size = 2;            // segments A and B
  double initializer_range = 0.02;    // std of the normal initialiser (original BERT)
  double layer_norm_eps = 1e-12;      // original TensorFlow BERT value
  int pad_token_id = 0;
  // Left-to-right attention in every use (Hugging Face's is_decoder): a model pre-trained with
  // the paper's LTR objective (§5.1) keeps its causal mask when fine-tuned and run, and pools
  // its last real token instead of [CLS], which under that mask sees only itself.
  bool is_decoder = false;

  // Fields of a config.json that this struct does not model (architectures, id2label,
  // transformers_version, ...), kept as JSON text so that a round trip loses nothing.
  std::map<std::string, std::string> extra_fields;

  int headSize() const { return hidden_size / num_attention_heads; }
};

// The largest sizes a config may give (configProblems names a larger one).
inline constexpr long long kMostVocabulary = 10'000'000;
inline constexpr long long kMostHidden = 65'536;
inline constexpr long long kMostLayers = 1'000;
inline constexpr long long kMostIntermediate = 1'048'576;
inline constexpr long long kMostPositions = 1'048'576;
inline constexpr long long kMostTokenTypes = 1'000;

// Every problem with the config, each as one readable sentence; empty when valid.
std::vector<std::string> configProblems(const BertConfig& config);
// Throws bertwb::Error listing every problem; `source` names where the config came from.
void validateConfig(const BertConfig& config, const std::string& source = "config");

// JSON text <-> config. `source` (a file name) is used in error messages.
BertConfig configFromJson(const std::string& jsonText, const std::string& source);
std::string configToJson(const BertConfig& config);

BertConfig loadConfigFile(const std::string& path);
void saveConfigFile(const BertConfig& config, const std::string& path);  // atomic

}  // namespace bertwb
