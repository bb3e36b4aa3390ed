// The demo world's facts: who lives where, works at what, owns which things. Built once from
// the embedded resources so every sentence about a person tells the same story.
#include <algorithm>
#include <cctype>

#include "data/demo_world_internal.h"
#include "data/demo_world_resources.h"
#include "util/error.h"

namespace bertwb::demo {
namespace {

nlohmann::json loadResource(const std::string& name) {
  const std::string_view text = demoWorldResource(name);
  if (text.empty())
    throw Error("demo world resource '" + name +
                "' is missing from this build; rebuild bert-workbench");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error("demo world resource '" + name + "' is not valid JSON: " + e.what());
  }
}

std::vector<std::string> strings(const nlohmann::json& array) {
  return array.get<std::vector<std::string>>();
}

// A different element of `items` than `avoid` (items holds at least two distinct values).
std::string pickOther(const std::vector<std::string>& items, const std::string& avoid,
                      Random& random) {
  for (;;) {
    const std::string& candidate = random.pick(items);
    if (candidate != avoid) return candidate;
  }
}

std::string capitalized(std::string word) {
  if (!word.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

}  // namespace

uint64_t streamSeed(uint64_t seed, uint64_t stream) {
  // splitmix64 of (seed, stream): nearby seeds and streams give unrelated engines.
  uint64_t z = seed + (stream + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string indefiniteArticle(const std::string& word) {
  const char first =
      word.empty() ? 'x' : static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
  return std::string("aeiou").find(first) != std::string::npos ? "an" : "a";
}

World buildWorld(size_t peopleCount, Random& random) {
  World world;
  const nlohmann::json people = loadResource("people.json");
  const nlohmann::json places = loadResource("places.json");
  const nlohmann::json organizations = loadResource("organizations.json");
  world.things = loadResource("things.json");
  world.sentiment = loadResource("sentiment.json");
  world.templates = loadResource("templates.json");
  const nlohmann::json wordforms = loadResource("wordforms.json");
  world.verbs = strings(wordforms["verbs"]);
  world.nouns = strings(wordforms["nouns"]);
  world.adjectives = strings(wordforms["adjectives"]);

  std::vector<std::string> features = strings(places["features"]);
  random.shuffle(features);
  for (const auto& country : places["countries"]) {
    world.countries.push_back(country["name"].get<std::string>());
    for (const auto& town : country["towns"]) {
      // Features go round-robin so every town keeps one for good.
      world.towns.push_back({town.get<std::string>(), world.countries.back(),
                             features[world.towns.size() % features.size()]});
    }
  }
  for (const auto& organization : organizations["organizations"]) {
    world.organizations.push_back(
        {organization["name"].get<std::string>(), strings(organization["jobs"])});
  }

  // Every (first, last) pair at most once, so a full name always means the same person.
  struct Name {
    std::string first, last;
    bool female;
  };
  std::vector<Name> names;
  for (const char* list : {"female_first", "male_first"}) {
    for (const auto& first : people[list]) {
      for (const auto& last : people["last"]) {
        names.push_back({first.get<std::string>(), last.get<std::string>(),
                         std::string(list) == "female_first"});
      }
    }
  }
  random.shuffle(names);
  names.resize(std::min(names.size(), std::max<size_t>(peopleCount, 2)));

  const std::vector<std::string> objects = strings(world.things["objects"]);
  const std::vector<std::string> colours = strings(world.things["colours"]);
  for (const Name& name : names) {
    Person person;
    person.first = name.first;
    person.last = name.last;
    person.female = name.female;
    person.town = random.index(world.towns.size());
    person.organization = random.index(world.organizations.size());
    person.job = random.pick(world.organizations[person.organization].jobs);
    person.object = random.pick(objects);
    person.object2 = pickOther(objects, person.object, random);
    person.colour = random.pick(colours);
    person.colour2 = random.pick(colours);
    person.hobby = random.pick(strings(world.things["hobbies"]));
    person.food = random.pick(strings(world.things["foods"]));
    world.people.push_back(person);
  }
  for (size_t i = 0; i < world.people.size(); ++i) {
    size_t friendIndex = random.index(world.people.size() - 1);
    world.people[i].friendIndex =
        friendIndex >= i ? friendIndex + 1 : friendIndex;  // never oneself
  }
  return world;
}

Slots personSlots(const World& world, const Person& person, Random& random) {
  const Town& town = world.towns[person.town];
  const Person& friendPerson = world.people[person.friendIndex];
  const std::string pronoun = person.female ? "she" : "he";
  const std::string possessive = person.female ? "her" : "his";
  std::vector<std::string> allJobs, townNames;
  for (const auto& organization : world.organizations)
    allJobs.insert(allJobs.end(), organization.jobs.begin(), organization.jobs.end());
  for (const auto& other : world.towns) townNames.push_back(other.name);
  const std::string otherJob = pickOther(allJobs, person.job, random);
  const std::string object = person.object;

  Slots slots = {
      {"name", {person.fullName(), "PER"}},
      {"first", {person.first, "PER"}},
      {"pronoun", {pronoun, ""}},
      {"Pronoun", {capitalized(pronoun), ""}},
      {"possessive", {possessive, ""}},
      {"Possessive", {capitalized(possessive), ""}},
      {"job", {person.job, ""}},
      {"job_article", {indefiniteArticle(person.job), ""}},
      {"a_job", {indefiniteArticle(person.job) + " " + person.job, ""}},
      {"org", {world.organizations[person.organization].name, "ORG"}},
      {"town", {town.name, "LOC"}},
      {"country", {town.country, "LOC"}},
      {"feature", {town.feature, ""}},
      {"object", {object, ""}},
      {"a_object", {indefiniteArticle(object) + " " + object, ""}},
      {"colour", {person.colour, ""}},
      {"a_colour", {indefiniteArticle(person.colour) + " " + person.colour, ""}},
      {"object2", {person.object2, ""}},
      {"colour2", {person.colour2, ""}},
      {"a_colour2", {indefiniteArticle(person.colour2) + " " + person.colour2, ""}},
      {"hobby", {person.hobby, ""}},
      {"food", {person.food, ""}},
      {"friend", {friendPerson.fullName(), "PER"}},
      {"friend_first", {friendPerson.first, "PER"}},
      {"a_friend_job", {indefiniteArticle(friendPerson.job) + " " + friendPerson.job, ""}},
      {"friend_org", {world.organizations[friendPerson.organization].name, "ORG"}},
      {"friend_town", {world.towns[friendPerson.town].name, "LOC"}},
      {"a_other_job", {indefiniteArticle(otherJob) + " " + otherJob, ""}},
      {"other_town", {pickOther(townNames, town.name, random), "LOC"}},
      {"other_country", {pickOther(world.countries, town.country, random), "LOC"}},
      {"other_colour", {pickOther(strings(world.things["colours"]), person.colour, random), ""}},
  };
  redrawEventSlots(world, slots, random);
  return slots;
}

void redrawEventSlots(const World& world, Slots& slots, Random& random) {
  slots["day"] = {random.pick(strings(world.things["days"])), ""};
  slots["place"] = {random.pick(strings(world.things["places"])), ""};
  slots["activity"] = {random.pick(strings(world.things["activities"])), ""};
}

}  // namespace bertwb::demo
