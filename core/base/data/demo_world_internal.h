#pragma once
// Shared pieces of the demo world generator (core/data/demo_world_*.cpp): the random source,
// the world's facts, and templates rendered into text that remembers where each slot went.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bertwb::demo {

// Every random choice goes through this, never through std::uniform_int_distribution or
// std::shuffle, whose results differ between standard libraries: the same seed must give the
// same bytes everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  size_t index(size_t count) { return static_cast<size_t>(engine_() % count); }  // count > 0
  bool chance(double probability) {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53 < probability;
  }
  int between(int low, int high) {
    return low + static_cast<int>(index(static_cast<size_t>(high - low + 1)));
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[index(items.size())];
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {  // Fisher-Yates
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[index(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

// A seed for one output file, so each file's content depends on the seed alone and not on
// how many numbers the other files drew.
uint64_t streamSeed(uint64_t seed, uint64_t stream);

struct Town {
  std::string name, country, feature;  // a town is always in one country, known for one feature
};

struct Organization {
  std::string name;
  std::vector<std::string> jobs;
};

struct Person {
  std::string first, last;
  bool female = false;
  size_t town = 0, organization = 0, friendIndex = 0;
  std::string job, object, colour, object2, colour2, hobby, food;
  std::string fullName() const { return first + " " + last; }
};

struct World {
  nlohmann::json things, sentiment, templates;  // the parsed resources the generators read
  std::vector<Town> towns;
  std::vector<std::string> countries;
  std::vector<Organization> organizations;
  std::vector<Person> people;
  std::vector<std::string> verbs, nouns, adjectives;  // wordforms.json's stems
};

// The world for `peopleCount` people (at most the number of distinct names), from the
// embedded resources.
World buildWorld(size_t peopleCount, Random& random);

// A template slot's value and its entity type for NER ("PER", "LOC", "ORG" or "").
struct SlotValue {
  std::string text;
  std::string entity;
};
using Slots = std::map<std::string, SlotValue>;

// Every fixed fact about one person under its slot name ({name}, {town}, {a_job}, ...), plus
// per-sentence fillers ({day}, {place}, {activity}) and wrong facts for contradictions
// ({other_town}, {a_other_job}, ...) drawn from `random`.
Slots personSlots(const World& world, const Person& person, Random& random);
// Re-draws the fillers that may change from sentence to sentence.
void redrawEventSlots(const World& world, Slots& slots, Random& random);

// Regular inflections of wordforms.json's stems: "sketches", "carved", "tidying", "lanterns",
// "tidier", "busiest", "gently".
std::string thirdPerson(const std::string& verb);
std::string pastTense(const std::string& verb);
std::string presentParticiple(const std::string& verb);
std::string pluralNoun(const std::string& noun);
std::string comparative(const std::string& adjective);
std::string superlative(const std::string& adjective);
std::string mannerAdverb(const std::string& adjective);
// Draws the inflected slots of a club newsletter sentence: {verb_ed} {verb_ed2} {verb_ing}
// {Verb_ing} {verb_s} {noun} {nouns} {maker} {makers} {adverb} {adjective_er} {adjective_er2}
// {adjective_est}.
void drawWordformSlots(const World& world, Slots& slots, Random& random);
// Share of a pre-training story's events that are inflected ("polished some lanterns",
// "spent an hour carving spoons") instead of one of things.json's fixed activities.
constexpr double kWordformActivityShare = 0.3;
// Replaces {activity} by such an event with that probability. Only the pre-training corpus
// calls it, so the task files keep their fixed activities.
void drawEverydayActivity(const World& world, Slots& slots, Random& random);

// "a" or "an" for the word that follows.
std::string indefiniteArticle(const std::string& word);

// A rendered template: the text in pieces, each literal or the value of one slot.
struct RenderedPiece {
  std::string text;
  std::string slot;    // "" for literal text
  std::string entity;  // entity type of a slot value, "" otherwise
};
struct RenderedText {
  std::vector<RenderedPiece> pieces;
  std::string text() const;
};
// Fills `pattern`'s {slot}s; throws bertwb::Error naming the slot when one is unknown.
RenderedText renderTemplate(const std::string& pattern, const Slots& slots);

// Number of Unicode code points in UTF-8 text (a Python str's length).
size_t codePointCount(const std::string& utf8);

// NER tokens with BIO tags: entity values split on spaces (B- then I-), literal text split on
// spaces with punctuation and "'s" as their own tokens.
struct TaggedToken {
  std::string token, tag;
};
std::vector<TaggedToken> tagTokens(const RenderedText& rendered);

// The generators, each returning one file's full contents. `people` lists the people a file
// may talk about (train and dev use different people).
struct CorpusStats {
  size_t documents = 0, sentences = 0;
};
std::string generatePretrainingCorpus(const World& world, size_t documents, Random& random,
                                      CorpusStats* stats);
std::string generateSentimentTsv(const World& world, const std::vector<size_t>& people, size_t rows,
                                 Random& random);
std::string generateEntailmentTsv(const World& world, const std::vector<size_t>& people,
                                  size_t rows, Random& random);
std::string generateNerConll(const World& world, const std::vector<size_t>& people,
                             size_t sentences, Random& random);
std::string generateSquadJson(const World& world, const std::vector<size_t>& people,
                              size_t contexts, bool multipleAnswers, const std::string& idPrefix,
                              Random& random);

}  // namespace bertwb::demo
