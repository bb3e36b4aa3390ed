#pragma once
// Tiny random-init checkpoints (L=2, H=32, A=2) of each head the Playground serves, with a
// hand-made WordPiece vocabulary, saved the way fine-tuning and pre-training save them. The
// tagger's classifier weights are scaled up: random init alone gives near-uniform label
// probabilities, scaled they give each word a clear (random but fixed) label, so a sentence
// gets a mix of O and PER/LOC/ORG entities whose offsets can be checked. Torch stays in the
// .cpp (the test library bertwb_test_checkpoints), so the Qt test files compile without it.
#include <QString>
#include <string>
#include <vector>

#include "tasks/task_kind.h"

namespace bertwb::test {

// The words the tiny vocabulary knows, specials first.
std::vector<std::string> playgroundTokens();

void savePlaygroundTaskModel(const QString& folder, TaskKind kind,
                             const std::vector<std::string>& labels);
void savePlaygroundPretrainedModel(const QString& folder);

}  // namespace bertwb::test
