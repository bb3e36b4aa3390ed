#pragma once
// The files that make a tokenizer folder (vocab.txt or spiece.model, tokenizer_config.json)
// and moving them between folders. The Model wizard prepares a tokenizer in a staging folder
// and installs it into the workspace only when the user clicks Finish.
#include <QString>
#include <QStringList>

namespace bertwb::ui {

// vocab.txt, spiece.model, tokenizer_config.json.
const QStringList& tokenizerFileNames();

// Creates `folder` if needed and removes any tokenizer file in it.
void clearTokenizerFiles(const QString& folder);

// Makes `target` hold exactly the tokenizer files `staging` holds: each is copied beside its
// final name and renamed over it (a crash leaves the old file or the new, never half of
// one); tokenizer files only the target has are removed afterwards, so the loader cannot
// pick a stale vocab.txt over a new spiece.model. Throws bertwb::Error naming the file.
void installTokenizerFiles(const QString& staging, const QString& target);

}  // namespace bertwb::ui
