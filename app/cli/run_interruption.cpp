#include "run_interruption.h"

#include <csignal>

namespace bertwb::cli {
namespace {

CancelFlag* gRunCancel = nullptr;
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

void requestStop(int) {
  if (gRunCancel) gRunCancel->request();  // an atomic store: safe in a signal handler
}

}  // namespace

InterruptScope::InterruptScope(CancelFlag& cancel) {
  gRunCancel = &cancel;
  for (int signal : kStopSignals) std::signal(signal, requestStop);
}

InterruptScope::~InterruptScope() {
  for (int signal : kStopSignals) std::signal(signal, SIG_DFL);
  gRunCancel = nullptr;
}

}  // namespace bertwb::cli
