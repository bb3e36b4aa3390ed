#pragma once
// Progress of a long CLI job on stderr: one updating line on a terminal, plain lines
// otherwise (logs, pipes).
#include "util/progress.h"

namespace bertwb::cli {

ProgressCallback consoleProgress();

}  // namespace bertwb::cli
