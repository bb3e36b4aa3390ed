#include "train/demo_pretraining.h"

namespace bertwb {

ProbeSet demoProbes(const std::string& corpusPath) {
  const DemoProbeTexts texts = demoProbeTexts(corpusPath);
  ProbeSet probes;
  probes.fillMaskTexts = texts.fillMask;
  probes.nspTextA = texts.nspTextA;
  probes.nspTextB = texts.nspTextB;
  return probes;
}

PretrainingRunOptions demoRunOptions(const std::string& outputFolder, int64_t steps) {
  PretrainingRunOptions o;
  o.outputFolder = outputFolder;
  o.steps = steps;
  const DemoRecipe recipe = demoRecipe(steps);
  o.batchSize = recipe.batchSize;
  o.maxSeqLength = recipe.maxSeqLength;
  o.adam.learningRate = recipe.learningRate;
  o.warmupSteps = recipe.warmupSteps;
  o.logEvery = recipe.logEvery;
  o.probeEvery = recipe.probeEvery;
  return o;
}

}  // namespace bertwb
