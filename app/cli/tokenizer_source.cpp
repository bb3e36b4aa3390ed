#include "tokenizer_source.h"

#include "text/sentencepiece_tokenizer.h"
#include "text/wordpiece_tokenizer.h"

namespace bertwb::cli {

void addTokenizerSourceOptions(CLI::App* command, TokenizerSource& source) {
  auto* group = command->add_option_group("tokenizer", "which tokenizer (exactly one)");
  group->add_option("--checkpoint", source.checkpoint,
                    "a checkpoint or tokenizer folder (vocab.txt or spiece.model)");
  group->add_option("--vocab", source.vocab, "a WordPiece vocab.txt (uncased unless --cased)");
  group->add_option("--spm", source.spm, "a SentencePiece .model file");
  group->require_option(1);
  command->add_flag("--cased", source.cased, "with --vocab: keep case and accents");
  command
      ->add_option("--max-chars-per-word", source.maxCharsPerWord,
                   "with --vocab: longer words become [UNK] (Hugging Face 100, original BERT 200)")
      ->capture_default_str();
}

std::unique_ptr<Tokenizer> openTokenizer(const TokenizerSource& source) {
  if (!source.checkpoint.empty()) return loadTokenizer(source.checkpoint);
  if (!source.spm.empty()) return std::make_unique<SentencePieceTokenizer>(source.spm);
  WordPieceOptions options;
  options.doLowerCase = !source.cased;
  options.maxInputCharsPerWord = source.maxCharsPerWord;
  return std::make_unique<WordPieceTokenizer>(Vocab::fromFile(source.vocab), options);
}

}  // namespace bertwb::cli
