#pragma once
// The GUI's QApplication with one safety net: an exception thrown inside any event handler or
// slot stops at the event loop instead of terminating the program (and with it a running
// training). The panels catch what they expect; this reports what they did not, and the
// window keeps going.
#include <QApplication>
#include <QMessageBox>
#include <QPointer>
#include <exception>
#include <iostream>

class GuardedApplication final : public QApplication {
 public:
  using QApplication::QApplication;

  bool notify(QObject* receiver, QEvent* event) override {
    try {
      return QApplication::notify(receiver, event);
    } catch (const std::exception& e) {
      report(QString::fromUtf8(e.what()));
    } catch (...) {
      report(QStringLiteral("an unexpected error"));
    }
    return false;
  }

 private:
  void report(const QString& message) {
    std::cerr << "error: " << message.toStdString() << "\n";
    // Not exec(): this runs inside an event handler; an open()ed box returns at once.
    auto* box = new QMessageBox(
        QMessageBox::Warning, QStringLiteral("BERT Workbench"),
        QStringLiteral("Something went wrong and was stopped: %1\nThe window keeps going; "
                       "your work is kept.")
            .arg(message));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
};
