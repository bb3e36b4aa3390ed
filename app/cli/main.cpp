// bert-workbench-cli: the workbench's engine without a window.
#include <CLI/CLI.hpp>
#include <c10/util/Exception.h>

#include <iostream>

#include "commands.h"
#include "run_interruption.h"
#include "runtime/thread_environment.h"
#include "util/error.h"

int main(int argc, char** argv) {
  bertwb::ensurePassiveOpenMpThreads(argv);
  CLI::App app{"BERT Workbench, headless: build, inspect and run BERT models"};
  app.require_subcommand(1);
  bertwb::cli::addInfoCommand(app);
  bertwb::cli::addInitCommand(app);
  bertwb::cli::addForwardCommand(app);
  bertwb::cli::addTokenizeCommand(app);
  bertwb::cli::addTrainTokenizerCommand(app);
  bertwb::cli::addPretrainingDataCommands(app);
  bertwb::cli::addPrepareCorpusCommand(app);
  bertwb::cli::addDemoDataCommand(app);
  bertwb::cli::addPretrainCommand(app);
  bertwb::cli::addExtractFeaturesCommand(app);
  bertwb::cli::addFinetuneCommands(app);
  bertwb::cli::addPredictCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const bertwb::cli::RunInterrupted&) {
    return bertwb::cli::kInterruptedExitCode;  // the command has said where the run stopped
  } catch (const bertwb::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const c10::Error& e) {
    // LibTorch's own messages carry a C++ backtrace; the first line is the useful part.
    std::string message = e.what_without_backtrace();
    std::cerr << "error: " << message.substr(0, message.find('\n')) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
