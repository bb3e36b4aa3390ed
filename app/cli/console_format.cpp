#include "console_format.h"

#include <iomanip>
#include <sstream>

namespace bertwb::cli {

std::string fixedPoint(double value, int decimals) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(decimals) << value;
  return s.str();
}

std::string scientific(double value) {
  std::ostringstream s;
  s << std::scientific << std::setprecision(2) << value;
  return s.str();
}

std::string percent(double fraction) {
  return fixedPoint(fraction * 100, 1) + "%";
}

std::string progressBar(double fraction, int width) {
  const int filled = static_cast<int>(fraction * width + 0.5);
  std::string bar;
  for (int i = 0; i < width; ++i) bar += i < filled ? "\xe2\x96\x88" : "\xe2\x96\x91";  // █ ░
  return bar;
}

}  // namespace bertwb::cli
