// CatalogBrowser over the bundled catalog: lists every board, filters like `tinysim boards`
// (expected names from `tinysim boards --core m4` and `--min-sram 256K --max-price 30`), shows
// a board's values with their sources, and reports selections and bad filter text.
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/catalog_browser.h"

using tinysim::gui::CatalogBrowser;

class CatalogBrowserTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void listsAllEighteenBoards() {
    CatalogBrowser browser;
    QCOMPARE(browser.boardCount(), 18);
    QCOMPARE(browser.visibleBoards().size(), 18);
    QVERIFY(browser.visibleBoards().contains("nrf52840-dk"));
    QCOMPARE(browser.statusText(), QString("18 of 18 boards"));
    QVERIFY(browser.filterError().isEmpty());
  }

  void filtersByCore() {
    CatalogBrowser browser;
    browser.setCoreFilter("cortex-m4");
    QStringList visible = browser.visibleBoards();
    visible.sort();
    QCOMPARE(visible, (QStringList{"nrf52840-dk", "nucleo-f401re", "nucleo-f411re", "nucleo-f446re",
                                   "nucleo-l4r5zi", "stm32f407g-disc1"}));
    browser.setCoreFilter("m33");
    visible = browser.visibleBoards();
    visible.sort();
    QCOMPARE(visible, (QStringList{"nrf5340-dk", "nucleo-l552ze-q", "nucleo-u575zi-q"}));
    browser.setCoreFilter("");
    QCOMPARE(browser.visibleBoards().size(), 18);
  }

  void filtersBySramAndPrice() {
    CatalogBrowser browser;
    browser.setMinSramFilter("256K");
    browser.setMaxPriceFilter("30");
    QStringList visible = browser.visibleBoards();
    visible.sort();
    // Boards without a known price are hidden by a price limit, as in the CLI.
    QCOMPARE(visible,
             (QStringList{"nucleo-l4r5zi", "nucleo-l552ze-q", "nucleo-u575zi-q", "rpi-pico"}));
    browser.setMinClockFilter("150MHz");
    QCOMPARE(browser.visibleBoards(), QStringList{"nucleo-u575zi-q"});
    browser.clearFilters();
    QCOMPARE(browser.visibleBoards().size(), 18);
  }

  void badFilterTextIsReportedNotApplied() {
    CatalogBrowser browser;
    browser.setMinSramFilter("lots");
    QVERIFY(browser.filterError().startsWith("min SRAM: "));
    QCOMPARE(browser.visibleBoards().size(), 18);
    browser.setMinSramFilter("");
    QVERIFY(browser.filterError().isEmpty());
  }

  void selectionEmitsNamesAndShowsSources() {
    CatalogBrowser browser;
    QSignalSpy spy(&browser, &CatalogBrowser::boardsSelected);
    browser.selectBoards({"rpi-pico", "nucleo-f411re", "nrf52840-dk"});
    QCOMPARE(spy.count(), 1);
    QStringList names = spy.takeFirst().at(0).toStringList();
    names.sort();
    QCOMPARE(names, (QStringList{"nrf52840-dk", "nucleo-f411re", "rpi-pico"}));
    QCOMPARE(browser.selectedBoards().size(), 3);

    // The details pane lists the current board's catalog values, each with its source.
    QVERIFY(!browser.currentBoard().isEmpty());
    const QTableWidget* details = browser.detailsTable();
    QVERIFY(details->rowCount() > 10);
    bool found_sram_size = false;
    for (int row = 0; row < details->rowCount(); ++row) {
      if (details->item(row, 0)->text().startsWith("memory.") &&
          details->item(row, 0)->text().endsWith(".size")) {
        found_sram_size = true;
        QVERIFY2(!details->item(row, 2)->text().isEmpty(),
                 qPrintable(details->item(row, 0)->text() + " has no source"));
      }
    }
    QVERIFY(found_sram_size);

    // Filtering the selected boards away empties the selection.
    browser.setCoreFilter("cortex-m7");
    QCOMPARE(browser.selectedBoards(), QStringList{});
    QCOMPARE(spy.count(), 1);
    QVERIFY(spy.takeFirst().at(0).toStringList().isEmpty());
  }

  void filtersRoundTripThroughSettings() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath("gui.ini"), QSettings::IniFormat);
    {
      CatalogBrowser browser;
      browser.setCoreFilter("m33");
      browser.setMinSramFilter("512K");
      browser.saveSettings(settings);
    }
    CatalogBrowser restored;
    restored.restoreSettings(settings);
    QStringList visible = restored.visibleBoards();
    visible.sort();
    QCOMPARE(visible, (QStringList{"nrf5340-dk", "nucleo-u575zi-q"}));
  }

  void badCatalogDirectoryKeepsBoardsAndSaysWhy() {
    CatalogBrowser browser;
    QVERIFY(!browser.loadCatalog("/nonexistent/catalog"));
    QCOMPARE(browser.boardCount(), 18);
    QVERIFY(browser.statusText().contains("/nonexistent/catalog"));
  }
};

QTEST_MAIN(CatalogBrowserTest)
#include "catalog_browser_test.moc"
