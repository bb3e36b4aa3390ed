#include "tasks/squad_reader.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "tasks/task_file.h"
#include "text/unicode_text.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

using nlohmann::json;
using tasks::quotedForMessage;

const std::string kVersion2 = "v2.0";

std::string indexed(const std::string& parent, const char* field, size_t index) {
  return parent + (parent.empty() ? "" : ".") + field + "[" + std::to_string(index) + "]";
}

// The 1-based line holding byte `offset` (nlohmann reports parse errors as byte offsets).
int64_t lineAtByte(const std::string& text, size_t offset) {
  const size_t end = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
}

class SquadParser {
 public:
  explicit SquadParser(const std::string& path) : path_(path) {}

  QaDataset parse(const json& root) {
    QaDataset dataset;
    if (!root.is_object()) fail("", "the top level is not a JSON object");
    if (root.contains("version") && root["version"].is_string()) {
      dataset.v2 = root["version"].get<std::string>() == kVersion2;
    }
    const json& data = field(root, "", "data", json::value_t::array);
    for (size_t i = 0; i < data.size(); ++i) {
      const std::string article = indexed("", "data", i);
      const json& paragraphs = field(data[i], article, "paragraphs", json::value_t::array);
      for (size_t j = 0; j < paragraphs.size(); ++j) {
        parseParagraph(paragraphs[j], indexed(article, "paragraphs", j), dataset);
      }
    }
    if (dataset.examples.empty()) fail("", "the file holds no questions");
    for (const QaExample& example : dataset.examples) dataset.v2 |= example.impossible;
    return dataset;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(path_ + ": " + (where.empty() ? "" : where + ": ") + what);
  }

  const json& field(const json& object, const std::string& where, const char* name,
                    json::value_t type) const {
    if (!object.is_object()) fail(where, "is not a JSON object");
    const auto found = object.find(name);
    if (found == object.end()) fail(where, std::string("has no \"") + name + "\"");
    const bool numberWanted = type == json::value_t::number_integer;
    const bool typeMatches = numberWanted ? found->is_number_integer() : found->type() == type;
    if (!typeMatches) {
      fail(where, std::string("\"") + name + "\" is a " + found->type_name() + ", expected " +
                      (numberWanted ? "an integer" : json(type).type_name()));
    }
    return *found;
  }

  std::string textField(const json& object, const std::string& where, const char* name) const {
    return field(object, where, name, json::value_t::string).get<std::string>();
  }

  void parseParagraph(const json& paragraph, const std::string& where, QaDataset& dataset) {
    const std::string context = textField(paragraph, where, "context");
    const std::vector<char32_t> contextCodepoints = decodeUtf8(context).codepoints;
    const json& qas = field(paragraph, where, "qas", json::value_t::array);
    for (size_t k = 0; k < qas.size(); ++k) {
      const std::string question = indexed(where, "qas", k);
      QaExample example;
      example.source = path_ + ": " + question;
      example.context = context;
      example.id = idOf(qas[k], question);
      example.question = textField(qas[k], question, "question");
      if (qas[k].contains("is_impossible")) {
        example.impossible =
            field(qas[k], question, "is_impossible", json::value_t::boolean).get<bool>();
      }
      // An impossible question's answers are empty in SQuAD v2.0 (its plausible_answers
      // are not gold answers).
      if (!example.impossible && qas[k].contains("answers")) {
        const json& answers = field(qas[k], question, "answers", json::value_t::array);
        if (answers.empty()) fail(question, "no answers, and it is not marked is_impossible");
        for (size_t a = 0; a < answers.size(); ++a) {
          example.answers.push_back(
              answerOf(answers[a], indexed(question, "answers", a), contextCodepoints));
        }
      }
      dataset.examples.push_back(std::move(example));
    }
  }

  std::string idOf(const json& qa, const std::string& where) {
    if (!qa.is_object() || !qa.contains("id")) fail(where, "has no \"id\"");
    const json& idValue = qa["id"];
    if (!idValue.is_string() && !idValue.is_number_integer()) {
      fail(where, "\"id\" is a " + std::string(idValue.type_name()) + ", expected a string");
    }
    const std::string id = idValue.is_string() ? idValue.get<std::string>() : idValue.dump();
    const auto [previous, inserted] = idPaths_.emplace(id, where);
    if (!inserted) fail(where, "id " + quotedForMessage(id) + " repeats " + previous->second);
    return id;
  }

  QaAnswer answerOf(const json& answer, const std::string& where,
                    const std::vector<char32_t>& context) const {
    QaAnswer result;
    result.text = textField(answer, where, "text");
    result.start =
        jsonInteger<int64_t>(field(answer, where, "answer_start", json::value_t::number_integer));
    const std::vector<char32_t> text = decodeUtf8(result.text).codepoints;
    if (text.empty()) fail(where, "the answer text is empty");
    const int64_t contextLength = static_cast<int64_t>(context.size());
    if (result.start < 0 || result.start + static_cast<int64_t>(text.size()) > contextLength) {
      fail(where, "answer " + quotedForMessage(result.text) + " at answer_start " +
                      std::to_string(result.start) + " runs outside the context (" +
                      std::to_string(contextLength) + " characters)");
    }
    const auto begin = context.begin() + result.start;
    if (!std::equal(text.begin(), text.end(), begin)) {
      std::string found;
      for (auto c = begin; c != begin + static_cast<std::ptrdiff_t>(text.size()); ++c) {
        appendUtf8(found, *c);
      }
      fail(where, "answer " + quotedForMessage(result.text) + " is not at answer_start " +
                      std::to_string(result.start) + ": the context has " +
                      quotedForMessage(found) + " there (offsets count code points)");
    }
    return result;
  }

  const std::string& path_;
  std::map<std::string, std::string> idPaths_;  // id → where it was first seen
};

}  // namespace

QaDataset readQaDataset(const std::string& path) {
  const std::string text = tasks::readTaskFile(path);
  json root;
  try {
    root = parseJson(text);
  } catch (const json::parse_error& e) {
    throw Error(tasks::locationOf(path, lineAtByte(text, e.byte)) + ": invalid JSON (" +
                jsonErrorText(e) + ")");
  }
  return SquadParser(path).parse(root);
}

}  // namespace bertwb
