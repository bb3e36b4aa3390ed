#include "console_progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace bertwb::cli {

ProgressCallback consoleProgress() {
  const bool terminal = ::isatty(STDERR_FILENO);
  return [terminal](const Progress& p) {
    const int percent = std::max(0, static_cast<int>(p.fraction * 100));
    std::fprintf(stderr, terminal ? "\r\033[K[%3d%%] %s" : "[%3d%%] %s\n", percent,
                 p.message.c_str());
    std::fflush(stderr);
  };
}

}  // namespace bertwb::cli
