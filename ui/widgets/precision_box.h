#pragma once
// The precision a run trains in, as a choice on the hyper-parameter forms: auto (which says
// what it picks on this CPU), fp32, or bf16 (disabled, with the reason, on a CPU without
// native bf16, where it would be emulated and slower than fp32). The run itself states the
// precision it used in the status bar and in metrics.jsonl.
#include <QComboBox>
#include <string>

namespace bertwb::ui {

class PrecisionBox : public QComboBox {
  Q_OBJECT
 public:
  explicit PrecisionBox(QWidget* parent = nullptr);

  // "auto" | "fp32" | "bf16"; another name (fp16, from a hand-edited workspace) selects auto.
  void setPrecision(const std::string& name);
  std::string precision() const;
};

}  // namespace bertwb::ui
