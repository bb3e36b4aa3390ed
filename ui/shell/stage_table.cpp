#include "shell/stage_table.h"

#include <QCoreApplication>
#include <iterator>

namespace bertwb::ui {
namespace {

constexpr StageSpec kStageTable[] = {
    {StageId::Data, "data", QT_TRANSLATE_NOOP("MainWindow", "Data"),
     QT_TRANSLATE_NOOP("MainWindow", "Corpus files, statistics and tokenization")},
    {StageId::Model, "model", QT_TRANSLATE_NOOP("MainWindow", "Model"),
     QT_TRANSLATE_NOOP("MainWindow", "Size the model: layers L, hidden H, heads A; its tokenizer")},
    {StageId::PreTrain, "pretrain", QT_TRANSLATE_NOOP("MainWindow", "Pre-train"),
     QT_TRANSLATE_NOOP(
         "MainWindow",
         "Masking and next-sentence sampling, then masked-LM + NSP pre-training with live curves")},
    {StageId::FineTune, "finetune", QT_TRANSLATE_NOOP("MainWindow", "Fine-tune"),
     QT_TRANSLATE_NOOP("MainWindow", "Classification, tagging, question answering")},
    {StageId::Playground, "playground", QT_TRANSLATE_NOOP("MainWindow", "Playground"),
     QT_TRANSLATE_NOOP("MainWindow", "Type a sentence, see what the model makes of it")},
    {StageId::Attention, "attention", QT_TRANSLATE_NOOP("MainWindow", "Attention"),
     QT_TRANSLATE_NOOP("MainWindow",
                       "Every layer's and head's attention, and the embeddings (PCA)")},
    {StageId::Experiments, "experiments", QT_TRANSLATE_NOOP("MainWindow", "Experiments"),
     QT_TRANSLATE_NOOP("MainWindow",
                       "The paper's claims, reproduced: pre-trained vs random, Tables 5-8, "
                       "Figure 5 and your own recipes")},
};

// The table's rows are in StageId order: position, shortcut and page index all come from it.
constexpr bool inIdOrder() {
  for (int i = 0; i < static_cast<int>(std::size(kStageTable)); ++i)
    if (static_cast<int>(kStageTable[i].id) != i) return false;
  return true;
}
static_assert(inIdOrder(), "kStageTable must list the stages in StageId order");

}  // namespace

const StageSpec* stageTable() {
  return kStageTable;
}
int stageCount() {
  return static_cast<int>(std::size(kStageTable));
}
const StageSpec& stageSpec(StageId id) {
  return kStageTable[static_cast<int>(id)];
}

std::optional<StageId> stageNamed(const QString& name) {
  for (const StageSpec& spec : kStageTable)
    if (name.compare(QLatin1String(spec.name), Qt::CaseInsensitive) == 0) return spec.id;
  return std::nullopt;
}

QStringList stageNames() {
  QStringList names;
  for (const StageSpec& spec : kStageTable) names << QString::fromLatin1(spec.name);
  return names;
}

QString stageTitle(const StageSpec& spec) {
  return QCoreApplication::translate("MainWindow", spec.title);
}

QString stageTip(const StageSpec& spec) {
  return QCoreApplication::translate("MainWindow", spec.tip);
}

QString stageLabel(const StageSpec& spec) {
  return QStringLiteral("%1  %2").arg(static_cast<int>(spec.id) + 1).arg(stageTitle(spec));
}

}  // namespace bertwb::ui
