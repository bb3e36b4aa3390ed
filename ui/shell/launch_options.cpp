#include "shell/launch_options.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "shell/main_window.h"
#include "shell/settle.h"
#include "shell/workspace.h"

namespace bertwb::ui {
namespace {

// How often screenshot mode looks whether the workspace is open (the demo takes seconds).
constexpr int kWorkspacePollMs = 200;
constexpr int kSettleTimeoutMs = 60000;  // a slow first model load on 2 cores

}  // namespace

std::optional<LaunchOptions> parseLaunchOptions(const QCoreApplication& app, QString* error) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Build, pre-train, fine-tune and explain BERT models."));
  parser.addHelpOption();
  const QCommandLineOption workspace(
      QStringLiteral("workspace"),
      QStringLiteral("Workspace folder to open (default: the last one, or the demo)."),
      QStringLiteral("folder"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("Render the window to a PNG file once the workspace is open, and exit."),
      QStringLiteral("file"));
  const QCommandLineOption stage(
      QStringLiteral("stage"),
      QStringLiteral("Stage to show: %1.").arg(stageNames().join(QStringLiteral(", "))),
      QStringLiteral("name"));
  const QCommandLineOption delay(
      QStringLiteral("screenshot-delay"),
      QStringLiteral("Least milliseconds between opening the workspace and the screenshot; it "
                     "also waits until corpus loading and the model's answers have landed."),
      QStringLiteral("ms"), QStringLiteral("200"));
  // Read by the headless fallback before Qt starts; declared so the window accepts it too.
  const QCommandLineOption preset(
      QStringLiteral("preset"),
      QStringLiteral("Model preset of the headless fallback (no display)."), QStringLiteral("name"),
      QStringLiteral("tiny"));
  parser.addOptions({preset, workspace, screenshot, stage, delay});
  parser.process(app);

  LaunchOptions options;
  options.workspaceFolder = parser.value(workspace);
  options.screenshotPath = parser.value(screenshot);
  options.screenshotDelayMs = std::max(0, parser.value(delay).toInt());
  if (parser.isSet(stage)) {
    options.stage = stageNamed(parser.value(stage));
    if (!options.stage) {
      *error = QStringLiteral("unknown --stage '%1'; choose %2")
                   .arg(parser.value(stage), stageNames().join(QStringLiteral(", ")));
      return std::nullopt;
    }
  }
  return options;
}

void launch(MainWindow& window, const LaunchOptions& options) {
  if (options.workspaceFolder.isEmpty())
    window.openStartupWorkspace();
  else if (Workspace::isWorkspace(options.workspaceFolder))
    window.openWorkspace(options.workspaceFolder);
  else
    window.openDemoWorkspace(options.workspaceFolder);
  if (options.stage) window.showStage(*options.stage);
  if (options.screenshotPath.isEmpty()) return;

  auto* poll = new QTimer(&window);
  const QString path = options.screenshotPath;
  const int delay = options.screenshotDelayMs;
  QObject::connect(poll, &QTimer::timeout, &window, [&window, path, poll, delay] {
    if (!window.workspace()) return;
    poll->stop();
    QTimer::singleShot(delay, &window, [&window, path] {
      // Corpus loading, the predictor's answers and debounced redraws land before the picture.
      waitUntilSettled(window, kSettleTimeoutMs);
      const bool saved = window.grab().save(path);
      std::printf("%s %s\n", saved ? "saved" : "could not save", qPrintable(path));
      std::fflush(stdout);
      QApplication::exit(saved ? 0 : 1);
    });
  });
  poll->start(kWorkspacePollMs);
}

}  // namespace bertwb::ui
