#pragma once
// Helpers shared by the core test suites.
#include <QString>

#include "util/error.h"

namespace bertwb::test {

// The message of the bertwb::Error `action` throws, or "" when it throws none.
template <typename Action>
QString errorOf(Action&& action) {
  try {
    action();
  } catch (const Error& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

}  // namespace bertwb::test
