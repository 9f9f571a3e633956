// MainWindow: menus, toolbar, run control and the result tabs (see main_window.h).
#include "gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "gui/budget_editor.h"
#include "gui/catalog_browser.h"
#include "gui/charts_view.h"
#include "gui/compare_view.h"
#include "gui/export_actions.h"
#include "gui/firmware_resolver.h"
#include "gui/function_table_model.h"
#include "gui/history_view.h"
#include "gui/operator_table_model.h"
#include "gui/source_view.h"
#include "gui/timeline_view.h"
#include "profiler/run_store.h"
#include "sim/board.h"
#include "sim/catalog.h"
#include "sim/core.h"

namespace tinysim::gui {

namespace {

using profiler::Metric;

constexpr int kMaxRecentFiles = 8;

QSettings settings() {
  return QSettings("tinysim", "tinysim-gui");
}

QString fit_text(uint64_t used, uint64_t available, bool fits) {
  return QString("%1 of %2 B%3")
      .arg(with_commas(used), with_commas(available), fits ? "" : " — DOES NOT FIT");
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("tinysimMainWindow");
  setWindowTitle("tinysim");
  setAcceptDrops(true);
  store_path_ = QString::fromStdString(profiler::RunStore::default_path().string());
  controller_ = new RunController(this);
  connect(controller_, &RunController::progress, this, &MainWindow::onProgress);
  connect(controller_, &RunController::finished, this, &MainWindow::onFinished);
  model_builder_ = new ModelBuilder(this);
  connect(model_builder_, &ModelBuilder::progress, this,
          [this](const QString& line) { statusBar()->showMessage(line); });
  connect(model_builder_, &ModelBuilder::finished, this, &MainWindow::onModelBuilt);
  buildTabs();
  buildToolBar();
  buildMenus();
  loadBoards();
  restoreSettings();
  updateActions();
  statusBar()->showMessage(
      "Open a firmware ELF or a .tflite model (File > Open, or drop it here).");
}

MainWindow::~MainWindow() = default;

void MainWindow::buildTabs() {
  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  summary_ = new QLabel("No run yet.");
  summary_->setObjectName("summary");
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);

  tabs_ = new QTabWidget;
  tabs_->setObjectName("tabs");
  operator_model_ = new OperatorTableModel(this);
  operator_proxy_ = new QSortFilterProxyModel(this);
  operator_proxy_->setSourceModel(operator_model_);
  operator_proxy_->setSortRole(OperatorTableModel::kSortRole);
  operator_table_ = new QTableView;
  operator_table_->setObjectName("operatorTable");
  operator_table_->setModel(operator_proxy_);
  operator_table_->setSortingEnabled(true);
  operator_table_->sortByColumn(OperatorTableModel::kIndex, Qt::AscendingOrder);
  operator_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  operator_table_->setAlternatingRowColors(true);
  operator_table_->verticalHeader()->hide();
  operator_table_->horizontalHeader()->setStretchLastSection(true);
  tabs_->addTab(operator_table_, "Operators");

  charts_ = new ChartsView;
  tabs_->addTab(charts_, "Charts");
  timeline_ = new TimelineView;
  timeline_->setObjectName("timeline");
  tabs_->addTab(timeline_, "Timeline");
  source_view_ = new SourceView;
  source_view_->setObjectName("sourceView");
  tabs_->addTab(source_view_, "Hot spots && source");

  auto* browser = new CatalogBrowser;
  catalog_browser_ = browser;
  connect(browser, &CatalogBrowser::boardsSelected, this, [this](const QStringList& names) {
    if (names.size() == 1) setBoard(names.first());
    if (names.size() > 1) compare_view_->setBoards(names);
  });
  catalog_browser_->setObjectName("catalogBrowser");
  tabs_->addTab(catalog_browser_, "Catalog");

  compare_view_ = new CompareView;
  compare_view_->setObjectName("compareView");
  tabs_->addTab(compare_view_, "Compare");

  auto* history = new HistoryView;
  history_view_ = history;
  connect(history, &HistoryView::openProfile, this, [this, history](qint64 id) {
    if (showStoredRun(id, history->storePath())) tabs_->setCurrentWidget(operator_table_);
  });
  history_view_->setObjectName("historyView");
  tabs_->addTab(history_view_, "History");

  layout->addWidget(tabs_, 1);
  setCentralWidget(central);
}

void MainWindow::buildToolBar() {
  QToolBar* bar = addToolBar("Run");
  bar->setObjectName("runToolBar");
  bar->setMovable(false);
  firmware_label_ = new QLabel("no firmware");
  firmware_label_->setObjectName("firmwareLabel");
  firmware_label_->setMinimumWidth(220);
  bar->addWidget(firmware_label_);
  bar->addSeparator();
  bar->addWidget(new QLabel(" Board "));
  board_combo_ = new QComboBox;
  board_combo_->setObjectName("boardCombo");
  board_combo_->setMinimumContentsLength(28);
  bar->addWidget(board_combo_);
  bar->addWidget(new QLabel(" Arguments "));
  arguments_ = new QLineEdit;
  arguments_->setObjectName("arguments");
  arguments_->setPlaceholderText("firmware command line, e.g. a seed");
  arguments_->setMaximumWidth(160);
  bar->addWidget(arguments_);
  bar->addSeparator();
  run_button_ = new QPushButton("Run");
  run_button_->setObjectName("runButton");
  cancel_button_ = new QPushButton("Cancel");
  cancel_button_->setObjectName("cancelButton");
  bar->addWidget(run_button_);
  bar->addWidget(cancel_button_);
  progress_bar_ = new QProgressBar;
  progress_bar_->setObjectName("progressBar");
  progress_bar_->setMinimumWidth(320);
  progress_bar_->setTextVisible(true);
  progress_bar_->setRange(0, 1);
  progress_bar_->setValue(0);
  progress_bar_->setFormat("idle");
  bar->addWidget(progress_bar_);
  connect(run_button_, &QPushButton::clicked, this, [this] { startRun(); });
  connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancelRun);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  QAction* open = file->addAction("&Open firmware or model...", this, &MainWindow::onOpen);
  open->setShortcut(QKeySequence::Open);
  recent_menu_ = file->addMenu("Open &recent");
  file->addSeparator();
  export_menu_ = file->addMenu("&Export profile");
  const auto& formats = export_formats();
  for (int i = 0; i < static_cast<int>(formats.size()); ++i) {
    export_menu_->addAction(QString("%1...").arg(formats[static_cast<size_t>(i)].label), this,
                            [this, i] { onExport(i); });
  }
  png_action_ = file->addAction("Save current &chart as PNG...", this, &MainWindow::onSaveChartPng);
  file->addSeparator();
  QAction* quit = file->addAction("&Quit", this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* run = menuBar()->addMenu("&Run");
  run_action_ = run->addAction("&Run", this, [this] { startRun(); });
  run_action_->setShortcut(Qt::Key_F5);
  cancel_action_ = run->addAction("&Cancel", this, &MainWindow::cancelRun);
  cancel_action_->setShortcut(Qt::Key_Escape);
  updateRecentMenu();
}

void MainWindow::loadBoards() {
  const auto& catalog = sim::default_catalog();
  if (!catalog.is_ok()) {
    message(QMessageBox::Critical, "Board catalog",
            QString::fromStdString(catalog.status().message()));
    return;
  }
  for (const sim::Board& b : catalog.value().boards) {
    const QString label =
        QString("%1  (%2, %3 MHz)")
            .arg(QString::fromStdString(b.name), QString::fromStdString(sim::describe_core(b.core)))
            .arg(double(b.clock_hz) / 1e6, 0, 'g', 4);
    board_combo_->addItem(label, QString::fromStdString(b.name));
  }
  setBoard(QString::fromUtf8(sim::default_board_name()));
}

bool MainWindow::setBoard(const QString& name) {
  const int i = board_combo_->findData(name);
  if (i < 0) return false;
  board_combo_->setCurrentIndex(i);
  return true;
}

QString MainWindow::board() const {
  return board_combo_->currentData().toString();
}

void MainWindow::setFirmwareArguments(const QString& arguments) {
  arguments_->setText(arguments);
}

void MainWindow::message(QMessageBox::Icon icon, const QString& title, const QString& text) {
  if (dialog_hook_) {
    dialog_hook_(icon, title, text);
    return;
  }
  QMessageBox box(icon, title, text, QMessageBox::Ok, this);
  box.exec();
}

bool MainWindow::openFile(const QString& path) {
  const QFileInfo info(path);
  if (!info.exists() || !info.isFile()) {
    message(QMessageBox::Critical, "Open", QString("%1: no such file").arg(path));
    return false;
  }
  if (info.suffix().compare("tflite", Qt::CaseInsensitive) == 0) {
    // Is it a bundled model (the variant matters only for the ELF name)?
    const FirmwareResolution r = resolve_firmware(path, "cortex-m4f");
    if (!r.ok && r.model.isEmpty()) {
      // Not bundled: import and cross-build it for the selected board (docs/gui.md).
      if (model_builder_->isBuilding()) {
        message(QMessageBox::Information, "Open model",
                "Another model is being built; open this one when it is done.");
        return false;
      }
      const auto board = sim::find_board(this->board().toStdString());
      const QString variant = board.is_ok() ? QString::fromStdString(board.value().firmware_variant)
                                            : QString("cortex-m4f");
      model_builder_->start(info.absoluteFilePath(), variant);
      statusBar()->showMessage(QString("Building %1 for %2...").arg(info.fileName(), variant));
      updateActions();
      return true;
    }
  }
  opened_path_ = info.absoluteFilePath();
  firmware_label_->setText(info.fileName());
  firmware_label_->setToolTip(opened_path_);
  QSettings s = settings();
  QStringList recent = s.value("recentFiles").toStringList();
  recent.removeAll(opened_path_);
  recent.prepend(opened_path_);
  while (recent.size() > kMaxRecentFiles) recent.removeLast();
  s.setValue("recentFiles", recent);
  s.setValue("lastDirectory", info.absolutePath());
  updateRecentMenu();
  compare_view_->setFirmware(opened_path_);
  statusBar()->showMessage(QString("Opened %1. Pick a board and Run (F5).").arg(opened_path_));
  updateActions();
  return true;
}

void MainWindow::onModelBuilt(const ModelBuildOutcome& outcome) {
  if (!outcome.ok) {
    statusBar()->showMessage("Building the model failed.");
    message(QMessageBox::Critical, "Open model", outcome.error);
    updateActions();
    emit modelBuildFinished(false);
    return;
  }
  const bool opened = openFile(outcome.elf_path);
  if (opened) {
    statusBar()->showMessage(
        QString("Built %1 from %2. Pick a board and Run (F5).")
            .arg(QFileInfo(outcome.elf_path).fileName(), QFileInfo(outcome.model_path).fileName()));
  }
  emit modelBuildFinished(opened);
}

void MainWindow::updateRecentMenu() {
  if (!recent_menu_) return;
  recent_menu_->clear();
  const QStringList recent = settings().value("recentFiles").toStringList();
  for (const QString& path : recent) {
    recent_menu_->addAction(QFileInfo(path).fileName() + "   " + path, this,
                            [this, path] { openFile(path); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::onOpen() {
  const QString dir = settings().value("lastDirectory", firmware_directory()).toString();
  const QString path = QFileDialog::getOpenFileName(
      this, "Open firmware or model", dir,
      "Firmware and models (*.elf *.axf *.out *.tflite);;Firmware ELF (*.elf *.axf *.out);;"
      "TensorFlow Lite models (*.tflite);;All files (*)");
  if (!path.isEmpty()) openFile(path);
}

bool MainWindow::isRunning() const {
  return controller_->isRunning();
}

bool MainWindow::startRun() {
  if (controller_->isRunning()) return false;
  if (opened_path_.isEmpty()) {
    message(QMessageBox::Information, "Run", "Open a firmware ELF or a model first.");
    return false;
  }
  const auto board = sim::find_board(this->board().toStdString());
  if (!board.is_ok()) {
    message(QMessageBox::Critical, "Board", QString::fromStdString(board.status().message()));
    return false;
  }
  const FirmwareResolution resolved =
      resolve_firmware(opened_path_, QString::fromStdString(board.value().firmware_variant));
  if (!resolved.ok) {
    message(QMessageBox::Critical, "Cannot run", resolved.error);
    return false;
  }
  RunRequest request;
  request.firmware_path = resolved.elf_path;
  request.board_name = this->board();
  request.firmware_arguments = arguments_->text();
  request.store_path = store_path_;
  if (!controller_->start(request)) return false;
  progress_bar_->setRange(0, 0);  // busy until the first progress report
  progress_bar_->setFormat("starting...");
  summary_->setText(QString("Running %1 on %2...%3")
                        .arg(QFileInfo(resolved.elf_path).fileName(), request.board_name,
                             resolved.note.isEmpty() ? QString() : "\n" + resolved.note));
  statusBar()->showMessage(resolved.note.isEmpty() ? "Running..." : resolved.note);
  updateActions();
  return true;
}

void MainWindow::cancelRun() {
  if (!controller_->isRunning()) return;
  controller_->cancel();
  progress_bar_->setFormat(progress_bar_->format() + " — cancelling");
  statusBar()->showMessage("Cancelling: the partial results will be shown.");
}

void MainWindow::onProgress(const RunProgress& p) {
  const QString cycles = with_commas(p.cycles);
  if (p.operator_count > 0) {
    progress_bar_->setRange(0, static_cast<int>(p.operator_count));
    progress_bar_->setValue(static_cast<int>(std::min(p.operators_done, p.operator_count)));
    progress_bar_->setFormat(
        QString("%1 of %2 operators — %3 cycles (%4 ms)%5")
            .arg(p.operators_done)
            .arg(p.operator_count)
            .arg(cycles)
            .arg(p.simulated_ms, 0, 'f', 2)
            .arg(p.current_operator.isEmpty() ? QString() : " — " + p.current_operator));
  } else {
    progress_bar_->setRange(0, 0);
    progress_bar_->setFormat(QString("%1 cycles (%2 ms), %3 operators done")
                                 .arg(cycles)
                                 .arg(p.simulated_ms, 0, 'f', 2)
                                 .arg(p.operators_done));
  }
}

void MainWindow::onFinished(std::shared_ptr<const RunOutcome> outcome) {
  last_outcome_ = outcome;
  progress_bar_->setRange(0, 1);
  progress_bar_->setValue(outcome->ok && !outcome->profile.run.partial ? 1 : 0);
  updateActions();
  const QString elf = QFileInfo(outcome->request.firmware_path).fileName();
  if (!outcome->ok) {
    progress_bar_->setFormat("failed");
    summary_->setText(
        QString("%1 on %2: %3").arg(elf, outcome->request.board_name, outcome->error));
    statusBar()->showMessage("The run failed.");
    message(QMessageBox::Critical, "Cannot run " + elf,
            QString("%1 on %2:\n\n%3").arg(elf, outcome->request.board_name, outcome->error));
    emit runFinished(false);
    return;
  }
  showProfile(outcome->profile);
  const profiler::Profile& p = outcome->profile;
  QString status = outcome->cancelled ? "Cancelled: partial results up to where the run stopped."
                                      : "Run finished.";
  progress_bar_->setFormat(outcome->cancelled ? "cancelled"
                                              : QString::fromStdString(p.run.stop_reason));
  if (outcome->stored_run_id) {
    status += QString(" Stored as run %1.").arg(*outcome->stored_run_id);
  } else if (!outcome->store_error.isEmpty()) {
    status += " Not stored: " + outcome->store_error;
  }
  statusBar()->showMessage(status);
  if (outcome->stored_run_id) history_view_->refresh();
  if (p.run.stop_reason == "fault") {
    QString text =
        QString("%1 faulted on %2 at %3.")
            .arg(elf, outcome->request.board_name, QString::fromStdString(p.run.stop_location));
    if (outcome->run && outcome->run->fault) {
      text += QString("\n\n%1: %2")
                  .arg(QString::fromStdString(outcome->run->fault->kind),
                       QString::fromStdString(outcome->run->fault->detail));
    }
    text += "\n\nThe results cover what ran before the fault.";
    message(QMessageBox::Warning, "Firmware fault", text);
  } else if (!p.memory.sram_fits || !p.memory.flash_fits) {
    QString text = QString("%1 does not fit %2:\n").arg(elf, outcome->request.board_name);
    if (!p.memory.flash_fits) {
      text +=
          QString("\nflash: %1")
              .arg(fit_text(p.memory.flash_bytes, p.memory.board_flash_bytes, p.memory.flash_fits));
    }
    if (!p.memory.sram_fits) {
      text += QString("\nSRAM: %1")
                  .arg(fit_text(p.memory.sram_peak_bytes, p.memory.board_sram_bytes,
                                p.memory.sram_fits));
    }
    message(QMessageBox::Warning, "Does not fit", text);
  }
  emit runFinished(true);
}

void MainWindow::showProfile(const profiler::Profile& profile) {
  profile_ = profile;
  operator_model_->setProfile(*profile_);
  operator_table_->setColumnHidden(OperatorTableModel::kEnergyUj, !operator_model_->hasEnergy());
  operator_table_->resizeColumnsToContents();
  charts_->setProfile(*profile_);
  timeline_->setProfile(*profile_);
  source_view_->setProfile(*profile_);

  const profiler::Profile& p = *profile_;
  const double cycles = p.total.get(Metric::kCycles);
  QString ending = QString::fromStdString(p.run.stop_reason);
  if (p.run.exit_code) ending += QString(" (status %1)").arg(*p.run.exit_code);
  if (p.run.stop_reason == "cancelled") ending = "CANCELLED by the user";
  if (p.run.partial) ending += " — partial results";
  QString energy;
  if (p.total.has(Metric::kEnergyUj)) {
    energy = QString(", %1 uJ").arg(p.total.get(Metric::kEnergyUj), 0, 'f', 2);
  }
  summary_->setText(
      QString("<b>%1</b> on <b>%2</b> (%3, %4 MHz): %5 cycles (%6 ms)%7, %8 instructions; "
              "run: %9<br>SRAM %10; flash %11; operators from %12")
          .arg(QString::fromStdString(p.firmware.path).section('/', -1).toHtmlEscaped(),
               QString::fromStdString(p.board.name).toHtmlEscaped(),
               QString::fromStdString(p.board.core))
          .arg(double(p.board.clock_hz) / 1e6, 0, 'g', 4)
          .arg(with_commas(uint64_t(cycles)))
          .arg(p.total.has(Metric::kTimeUs) ? p.total.get(Metric::kTimeUs) / 1e3 : 0.0, 0, 'f', 3)
          .arg(energy, with_commas(p.total.get_u64(Metric::kInstructions)), ending.toHtmlEscaped(),
               fit_text(p.memory.sram_peak_bytes, p.memory.board_sram_bytes, p.memory.sram_fits),
               fit_text(p.memory.flash_bytes, p.memory.board_flash_bytes, p.memory.flash_fits),
               QString::fromUtf8(profiler::operator_source_name(p.operator_source))));
  setWindowTitle(QString("tinysim — %1 on %2")
                     .arg(QString::fromStdString(p.firmware.path).section('/', -1),
                          QString::fromStdString(p.board.name)));
  updateActions();
}

QString MainWindow::summaryText() const {
  return summary_->text();
}

void MainWindow::setStorePath(const QString& path) {
  store_path_ = path;
  if (!path.isEmpty()) history_view_->setStorePath(path);
}

bool MainWindow::showStoredRun(qint64 run_id, const QString& store_path) {
  const QString path = store_path.isEmpty() ? store_path_ : store_path;
  auto store = profiler::RunStore::open(path.toStdString());
  if (!store.is_ok()) {
    message(QMessageBox::Critical, "Run store", QString::fromStdString(store.status().message()));
    return false;
  }
  auto p = store.value()->load(run_id);
  if (!p.is_ok()) {
    message(QMessageBox::Critical, "Run store", QString::fromStdString(p.status().message()));
    return false;
  }
  showProfile(p.value());
  statusBar()->showMessage(QString("Showing run %1 of %2").arg(run_id).arg(path));
  return true;
}

void MainWindow::onExport(int format_index) {
  if (!profile_) return;
  const ExportFormat& f = export_formats()[static_cast<size_t>(format_index)];
  QSettings s = settings();
  const QString base =
      QFileInfo(QString::fromStdString(profile_->firmware.path)).completeBaseName() + "-" +
      QString::fromStdString(profile_->board.name) + "." + f.extension;
  const QString dir = s.value("exportDirectory", QDir::homePath()).toString();
  const QString path = QFileDialog::getSaveFileName(this, QString("Export %1").arg(f.label),
                                                    QDir(dir).filePath(base), f.filter);
  if (path.isEmpty()) return;
  s.setValue("exportDirectory", QFileInfo(path).absolutePath());
  const QString error = export_profile(*profile_, f.format, path);
  if (!error.isEmpty()) {
    message(QMessageBox::Critical, "Export", error);
  } else {
    statusBar()->showMessage("Exported " + path);
  }
}

void MainWindow::onSaveChartPng() {
  QWidget* chart = charts_->currentChartView();
  if (!profile_ || !chart) return;
  QSettings s = settings();
  const QString dir = s.value("exportDirectory", QDir::homePath()).toString();
  const QString path = QFileDialog::getSaveFileName(
      this, "Save chart as PNG", QDir(dir).filePath(chart->objectName() + ".png"), "PNG (*.png)");
  if (path.isEmpty()) return;
  s.setValue("exportDirectory", QFileInfo(path).absolutePath());
  const QString error = save_png(chart, path);
  if (!error.isEmpty()) {
    message(QMessageBox::Critical, "Save chart", error);
  } else {
    statusBar()->showMessage("Saved " + path);
  }
}

void MainWindow::updateActions() {
  const bool running = controller_ && controller_->isRunning();
  const bool can_run = !running && !opened_path_.isEmpty();
  if (run_button_) run_button_->setEnabled(can_run);
  if (run_action_) run_action_->setEnabled(can_run);
  if (cancel_button_) cancel_button_->setEnabled(running);
  if (cancel_action_) cancel_action_->setEnabled(running);
  if (board_combo_) board_combo_->setEnabled(!running);
  if (export_menu_) export_menu_->setEnabled(profile_.has_value());
  if (png_action_) png_action_->setEnabled(profile_.has_value());
}

void MainWindow::restoreSettings() {
  QSettings s = settings();
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  const QString board_name = s.value("board").toString();
  if (!board_name.isEmpty()) setBoard(board_name);
  arguments_->setText(s.value("firmwareArguments").toString());
  const int tab = s.value("currentTab", 0).toInt();
  if (tab >= 0 && tab < tabs_->count()) tabs_->setCurrentIndex(tab);
  const int chart = s.value("currentChart", 0).toInt();
  if (chart >= 0 && chart < charts_->count()) charts_->setCurrentIndex(chart);
  s.beginGroup("catalog");
  catalog_browser_->restoreSettings(s);
  s.endGroup();
  s.beginGroup("compare");
  compare_view_->budgetEditor()->restoreSettings(s);
  s.endGroup();
}

void MainWindow::saveSettings() {
  QSettings s = settings();
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  s.setValue("board", board());
  s.setValue("firmwareArguments", arguments_->text());
  s.setValue("currentTab", tabs_->currentIndex());
  s.setValue("currentChart", charts_->currentIndex());
  s.beginGroup("catalog");
  catalog_browser_->saveSettings(s);
  s.endGroup();
  s.beginGroup("compare");
  compare_view_->budgetEditor()->saveSettings(s);
  s.endGroup();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (controller_->isRunning()) controller_->cancel();  // the controller waits for its thread
  saveSettings();
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) {
    for (const QUrl& url : event->mimeData()->urls()) {
      if (url.isLocalFile()) {
        event->acceptProposedAction();
        return;
      }
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile()) {
      if (openFile(url.toLocalFile())) event->acceptProposedAction();
      return;
    }
  }
}

QStringList MainWindow::saveScreenshots(const QString& directory) {
  QStringList written;
  QDir().mkpath(directory);
  auto grab = [&](const QString& name) {
    QApplication::processEvents();
    const QString path = QDir(directory).filePath(name + ".png");
    if (save_png(this, path).isEmpty()) written << path;
  };
  const int tab = tabs_->currentIndex();
  struct Shot {
    QWidget* tab;
    int chart;  // sub-tab of the charts, -1: none
    const char* name;
  };
  const Shot shots[] = {
      {operator_table_, -1, "gui-operators"},    {charts_, 0, "gui-chart-cycles"},
      {charts_, 1, "gui-chart-energy"},          {charts_, 2, "gui-chart-sram"},
      {charts_, 3, "gui-chart-power"},           {timeline_, -1, "gui-timeline"},
      {source_view_, -1, "gui-hotspots-source"}, {catalog_browser_, -1, "gui-catalog"},
      {compare_view_, -1, "gui-compare"},        {history_view_, -1, "gui-history"},
  };
  {  // The two newest stored runs diffed, when there are two.
    auto* history = history_view_;
    history->refresh();
    const QList<qint64> ids = history->runIds();
    if (ids.size() >= 2) history->diffRuns(ids[1], ids[0]);
  }
  for (const Shot& shot : shots) {
    tabs_->setCurrentWidget(shot.tab);
    if (shot.chart >= 0) charts_->setCurrentIndex(shot.chart);
    grab(shot.name);
  }
  tabs_->setCurrentIndex(tab);
  return written;
}

}  // namespace tinysim::gui
