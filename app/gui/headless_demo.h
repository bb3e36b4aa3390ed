#pragma once
// What the GUI shows, as text, for machines without a display.
#include <string>

namespace bertwb {

// Prints the model summary of `presetName` and runs one forward pass of a freshly
// initialised model on a demo batch; returns the process exit code.
int runHeadlessDemo(const std::string& presetName);

}  // namespace bertwb
