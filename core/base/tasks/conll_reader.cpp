#include "tasks/conll_reader.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "tasks/task_file.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace {

using tasks::locationOf;
using tasks::quotedForMessage;

const std::string kOutside = "O";
const std::string kBeginPrefix = "B-";
const std::string kInsidePrefix = "I-";
const std::string kDocumentStart = "-DOCSTART-";

std::vector<std::string> splitWhitespace(const std::string& line) {
  std::vector<std::string> columns;
  std::istringstream in(line);
  std::string column;
  while (in >> column) columns.push_back(column);
  return columns;
}

// A parsed tag: prefix 'O', 'B' or 'I' and the entity type ("" for O).
struct Tag {
  char prefix = 'O';
  std::string type;
};

Tag parseTag(const std::string& tag, const std::string& where) {
  if (tag == kOutside) return {};
  const bool begin = tag.compare(0, kBeginPrefix.size(), kBeginPrefix) == 0;
  const bool inside = tag.compare(0, kInsidePrefix.size(), kInsidePrefix) == 0;
  if ((!begin && !inside) || tag.size() == kBeginPrefix.size()) {
    throw Error(where + ": bad tag " + quotedForMessage(tag) + " (expected O, B-TYPE or I-TYPE)");
  }
  return {begin ? 'B' : 'I', tag.substr(kBeginPrefix.size())};
}

// Whether an I-TYPE tag continues the entity the previous tag belongs to.
bool continuesEntity(const Tag& previous, const Tag& tag) {
  return previous.prefix != 'O' && previous.type == tag.type;
}

struct RawSentence {
  std::vector<std::string> words;
  std::vector<std::string> tags;
  std::vector<int64_t> lines;
};

class ConllParser {
 public:
  ConllParser(const std::string& path, const TaggedReadOptions& options)
      : path_(path), options_(options) {}

  std::vector<RawSentence> parse() {
    std::ifstream in = tasks::openTaskFile(path_);
    std::string line;
    int64_t lineNumber = 0;
    while (tasks::readTaskLine(in, line, path_, lineNumber + 1)) {
      ++lineNumber;
      if (lineNumber == 1) tasks::stripByteOrderMark(line);
      tasks::stripCarriageReturn(line);
      tasks::checkUtf8(line, path_, lineNumber);
      addLine(splitWhitespace(line), lineNumber);
    }
    endSentence();
    return std::move(sentences_);
  }

 private:
  void addLine(const std::vector<std::string>& columns, int64_t lineNumber) {
    if (columns.empty() || columns[0] == kDocumentStart) {
      endSentence();
      return;
    }
    const std::string where = locationOf(path_, lineNumber);
    if (expectedColumns_ == 0) expectedColumns_ = columns.size();
    if (columns.size() != expectedColumns_) {
      throw Error(where + ": " + std::to_string(columns.size()) + " column(s), but the file's " +
                  "first token line has " + std::to_string(expectedColumns_));
    }
    current_.words.push_back(columns[0]);
    current_.lines.push_back(lineNumber);
    if (!options_.tagged) return;
    const int column = options_.tagColumn == TaggedReadOptions::kLastColumn
                           ? static_cast<int>(columns.size()) - 1
                           : options_.tagColumn;
    if (column < 1 || static_cast<size_t>(column) >= columns.size()) {
      throw Error(where + ": " + std::to_string(columns.size()) + " column(s); the tag column is " +
                  std::to_string(column) + " (0-based, after the token in column 0)");
    }
    const std::string& tag = columns[static_cast<size_t>(column)];
    parseTag(tag, where);  // checks the form now, so the message names this line
    current_.tags.push_back(tag);
  }

  void endSentence() {
    if (!current_.words.empty()) sentences_.push_back(std::move(current_));
    current_ = {};
  }

  const std::string& path_;
  const TaggedReadOptions& options_;
  size_t expectedColumns_ = 0;
  RawSentence current_;
  std::vector<RawSentence> sentences_;
};

// True when some I-TYPE does not continue an entity: the input cannot be BIO.
bool looksLikeIob1(const std::vector<RawSentence>& sentences) {
  for (const RawSentence& sentence : sentences) {
    Tag previous;
    for (size_t i = 0; i < sentence.tags.size(); ++i) {
      const Tag tag = parseTag(sentence.tags[i], "");
      if (tag.prefix == 'I' && !continuesEntity(previous, tag)) return true;
      previous = tag;
    }
  }
  return false;
}

void toBio(RawSentence& sentence, TagScheme scheme, const std::string& path) {
  Tag previous;
  for (size_t i = 0; i < sentence.tags.size(); ++i) {
    const Tag tag = parseTag(sentence.tags[i], "");
    if (tag.prefix == 'I' && !continuesEntity(previous, tag)) {
      if (scheme == TagScheme::Bio) {
        throw Error(locationOf(path, sentence.lines[i]) + ": " +
                    quotedForMessage(sentence.tags[i]) +
                    " does not continue an entity of its type, which BIO requires (read the "
                    "file as IOB1 or auto)");
      }
      sentence.tags[i] = kBeginPrefix + tag.type;
    }
    previous = tag;
  }
}

void checkTagsKnown(const std::vector<RawSentence>& sentences,
                    const std::vector<std::string>& labelSet, const std::string& path) {
  const std::set<std::string> known(labelSet.begin(), labelSet.end());
  for (const RawSentence& sentence : sentences) {
    for (size_t i = 0; i < sentence.tags.size(); ++i) {
      if (!known.count(sentence.tags[i])) {
        throw Error(locationOf(path, sentence.lines[i]) + ": tag " +
                    quotedForMessage(sentence.tags[i]) + " is not one of the training tags (" +
                    joinForMessage(labelSet) + ")");
      }
    }
  }
}

}  // namespace

TaggedDataset readTaggedDataset(const std::string& path, const TaggedReadOptions& options) {
  std::vector<RawSentence> sentences = ConllParser(path, options).parse();
  if (sentences.empty()) throw Error(path + ": the file holds no sentences");

  TaggedDataset dataset;
  if (options.tagged) {
    TagScheme scheme = options.scheme;
    if (scheme == TagScheme::Auto) {
      scheme = looksLikeIob1(sentences) ? TagScheme::Iob1 : TagScheme::Bio;
    }
    for (RawSentence& sentence : sentences) toBio(sentence, scheme, path);
    if (!options.labelSet.empty()) {
      checkTagsKnown(sentences, options.labelSet, path);
      dataset.labels = options.labelSet;
    } else {
      std::set<std::string> others;
      for (const RawSentence& sentence : sentences)
        for (const std::string& tag : sentence.tags)
          if (tag != kOutside) others.insert(tag);
      dataset.labels.push_back(kOutside);
      dataset.labels.insert(dataset.labels.end(), others.begin(), others.end());
    }
  }
  for (RawSentence& sentence : sentences) {
    TaggedSentence tagged;
    tagged.source = locationOf(path, sentence.lines.front());
    tagged.words = std::move(sentence.words);
    tagged.tags = std::move(sentence.tags);
    dataset.sentences.push_back(std::move(tagged));
  }
  return dataset;
}

}  // namespace bertwb
