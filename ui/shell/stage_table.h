#pragma once
// The sidebar's stages, in one table: each stage's --stage name, title, tip and position (its
// Ctrl+N shortcut and its page in the window follow from the position). Adding a stage means
// one value in StageId, its row here (in the same order) and its case in
// MainWindow::buildStagePage (the compiler names a missing case); nothing else lists the stages.
#include <QString>
#include <QStringList>
#include <optional>

namespace bertwb::ui {

enum class StageId { Data, Model, PreTrain, FineTune, Playground, Attention, Experiments };

struct StageSpec {
  StageId id;
  const char* name;   // for --stage: "pretrain"
  const char* title;  // in the sidebar after its number: "Pre-train"
  const char* tip;
};

// Every stage, in sidebar order (StageId order).
const StageSpec* stageTable();
int stageCount();
const StageSpec& stageSpec(StageId id);

// The stage of a --stage name (case-insensitive); none for an unknown one.
std::optional<StageId> stageNamed(const QString& name);
// "data, model, pretrain, …": the names --stage accepts.
QStringList stageNames();

// "3  Pre-train": the sidebar's label, translated.
QString stageLabel(const StageSpec& spec);
QString stageTitle(const StageSpec& spec);  // "Pre-train", translated
QString stageTip(const StageSpec& spec);    // translated

}  // namespace bertwb::ui
