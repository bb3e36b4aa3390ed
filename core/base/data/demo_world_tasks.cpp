// Sentence-classification tasks as GLUE-style TSV with a header: sentiment (one review,
// SST-2 style, but labelled by name, negative / positive, so every view shows the names) and
// entailment (premise and hypothesis about one person, MNLI-style labels) derived from the world's
// facts.
#include "data/demo_world_internal.h"

namespace bertwb::demo {
namespace {

std::vector<std::string> strings(const nlohmann::json& array) {
  return array.get<std::vector<std::string>>();
}

}  // namespace

std::string generateSentimentTsv(const World& world, const std::vector<size_t>& people, size_t rows,
                                 Random& random) {
  const nlohmann::json& sentiment = world.sentiment;
  std::string out = "sentence\tlabel\n";
  for (size_t row = 0; row < rows; ++row) {
    Slots slots = personSlots(world, world.people[random.pick(people)], random);
    // The label is drawn first so the classes stay balanced whatever the templates are.
    const bool positive = random.chance(0.5);
    const nlohmann::json& pattern =
        sentiment["templates"][random.index(sentiment["templates"].size())];
    // A negated template ("was not {word}") needs a word of the opposite polarity.
    const bool positiveWord = pattern["negated"].get<bool>() ? !positive : positive;
    slots["word"] = {random.pick(strings(sentiment[positiveWord ? "positive" : "negative"])), ""};
    slots["ending"] = {
        random.pick(strings(sentiment[positiveWord ? "positive_endings" : "negative_endings"])),
        ""};
    slots["thing"] = {random.pick(strings(sentiment["things"])), ""};
    std::string sentence = renderTemplate(pattern["text"].get<std::string>(), slots).text();
    // "What a awful ..." reads wrong: fix the article before a vowel-initial word.
    const std::string wrongArticle = " a " + slots["word"].text;
    if (indefiniteArticle(slots["word"].text) == "an") {
      const size_t at = sentence.find(wrongArticle);
      if (at != std::string::npos) sentence.replace(at, 3, " an ");
    }
    out += sentence + '\t' + (positive ? "positive" : "negative") + '\n';
  }
  return out;
}

std::string generateEntailmentTsv(const World& world, const std::vector<size_t>& people,
                                  size_t rows, Random& random) {
  static const char* const kLabels[] = {"entailment", "neutral", "contradiction"};
  static const char* const kKinds[] = {"job", "home", "object"};
  const nlohmann::json& entailment = world.templates["entailment"];
  std::string out = "sentence1\tsentence2\tlabel\n";
  for (size_t row = 0; row < rows; ++row) {
    const Slots slots = personSlots(world, world.people[random.pick(people)], random);
    const nlohmann::json& kind = entailment[kKinds[random.index(3)]];
    const std::string label = kLabels[random.index(3)];  // balanced thirds
    const std::string premise = random.pick(strings(kind["premises"]));
    const std::string hypothesis = random.pick(strings(kind[label]));
    out += renderTemplate(premise, slots).text() + '\t' + renderTemplate(hypothesis, slots).text() +
           '\t' + label + '\n';
  }
  return out;
}

}  // namespace bertwb::demo
