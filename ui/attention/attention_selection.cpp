#include "attention/attention_selection.h"

#include <algorithm>

#include "util/error.h"

namespace bertwb::ui {

bool isSpecialPiece(const std::string& piece) {
  return piece == "[CLS]" || piece == "[SEP]" || piece == "[PAD]";
}

std::vector<int> segmentsOfPieces(const std::vector<std::string>& pieces) {
  std::vector<int> segments(pieces.size(), 0);
  bool afterFirstSep = false;
  for (size_t i = 0; i < pieces.size(); ++i) {
    segments[i] = afterFirstSep ? 1 : 0;
    if (pieces[i] == "[SEP]") afterFirstSep = true;
  }
  return segments;
}

bool hasSecondSegment(const std::vector<std::string>& pieces) {
  const std::vector<int> segments = segmentsOfPieces(pieces);
  return std::find(segments.begin(), segments.end(), 1) != segments.end();
}

namespace {

// The pieces of `segment` (-1: every segment) that the options keep.
std::vector<int> keptIndices(const std::vector<std::string>& pieces,
                             const std::vector<int>& segments, int segment, bool hideSpecial) {
  std::vector<int> kept;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (hideSpecial && isSpecialPiece(pieces[i])) continue;
    if (segment >= 0 && segments[i] != segment) continue;
    kept.push_back(static_cast<int>(i));
  }
  return kept;
}

}  // namespace

AttentionSelection selectAttention(const AttentionMaps& maps, int layer, int head,
                                   const AttentionViewOptions& options) {
  if (layer < 0 || layer >= maps.layers || head < 0 || head >= maps.heads)
    throw Error("attention view: layer " + std::to_string(layer + 1) + ", head " +
                std::to_string(head + 1) + " does not exist (the model has " +
                std::to_string(maps.layers) + " layers of " + std::to_string(maps.heads) +
                " heads)");
  const std::vector<int> segments = segmentsOfPieces(maps.pieces);
  int rowSegment = -1, columnSegment = -1;
  if (options.direction == AttentionDirection::AToB) rowSegment = 0, columnSegment = 1;
  if (options.direction == AttentionDirection::BToA) rowSegment = 1, columnSegment = 0;

  AttentionSelection selection;
  selection.rowIndices = keptIndices(maps.pieces, segments, rowSegment, options.hideSpecial);
  selection.columnIndices = keptIndices(maps.pieces, segments, columnSegment, options.hideSpecial);
  for (int i : selection.rowIndices) selection.rowLabels.push_back(maps.pieces[i]);
  for (int j : selection.columnIndices) selection.columnLabels.push_back(maps.pieces[j]);
  if (selection.rowIndices.empty() || selection.columnIndices.empty()) return selection;

  const float* matrix = maps.matrix(layer, head);  // (S, S): row i attends to column j
  const size_t S = static_cast<size_t>(maps.length);
  selection.values.reserve(selection.rowIndices.size() * selection.columnIndices.size());
  for (int i : selection.rowIndices) {
    const size_t rowStart = selection.values.size();
    double rowSum = 0;
    for (int j : selection.columnIndices) {
      const float weight = matrix[static_cast<size_t>(i) * S + static_cast<size_t>(j)];
      selection.values.push_back(weight);
      rowSum += weight;
    }
    // A row whose kept weights are all 0 stays 0 rather than dividing by nothing.
    if (options.normaliseRows && rowSum > 0)
      for (size_t k = rowStart; k < selection.values.size(); ++k)
        selection.values[k] = static_cast<float>(selection.values[k] / rowSum);
  }
  selection.maxValue = *std::max_element(selection.values.begin(), selection.values.end());
  return selection;
}

}  // namespace bertwb::ui
