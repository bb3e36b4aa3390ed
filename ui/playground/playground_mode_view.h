#pragma once
// One page of the Playground: the inputs of one kind of question (classify, tag, answer,
// fill the masks) and the drawing of its answer. The panel around it owns the debounce and
// the PredictorService; a page only says what to ask (request()) and shows what came back.
#include <QString>
#include <QWidget>
#include <any>

#include "shell/predictor_service.h"

namespace bertwb::ui {

class PlaygroundModeView : public QWidget {
  Q_OBJECT
 public:
  using QWidget::QWidget;

  // The service channel of this page's requests ("playground-classify", ...).
  virtual QString channel() const = 0;
  // The page's input as the Attention stage reads it: text A and B (QA: question, context).
  virtual QString textA() const = 0;
  virtual QString textB() const = 0;
  virtual void setTexts(const QString& textA, const QString& textB) = 0;
  // Nothing to ask (the text is empty): the panel clears the result instead of asking.
  virtual bool hasInput() const { return !textA().trimmed().isEmpty(); }
  // The question to ask, with the current inputs captured by value (it runs on the worker).
  virtual PredictorService::Work request() const = 0;
  // Draws a result of request() (called on the GUI thread).
  virtual void showResult(const std::any& result) = 0;
  virtual void clearResult() = 0;

 Q_SIGNALS:
  void edited();  // the user changed an input
};

}  // namespace bertwb::ui
