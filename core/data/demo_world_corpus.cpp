// The pre-training corpus in the original BERT format: one sentence per line, a blank line
// between documents. A document tells about one person, topic by topic, so consecutive
// sentences share entities (next-sentence prediction has something to learn) and every fact
// agrees with the world (masked words can be recovered from what the model has seen).
#include "data/demo_world_internal.h"

namespace bertwb::demo {
namespace {

// How many sentences each topic contributes: {group, fewest, most}. With the intro this
// averages ~10 sentences a document, the size the brief of a Tiny-model demo asks for.
struct TopicCount {
  const char* group;
  int fewest, most;
};
constexpr TopicCount kTopics[] = {
    {"home", 1, 2},   {"work", 1, 2},      {"things", 1, 2},
    {"friend", 1, 1}, {"free_time", 1, 2}, {"event", 1, 3},
};

// `count` different templates of one group, in random order.
std::vector<std::string> drawTemplates(const nlohmann::json& group, int count, Random& random) {
  std::vector<std::string> templates = group.get<std::vector<std::string>>();
  random.shuffle(templates);
  templates.resize(std::min(templates.size(), static_cast<size_t>(count)));
  return templates;
}

}  // namespace

std::string generatePretrainingCorpus(const World& world, size_t documents, Random& random,
                                      CorpusStats* stats) {
  const nlohmann::json& corpus = world.templates["corpus"];
  std::string out;
  CorpusStats counted;
  for (size_t document = 0; document < documents; ++document) {
    // Documents cycle through the people; a person met twice keeps every fact.
    const Person& person = world.people[document % world.people.size()];
    Slots slots = personSlots(world, person, random);

    std::vector<std::string> sentences = drawTemplates(corpus["intro"], 1, random);
    // Topics in a random order, each topic's sentences together: varied but coherent.
    std::vector<TopicCount> topics(std::begin(kTopics), std::end(kTopics));
    random.shuffle(topics);
    for (const TopicCount& topic : topics) {
      for (const std::string& pattern :
           drawTemplates(corpus[topic.group], random.between(topic.fewest, topic.most), random)) {
        sentences.push_back(pattern);
      }
    }
    if (random.chance(0.5))
      sentences.push_back(drawTemplates(corpus["closing"], 1, random).front());

    if (document > 0) out += '\n';  // exactly one blank line between documents
    for (const std::string& pattern : sentences) {
      redrawEventSlots(world, slots, random);
      out += renderTemplate(pattern, slots).text();
      out += '\n';
    }
    counted.documents += 1;
    counted.sentences += sentences.size();
  }
  if (stats) *stats = counted;
  return out;
}

}  // namespace bertwb::demo
