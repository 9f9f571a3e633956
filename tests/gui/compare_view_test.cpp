// CompareView with the bundled KWS firmware on three boards (nrf52840-dk: Cortex-M4F,
// nucleo-f411re: Cortex-M4F, rpi-pico: Cortex-M0+): real runs through profiler::compare_boards,
// each board gets its own build, three rows with non-zero latency; a latency budget that two of
// them miss colours their cells red and picks the one that meets it; a looser budget picks the
// cheapest board. Also: cancel, and the errors when nothing is chosen.
//
// Expected latencies come from the README's table of KWS on each board's memory system
// (whole run, seed 1): nucleo-f411re 69.7 ms < nrf52840-dk 100.9 ms < rpi-pico 315.5 ms, so an
// 80 ms budget is met by the F411RE only; prices from the catalog (price.board): rpi-pico $4,
// nucleo-f411re $13, nrf52840-dk $50.
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/budget_editor.h"
#include "gui/compare_view.h"

using tinysim::gui::CompareView;
namespace prof = tinysim::profiler;

namespace {

QString firmware(const QString& name, const QString& variant) {
  return QString(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

const QStringList kBoards = {"nrf52840-dk", "nucleo-f411re", "rpi-pico"};
const QColor kPass(0xcc, 0xee, 0xcc);
const QColor kFail(0xf4, 0xcc, 0xcc);
enum {
  kFirmwareColumn = 3,
  kStatusColumn = 4,
  kLatencyColumn = 5,
  kEnergyColumn = 6,
  kSramColumn = 7
};

}  // namespace

class CompareViewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    view_ = new CompareView;
    view_->setFirmware(firmware("kws_ref_model", "cortex-m4f"));
    view_->setBoards(kBoards);
    QSignalSpy finished(view_, &CompareView::finished);
    QVERIFY2(view_->run(), qPrintable(view_->errorText()));
    QVERIFY(view_->isRunning());
    QVERIFY(finished.wait(600'000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
  }
  void cleanupTestCase() { delete view_; }

  void offersEachBoardItsBuild() {
    const QStringList candidates = view_->firmwareCandidates();
    QCOMPARE(candidates.size(), 2);
    QVERIFY(candidates[0].endsWith("/kws_ref_model-cortex-m4f.elf"));
    QVERIFY(candidates[1].endsWith("/kws_ref_model-cortex-m0plus-rp2040.elf"));
  }

  void fillsThreeRowsWithNonZeroLatency() {
    const auto& rows = view_->rows();
    QCOMPARE(int(rows.size()), 3);
    const QTableWidget* table = view_->resultsTable();
    QCOMPARE(table->rowCount(), 3);
    for (int i = 0; i < 3; ++i) {
      const prof::CompareRow& r = rows[size_t(i)];
      qInfo("%s: %s, %.3f ms (%s), energy %s uJ, SRAM peak %llu B, flash %llu B", r.board.c_str(),
            r.firmware.c_str(), r.latency_ms.value_or(0), r.latency_scope.c_str(),
            r.energy_uj ? qPrintable(QString::number(*r.energy_uj, 'f', 3)) : "n/a",
            static_cast<unsigned long long>(r.sram_peak_bytes),
            static_cast<unsigned long long>(r.flash_bytes));
      QCOMPARE(QString::fromStdString(r.board), kBoards[i]);
      QCOMPARE(r.status, prof::RowStatus::kOk);
      QVERIFY(r.latency_ms.has_value());
      QVERIFY(*r.latency_ms > 0);
      QVERIFY(r.sram_fits && r.flash_fits);
      QCOMPARE(table->item(i, 0)->text(), kBoards[i]);
      QCOMPARE(table->item(i, kStatusColumn)->text(), QString("ok"));
      QCOMPARE(table->item(i, kLatencyColumn)->text(),
               QLocale(QLocale::English).toString(*r.latency_ms, 'f', 3));
    }
    QCOMPARE(table->item(0, kFirmwareColumn)->text(), QString("kws_ref_model-cortex-m4f.elf"));
    QCOMPARE(table->item(1, kFirmwareColumn)->text(), QString("kws_ref_model-cortex-m4f.elf"));
    QCOMPARE(table->item(2, kFirmwareColumn)->text(),
             QString("kws_ref_model-cortex-m0plus-rp2040.elf"));
    // The README's order: F411RE (100 MHz) < nRF52840 (64 MHz) < RP2040 (Cortex-M0+).
    QVERIFY(*rows[1].latency_ms < 80.0);
    QVERIFY(*rows[0].latency_ms > 80.0);
    QVERIFY(*rows[2].latency_ms > *rows[0].latency_ms);
  }

  void latencyBudgetSomeMissIsColouredFailed() {
    view_->budgetEditor()->clear();
    view_->budgetEditor()->setLatency("80ms");
    const QTableWidget* table = view_->resultsTable();
    QCOMPARE(table->item(0, kLatencyColumn)->background().color(), kFail);
    QCOMPARE(table->item(1, kLatencyColumn)->background().color(), kPass);
    QCOMPARE(table->item(2, kLatencyColumn)->background().color(), kFail);
    // Memory fits everywhere (KWS needs 16 KiB of arena).
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(table->item(i, kSramColumn)->background().color(), kPass);
    }
    QVERIFY(!view_->verdict(0).pass);
    QVERIFY(view_->verdict(1).pass);
    QVERIFY(!view_->verdict(2).pass);
    QCOMPARE(view_->winner(), QString("nucleo-f411re"));
    qInfo("%s", qPrintable(view_->winnerReason()));
    QVERIFY2(view_->winnerReason().contains("rpi-pico ($4.00) fails latency"),
             qPrintable(view_->winnerReason()));

    // The latency chart draws the budget as a line at 80 ms and the two misses in red.
    QChart* chart = view_->chart("latency");
    QVERIFY(chart);
    QLineSeries* line = nullptr;
    QBarSeries* bars = nullptr;
    for (QAbstractSeries* s : chart->series()) {
      if (auto* l = qobject_cast<QLineSeries*>(s)) line = l;
      if (auto* b = qobject_cast<QBarSeries*>(s)) bars = b;
    }
    QVERIFY(line && bars);
    QCOMPARE(line->count(), 2);
    QCOMPARE(line->at(0).y(), 80.0);
    QCOMPARE(line->at(1).y(), 80.0);
    QBarSet* set = bars->barSets().at(0);
    QCOMPARE(set->count(), 3);
    QVERIFY(set->isBarSelected(0));
    QVERIFY(!set->isBarSelected(1));
    QVERIFY(set->isBarSelected(2));
  }

  void energyBudgetFailsWhereThereIsNoEnergyFigure() {
    // 1 J is far above any board's figure: a row passes exactly when it has one (power data in
    // the catalog); a row without fails with a reason, never passes.
    view_->budgetEditor()->clear();
    view_->budgetEditor()->setEnergy("1J");
    const QTableWidget* table = view_->resultsTable();
    for (int i = 0; i < 3; ++i) {
      const prof::CompareRow& r = view_->rows()[size_t(i)];
      QCOMPARE(table->item(i, kEnergyColumn)->background().color(), r.energy_uj ? kPass : kFail);
      QCOMPARE(
          table->item(i, kEnergyColumn)->text(),
          r.energy_uj ? QLocale(QLocale::English).toString(*r.energy_uj, 'f', 3) : QString("n/a"));
      if (!r.energy_uj) QVERIFY(table->item(i, kEnergyColumn)->toolTip().contains("FAIL"));
    }
    view_->budgetEditor()->clear();
  }

  void looseBudgetPicksTheCheapestBoard() {
    view_->budgetEditor()->clear();
    view_->budgetEditor()->setLatency("1s");
    QCOMPARE(view_->winner(), QString("rpi-pico"));
    QVERIFY(view_->winnerReason().startsWith("rpi-pico is the cheapest board"));
    // A price limit under every price: nobody wins, and the reason names each failure.
    view_->budgetEditor()->setMaxPrice("3");
    QCOMPARE(view_->winner(), QString());
    QVERIFY(view_->winnerReason().startsWith("No board meets the budget"));
    view_->budgetEditor()->clear();
  }

  void badBudgetTextIsReported() {
    view_->budgetEditor()->setLatency("fast");
    QVERIFY(view_->budgetEditor()->errorText().startsWith("latency: "));
    QVERIFY(!view_->budgetEditor()->budget().latency_ms.has_value());
    view_->budgetEditor()->clear();
  }

  void budgetRoundTripsThroughSettings() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath("gui.ini"), QSettings::IniFormat);
    tinysim::gui::BudgetEditor saved;
    saved.setLatency("50ms");
    saved.setEnergy("2mJ");
    saved.setSramMargin("10%");
    saved.setPriceBasis(prof::PriceBasis::kChip);
    saved.saveSettings(settings);
    tinysim::gui::BudgetEditor restored;
    restored.restoreSettings(settings);
    const prof::Budget b = restored.budget();
    QCOMPARE(b.latency_ms, std::optional<double>(50.0));
    QCOMPARE(b.energy_uj, std::optional<double>(2000.0));
    QCOMPARE(b.sram_margin_percent, std::optional<double>(10.0));
    QVERIFY(!b.max_price_usd && !b.flash_margin_percent);
    QCOMPARE(b.price_basis, prof::PriceBasis::kChip);
  }

  void cancelStopsTheRun() {
    CompareView view;
    // ResNet-8 (the largest bundled model) so the runs are still going when the cancel lands.
    view.setFirmware(firmware("pretrainedResnet_quant", "cortex-m4f"));
    view.setBoards(kBoards);
    QSignalSpy finished(&view, &CompareView::finished);
    QVERIFY(view.run());
    view.cancel();
    QVERIFY(finished.wait(600'000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(int(view.rows().size()), 3);
    // A board whose run had already ended before the cancel reached it keeps its result; the
    // others say cancelled.
    int cancelled = 0;
    for (const prof::CompareRow& r : view.rows()) {
      QVERIFY(r.status == prof::RowStatus::kCancelled || r.status == prof::RowStatus::kOk);
      cancelled += r.status == prof::RowStatus::kCancelled;
    }
    QVERIFY(cancelled > 0);
    QVERIFY(!view.isRunning());
    QVERIFY(view.winner().isEmpty());
  }

  void bundledModelOffersItsBuilds() {
    CompareView view;
    view.setFirmware(QString(TINYSIM_SOURCE_DIR) + "/workloads/models/kws_ref_model.tflite");
    view.setBoards({"rpi-pico", "stm32f746g-disco", "nrf52840-dk"});
    const QStringList candidates = view.firmwareCandidates();
    QCOMPARE(candidates.size(), 3);
    QVERIFY(candidates[0].endsWith("/kws_ref_model-cortex-m0plus-rp2040.elf"));
    QVERIFY(candidates[1].endsWith("/kws_ref_model-cortex-m7f.elf"));
    QVERIFY(candidates[2].endsWith("/kws_ref_model-cortex-m4f.elf"));
  }

  void nothingChosenIsAnError() {
    CompareView view;
    QVERIFY(!view.run());
    QVERIFY(view.errorText().contains("No boards chosen"));
    view.setBoards({"nrf52840-dk"});
    QVERIFY(!view.run());
    QVERIFY(view.errorText().contains("No firmware chosen"));
    view.setFirmware(firmware("kws_ref_model", "cortex-m4f"));
    view.setBoards({"no-such-board"});
    QVERIFY(!view.run());
    QVERIFY(view.errorText().contains("no-such-board"));
  }

 private:
  CompareView* view_ = nullptr;
};

QTEST_MAIN(CompareViewTest)
#include "compare_view_test.moc"
