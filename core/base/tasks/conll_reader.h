#pragma once
// CoNLL-2003 style token tagging files → TaggedDataset.
//
// One token per line, columns separated by spaces or tabs, the token in column 0 and its tag
// in the chosen column (default: the last). A blank line ends a sentence; "-DOCSTART-" lines
// (document boundaries) are skipped and end a sentence too. Every token line must have as many
// columns as the file's first one.
//
// Tags are "O", "B-TYPE" or "I-TYPE". The output is always BIO. Input schemes:
//   Bio:  I-TYPE must continue an entity of the same type (after B-TYPE or I-TYPE); an I-TYPE
//         after "O", after another type or at a sentence start is an error.
//   Iob1: the original CoNLL-2003 files: I-TYPE starts an entity unless it continues one of
//         the same type, and B-TYPE only separates two adjacent entities of one type; such an
//         I-TYPE becomes B-TYPE.
//   Auto: Iob1 when any I-TYPE follows "O", another type or a sentence start (which valid BIO
//         never has), else Bio; both read valid BIO unchanged, so auto never misreads BIO.
#include <string>
#include <vector>

#include "tasks/task_data.h"

namespace bertwb {

enum class TagScheme { Auto, Bio, Iob1 };

struct TaggedReadOptions {
  static constexpr int kLastColumn = -1;
  int tagColumn = kLastColumn;  // 0-based column of the tag
  bool tagged = true;           // false: words only (an unlabelled file); tags stay empty
  TagScheme scheme = TagScheme::Auto;
  // The tag set fixed from the training file (its TaggedDataset::labels): a dev or test tag
  // outside it is an error. Empty: "O" first, then this file's other tags sorted.
  std::vector<std::string> labelSet;
};

// Throws bertwb::Error "path:line: what is wrong" for the first malformed line (too few
// columns, a bad tag such as "X-PER" or "B-", invalid UTF-8, an unknown tag, I- after O in Bio).
TaggedDataset readTaggedDataset(const std::string& path, const TaggedReadOptions& options = {});

}  // namespace bertwb
