#pragma once
// A stage of the workflow that is not built yet: says what it will hold, so the sidebar
// already shows the whole path from data to attention.
#include <QWidget>

namespace bertwb::ui {

class StagePlaceholder : public QWidget {
  Q_OBJECT
 public:
  StagePlaceholder(const QString& title, const QString& description, QWidget* parent = nullptr);
};

}  // namespace bertwb::ui
