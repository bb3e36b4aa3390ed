#pragma once
// How the CLI's training commands print numbers on the console: one definition each, shared by
// pretrain and finetune (also so that no command needs a file-unique helper name in the
// engine's unity build).
#include <string>

namespace bertwb::cli {

std::string fixedPoint(double value, int decimals);   // fixedPoint(0.91254, 3) = "0.913"
std::string scientific(double value);                 // "2.00e-05"
std::string percent(double fraction);                 // percent(0.125) = "12.5%"
std::string progressBar(double fraction, int width);  // "██████░░░░"

}  // namespace bertwb::cli
