#include "runtime/thread_environment.h"

#include <unistd.h>

#include <cstdlib>

namespace bertwb {

void ensurePassiveOpenMpThreads(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc?): carry on with the slower default rather than fail.
}

}  // namespace bertwb
