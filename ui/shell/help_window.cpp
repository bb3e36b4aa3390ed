#include "shell/help_window.h"

#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace bertwb::ui {
namespace {

constexpr int kHelpWidth = 760, kHelpHeight = 620;

QString resourceText(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

QString resourceOf(HelpWindow::Page page) {
  switch (page) {
    case HelpWindow::Page::Guide:
      return QStringLiteral(":/help/user_guide.md");
    case HelpWindow::Page::Glossary:
      return QStringLiteral(":/help/glossary.md");
    case HelpWindow::Page::Shortcuts:
      return QStringLiteral(":/help/shortcuts.md");
  }
  return {};
}

}  // namespace

HelpWindow::HelpWindow(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("BERT Workbench Help"));
  tabs_ = new QTabWidget(this);
  const struct {
    Page page;
    QString title;
  } pages[] = {{Page::Guide, tr("User Guide")},
               {Page::Glossary, tr("Glossary")},
               {Page::Shortcuts, tr("Keyboard Shortcuts")}};
  for (const auto& [page, title] : pages) {
    auto* view = new QTextBrowser(tabs_);
    view->setOpenExternalLinks(false);  // offline: nothing leaves the program
    const QString markdown = resourceText(resourceOf(page));
    if (markdown.isEmpty())
      view->setPlainText(tr("This page is missing from the program (%1).").arg(resourceOf(page)));
    else
      view->setMarkdown(markdown);
    tabs_->addTab(view, title);
  }

  search_ = new QLineEdit(this);
  search_->setPlaceholderText(tr("Find on this page (Enter: next)"));
  search_->setClearButtonEnabled(true);
  auto* status = new QLabel(this);
  connect(search_, &QLineEdit::returnPressed, this, [this, status] {
    status->setText(find(search_->text()) || search_->text().isEmpty() ? QString()
                                                                       : tr("Not found"));
  });
  auto* findShortcut = new QShortcut(QKeySequence::Find, this);
  connect(findShortcut, &QShortcut::activated, this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  auto* close = new QPushButton(tr("Close"), this);
  connect(close, &QPushButton::clicked, this, &QDialog::close);

  auto* bottom = new QHBoxLayout;
  bottom->addWidget(search_, 1);
  bottom->addWidget(status);
  bottom->addWidget(close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(tabs_, 1);
  layout->addLayout(bottom);
  resize(kHelpWidth, kHelpHeight);
}

QTextBrowser* HelpWindow::browser(Page page) const {
  return qobject_cast<QTextBrowser*>(tabs_->widget(static_cast<int>(page)));
}

void HelpWindow::showPage(Page page) {
  tabs_->setCurrentIndex(static_cast<int>(page));
  show();
  raise();
  activateWindow();
}

HelpWindow::Page HelpWindow::currentPage() const {
  return static_cast<Page>(tabs_->currentIndex());
}

QString HelpWindow::pageMarkdown(Page page) const {
  return resourceText(resourceOf(page));
}

bool HelpWindow::find(const QString& text) {
  if (text.isEmpty()) return false;
  QTextBrowser* view = browser(currentPage());
  if (view->find(text)) return true;
  // Wrap around once from the top.
  view->moveCursor(QTextCursor::Start);
  return view->find(text);
}

}  // namespace bertwb::ui
