#pragma once
// Building a model from a checkpoint folder: the config decides the shape, the weights fill
// it, and whatever the file lacks is initialised (and reported) instead of failing.
#include <cstdint>
#include <string>

#include "io/checkpoint.h"
#include "model/bert_model.h"
#include "model/bert_pretraining.h"

namespace bertwb {

// Seed for heads the checkpoint lacks; fixed so loading twice gives the same model.
constexpr uint64_t kDefaultHeadSeed = 42;

// A BertForPreTraining from `folder`. Heads missing in the file (a bare BertModel save) are
// initialised from `seed` and listed in `report`.
BertForPreTraining loadPretrainingModel(const std::string& folder, LoadReport* report = nullptr,
                                        uint64_t seed = kDefaultHeadSeed);

// A bare BertModel from `folder`; head tensors in the file are reported as unused.
BertModel loadBareModel(const std::string& folder, LoadReport* report = nullptr);

}  // namespace bertwb
