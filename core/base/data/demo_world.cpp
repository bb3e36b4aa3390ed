// writeDemoWorld: sizes, folders and files; the content comes from demo_world_*.cpp.
#include "data/demo_world.h"

#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include "data/demo_world_internal.h"
#include "io/manifests.h"
#include "io/output_folder.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

// Row counts per size. Small: 3,000 documents (~1.5 MB), enough for a Tiny BERT to learn
// visibly in a few CPU minutes; medium is five times that.
struct DemoWorldSize {
  size_t documents, sentimentTrain, sentimentDev, entailmentTrain, entailmentDev, nerTrain, nerDev,
      qaTrain, qaDev;
};
DemoWorldSize sizeNamed(const std::string& size) {
  const DemoWorldSize small = {3000, 2000, 400, 2000, 400, 2000, 400, 300, 60};
  if (size == "small") return small;
  if (size == "medium") {
    return {small.documents * 5,       small.sentimentTrain * 5, small.sentimentDev * 5,
            small.entailmentTrain * 5, small.entailmentDev * 5,  small.nerTrain * 5,
            small.nerDev * 5,          small.qaTrain * 5,        small.qaDev * 5};
  }
  throw Error("unknown demo world size '" + size + "'; use 'small' or 'medium'");
}

// Independent random streams, one per file: a file's bytes depend only on the seed.
enum Stream : uint64_t {
  kWorld,
  kCorpus,
  kSentimentTrain,
  kSentimentDev,
  kEntailmentTrain,
  kEntailmentDev,
  kNerTrain,
  kNerDev,
  kQaTrain,
  kQaDev
};

// Train files talk about the first 80% of the people and dev files about the rest, so dev
// scores measure facts the task model has not been fine-tuned on.
constexpr double kTrainPeopleShare = 0.8;

std::string prepareFolder(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder)) {
    throw Error("cannot create the demo data folder '" + folder.string() +
                "': " + (error ? error.message() : std::string("a file is in the way")) +
                "; choose another output folder");
  }
  return folder.string();
}

}  // namespace

DemoWorldFiles writeDemoWorld(const DemoWorldOptions& options, const ProgressCallback& progress) {
  if (options.outputFolder.empty()) throw Error("no output folder given for the demo data");
  const DemoWorldSize size = sizeNamed(options.size);
  const fs::path root = fs::absolute(options.outputFolder);
  claimOutputFolder(root.string(), OutputKind::DemoWorld, {false, options.replace});
  // The manifest goes first: a world half-written by a killed process is still recognisably
  // the demo's, and the next run may finish it.
  fs::create_directories(root);
  writeFileAtomically((root / kDemoWorldManifest).string(),
                      nlohmann::json{{"format", kDemoWorldFormat},
                                     {"version", kDemoWorldFormatVersion},
                                     {"seed", options.seed},
                                     {"size", options.size}}
                              .dump(2) +
                          "\n");
  prepareFolder(root / "corpus");
  for (const char* task : {"sentiment", "entailment", "ner", "qa"})
    prepareFolder(root / "tasks" / task);

  demo::Random worldRandom(demo::streamSeed(options.seed, kWorld));
  const demo::World world = demo::buildWorld(size.documents, worldRandom);
  std::vector<size_t> trainPeople(static_cast<size_t>(world.people.size() * kTrainPeopleShare));
  std::iota(trainPeople.begin(), trainPeople.end(), size_t{0});
  std::vector<size_t> devPeople(world.people.size() - trainPeople.size());
  std::iota(devPeople.begin(), devPeople.end(), trainPeople.size());

  DemoWorldFiles files;
  struct Job {
    std::string* path;
    std::string relative;
    std::function<std::string(demo::Random&)> produce;
    Stream stream;
  };
  demo::CorpusStats corpusStats;
  const std::vector<Job> jobs = {
      {&files.corpus, "corpus/pretrain.txt",
       [&](demo::Random& r) {
         return demo::generatePretrainingCorpus(world, size.documents, r, &corpusStats);
       },
       kCorpus},
      {&files.sentimentTrain, "tasks/sentiment/train.tsv",
       [&](demo::Random& r) {
         return demo::generateSentimentTsv(world, trainPeople, size.sentimentTrain, r);
       },
       kSentimentTrain},
      {&files.sentimentDev, "tasks/sentiment/dev.tsv",
       [&](demo::Random& r) {
         return demo::generateSentimentTsv(world, devPeople, size.sentimentDev, r);
       },
       kSentimentDev},
      {&files.entailmentTrain, "tasks/entailment/train.tsv",
       [&](demo::Random& r) {
         return demo::generateEntailmentTsv(world, trainPeople, size.entailmentTrain, r);
       },
       kEntailmentTrain},
      {&files.entailmentDev, "tasks/entailment/dev.tsv",
       [&](demo::Random& r) {
         return demo::generateEntailmentTsv(world, devPeople, size.entailmentDev, r);
       },
       kEntailmentDev},
      {&files.nerTrain, "tasks/ner/train.conll",
       [&](demo::Random& r) {
         return demo::generateNerConll(world, trainPeople, size.nerTrain, r);
       },
       kNerTrain},
      {&files.nerDev, "tasks/ner/dev.conll",
       [&](demo::Random& r) { return demo::generateNerConll(world, devPeople, size.nerDev, r); },
       kNerDev},
      {&files.qaTrain, "tasks/qa/train.json",
       [&](demo::Random& r) {
         return demo::generateSquadJson(world, trainPeople, size.qaTrain, false, "train", r);
       },
       kQaTrain},
      {&files.qaDev, "tasks/qa/dev.json",
       [&](demo::Random& r) {
         return demo::generateSquadJson(world, devPeople, size.qaDev, true, "dev", r);
       },
       kQaDev},
  };
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = jobs[i];
    if (progress) progress({static_cast<double>(i) / jobs.size(), "writing " + job.relative});
    demo::Random random(demo::streamSeed(options.seed, job.stream));
    *job.path = (root / job.relative).string();
    writeFileAtomically(*job.path, job.produce(random));
  }
  if (progress) {
    progress({1.0, "demo data written: " + std::to_string(corpusStats.documents) + " documents, " +
                       std::to_string(corpusStats.sentences) + " sentences in the corpus"});
  }
  return files;
}

}  // namespace bertwb
