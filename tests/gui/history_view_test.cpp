// HistoryView over a temporary run store: lists the runs written to it (newest first, cycles and
// energy from the stored profiles), diffs two of them with deltas computed by hand, colours a
// cost increase red and a saving green, emits openProfile on request, and reports a damaged
// store instead of crashing.
#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/history_view.h"
#include "profiler/profile.h"
#include "profiler/run_store.h"

using tinysim::gui::HistoryView;
namespace prof = tinysim::profiler;

namespace {

prof::OperatorProfile op(uint32_t index, const char* name, const char* kind, double cycles,
                         std::optional<double> energy_uj) {
  prof::OperatorProfile o;
  o.index = index;
  o.name = name;
  o.kind = kind;
  o.invocations = 1;
  o.metrics.set(prof::Metric::kCycles, cycles);
  if (energy_uj) o.metrics.set(prof::Metric::kEnergyUj, *energy_uj);
  return o;
}

// A two-operator profile: conv_2d_0 and fully_connected_1, plus `outside` cycles.
prof::Profile profile(const char* board, double conv, double fc, double outside,
                      std::optional<double> energy_uj, uint64_t sram_peak) {
  prof::Profile p;
  p.firmware.path = "/firmware/kws-cortex-m4f.elf";
  p.firmware.fnv1a64 = "0123456789abcdef";
  p.board.name = board;
  p.board.core = "cortex-m4";
  p.board.clock_hz = 64'000'000;
  p.run.stop_reason = "exit";
  p.run.exit_code = 0;
  p.operator_source = prof::OperatorSource::kMarkers;
  p.operators.push_back(op(0, "conv_2d_0", "CONV_2D", conv, energy_uj));
  p.operators.push_back(op(1, "fully_connected_1", "FULLY_CONNECTED", fc, std::nullopt));
  p.outside_operators.set(prof::Metric::kCycles, outside);
  p.total.set(prof::Metric::kCycles, conv + fc + outside);
  if (energy_uj) p.total.set(prof::Metric::kEnergyUj, *energy_uj);
  p.memory.sram_peak_bytes = sram_peak;
  p.memory.flash_bytes = 40'000;
  return p;
}

int row_of(const QTableWidget* table, const QString& first_column) {
  for (int row = 0; row < table->rowCount(); ++row) {
    if (table->item(row, 0)->text() == first_column) return row;
  }
  return -1;
}

}  // namespace

class HistoryViewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath("runs.db");
    auto store = prof::RunStore::open(path_.toStdString());
    QVERIFY2(store.is_ok(), store.status().message().c_str());
    prof::RunMetadata meta;
    meta.created_at = "2026-11-21T10:00:00Z";
    auto a = store.value()->add(profile("nrf52840-dk", 1000, 500, 100, 12.5, 20'000), meta);
    meta.created_at = "2026-11-21T11:00:00Z";
    auto b = store.value()->add(profile("nrf52840-dk", 1200, 400, 100, std::nullopt, 19'000), meta);
    QVERIFY(a.is_ok() && b.is_ok());
    id_a_ = a.value();
    id_b_ = b.value();
  }

  void listsStoredRunsNewestFirst() {
    HistoryView view;
    view.setStorePath(path_);
    QVERIFY(view.errorText().isEmpty());
    QCOMPARE(view.runCount(), 2);
    QCOMPARE(view.runIds(), (QList<qint64>{id_b_, id_a_}));
    const QTableWidget* runs = view.runsTable();
    // Row 1 is run A: 1000 + 500 + 100 cycles, 12.5 uJ.
    QCOMPARE(runs->item(1, 1)->text(), QString("2026-11-21T10:00:00Z"));
    QCOMPARE(runs->item(1, 2)->text(), QString("kws-cortex-m4f.elf"));
    QCOMPARE(runs->item(1, 3)->text(), QString("nrf52840-dk"));
    QCOMPARE(runs->item(1, 4)->text(), QString("1,600"));
    QCOMPARE(runs->item(1, 5)->text(), QString("12.500"));
    QCOMPARE(runs->item(0, 4)->text(), QString("1,700"));
    QCOMPARE(runs->item(0, 5)->text(), QString("n/a"));
  }

  void diffsTwoSelectedRuns() {
    HistoryView view;
    view.setStorePath(path_);
    view.selectRuns({id_a_, id_b_});
    QCOMPARE(view.selectedRuns(), (QList<qint64>{id_a_, id_b_}));
    QVERIFY(view.diffSelected());
    QVERIFY(view.diffLabelA().startsWith(QString("run %1 (kws-cortex-m4f.elf").arg(id_a_)));
    const QTableWidget* diff = view.diffTable();

    const int conv = row_of(diff, "conv_2d_0");
    QVERIFY(conv >= 0);
    QCOMPARE(diff->item(conv, 2)->text(), QString("1,000"));
    QCOMPARE(diff->item(conv, 3)->text(), QString("1,200"));
    QCOMPARE(diff->item(conv, 4)->text(), QString("+200"));
    QCOMPARE(diff->item(conv, 5)->text(), QString("+20.00"));
    QCOMPARE(diff->item(conv, 4)->background().color(), QColor(0xf4, 0xcc, 0xcc));

    const int fc = row_of(diff, "fully_connected_1");
    QVERIFY(fc >= 0);
    QCOMPARE(diff->item(fc, 4)->text(), QString("-100"));
    QCOMPARE(diff->item(fc, 5)->text(), QString("-20.00"));
    QCOMPARE(diff->item(fc, 4)->background().color(), QColor(0xcc, 0xee, 0xcc));

    const int total = row_of(diff, "[total]");
    QVERIFY(total >= 0);
    QCOMPARE(diff->item(total, 4)->text(), QString("+100"));
    QCOMPARE(diff->item(total, 5)->text(), QString("+6.25"));  // 100 / 1600

    const int outside = row_of(diff, "[outside operators]");
    QCOMPARE(diff->item(outside, 4)->text(), QString("0"));
    QCOMPARE(diff->item(outside, 4)->background().style(), Qt::NoBrush);

    const int sram = row_of(diff, "[SRAM peak bytes]");
    QCOMPARE(diff->item(sram, 4)->text(), QString("-1,000"));
    QCOMPARE(diff->item(sram, 5)->text(), QString("-5.00"));
    // Energy only in run A: no delta.
    QCOMPARE(diff->item(total, 6)->text(), QString("12.500"));
    QCOMPARE(diff->item(total, 8)->text(), QString("-"));
  }

  void diffNeedsTwoRunsAndNamesAMissingOne() {
    HistoryView view;
    view.setStorePath(path_);
    view.selectRuns({id_a_});
    QVERIFY(!view.diffSelected());
    QVERIFY(view.errorText().contains("exactly two"));
    QVERIFY(!view.diffRuns(id_a_, 9999));
    QVERIFY(view.errorText().startsWith("run 9999: "));
  }

  void openEmitsRunId() {
    HistoryView view;
    view.setStorePath(path_);
    QSignalSpy spy(&view, &HistoryView::openProfile);
    view.selectRuns({id_a_});
    view.openSelectedRun();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toLongLong(), id_a_);
  }

  void missingStoreIsEmptyAndDamagedStoreIsAnError() {
    HistoryView view;
    const QString missing = dir_.filePath("none.db");
    view.setStorePath(missing);
    QCOMPARE(view.runCount(), 0);
    QVERIFY(view.errorText().isEmpty());
    QVERIFY(!QFile::exists(missing));  // not created by looking

    const QString junk = dir_.filePath("junk.db");
    QFile file(junk);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    view.setStorePath(junk);
    QCOMPARE(view.runCount(), 0);
    QVERIFY(!view.errorText().isEmpty());
  }

 private:
  QTemporaryDir dir_;
  QString path_;
  qint64 id_a_ = 0, id_b_ = 0;
};

QTEST_MAIN(HistoryViewTest)
#include "history_view_test.moc"
