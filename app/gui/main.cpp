// bert-workbench: the GUI. Without a display it says so and runs the headless equivalent.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "guarded_application.h"
#include "headless_demo.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "runtime/thread_environment.h"
#include "shell/main_window.h"
#include "shell/workspace.h"
#include "util/error.h"

namespace {

bool hasDisplay() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
    const char* value = std::getenv(name);
    if (value && *value) return true;
  }
  return false;
}

// Just enough of the command line to pick the first model before Qt starts.
std::string presetArgument(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--preset") return argv[i + 1];
  return "tiny";
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::ensurePassiveOpenMpThreads(argv);
  bertwb::configureThreads(0);
  if (!hasDisplay()) {
    std::cout << "bert-workbench: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window "
                 "cannot open.\nRunning the headless equivalent instead; bert-workbench-cli does everything "
                 "the window does.\n\n";
    try {
      return bertwb::runHeadlessDemo(presetArgument(argc, argv));
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }

  GuardedApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("BERT Workbench"));
  QApplication::setApplicationName(QStringLiteral("bert-workbench"));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Build, pre-train, fine-tune and explain BERT models."));
  parser.addHelpOption();
  QCommandLineOption workspaceOption(QStringLiteral("workspace"),
                                     QStringLiteral("Workspace folder to open (default: the last one, or the demo)."),
                                     QStringLiteral("folder"));
  QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                     QStringLiteral("Render the window to a PNG file once the workspace is open, and exit."),
                                     QStringLiteral("file"));
  QCommandLineOption stageOption(QStringLiteral("stage"),
                                 QStringLiteral("Stage to show: data, model, pretrain, finetune, playground or attention."),
                                 QStringLiteral("name"));
  QCommandLineOption delayOption(QStringLiteral("screenshot-delay"),
                                 QStringLiteral("Milliseconds between opening the workspace and the screenshot (models "
                                                "load and answer meanwhile)."),
                                 QStringLiteral("ms"), QStringLiteral("500"));
  QCommandLineOption presetOption(QStringLiteral("preset"),
                                  QStringLiteral("Model preset of the headless fallback (no display)."),
                                  QStringLiteral("name"), QStringLiteral("tiny"));
  parser.addOption(presetOption);
  parser.addOption(workspaceOption);
  parser.addOption(screenshotOption);
  parser.addOption(stageOption);
  parser.addOption(delayOption);
  parser.process(app);
  const QStringList stageNames = {QStringLiteral("data"),     QStringLiteral("model"),      QStringLiteral("pretrain"),
                                  QStringLiteral("finetune"), QStringLiteral("playground"), QStringLiteral("attention")};
  const int stage = parser.isSet(stageOption) ? stageNames.indexOf(parser.value(stageOption).toLower()) : -1;
  if (parser.isSet(stageOption) && stage < 0) {
    std::cerr << "error: unknown --stage '" << parser.value(stageOption).toStdString() << "'; choose "
              << stageNames.join(QStringLiteral(", ")).toStdString() << "\n";
    return 2;
  }

  // The device and what "auto" precision picks on it, for the status bar: runs and the
  // playground use auto unless told otherwise, and each run states its own choice too.
  const torch::Device device = bertwb::selectDevice("auto");
  const bertwb::PrecisionChoice precision =
      bertwb::resolvePrecision(bertwb::PrecisionRequest::Auto, device);
  bertwb::ui::MainWindow window(
      QString::fromStdString(bertwb::describeDevice(device) + " · " + precision.reason));
  window.show();
  if (parser.isSet(workspaceOption)) {
    const QString folder = parser.value(workspaceOption);
    if (bertwb::ui::Workspace::isWorkspace(folder))
      window.openWorkspace(folder);
    else
      window.openDemoWorkspace(folder);  // a new folder becomes a demo workspace
  } else {
    window.openStartupWorkspace();
  }
  if (stage >= 0) window.showStage(static_cast<bertwb::ui::MainWindow::Stage>(stage));
  if (parser.isSet(screenshotOption)) {
    const QString path = parser.value(screenshotOption);
    const int delay = std::max(0, parser.value(delayOption).toInt());
    // Poll until the workspace is open (the demo takes a few seconds the first time).
    auto* poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, path, poll, delay] {
      if (!window.workspace()) return;
      poll->stop();
      QTimer::singleShot(delay, &window, [&window, path] {
        const bool saved = window.grab().save(path);
        std::cout << (saved ? "saved " : "could not save ") << path.toStdString() << "\n";
        QApplication::exit(saved ? 0 : 1);
      });
    });
    poll->start(200);
  }
  return app.exec();
}
