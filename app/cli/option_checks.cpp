#include "option_checks.h"

#include <cmath>
#include <string>

namespace bertwb::cli {
namespace {

// The check shared by the three validators: a finite number that `accept` takes.
template <typename Accept>
CLI::Validator finiteCheck(const char* description, const char* requirement, Accept accept) {
  return CLI::Validator(
      [requirement, accept](std::string& text) -> std::string {
        double value = 0;
        size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          return "'" + text + "' is not a number";
        }
        if (used != text.size()) return "'" + text + "' is not a number";
        if (!std::isfinite(value) || !accept(value)) return "'" + text + "' must be " + requirement;
        return {};
      },
      description);
}

}  // namespace

CLI::Validator finitePositive() {
  return finiteCheck("POSITIVE", "a finite number above 0", [](double value) { return value > 0; });
}

CLI::Validator finiteNonNegative() {
  return finiteCheck("NON-NEGATIVE", "a finite number, 0 or above",
                     [](double value) { return value >= 0; });
}

CLI::Validator finiteNumber() {
  return finiteCheck("NUMBER", "a finite number", [](double) { return true; });
}

}  // namespace bertwb::cli
