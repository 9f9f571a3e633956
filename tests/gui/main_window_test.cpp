// MainWindow end to end, offscreen: real runs of the bundled firmware through the profiler
// library. Open the KWS firmware, run it on a board and check the operator table against the
// model's 13 operators; cancel a long run and use the window again; open a text file renamed
// .elf and a malformed .tflite and see the error dialogs (through the dialog hook, so nothing
// blocks); open the bundled .tflite; open a renamed copy of the KWS model, which the window
// imports and cross-builds in the background (TINYSIM_IMPORT_DIR under the temporary
// directory), and profile it; export the profile and a chart.
//
// QSettings and the run store go to a temporary directory (XDG_CONFIG_HOME, XDG_DATA_HOME set
// before the application starts).
#include <QAbstractItemModel>
#include <QChartView>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QtWidgets/QApplication>
#include <cmath>
#include <nlohmann/json.hpp>

#include "gui/catalog_browser.h"
#include "gui/charts_view.h"
#include "gui/compare_view.h"
#include "gui/export_actions.h"
#include "gui/history_view.h"
#include "gui/main_window.h"
#include "gui/operator_table_model.h"
#include "gui/source_view.h"
#include "gui/timeline_view.h"
#include "profiler/report.h"
#include "profiler/run_store.h"

using tinysim::gui::MainWindow;
using tinysim::gui::OperatorTableModel;

namespace {

QString firmware(const QString& name) {
  return QString(TINYSIM_FIRMWARE_DIR) + "/" + name + ".elf";
}

// The operators of the KWS model (DS-CNN), in network order, as the importer names them
// (`tinysim profile --by-index` lists the same).
const QStringList kKwsOperators = {
    "conv_2d_0", "depthwise_conv_2d_1", "conv_2d_2",  "depthwise_conv_2d_3",
    "conv_2d_4", "depthwise_conv_2d_5", "conv_2d_6",  "depthwise_conv_2d_7",
    "conv_2d_8", "average_pool_2d_9",   "reshape_10", "fully_connected_11",
    "softmax_12"};

struct Dialog {
  QMessageBox::Icon icon;
  QString title;
  QString text;
};

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 public:
  explicit MainWindowTest(QString temp) : temp_(std::move(temp)) {}

 private slots:
  void init();
  void cleanup();
  void runsKwsAndFillsTheResults();
  void cancelKeepsPartialResultsAndTheWindowUsable();
  void textFileRenamedElfShowsAnErrorDialog();
  void missingFileAndUnknownModelShowErrors();
  void faultShowsAWarningAndThePartialResults();
  void firmwareThatDoesNotFitShowsAnError();
  void bundledModelOpensItsFirmware();
  void unknownModelIsBuiltAndProfiled();
  void firmwareForAnotherCoreRunsTheBoardsBuild();
  void exportsEveryFormatAndAChartPng();
  void settingsPersist();
  void dropOpensTheFile();
  void catalogAndCompareTabsOnThreeBoards();

 private:
  // Starts a run and waits for runFinished; its argument (ok).
  bool runAndWait(int timeout_ms = 300000);

  QString temp_;
  MainWindow* window_ = nullptr;
  std::vector<Dialog> dialogs_;
};

void MainWindowTest::init() {
  dialogs_.clear();
  window_ = new MainWindow;
  window_->setStorePath(temp_ + "/runs.db");
  window_->setDialogHook([this](QMessageBox::Icon icon, const QString& title, const QString& text) {
    dialogs_.push_back({icon, title, text});
  });
  window_->setFirmwareArguments({});  // settingsPersist() leaves "7" in the settings
  window_->resize(1200, 800);
  window_->show();
}

void MainWindowTest::cleanup() {
  window_->close();
  delete window_;
  window_ = nullptr;
}

bool MainWindowTest::runAndWait(int timeout_ms) {
  QSignalSpy finished(window_, &MainWindow::runFinished);
  if (!window_->startRun()) return false;
  if (!finished.wait(timeout_ms)) return false;
  return finished.first().first().toBool();
}

void MainWindowTest::runsKwsAndFillsTheResults() {
  QVERIFY(window_->openFile(firmware("kws_ref_model-cortex-m4f")));
  QVERIFY(window_->setBoard("nrf52840-dk"));
  QSignalSpy progress(window_->progressBar(), &QProgressBar::valueChanged);
  QVERIFY(runAndWait());
  QVERIFY2(dialogs_.empty(), dialogs_.empty() ? "" : qPrintable(dialogs_.front().text));
  QVERIFY(!window_->isRunning());

  const auto outcome = window_->lastOutcome();
  QVERIFY(outcome && outcome->ok);
  QCOMPARE(QString::fromStdString(outcome->profile.run.stop_reason), QString("exit"));
  QCOMPARE(outcome->profile.run.exit_code.value_or(-1), 0);
  QCOMPARE(QString::fromStdString(outcome->profile.board.name), QString("nrf52840-dk"));
  QVERIFY(outcome->stored_run_id.has_value());

  // The operator table: the model's 13 operators in network order, each with cycles.
  OperatorTableModel* model = window_->operatorModel();
  QCOMPARE(model->rowCount(), kKwsOperators.size());
  uint64_t sum = 0;
  for (int row = 0; row < model->rowCount(); ++row) {
    QCOMPARE(model->data(model->index(row, OperatorTableModel::kName)).toString(),
             kKwsOperators[row]);
    const double cycles =
        model->data(model->index(row, OperatorTableModel::kCycles), OperatorTableModel::kSortRole)
            .toDouble();
    QVERIFY2(cycles > 0, qPrintable(kKwsOperators[row]));
    sum += uint64_t(cycles);
    QVERIFY(model->data(model->index(row, OperatorTableModel::kCyclesPerMac)).toString() != "");
  }
  // The table shows the profile's numbers: the operators' cycles, conv_2d_0's exactly.
  const auto& profile = outcome->profile;
  uint64_t expected_sum = 0;
  for (const auto& op : profile.operators) {
    expected_sum += op.metrics.get_u64(tinysim::profiler::Metric::kCycles);
  }
  QCOMPARE(sum, expected_sum);
  QVERIFY(sum < profile.total.get_u64(tinysim::profiler::Metric::kCycles));
  QCOMPARE(model->data(model->index(0, OperatorTableModel::kCycles)).toString(),
           tinysim::gui::with_commas(
               profile.operators[0].metrics.get_u64(tinysim::profiler::Metric::kCycles)));

  // Sorting by cycles (descending) puts the hottest operator first.
  QTableView* table = window_->operatorTable();
  table->sortByColumn(OperatorTableModel::kCycles, Qt::DescendingOrder);
  QAbstractItemModel* shown = table->model();
  double previous = 1e300;
  for (int row = 0; row < shown->rowCount(); ++row) {
    const double c =
        shown->data(shown->index(row, OperatorTableModel::kCycles), OperatorTableModel::kSortRole)
            .toDouble();
    QVERIFY(c <= previous);
    previous = c;
  }

  // The other views got the same profile.
  QCOMPARE(window_->timeline()->sliceCount(), 13);
  QCOMPARE(window_->timeline()->lanes().size(), 6);  // the six operator kinds
  QVERIFY(!window_->charts()->cyclesChart()->chart()->series().isEmpty());
  QVERIFY(!window_->charts()->sramChart()->chart()->series().isEmpty());
  QVERIFY(window_->sourceView()->functionTable()->model()->rowCount() > 0);
  QVERIFY(window_->sourceView()->sourceTable()->rowCount() > 0);  // the hottest function's file
  QVERIFY(window_->summaryText().contains("exit"));
  QVERIFY(window_->runButton()->isEnabled());
  QVERIFY(!window_->cancelButton()->isEnabled());

  // The run went to the store, and the window can show it from there.
  auto store = tinysim::profiler::RunStore::open((temp_ + "/runs.db").toStdString());
  QVERIFY(store.is_ok());
  QVERIFY(window_->showStoredRun(*outcome->stored_run_id));
  QCOMPARE(window_->operatorModel()->rowCount(), 13);
  // The History tab lists the stored run; opening it there shows it in the results.
  auto* history = window_->historyView();
  QCOMPARE(history->storePath(), temp_ + "/runs.db");
  QVERIFY(history->runIds().contains(*outcome->stored_run_id));
  window_->showProfile(tinysim::profiler::Profile{});
  QCOMPARE(window_->operatorModel()->rowCount(), 0);
  history->selectRuns({*outcome->stored_run_id});
  history->openSelectedRun();
  QCOMPARE(window_->operatorModel()->rowCount(), 13);
  QCOMPARE(window_->tabs()->currentWidget(), static_cast<QWidget*>(window_->operatorTable()));
}

void MainWindowTest::cancelKeepsPartialResultsAndTheWindowUsable() {
  // ResNet-8 on the Cortex-M0+ of the Pico: about 140 million cycles, seconds of host time.
  QVERIFY(window_->openFile(firmware("pretrainedResnet_quant-cortex-m0plus-rp2040")));
  QVERIFY(window_->setBoard("rpi-pico"));
  QSignalSpy finished(window_, &MainWindow::runFinished);
  QVERIFY(window_->startRun());
  QVERIFY(window_->isRunning());
  QVERIFY(window_->cancelButton()->isEnabled());
  QVERIFY(!window_->runButton()->isEnabled());
  QVERIFY(!window_->startRun());  // one run at a time
  // Cancel once the simulation is under way (its first progress report).
  QTRY_VERIFY_WITH_TIMEOUT(window_->progressBar()->format().contains("cycles"), 60000);
  QTest::mouseClick(window_->cancelButton(), Qt::LeftButton);
  QVERIFY(finished.wait(60000));
  QCOMPARE(finished.first().first().toBool(), true);
  QVERIFY2(dialogs_.empty(), dialogs_.empty() ? "" : qPrintable(dialogs_.front().text));

  const auto outcome = window_->lastOutcome();
  QVERIFY(outcome->cancelled);
  QCOMPARE(QString::fromStdString(outcome->profile.run.stop_reason), QString("cancelled"));
  QVERIFY(outcome->profile.run.partial);
  QVERIFY(window_->summaryText().contains("CANCELLED"));
  QCOMPARE(window_->progressBar()->format(), QString("cancelled"));
  QVERIFY(window_->runButton()->isEnabled());
  QVERIFY(!window_->cancelButton()->isEnabled());

  // Usable again: a complete run on another board.
  QVERIFY(window_->openFile(firmware("kws_ref_model-cortex-m4f")));
  QVERIFY(window_->setBoard("nrf52840-dk"));
  QVERIFY(runAndWait());
  QVERIFY(!window_->lastOutcome()->cancelled);
  QCOMPARE(window_->operatorModel()->rowCount(), 13);
}

void MainWindowTest::textFileRenamedElfShowsAnErrorDialog() {
  const QString path = temp_ + "/notes.elf";
  {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("This is a text file, not an ELF.\n");
  }
  QVERIFY(window_->openFile(path));
  QVERIFY(!runAndWait());
  QCOMPARE(dialogs_.size(), size_t(1));
  QCOMPARE(dialogs_[0].icon, QMessageBox::Critical);
  QVERIFY2(dialogs_[0].text.contains(path), qPrintable(dialogs_[0].text));  // the library's message
  QVERIFY(!window_->lastOutcome()->ok);
  QVERIFY(!window_->lastOutcome()->error.isEmpty());
  QVERIFY(window_->runButton()->isEnabled());
  QCOMPARE(window_->progressBar()->format(), QString("failed"));
}

void MainWindowTest::missingFileAndUnknownModelShowErrors() {
  QVERIFY(!window_->openFile(temp_ + "/does-not-exist.elf"));
  QCOMPARE(dialogs_.size(), size_t(1));
  QVERIFY(dialogs_[0].text.contains("no such file"));

  const QString model = temp_ + "/mystery.tflite";
  {
    QFile f(model);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("TFL3 but not really");
  }
  // Not bundled: the window imports it in the background; the importer rejects it.
  QSignalSpy built(window_, &MainWindow::modelBuildFinished);
  QVERIFY(window_->openFile(model));
  QVERIFY(built.wait(60000));
  QCOMPARE(built.first().first().toBool(), false);
  QCOMPARE(dialogs_.size(), size_t(2));
  QCOMPARE(dialogs_[1].icon, QMessageBox::Critical);
  QVERIFY2(dialogs_[1].text.contains("mystery.tflite"), qPrintable(dialogs_[1].text));
  QVERIFY(!window_->runButton()->isEnabled());  // nothing open
}

void MainWindowTest::faultShowsAWarningAndThePartialResults() {
  // workloads/firmware/tests/faults.c: "bus-read" loads from unmapped 0x70000000.
  QVERIFY(window_->openFile(firmware("test-faults-cortex-m4f")));
  QVERIFY(window_->setBoard("nrf52840-dk"));
  window_->setFirmwareArguments("bus-read");
  QVERIFY(runAndWait());  // a profile up to the fault
  QCOMPARE(QString::fromStdString(window_->lastOutcome()->profile.run.stop_reason),
           QString("fault"));
  QCOMPARE(dialogs_.size(), size_t(1));
  QCOMPARE(dialogs_[0].icon, QMessageBox::Warning);
  QVERIFY2(dialogs_[0].text.contains("BusFault") && dialogs_[0].text.contains("0x70000000"),
           qPrintable(dialogs_[0].text));
  QVERIFY(window_->summaryText().contains("fault"));
  QVERIFY(window_->runButton()->isEnabled());
}

void MainWindowTest::firmwareThatDoesNotFitShowsAnError() {
  // VWW needs 55 KiB of arena and 241 KB of constants; the Nucleo-F030R8 has 8 KiB of SRAM and
  // 64 KiB of flash.
  QVERIFY(window_->openFile(firmware("vww_96_int8-cortex-m0")));
  QVERIFY(window_->setBoard("nucleo-f030r8"));
  QVERIFY(!runAndWait());
  QCOMPARE(dialogs_.size(), size_t(1));
  QCOMPARE(dialogs_[0].icon, QMessageBox::Critical);
  QVERIFY2(dialogs_[0].text.contains("vww_96_int8-cortex-m0.elf"), qPrintable(dialogs_[0].text));
  QVERIFY(!window_->lastOutcome()->error.isEmpty());
  QVERIFY(window_->runButton()->isEnabled());
}

void MainWindowTest::bundledModelOpensItsFirmware() {
  QVERIFY(
      window_->openFile(QString(TINYSIM_SOURCE_DIR) + "/workloads/models/kws_ref_model.tflite"));
  QVERIFY(window_->setBoard("nrf52840-dk"));
  QVERIFY(runAndWait());
  QCOMPARE(QFileInfo(window_->lastOutcome()->request.firmware_path).fileName(),
           QString("kws_ref_model-cortex-m4f.elf"));
  QCOMPARE(window_->operatorModel()->rowCount(), 13);
}

void MainWindowTest::unknownModelIsBuiltAndProfiled() {
  // The KWS model under another name and with one byte of padding appended (so neither its name
  // nor its bytes match a bundled model): imported and cross-built for the nRF52840's
  // cortex-m4f variant in the background, then run like any firmware.
  const QString model = temp_ + "/renamed_keywords.tflite";
  QFile::remove(model);
  QVERIFY(
      QFile::copy(QString(TINYSIM_SOURCE_DIR) + "/workloads/models/kws_ref_model.tflite", model));
  {
    QFile f(model);
    QVERIFY(f.open(QIODevice::Append));
    f.write(QByteArray(1, '\0'));
  }
  QVERIFY(window_->setBoard("nrf52840-dk"));
  QSignalSpy built(window_, &MainWindow::modelBuildFinished);
  QVERIFY(window_->openFile(model));
  QVERIFY(window_->isBuildingModel() || built.count() == 1);
  QVERIFY(built.count() == 1 || built.wait(300000));
  QVERIFY2(built.first().first().toBool(),
           dialogs_.empty() ? "" : qPrintable(dialogs_.front().text));
  QVERIFY(runAndWait());
  QVERIFY2(dialogs_.empty(), dialogs_.empty() ? "" : qPrintable(dialogs_.front().text));
  QCOMPARE(QFileInfo(window_->lastOutcome()->request.firmware_path).fileName(),
           QString("renamed_keywords-cortex-m4f.elf"));
  OperatorTableModel* table = window_->operatorModel();
  QCOMPARE(table->rowCount(), kKwsOperators.size());
  for (int row = 0; row < table->rowCount(); ++row) {
    QCOMPARE(table->data(table->index(row, OperatorTableModel::kName)).toString(),
             kKwsOperators[row]);
    QVERIFY(
        table->data(table->index(row, OperatorTableModel::kCycles), OperatorTableModel::kSortRole)
            .toDouble() > 0);
  }
}

void MainWindowTest::firmwareForAnotherCoreRunsTheBoardsBuild() {
  // The M4F build of KWS opened, the Cortex-M0+ Pico picked: the Pico's build runs.
  QVERIFY(window_->openFile(firmware("kws_ref_model-cortex-m4f")));
  QVERIFY(window_->setBoard("rpi-pico"));
  QVERIFY(runAndWait());
  QVERIFY(dialogs_.empty());
  QCOMPARE(QFileInfo(window_->lastOutcome()->request.firmware_path).fileName(),
           QString("kws_ref_model-cortex-m0plus-rp2040.elf"));
  QCOMPARE(QString::fromStdString(window_->lastOutcome()->profile.board.core),
           QString("cortex-m0plus"));
}

void MainWindowTest::exportsEveryFormatAndAChartPng() {
  QVERIFY(window_->openFile(firmware("kws_ref_model-cortex-m4f")));
  QVERIFY(window_->setBoard("nrf52840-dk"));
  QVERIFY(runAndWait());
  const tinysim::profiler::Profile& profile = *window_->profile();
  for (const auto& f : tinysim::gui::export_formats()) {
    const QString path = temp_ + "/export." + f.extension;
    QCOMPARE(tinysim::gui::export_profile(profile, f.format, path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    // Byte for byte what the profiler's renderer writes (what `tinysim profile -f` prints).
    QCOMPARE(bytes.toStdString(), tinysim::profiler::render(profile, f.format));
  }
  // The JSON reads back with the same operators.
  QFile json(temp_ + "/export.json");
  QVERIFY(json.open(QIODevice::ReadOnly));
  auto back =
      tinysim::profiler::profile_from_json(nlohmann::json::parse(json.readAll().toStdString()));
  QVERIFY(back.is_ok());
  QCOMPARE(back.value().operators.size(), size_t(13));

  const QString png = temp_ + "/cycles.png";
  QCOMPARE(tinysim::gui::save_png(window_->charts()->cyclesChart(), png), QString());
  QPixmap image(png);
  QVERIFY(!image.isNull());
  QVERIFY(image.width() > 100 && image.height() > 100);
  QVERIFY(tinysim::gui::export_profile(profile, tinysim::profiler::Format::kCsv,
                                       temp_ + "/no/such/dir/x.csv")
              .contains("cannot write"));
}

void MainWindowTest::settingsPersist() {
  QVERIFY(window_->openFile(firmware("kws_ref_model-cortex-m4f")));
  QVERIFY(window_->setBoard("nucleo-f411re"));
  window_->setFirmwareArguments("7");
  window_->tabs()->setCurrentIndex(2);
  window_->close();  // saves the settings
  QSettings settings("tinysim", "tinysim-gui");
  QCOMPARE(settings.value("recentFiles").toStringList().first(),
           QFileInfo(firmware("kws_ref_model-cortex-m4f")).absoluteFilePath());
  QCOMPARE(settings.value("board").toString(), QString("nucleo-f411re"));

  MainWindow again;
  QCOMPARE(again.board(), QString("nucleo-f411re"));
  QCOMPARE(again.tabs()->currentIndex(), 2);
}

void MainWindowTest::dropOpensTheFile() {
  const QString path = QFileInfo(firmware("kws_ref_model-cortex-m4f")).absoluteFilePath();
  QMimeData data;
  data.setUrls({QUrl::fromLocalFile(path)});
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window_, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window_, &drop);
  QVERIFY(window_->runButton()->isEnabled());  // a file is open
  QCOMPARE(QSettings("tinysim", "tinysim-gui").value("recentFiles").toStringList().first(), path);
  QVERIFY(runAndWait());
  QCOMPARE(window_->lastOutcome()->request.firmware_path, path);
}

void MainWindowTest::catalogAndCompareTabsOnThreeBoards() {
  auto* browser = window_->catalogBrowser();
  auto* compare = window_->compareView();
  const QString kws = firmware("kws_ref_model-cortex-m4f");
  QVERIFY(window_->openFile(kws));
  QCOMPARE(compare->firmware(), QFileInfo(kws).absoluteFilePath());

  // One board picked in the catalog becomes the run's board.
  browser->selectBoards({"nucleo-f411re"});
  QCOMPARE(window_->board(), QString("nucleo-f411re"));
  // Several go to the compare view.
  const QStringList three = {"nrf52840-dk", "nucleo-f411re", "rpi-pico"};
  browser->selectBoards(three);
  QCOMPARE(compare->boards(), three);

  QSignalSpy finished(compare, &tinysim::gui::CompareView::finished);
  QVERIFY2(compare->run(), qPrintable(compare->errorText()));
  QVERIFY(finished.wait(300000));
  QCOMPARE(finished.first().first().toBool(), false);  // not cancelled
  const auto& rows = compare->rows();
  QCOMPARE(rows.size(), size_t(3));
  const QStringList expected_firmware = {"kws_ref_model-cortex-m4f.elf",
                                         "kws_ref_model-cortex-m4f.elf",
                                         "kws_ref_model-cortex-m0plus-rp2040.elf"};
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    QCOMPARE(QString::fromStdString(row.board), three[int(i)]);
    QCOMPARE(QFileInfo(QString::fromStdString(row.firmware)).fileName(), expected_firmware[int(i)]);
    QVERIFY(row.profile.has_value());
    QVERIFY(row.latency_ms.has_value() && *row.latency_ms > 0);
    // The latency is the operators' cycles at the board clock.
    uint64_t cycles = 0;
    for (const auto& op : row.profile->operators) {
      cycles += op.metrics.get_u64(tinysim::profiler::Metric::kCycles);
    }
    QCOMPARE(QString::fromStdString(row.latency_scope), QString("operators"));
    QVERIFY(std::abs(*row.latency_ms - 1e3 * double(cycles) / double(row.clock_hz)) <
            1e-9 * *row.latency_ms);
  }
  QCOMPARE(compare->resultsTable()->rowCount(), 3);

  // The compare view and the main window's own run agree to the cycle (deterministic runs).
  QVERIFY(window_->setBoard("rpi-pico"));
  QVERIFY(runAndWait());
  QCOMPARE(window_->profile()->total.get_u64(tinysim::profiler::Metric::kCycles),
           rows[2].profile->total.get_u64(tinysim::profiler::Metric::kCycles));
}

int main(int argc, char** argv) {
  QTemporaryDir temp;
  if (!temp.isValid()) return 2;
  // Settings and the default run store under the temporary directory.
  qputenv("XDG_CONFIG_HOME", (temp.path() + "/config").toLocal8Bit());
  qputenv("XDG_DATA_HOME", (temp.path() + "/data").toLocal8Bit());
  qputenv("TINYSIM_IMPORT_DIR", (temp.path() + "/imported").toLocal8Bit());  // model builds
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  MainWindowTest test(temp.path());
  return QTest::qExec(&test, argc, argv);
}

#include "main_window_test.moc"
