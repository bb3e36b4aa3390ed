// Token- and span-level tasks: NER in CoNLL-2003 columns (PER/LOC/ORG in BIO) and extractive
// QA in SQuAD v1.1 JSON, whose answer_start counts Unicode code points as Python's str does.
#include "data/demo_world_internal.h"
#include "util/error.h"

namespace bertwb::demo {
namespace {

std::vector<std::string> strings(const nlohmann::json& array) {
  return array.get<std::vector<std::string>>();
}

// Placeholder POS and chunk columns (the task reads the 4th column): proper nouns for
// entities, "." for punctuation, NN otherwise.
std::string conllLine(const TaggedToken& token) {
  const bool punctuation =
      token.token.size() == 1 && std::string(".,!?;:").find(token.token) != std::string::npos;
  const std::string pos = token.tag != "O" ? "NNP" : punctuation ? "." : "NN";
  const std::string chunk = token.tag != "O" ? "I-NP" : "O";
  return token.token + ' ' + pos + ' ' + chunk + ' ' + token.tag + '\n';
}

// Where a QA answer sits in its context, in code points.
struct AnswerSpan {
  std::string text;
  size_t start = 0;
};

// SQuAD dev sets hold several annotators' answers: the exact value, the value with the word
// before it when that is an article or preposition ("a nurse", "in Zürich"), and a repeat.
nlohmann::json devAnswers(const std::string& context, size_t byteStart, const AnswerSpan& exact) {
  nlohmann::json answers = nlohmann::json::array();
  answers.push_back({{"text", exact.text}, {"answer_start", exact.start}});
  for (const std::string before : {"a ", "an ", "in ", "at ", "the "}) {
    if (byteStart >= before.size() + 1 &&
        context.compare(byteStart - before.size(), before.size(), before) == 0 &&
        context[byteStart - before.size() - 1] == ' ') {
      answers.push_back(
          {{"text", before + exact.text}, {"answer_start", exact.start - before.size()}});
      break;
    }
  }
  answers.push_back({{"text", exact.text}, {"answer_start", exact.start}});
  return answers;
}

}  // namespace

std::string generateNerConll(const World& world, const std::vector<size_t>& people,
                             size_t sentences, Random& random) {
  const nlohmann::json& corpus = world.templates["corpus"];
  std::vector<std::string> templates;
  for (const auto& group : corpus.items()) {
    for (const auto& pattern : group.value()) templates.push_back(pattern.get<std::string>());
  }
  std::string out = "-DOCSTART- -X- -X- O\n\n";
  for (size_t sentence = 0; sentence < sentences; ++sentence) {
    const Slots slots = personSlots(world, world.people[random.pick(people)], random);
    for (const TaggedToken& token : tagTokens(renderTemplate(random.pick(templates), slots)))
      out += conllLine(token);
    out += '\n';
  }
  return out;
}

std::string generateSquadJson(const World& world, const std::vector<size_t>& people,
                              size_t contexts, bool multipleAnswers, const std::string& idPrefix,
                              Random& random) {
  const nlohmann::json& qa = world.templates["qa"];
  nlohmann::json data = nlohmann::json::array();
  for (size_t index = 0; index < contexts; ++index) {
    const Person& person = world.people[people[index % people.size()]];
    const Slots slots = personSlots(world, person, random);

    // The first fact introduces the person by name; 4-7 more follow in random order.
    std::vector<nlohmann::json> facts = {qa["first"]};
    std::vector<nlohmann::json> others = qa["facts"].get<std::vector<nlohmann::json>>();
    random.shuffle(others);
    others.resize(static_cast<size_t>(random.between(4, static_cast<int>(others.size()))));
    facts.insert(facts.end(), others.begin(), others.end());

    std::string context;
    nlohmann::json questions = nlohmann::json::array();
    for (const nlohmann::json& fact : facts) {
      if (!context.empty()) context += ' ';
      const RenderedText sentence = renderTemplate(random.pick(strings(fact["sentences"])), slots);
      const std::string answerSlot = fact["answer"].get<std::string>();
      size_t byteStart = std::string::npos;
      std::string answerText;
      for (const RenderedPiece& piece : sentence.pieces) {
        if (piece.slot == answerSlot && byteStart == std::string::npos) {
          byteStart = context.size();
          answerText = piece.text;
        }
        context += piece.text;
      }
      if (byteStart == std::string::npos) {
        throw Error("demo world QA template for '" + answerSlot + "' does not contain {" +
                    answerSlot + "}");
      }
      const AnswerSpan exact{answerText, codePointCount(context.substr(0, byteStart))};
      const std::string question =
          renderTemplate(random.pick(strings(fact["questions"])), slots).text();
      const std::string id =
          idPrefix + "-" + std::to_string(index) + "-" + std::to_string(questions.size());
      nlohmann::json answers =
          multipleAnswers
              ? devAnswers(context, byteStart, exact)
              : nlohmann::json::array({{{"text", exact.text}, {"answer_start", exact.start}}});
      questions.push_back({{"id", id}, {"question", question}, {"answers", answers}});
    }
    nlohmann::json paragraph = {{"context", context}, {"qas", questions}};
    data.push_back(
        {{"title", person.fullName()}, {"paragraphs", nlohmann::json::array({paragraph})}});
  }
  const nlohmann::json squad = {{"version", "v1.1"}, {"data", data}};
  return squad.dump(1) + '\n';
}

}  // namespace bertwb::demo
