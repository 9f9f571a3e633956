// MainWindow: tinysim-gui's window. Open a firmware ELF (or a .tflite model), pick a
// board, run the profiler in the background with progress and cancel, and explore the Profile:
// the operator table, charts, the operator timeline, function hot spots with annotated source;
// the catalog browser, board comparison and run history; export the profile.
//
// Threading: runs go through RunController (a worker thread); every widget is touched on the
// GUI thread only. The window stays responsive while a run goes.
//
// Messages: errors and warnings for the user (a bad ELF, a firmware that does not fit or does
// not run on the board, a fault) go to a QMessageBox with the library's message, or, when a
// dialog hook is set (tests), to the hook instead, so nothing blocks.
//
// Persistence: QSettings (organisation "tinysim", application "tinysim-gui"): window geometry
// and state, the recent files, the board, the firmware arguments, the current tab, and the
// last directories of the file dialogs.
#pragma once

#include <QMainWindow>
#include <QMessageBox>
#include <functional>
#include <memory>
#include <optional>

#include "gui/model_builder.h"
#include "gui/run_controller.h"
#include "profiler/profile.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace tinysim::gui {

class CatalogBrowser;
class ChartsView;
class CompareView;
class HistoryView;
class OperatorTableModel;
class SourceView;
class TimelineView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // Receives what would be shown in a message box: its icon, title and text.
  using DialogHook = std::function<void(QMessageBox::Icon, const QString&, const QString&)>;

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens `path` (an ELF or a .tflite model) as the firmware to run and adds it to the recent
  // files. False, with an error message, when it does not exist. A .tflite that is not one of
  // the bundled models is imported and cross-built in the background for the selected board's
  // firmware variant (ModelBuilder; progress in the status bar): true means the build started,
  // the ELF opens when it is done and modelBuildFinished() follows (errors in a dialog).
  bool openFile(const QString& path);
  bool isBuildingModel() const { return model_builder_->isBuilding(); }
  // Selects a catalog board. False when the catalog has no such board.
  bool setBoard(const QString& name);
  QString board() const;
  void setFirmwareArguments(const QString& arguments);
  // Where runs are stored for the History view; "" stores nothing. Default: the CLI's store
  // (profiler::RunStore::default_path()).
  // The History view shows this store too (when not "").
  void setStorePath(const QString& path);
  const QString& storePath() const { return store_path_; }
  // Replaces message boxes with `hook` (nullptr: message boxes again).
  void setDialogHook(DialogHook hook) { dialog_hook_ = std::move(hook); }

  // Starts a run of the open firmware on the selected board; false when nothing is open, a run
  // is going, or the firmware cannot be resolved (an error message then says why).
  bool startRun();
  bool isRunning() const;
  // Shows a Profile as if a run had produced it (from the run store or a JSON file).
  void showProfile(const profiler::Profile& profile);
  // Opens run `run_id` of the run store `store_path` ("": storePath()); false (with a message)
  // when it cannot be loaded.
  bool showStoredRun(qint64 run_id, const QString& store_path = {});

  // Renders every main view into `directory` as PNG (the screenshots of the docs); returns the
  // files written.
  QStringList saveScreenshots(const QString& directory);

  // For tests and scripting.
  const std::optional<profiler::Profile>& profile() const { return profile_; }
  std::shared_ptr<const RunOutcome> lastOutcome() const { return last_outcome_; }
  OperatorTableModel* operatorModel() const { return operator_model_; }
  QTableView* operatorTable() const { return operator_table_; }
  QTabWidget* tabs() const { return tabs_; }
  ChartsView* charts() const { return charts_; }
  TimelineView* timeline() const { return timeline_; }
  SourceView* sourceView() const { return source_view_; }
  CompareView* compareView() const { return compare_view_; }
  CatalogBrowser* catalogBrowser() const { return catalog_browser_; }
  HistoryView* historyView() const { return history_view_; }
  QPushButton* runButton() const { return run_button_; }
  QPushButton* cancelButton() const { return cancel_button_; }
  QProgressBar* progressBar() const { return progress_bar_; }
  QString summaryText() const;

 public slots:
  void cancelRun();

 signals:
  // After every run, once the views show its result (ok: a Profile was produced).
  void runFinished(bool ok);
  // After a background model build started by openFile() (ok: its ELF is open now).
  void modelBuildFinished(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildToolBar();
  void buildTabs();
  void loadBoards();
  void restoreSettings();
  void saveSettings();
  void updateRecentMenu();
  void updateActions();
  void message(QMessageBox::Icon icon, const QString& title, const QString& text);

  void onOpen();
  void onExport(int format_index);
  void onSaveChartPng();
  void onProgress(const RunProgress& progress);
  void onFinished(std::shared_ptr<const RunOutcome> outcome);

  void onModelBuilt(const ModelBuildOutcome& outcome);

  RunController* controller_ = nullptr;
  ModelBuilder* model_builder_ = nullptr;
  std::optional<profiler::Profile> profile_;
  std::shared_ptr<const RunOutcome> last_outcome_;
  QString opened_path_;  // what the user opened (ELF or .tflite)
  QString store_path_;
  DialogHook dialog_hook_;

  QComboBox* board_combo_ = nullptr;
  QLineEdit* arguments_ = nullptr;
  QLabel* firmware_label_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QProgressBar* progress_bar_ = nullptr;
  QLabel* summary_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  OperatorTableModel* operator_model_ = nullptr;
  QSortFilterProxyModel* operator_proxy_ = nullptr;
  QTableView* operator_table_ = nullptr;
  ChartsView* charts_ = nullptr;
  TimelineView* timeline_ = nullptr;
  SourceView* source_view_ = nullptr;
  CatalogBrowser* catalog_browser_ = nullptr;
  CompareView* compare_view_ = nullptr;
  HistoryView* history_view_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QMenu* export_menu_ = nullptr;
  QAction* run_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* png_action_ = nullptr;
};

}  // namespace tinysim::gui
