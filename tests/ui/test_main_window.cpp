// The window shell: stages present, the model summary shows exact counts, pictures render.
#include <QDir>
#include <QListWidget>
#include <QtTest>

#include "main_window.h"
#include "model_summary_widget.h"

using bertwb::ui::MainWindow;
using bertwb::ui::ModelSummaryWidget;

class TestMainWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BERT Workbench Tests"));
  }

  void listsAllStagesInOrder() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    auto* list = window.findChild<QListWidget*>();
    QVERIFY(list);
    QStringList titles;
    for (int i = 0; i < list->count(); ++i) titles << list->item(i)->text().mid(3);
    QCOMPARE(titles, (QStringList{"Data", "Model", "Pre-train", "Fine-tune", "Playground", "Attention"}));
    QCOMPARE(list->currentRow(), int(MainWindow::Model));
  }

  void summaryShowsExactCounts_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("bertModel");
    QTest::addColumn<QString>("withHeads");
    QTest::newRow("base") << "base" << "109,482,240" << "110,106,428";
    QTest::newRow("large") << "large" << "335,141,888" << "336,226,108";
  }
  void summaryShowsExactCounts() {
    QFETCH(QString, preset);
    QFETCH(QString, bertModel);
    QFETCH(QString, withHeads);
    ModelSummaryWidget summary;
    summary.setPreset(preset);
    const QStringList rows = summary.parameterRows();
    QVERIFY(rows.size() >= 2);
    QVERIFY2(rows[rows.size() - 2].contains(bertModel), qPrintable(rows.join('\n')));
    QVERIFY2(rows.last().contains(withHeads), qPrintable(rows.join('\n')));
  }

  void rendersToPng() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    window.modelSummary()->setPreset(QStringLiteral("base"));
    window.resize(1100, 720);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QImage image = window.grab().toImage();
    QCOMPARE(image.width(), window.width() * int(window.devicePixelRatio()));
    // A blank picture would mean nothing was drawn: demand a few distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
      for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 8, "the window rendered (almost) blank");
    const QString outDir = QDir::current().absoluteFilePath(QStringLiteral("screenshots"));
    QDir().mkpath(outDir);
    QVERIFY(image.save(outDir + QStringLiteral("/main_window_model.png")));
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
