#pragma once
// Help ▸ User Guide / Glossary / Keyboard Shortcuts (F1): the bundled, offline help
// (resources/help/*.md, compiled into the program) in one window with a tab each, searchable
// with Ctrl+F. Non-modal, so a class can keep it open beside the stage it explains.
#include <QDialog>

class QLineEdit;
class QTabWidget;
class QTextBrowser;

namespace bertwb::ui {

class HelpWindow : public QDialog {
  Q_OBJECT
 public:
  enum class Page { Guide, Glossary, Shortcuts };
  explicit HelpWindow(QWidget* parent = nullptr);

  void showPage(Page page);
  Page currentPage() const;
  // The page's text as Markdown (empty when the resource is missing: a broken build).
  QString pageMarkdown(Page page) const;
  // Moves to the next occurrence of `text` on the current page; false when there is none.
  bool find(const QString& text);

 private:
  QTextBrowser* browser(Page page) const;

  QTabWidget* tabs_;
  QLineEdit* search_;
};

}  // namespace bertwb::ui
