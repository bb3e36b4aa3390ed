#pragma once
// The window's command line and what it asks for at start: which workspace, which stage, and
// the screenshot mode (render the window to a PNG once the workspace is open, then exit) that
// the README's pictures and the GUI checks use.
#include <QString>
#include <optional>

#include "shell/stage_table.h"

class QCoreApplication;

namespace bertwb::ui {

class MainWindow;

struct LaunchOptions {
  QString workspaceFolder;       // empty: the last workspace, or the demo on a first start
  std::optional<StageId> stage;  // empty: the stage shown when the window last closed
  QString screenshotPath;        // empty: no screenshot, the window stays open
  int screenshotDelayMs = 200;   // at least this long; then until loads and answers have landed
};

// Parses the application's arguments (--help exits here, as QCommandLineParser does). An
// unknown --stage returns nothing, with the message naming the accepted stages in `error`.
std::optional<LaunchOptions> parseLaunchOptions(const QCoreApplication& app, QString* error);

// Opens what the options name (a folder that is not a workspace becomes a new demo workspace)
// and shows the stage; in screenshot mode, saves the picture once the workspace is open and
// ends the event loop with 0 (saved) or 1.
void launch(MainWindow& window, const LaunchOptions& options);

}  // namespace bertwb::ui
