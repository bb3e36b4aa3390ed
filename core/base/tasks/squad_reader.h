#pragma once
// SQuAD v1.1 and v2.0 JSON → QaDataset.
//
// Reads data[].paragraphs[].{context, qas[].{id, question, answers[{text, answer_start}],
// is_impossible}}; plausible_answers (v2.0) and titles are ignored. Every answer is checked:
// the context's code points from answer_start (Python str indices, as SQuAD counts them) must
// spell the answer text. A question that is not impossible must have at least one answer,
// unless the "answers" key is absent altogether (an unlabelled file). Several gold answers (dev
// sets) are kept in order. The dataset is v2 when the file says "version": "v2.0" or any
// question is impossible.
#include <string>

#include "tasks/task_data.h"

namespace bertwb {

// Throws bertwb::Error naming the record, e.g. "dev.json: data[0].paragraphs[2].qas[1]
// .answers[0]: ...", for a missing or mistyped field, an answer not at its offset, or a
// duplicate id; "dev.json:3: invalid JSON ..." for a file that does not parse.
QaDataset readQaDataset(const std::string& path);

}  // namespace bertwb
