#pragma once
// A stage's page while no workspace is open yet (the first seconds of a start, or after a
// workspace failed to open): its title and what is happening or what to do, so the sidebar
// already shows the whole path from data to attention.
#include <QWidget>

namespace bertwb::ui {

class StagePlaceholder : public QWidget {
  Q_OBJECT
 public:
  StagePlaceholder(const QString& title, const QString& description, QWidget* parent = nullptr);
};

}  // namespace bertwb::ui
