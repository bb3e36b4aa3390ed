#pragma once
// What part of one head's attention matrix the Attention stage shows. The model attends over
// every piece, [CLS] ... [SEP] ... [SEP]; a reader often wants less: without the special
// pieces (which soak up most of the weight in trained BERTs and wash out the rest), only how
// sentence A looks at sentence B (or back), and rows rescaled to sum to 1 again after
// columns were dropped. This file is plain logic (no Qt widgets, no torch) so every choice
// can be tested on hand-made matrices.
#include <string>
#include <vector>

#include "infer/predictor.h"

namespace bertwb::ui {

enum class AttentionDirection {
  All,   // every piece to every piece
  AToB,  // rows: pieces of sentence A, columns: pieces of sentence B
  BToA,  // rows: pieces of sentence B, columns: pieces of sentence A
};

struct AttentionViewOptions {
  bool hideSpecial = false;  // drop [CLS], [SEP] (and [PAD]) rows and columns
  AttentionDirection direction = AttentionDirection::All;
  bool normaliseRows = false;  // rescale each displayed row to sum to 1
};

// The displayed matrix: rows attend to columns. Indices point into AttentionMaps::pieces.
struct AttentionSelection {
  std::vector<int> rowIndices, columnIndices;
  std::vector<std::string> rowLabels, columnLabels;
  std::vector<float> values;  // (rows, columns) row-major
  float maxValue = 0;         // the largest displayed weight (0 when empty)

  int rows() const { return static_cast<int>(rowIndices.size()); }
  int columns() const { return static_cast<int>(columnIndices.size()); }
  bool empty() const { return values.empty(); }
  float at(int row, int column) const {
    return values[static_cast<size_t>(row) * columns() + column];
  }
};

// [CLS], [SEP], [PAD]: the pieces the tokenizer adds around the text.
bool isSpecialPiece(const std::string& piece);

// The segment (0 = sentence A, 1 = sentence B) of each piece: everything up to and including
// the first [SEP] is A, the rest is B, as BERT's token_type_ids are built.
std::vector<int> segmentsOfPieces(const std::vector<std::string>& pieces);

// True when the pieces hold a second sentence (a [SEP] followed by more pieces).
bool hasSecondSegment(const std::vector<std::string>& pieces);

// One head's matrix cut down by `options`. Throws bertwb::Error when layer or head is out of range.
AttentionSelection selectAttention(const AttentionMaps& maps, int layer, int head,
                                   const AttentionViewOptions& options);

}  // namespace bertwb::ui
