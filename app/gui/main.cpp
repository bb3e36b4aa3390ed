// bert-workbench: the GUI. Without a display it says so and runs the headless equivalent.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdlib>
#include <iostream>

#include "headless_demo.h"
#include "main_window.h"
#include "model_summary_widget.h"
#include "runtime/device.h"
#include "runtime/thread_environment.h"
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

  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("BERT Workbench"));
  QApplication::setApplicationName(QStringLiteral("bert-workbench"));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Build, pre-train, fine-tune and explain BERT models."));
  parser.addHelpOption();
  QCommandLineOption presetOption(QStringLiteral("preset"), QStringLiteral("Model preset to show first."),
                                  QStringLiteral("name"), QStringLiteral("tiny"));
  QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                     QStringLiteral("Render the window to a PNG file and exit."),
                                     QStringLiteral("file"));
  parser.addOption(presetOption);
  parser.addOption(screenshotOption);
  parser.process(app);

  bertwb::ui::MainWindow window(QString::fromStdString(bertwb::describeDevice(torch::kCPU)));
  try {
    window.modelSummary()->setPreset(parser.value(presetOption));
  } catch (const bertwb::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  window.show();
  if (parser.isSet(screenshotOption)) {
    const QString path = parser.value(screenshotOption);
    QTimer::singleShot(300, &window, [&window, path] {
      const bool saved = window.grab().save(path);
      std::cout << (saved ? "saved " : "could not save ") << path.toStdString() << "\n";
      QApplication::exit(saved ? 0 : 1);
    });
  }
  return app.exec();
}
