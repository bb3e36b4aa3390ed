#include "runtime/process_signals.h"

#include <csignal>

namespace bertwb {

void reportOversizedWritesAsErrors() {
#ifdef SIGXFSZ
  std::signal(SIGXFSZ, SIG_IGN);
#endif
}

}  // namespace bertwb
