#pragma once
// The demo world's probes: fill-mask sentences on facts the corpus states again and again
// ("…, a town in [MASK].") and an IsNext pair from its first document, so a first run shows
// the model learning them. (The demo's run settings are demoPretrainingRecipe in
// run_recipes.h; its data, demo_setup.h.)
#include <string>

#include "train/demo_setup.h"
#include "train/probes.h"

namespace bertwb {

// Throws bertwb::Error when the corpus is unreadable.
ProbeSet demoProbes(const std::string& corpusPath);

}  // namespace bertwb
