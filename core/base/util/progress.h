#pragma once
// How long-running core jobs report progress and learn that the user cancelled: a plain
// callback and an atomic flag (no Qt), which the GUI wraps into queued signals.
#include <atomic>
#include <functional>
#include <string>

namespace bertwb {

struct Progress {
  double fraction = 0;  // 0..1, or negative when unknown
  std::string message;  // "reading corpus: 12,000 sentences"
};

using ProgressCallback = std::function<void(const Progress&)>;

// A cancelled job stops at its next check and throws bertwb::Cancelled.
struct CancelFlag {
  std::atomic<bool> requested{false};
  void request() { requested.store(true); }
  bool isRequested() const { return requested.load(std::memory_order_relaxed); }
};

}  // namespace bertwb
