// How smooth the window stays while the Pre-training panel trains: a 10 ms timer on the GUI
// thread records the gaps between its ticks (offscreen, the panel shown and its charts live).
// Training competes with the GUI thread for the cores; long gaps are what a user feels as a
// stutter. Prints one JSON line: p50 / p99 / max gap in ms and the steps trained meanwhile.
//
//   bench_gui_jitter [preset=tiny] [seconds=20]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "model/presets.h"
#include "pretrain/pretrain_panel.h"
#include "pretrain/training_charts.h"
#include "runtime/device.h"
#include "runtime/thread_environment.h"
#include "shell/workspace.h"
#include "train/demo_pretraining.h"

namespace {

constexpr int kTickMs = 10;  // a typical animation / input-handling cadence
constexpr double kDefaultSeconds = 20;
constexpr qint64 kMinimumSteps = 1000;   // more than a run of N seconds reaches: the bench stops it
constexpr int kStopTimeoutMs = 600'000;  // a Base step on 2 CPU cores takes seconds
constexpr double kNanosecondsPerMs = 1e6;
constexpr int kSettleMs = 200;

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(fraction * (values.size() - 1) + 0.5));
  return values[index];
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::ensurePassiveOpenMpThreads(argv);  // as the app does
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const std::string preset = argc > 1 ? argv[1] : "tiny";
  const double seconds = argc > 2 ? std::atof(argv[2]) : kDefaultSeconds;
  const int threads = bertwb::configureThreads(0);

  QTemporaryDir folder;
  std::unique_ptr<bertwb::ui::Workspace> workspace =
      bertwb::ui::Workspace::createDemo(folder.path());
  workspace->setModelConfig(bertwb::presetConfig(preset, bertwb::kDemoVocabularySize),
                            QString::fromStdString(preset));
  bertwb::ui::PretrainPanel panel(workspace.get());
  panel.setErrorDialogsEnabled(false);
  bertwb::ui::PretrainSettings settings =
      panel.settings();  // the preset's defaults on the demo corpus
  // The preset's own step count: 20 s never reaches it on a CPU, and the picture shows what a user
  // sees.
  settings.steps = std::max<int64_t>(settings.steps, kMinimumSteps);
  // A chart point every step: the most the GUI thread ever has to draw, and an exact step count.
  settings.logEvery = 1;
  panel.setSettings(settings);
  panel.resize(1400, 860);
  panel.show();

  std::vector<double> gapsMs;
  QElapsedTimer sinceTick, measuring;
  qint64 firstStep = -1;
  QTimer ticker;
  ticker.setTimerType(Qt::PreciseTimer);
  ticker.setInterval(kTickMs);
  QObject::connect(&ticker, &QTimer::timeout, [&] {
    gapsMs.push_back(sinceTick.nsecsElapsed() / kNanosecondsPerMs);
    sinceTick.restart();
    if (measuring.elapsed() >= seconds * 1000) {
      ticker.stop();
      app.quit();
    }
  });
  // Measure training, not the corpus reading before it: start at the first running state.
  QObject::connect(&panel, &bertwb::ui::PretrainPanel::runStateChanged, [&](const QString& state) {
    if (firstStep < 0 && state.startsWith(QStringLiteral("running"))) {
      firstStep = panel.currentStep();
      measuring.start();
      sinceTick.start();
      ticker.start();
    }
  });
  QString failure;
  QObject::connect(&panel, &bertwb::ui::PretrainPanel::failed, [&](const QString& message) {
    failure = message;
    app.quit();
  });
  if (!panel.start()) return 1;
  app.exec();
  const qint64 steps = panel.currentStep() - std::max<qint64>(firstStep, 0);
  // A picture of the panel after a real demo run, for the README and the lecture slides.
  const QString screenshots = qEnvironmentVariable("BERTWB_SCREENSHOT_DIR");
  if (!screenshots.isEmpty()) {
    panel.charts()->fitToData();
    QEventLoop settle;  // let the charts' throttled replot run before the grab
    QTimer::singleShot(kSettleMs, &settle, &QEventLoop::quit);
    settle.exec();
    panel.grab().save(QStringLiteral("%1/pretrain_panel_%2.png")
                          .arg(screenshots, QString::fromStdString(preset)));
  }
  panel.requestStop();
  panel.waitUntilStopped(kStopTimeoutMs);
  if (!failure.isEmpty()) {
    std::fprintf(stderr, "training failed: %s\n", qPrintable(failure));
    return 1;
  }
  std::printf(
      "{\"bench\":\"gui_jitter\",\"preset\":\"%s\",\"threads\":%d,\"batch\":%d,\"seq\":%d,"
      "\"log_every\":1,\"seconds\":%.1f,"
      "\"ticks\":%zu,\"tick_ms\":%d,\"gap_p50_ms\":%.2f,\"gap_p99_ms\":%.2f,\"gap_max_ms\":%.2f,"
      "\"steps\":%lld}\n",
      preset.c_str(), threads, settings.batchSize, settings.maxSeqLength, seconds, gapsMs.size(),
      kTickMs, percentile(gapsMs, 0.5), percentile(gapsMs, 0.99),
      gapsMs.empty() ? 0.0 : *std::max_element(gapsMs.begin(), gapsMs.end()),
      static_cast<long long>(steps));
  return 0;
}
