#pragma once
// The path a newcomer takes through one full loop on the demo: corpus → tokenizer → model →
// masking → a short pre-training run → fine-tuning → playground → attention. Each step names
// the page it happens on, a one-line "what to do" for the Start-here bar and a few sentences
// from the paper's ideas for the guided tour. One table: the bar, the tour and their tests
// read it.
#include <QString>
#include <vector>

#include "shell/stage_table.h"

namespace bertwb::ui {

struct GuideStep {
  StageId stage;
  int tab;           // the tab within a stage that has tabs (Pre-train: 0 Masking, 1 Training)
  QString title;     // "Masking & NSP"
  QString todo;      // one line: what to do there
  QString tourText;  // rich text: what to look at, and why it matters in BERT
};

const std::vector<GuideStep>& guideSteps();

}  // namespace bertwb::ui
