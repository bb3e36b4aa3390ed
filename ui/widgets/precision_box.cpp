#include "widgets/precision_box.h"

#include <QStandardItemModel>

#include "runtime/cpu_features.h"

namespace bertwb::ui {

PrecisionBox::PrecisionBox(QWidget* parent) : QComboBox(parent) {
  const CpuBf16Support cpu = detectCpuBf16();
  const QString hardware = QString::fromStdString(cpu.hardware);
  addItem(cpu.native ? tr("auto (bf16 on this CPU)") : tr("auto (fp32 on this CPU)"),
          QStringLiteral("auto"));
  addItem(tr("fp32"), QStringLiteral("fp32"));
  addItem(tr("bf16"), QStringLiteral("bf16"));
  if (!cpu.native) {
    // Emulated bf16 runs slower than fp32: nobody should pick it by accident.
    auto* items = qobject_cast<QStandardItemModel*>(model());
    if (items) {
      items->item(2)->setEnabled(false);
      items->item(2)->setToolTip(
          tr("This CPU has %1: bf16 would be emulated and slower than fp32.").arg(hardware));
    }
  }
  setToolTip(tr("The numbers the matrix products use. fp32 is the exact path. bf16 (bfloat16 "
                "autocast) runs the matrix products about 2–3× faster on CPUs with AVX512-BF16 or "
                "AMX, while weights, optimizer state, LayerNorm, softmax and losses stay fp32. "
                "auto picks bf16 where the hardware has it (this CPU: %1). On a CUDA GPU, auto "
                "picks bf16 from Ampere on.")
                 .arg(hardware));
}

void PrecisionBox::setPrecision(const std::string& name) {
  const int index = findData(QString::fromStdString(name));
  setCurrentIndex(index >= 0 && model()->flags(model()->index(index, 0)).testFlag(Qt::ItemIsEnabled)
                      ? index
                      : 0);
}

std::string PrecisionBox::precision() const {
  return currentData().toString().toStdString();
}

}  // namespace bertwb::ui
