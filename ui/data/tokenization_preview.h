#pragma once
// "What does the tokenizer make of this line?": a line typed or picked from the corpus, cut
// into pieces drawn as chips with their vocabulary ids, and a one-line summary (pieces,
// [UNK]s, words split into ##pieces).
#include <QWidget>
#include <memory>

namespace bertwb {
class Tokenizer;
}

class QComboBox;
class QLabel;
class QLineEdit;

namespace bertwb::ui {

class TokenChipsView;

class TokenizationPreview : public QWidget {
  Q_OBJECT
 public:
  explicit TokenizationPreview(QWidget* parent = nullptr);

  // No tokenizer: the preview explains that it needs one.
  void setTokenizer(std::shared_ptr<const Tokenizer> tokenizer);
  void setSampleLines(const QStringList& lines);
  void setText(const QString& text);
  QString text() const;
  const TokenChipsView* chipsView() const { return chips_; }
  QString summary() const;

 private:
  void retokenize();

  std::shared_ptr<const Tokenizer> tokenizer_;
  QLineEdit* input_;
  QComboBox* samples_;
  TokenChipsView* chips_;
  QLabel* summary_;
  QLabel* rules_;
};

}  // namespace bertwb::ui
