#pragma once
// What the fine-tuning task readers produce and the featurisers, metrics and trainer read:
// plain structs, one per task family, independent of any tokenizer or tensor. Text stays as
// the file had it (UTF-8); character offsets are Unicode code point indices, as SQuAD's
// answer_start and Python's str (and the tokenizer's Piece::start/end) count them.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bertwb {

// Where a record came from, for messages: "dev.tsv:12" (file and 1-based line).
using SourceLocation = std::string;

// ---- sentence and sentence-pair tasks (GLUE-style TSV/CSV) ----
struct TextExample {
  std::string textA;
  std::string textB;  // empty for single-sentence tasks
  std::string label;  // the class name as written; the target number as text for regression;
                      // empty in an unlabelled test file
  SourceLocation source;
};

struct TextDataset {
  std::vector<TextExample> examples;
  bool pair = false;                // text_b present
  bool regression = false;          // labels are numbers (K = 1, MSE)
  std::vector<std::string> labels;  // class names, index = class id (built from train, fixed
                                    // for dev and test); empty for regression
};

// ---- token tagging (CoNLL-2003 columns) ----
struct TaggedSentence {
  std::vector<std::string> words;
  std::vector<std::string> tags;  // BIO (IOB1 input is converted); empty when unlabelled
  SourceLocation source;          // the line of the sentence's first word
};

struct TaggedDataset {
  std::vector<TaggedSentence> sentences;
  std::vector<std::string> labels;  // tag set, index = class id ("O" first, then sorted)
};

// ---- extractive question answering (SQuAD v1.1 / v2.0 JSON) ----
struct QaAnswer {
  std::string text;
  int64_t start = 0;  // code point offset of the answer in the context
};

struct QaExample {
  std::string id;
  std::string question;
  std::string context;
  std::vector<QaAnswer> answers;  // one in train; several gold answers in dev; none when impossible
  bool impossible = false;        // SQuAD v2.0 is_impossible
  SourceLocation source;          // "dev.json: data[3].paragraphs[1].qas[0]"
};

struct QaDataset {
  std::vector<QaExample> examples;
  bool v2 = false;  // any example may be unanswerable
};

// ---- multiple choice (SWAG-style TSV: a context, N endings, the index of the right one) ----
struct ChoiceExample {
  std::string context;
  std::vector<std::string> endings;
  int label = -1;  // index of the right ending; -1 when unlabelled
  SourceLocation source;
};

struct ChoiceDataset {
  std::vector<ChoiceExample> examples;
  int choices = 0;  // the same for every example
};

// What a task reader produced; the task decides which one it needs.
using TaskDataset = std::variant<TextDataset, TaggedDataset, QaDataset, ChoiceDataset>;

}  // namespace bertwb
