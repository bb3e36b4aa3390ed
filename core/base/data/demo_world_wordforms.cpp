// Regular inflections of wordforms.json's stems, and the slots that use them. The forms are
// spelled by rule rather than listed, so adding a stem is one word in the resource; the
// resource keeps to stems these rules spell right (no doubled consonants, nothing irregular).
#include <string>

#include "data/demo_world_internal.h"

namespace bertwb::demo {
namespace {

bool endsWith(const std::string& word, const std::string& ending) {
  return word.size() >= ending.size() &&
         word.compare(word.size() - ending.size(), ending.size(), ending) == 0;
}

bool isVowel(char c) {
  return std::string("aeiou").find(c) != std::string::npos;
}

// "carry", "tidy": a consonant before a final y, which becomes "i" before most endings.
bool endsInConsonantY(const std::string& word) {
  return word.size() >= 2 && word.back() == 'y' && !isVowel(word[word.size() - 2]);
}

// The stem before an ending that starts with a vowel: "carve" + "ed" is "carved".
std::string withVowelEnding(const std::string& stem, const std::string& ending) {
  if (endsInConsonantY(stem) && ending != "ing")
    return stem.substr(0, stem.size() - 1) + "i" + ending;
  if (stem.back() == 'e' && !endsWith(stem, "ee")) return stem.substr(0, stem.size() - 1) + ending;
  return stem + ending;
}

// "-s" as in "sketches", "carries", "keys", "lanterns".
std::string withS(const std::string& stem) {
  for (const char* sibilant : {"s", "x", "z", "ch", "sh"})
    if (endsWith(stem, sibilant)) return stem + "es";
  if (endsInConsonantY(stem)) return stem.substr(0, stem.size() - 1) + "ies";
  return stem + "s";
}

std::string capitalizedWord(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 32);
  return word;
}

}  // namespace

std::string thirdPerson(const std::string& verb) {
  return withS(verb);
}
std::string pastTense(const std::string& verb) {
  return withVowelEnding(verb, "ed");
}
std::string presentParticiple(const std::string& verb) {
  return withVowelEnding(verb, "ing");
}
std::string pluralNoun(const std::string& noun) {
  return withS(noun);
}
std::string comparative(const std::string& adjective) {
  return withVowelEnding(adjective, "er");
}
std::string superlative(const std::string& adjective) {
  return withVowelEnding(adjective, "est");
}
std::string mannerAdverb(const std::string& adjective) {
  if (endsWith(adjective, "le")) return adjective.substr(0, adjective.size() - 1) + "y";  // gently
  if (endsInConsonantY(adjective)) return adjective.substr(0, adjective.size() - 1) + "ily";
  return adjective + "ly";
}

void drawWordformSlots(const World& world, Slots& slots, Random& random) {
  const std::string& verb = random.pick(world.verbs);
  const std::string& otherVerb = random.pick(world.verbs);
  const std::string& noun = random.pick(world.nouns);
  const std::string& craft = random.pick(world.nouns);  // a "lanternmaker" or "clockmaker"
  slots["verb_ed"] = {pastTense(verb), ""};
  slots["verb_ed2"] = {pastTense(otherVerb), ""};
  slots["verb_ing"] = {presentParticiple(verb), ""};
  slots["Verb_ing"] = {capitalizedWord(presentParticiple(verb)), ""};
  slots["verb_s"] = {thirdPerson(verb), ""};
  slots["noun"] = {noun, ""};
  slots["nouns"] = {pluralNoun(noun), ""};
  slots["maker"] = {craft + "maker", ""};
  slots["makers"] = {craft + "makers", ""};
  slots["adverb"] = {mannerAdverb(random.pick(world.adjectives)), ""};
  slots["adjective_er"] = {comparative(random.pick(world.adjectives)), ""};
  slots["adjective_er2"] = {comparative(random.pick(world.adjectives)), ""};
  slots["adjective_est"] = {superlative(random.pick(world.adjectives)), ""};
}

void drawEverydayActivity(const World& world, Slots& slots, Random& random) {
  if (!random.chance(kWordformActivityShare)) return;
  const std::string nouns = pluralNoun(random.pick(world.nouns));
  const std::string& verb = random.pick(world.verbs);
  slots["activity"] = {random.chance(0.5)
                           ? pastTense(verb) + " some " + nouns
                           : "spent an hour " + presentParticiple(verb) + " " + nouns,
                       ""};
}

}  // namespace bertwb::demo
