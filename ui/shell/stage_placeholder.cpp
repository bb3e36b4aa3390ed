#include "shell/stage_placeholder.h"

#include <QLabel>
#include <QVBoxLayout>

namespace bertwb::ui {

StagePlaceholder::StagePlaceholder(const QString& title, const QString& description,
                                   QWidget* parent)
    : QWidget(parent) {
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(title.toHtmlEscaped()), this);
  auto* text = new QLabel(description, this);
  text->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(text);
  layout->addStretch(1);
}

}  // namespace bertwb::ui
