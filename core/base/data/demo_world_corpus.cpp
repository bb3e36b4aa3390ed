// The pre-training corpus in the original BERT format: one sentence per line, a blank line
// between documents. Documents come in six kinds, as a real corpus mixes encyclopaedia
// articles, guides and stories: a person's story (topic by topic, so consecutive sentences
// share entities), a town guide, an organisation profile, a recipe, a buying guide and a club
// newsletter (whose many rare inflected words give the vocabulary its "##" pieces). Each
// kind has its own vocabulary, so a random "next" segment usually reads like another kind of
// text; that is what next-sentence prediction learns first on real corpora too, and it lets a
// Tiny model learn NSP within a couple of CPU minutes (with people's stories alone it must
// match names across segments, which it learns only after thousands of steps). Every fact
// agrees with the world, so masked words can be recovered from what the model has seen.
#include <iterator>

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

// The kinds of document, in the order a document's kind is drawn; 0 is a person's story and
// the rest name groups of templates.json's "corpus_genres".
const char* const kGenres[] = {"person", "town", "organization", "recipe", "object", "news"};
constexpr size_t kGenreCount = std::size(kGenres);

// How many body sentences a genre document has besides its intro: {fewest, most}.
constexpr int kGenreBodyFewest = 5, kGenreBodyMost = 9;

// The slots of one genre document: one town, organisation, food or object, fixed for the
// document, from the world's facts.
Slots genreSlots(const World& world, const std::string& genre, Random& random) {
  Slots slots;
  if (genre == "town" || genre == "news") {
    const Town& town = random.pick(world.towns);
    slots["town"] = {town.name, "LOC"};
    slots["country"] = {town.country, "LOC"};
    slots["feature"] = {town.feature, ""};
  } else if (genre == "organization") {
    slots["org"] = {random.pick(world.organizations).name, "ORG"};
  } else if (genre == "recipe") {
    slots["food"] = {random.pick(world.things["foods"].get<std::vector<std::string>>()), ""};
  } else {
    const std::string object = random.pick(world.things["objects"].get<std::vector<std::string>>());
    slots["object"] = {object, ""};
    slots["a_object"] = {indefiniteArticle(object) + " " + object, ""};
    slots["colour"] = {random.pick(world.things["colours"].get<std::vector<std::string>>()), ""};
  }
  return slots;
}

// An organisation profile names a different one of its jobs in each sentence, a newsletter
// new inflected words.
void redrawGenreSlots(const World& world, const std::string& genre, Slots& slots, Random& random) {
  if (genre == "news") drawWordformSlots(world, slots, random);
  if (genre != "organization") return;
  for (const Organization& organization : world.organizations) {
    if (organization.name != slots["org"].text) continue;
    const std::string job = random.pick(organization.jobs);
    slots["job"] = {job, ""};
    slots["a_job"] = {indefiniteArticle(job) + " " + job, ""};
  }
}

std::vector<std::string> personDocument(const World& world, const Person& person, Random& random,
                                        Slots& slots) {
  const nlohmann::json& corpus = world.templates["corpus"];
  slots = personSlots(world, person, random);
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
  if (random.chance(0.5)) sentences.push_back(drawTemplates(corpus["closing"], 1, random).front());
  return sentences;
}

}  // namespace

std::string generatePretrainingCorpus(const World& world, size_t documents, Random& random,
                                      CorpusStats* stats) {
  std::string out;
  CorpusStats counted;
  size_t peopleDocuments = 0;
  for (size_t document = 0; document < documents; ++document) {
    const std::string genre = kGenres[random.index(kGenreCount)];
    Slots slots;
    std::vector<std::string> sentences;
    if (genre == "person") {
      // People's stories cycle through the people; a person met twice keeps every fact.
      const Person& person = world.people[peopleDocuments++ % world.people.size()];
      sentences = personDocument(world, person, random, slots);
    } else {
      const nlohmann::json& group = world.templates["corpus_genres"][genre];
      slots = genreSlots(world, genre, random);
      sentences = drawTemplates(group["intro"], 1, random);
      for (const std::string& pattern :
           drawTemplates(group["body"], random.between(kGenreBodyFewest, kGenreBodyMost), random)) {
        sentences.push_back(pattern);
      }
    }
    if (document > 0) out += '\n';  // exactly one blank line between documents
    for (const std::string& pattern : sentences) {
      if (genre == "person") {
        redrawEventSlots(world, slots, random);
        drawEverydayActivity(world, slots, random);
      } else {
        redrawGenreSlots(world, genre, slots, random);
      }
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
