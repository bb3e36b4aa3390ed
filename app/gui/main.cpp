// bert-workbench: the GUI. Without a display it says so and runs the headless equivalent.
// What the window does with its command line lives in ui/shell/launch_options.
#include <QApplication>
#include <cstdlib>
#include <iostream>

#include "guarded_application.h"
#include "headless_demo.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "runtime/process_signals.h"
#include "runtime/thread_environment.h"
#include "shell/launch_options.h"
#include "shell/main_window.h"

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

// "CPU (2 threads) · bf16: …": the device and what "auto" precision picks on it, for the
// status bar (runs and the playground use auto unless told otherwise).
QString deviceDescription() {
  const torch::Device device = bertwb::selectDevice("auto");
  const bertwb::PrecisionChoice precision =
      bertwb::resolvePrecision(bertwb::PrecisionRequest::Auto, device);
  return QString::fromStdString(bertwb::describeDevice(device) + " · " + precision.reason);
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::reportOversizedWritesAsErrors();
  bertwb::ensurePassiveOpenMpThreads(argv);
  bertwb::configureThreads(0);
  if (!hasDisplay()) {
    std::cout << "bert-workbench: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the "
                 "window "
                 "cannot open.\nRunning the headless equivalent instead; bert-workbench-cli does "
                 "everything "
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
  QString error;
  const auto options = bertwb::ui::parseLaunchOptions(app, &error);
  if (!options) {
    std::cerr << "error: " << error.toStdString() << "\n";
    return 2;
  }
  bertwb::ui::MainWindow window(deviceDescription());
  window.show();
  bertwb::ui::launch(window, *options);
  return app.exec();
}
