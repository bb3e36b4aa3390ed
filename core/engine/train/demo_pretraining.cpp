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

}  // namespace bertwb
