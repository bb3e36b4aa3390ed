// What a Playground user waits for: keystroke → result on screen, at Base size (random
// init; the encoder's cost does not depend on the weights) on this machine's CPU. For each
// page, ten inputs of 20-40 words are typed one edit each into the offscreen panel; each is
// timed from the edit (including the 250 ms debounce), from the request leaving (excluding
// it), and inside the worker (the model's own time). Prints one JSON line per page with the
// medians and p90s in ms.
//
//   bench_playground [preset=base] [inputs=10]
#include <torch/torch.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_support.h"
#include "io/checkpoint.h"
#include "io/task_model_io.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "playground/playground_fill_mask_view.h"
#include "playground/playground_mode_view.h"
#include "playground/playground_panel.h"
#include "runtime/device.h"
#include "runtime/thread_environment.h"
#include "shell/predictor_service.h"
#include "shell/workspace.h"

using namespace bertwb;
using namespace bertwb::ui;

namespace {

constexpr uint64_t kWeightSeed = 1;
constexpr int kDefaultInputs = 10;
constexpr int kShortestInput = 20, kLongestInput = 40;  // words: a sentence or two
constexpr int kQuestionWords = 8;
constexpr int kTimeoutMs = 600'000;

std::string generatedWords(int count, int offset) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += (i ? " w" : "w") + std::to_string((offset + i * 37) % 5000);
  return text;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(fraction * (values.size() - 1) + 0.5));
  return values[index];
}

struct Page {
  const char* name;
  PlaygroundPanel::Mode mode;
  QString folder;
  // The i-th input of `words` words: text A and B as the page takes them.
  std::function<std::pair<QString, QString>(int words, int i)> input;
};

}  // namespace

int main(int argc, char** argv) {
  ensurePassiveOpenMpThreads(argv);  // as the app does
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const std::string preset = argc > 1 ? argv[1] : "base";
  const int inputs = argc > 2 ? std::atoi(argv[2]) : kDefaultInputs;
  const int threads = configureThreads(0);

  QTemporaryDir root;
  const WordPieceTokenizer tokenizer = bench::generatedCorpusTokenizer();
  const BertConfig config = presetConfig(preset, tokenizer.vocabSize());
  auto saveHead = [&](const QString& name, TaskKind kind, const std::vector<std::string>& labels) {
    TaskModel model = makeTaskModel(config, kind, labels);
    initializeBertWeights(*model.module(), config.initializer_range, kWeightSeed);
    saveTaskModel(root.filePath(name).toStdString(), model, &tokenizer);
    return root.filePath(name);
  };
  const QString classifier =
      saveHead("classifier", TaskKind::SequenceClassification, {"negative", "positive"});
  const QString tagger =
      saveHead("tagger", TaskKind::TokenClassification, {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"});
  const QString answerer = saveHead("qa", TaskKind::QuestionAnswering, {});
  const QString pretrained = root.filePath("pretrained");
  {
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, kWeightSeed);
    saveCheckpoint(pretrained.toStdString(), config, *model, "BertForPreTraining", std::nullopt,
                   &tokenizer);
  }

  const std::vector<Page> pages = {
      {"classify", PlaygroundPanel::Mode::Classify, classifier,
       [](int words, int i) {
         return std::make_pair(QString::fromStdString(generatedWords(words, i)), QString());
       }},
      {"ner", PlaygroundPanel::Mode::Ner, tagger,
       [](int words, int i) {
         return std::make_pair(QString::fromStdString(generatedWords(words, i)), QString());
       }},
      {"qa", PlaygroundPanel::Mode::Qa, answerer,
       [](int words, int i) {
         return std::make_pair(QString::fromStdString(generatedWords(kQuestionWords, i)),
                               QString::fromStdString(generatedWords(words, i + 1)));
       }},
      {"fill-mask", PlaygroundPanel::Mode::FillMask, pretrained,
       [](int words, int i) {
         return std::make_pair(QString::fromStdString(generatedWords(words / 2, i) + " [MASK] " +
                                                      generatedWords(words - words / 2 - 1, i + 1)),
                               QString());
       }},
  };

  auto workspace = Workspace::create(root.filePath("workspace"), QStringLiteral("bench"));
  PredictorService service;
  PlaygroundPanel panel(workspace.get(), &service);
  panel.resize(1200, 800);
  panel.show();
  for (const Page& page : pages) {
    QElapsedTimer loadClock;
    loadClock.start();
    panel.loadModel(page.folder);
    service.waitUntilIdle(kTimeoutMs);
    const double loadMs = loadClock.elapsed();
    panel.setMode(page.mode);
    service.waitUntilIdle(kTimeoutMs);

    std::vector<double> withDebounce, withoutDebounce, modelMs;
    QElapsedTimer clock;
    qint64 sentAt = 0, shownAt = -1;
    double workMs = 0;
    QString failure;
    const auto sent = QObject::connect(&panel, &PlaygroundPanel::requestSent,
                                       [&] { sentAt = clock.nsecsElapsed(); });
    const auto shown =
        QObject::connect(&panel, &PlaygroundPanel::resultShown, [&](const QString&, double ms) {
          shownAt = clock.nsecsElapsed();  // right after the page drew the result
          workMs = ms;
        });
    const auto failed =
        QObject::connect(&panel, &PlaygroundPanel::requestFailed,
                         [&](const QString&, const QString& message) { failure = message; });
    for (int i = 0; i < inputs; ++i) {
      const int words =
          kShortestInput + (i * (kLongestInput - kShortestInput)) / std::max(1, inputs - 1);
      const auto [a, b] = page.input(words, i);
      shownAt = -1;
      clock.start();
      panel.currentView()->setTexts(a, b);  // one edit: the debounce starts now
      while (shownAt < 0 && failure.isEmpty())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
      if (!failure.isEmpty()) {
        std::fprintf(stderr, "%s failed: %s\n", page.name, qPrintable(failure));
        return 1;
      }
      withDebounce.push_back(shownAt / 1e6);
      withoutDebounce.push_back((shownAt - sentAt) / 1e6);
      modelMs.push_back(workMs);
      service.waitUntilIdle(kTimeoutMs);
    }
    QObject::disconnect(shown);
    QObject::disconnect(failed);
    QObject::disconnect(sent);
    const nlohmann::json line = {{"bench", "playground"},
                                 {"page", page.name},
                                 {"preset", preset},
                                 {"threads", threads},
                                 {"precision", service.precision().toStdString()},
                                 {"inputs", inputs},
                                 {"words", {kShortestInput, kLongestInput}},
                                 {"load_ms", loadMs},
                                 {"keystroke_to_shown_median_ms", percentile(withDebounce, 0.5)},
                                 {"keystroke_to_shown_p90_ms", percentile(withDebounce, 0.9)},
                                 {"request_to_shown_median_ms", percentile(withoutDebounce, 0.5)},
                                 {"request_to_shown_p90_ms", percentile(withoutDebounce, 0.9)},
                                 {"model_median_ms", percentile(modelMs, 0.5)},
                                 {"model_p90_ms", percentile(modelMs, 0.9)}};
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}
