#include "command_line.h"

#include <iostream>

#include "commands.h"
#include "run_interruption.h"
#include "util/error.h"

namespace bertwb::cli {

void addTorchFreeCommands(CLI::App& app) {
  addTokenizeCommand(app);
  addTrainTokenizerCommand(app);
  addPretrainingDataCommands(app);
  addPrepareCorpusCommand(app);
  addDemoDataCommand(app);
}

int runCommandLine(CLI::App& app, int argc, char** argv, ErrorDescriber describe) {
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const RunInterrupted&) {
    return kInterruptedExitCode;  // the command has said where the run stopped
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << (describe != nullptr ? describe(e) : std::string(e.what())) << "\n";
    return 1;
  }
  return 0;
}

}  // namespace bertwb::cli
