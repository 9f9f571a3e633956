// HistoryView: the profiled runs kept in the SQLite run store (profiler/run_store.h), newest
// first, and the operator-by-operator diff of two of them (profiler/profile_diff.h), as
// `tinysim history` and `tinysim diff A B` print them.
//
// The store is the CLI's default (RunStore::default_path(): $XDG_DATA_HOME/tinysim/runs.db)
// unless setStorePath() names another. The view opens the file only to read it, in refresh();
// a missing file is an empty history (the view does not create it), a damaged or newer one is
// an error shown in the status line (errorText()).
//
// Runs table columns: run id, date (UTC, as stored), firmware (file name; full path in the
// tooltip), board, cycles, energy in microjoules (from the stored profile's total; "n/a" when
// the run had no energy model), and how the run ended.
//
// Diff: select two runs and press Diff (or call diffRuns()): the older run is A, the newer B.
// One row per operator (matched by name, else kind and index), then the run total, the cycles
// outside operators, SRAM peak and flash: values in A and B, the delta B - A and the delta in
// percent of A. A delta that costs more (cycles, microjoules, bytes) is red, one that saves is
// green, no change is uncoloured.
//
// Double-clicking a run (or openSelectedRun()) emits openProfile(run id); the receiver loads it
// with RunStore::load() from storePath().
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <QtGlobal>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace tinysim::gui {

class HistoryView : public QWidget {
  Q_OBJECT

 public:
  // Shows the runs of RunStore::default_path() (when the file exists).
  explicit HistoryView(QWidget* parent = nullptr);
  ~HistoryView() override;

  // The store file shown. Setting it reloads the runs (refresh()).
  void setStorePath(const QString& path);
  QString storePath() const;
  // At most this many runs are listed, newest first (default 200; 0: all).
  void setRunLimit(int limit);

  // The run ids in the table, in table order (newest first unless the user sorted).
  QList<qint64> runIds() const;
  int runCount() const;
  // Selects these runs in the table (ids not listed are ignored).
  void selectRuns(const QList<qint64>& ids);
  QList<qint64> selectedRuns() const;

  // Status-line text when the last refresh or diff failed ("" otherwise): the store's message
  // naming the file, or the run that did not load.
  QString errorText() const;
  // The label of the last diff's sides ("run 3 (kws...elf on rpi-pico)"), "" before any diff.
  QString diffLabelA() const;
  QString diffLabelB() const;

  QTableWidget* runsTable() const { return runs_; }
  // Columns: operator, kind, cycles A, cycles B, delta cycles, delta %, energy A (uJ),
  // energy B (uJ), delta energy (uJ). Rows: operators, then "[total]", "[outside operators]",
  // "[SRAM peak bytes]", "[flash bytes]" (the last two in bytes in the cycles columns).
  QTableWidget* diffTable() const { return diff_; }

 public Q_SLOTS:
  // Re-reads the store. Returns false (and sets errorText()) when it cannot be read.
  bool refresh();
  // Diffs two stored runs (the lower id as A). False, with errorText(), when one does not load.
  bool diffRuns(qint64 run_a, qint64 run_b);
  // Diffs the two selected runs. False when not exactly two are selected.
  bool diffSelected();
  // Emits openProfile() for the first selected run.
  void openSelectedRun();

 Q_SIGNALS:
  // The user asked to open this stored run (double click or Open).
  void openProfile(qint64 run_id);

 private:
  void build_ui();
  void update_buttons();
  void set_error(const QString& message);

  QString store_path_;
  int run_limit_ = 200;
  QString error_;
  QString label_a_, label_b_;
  QLineEdit* path_edit_ = nullptr;
  QTableWidget* runs_ = nullptr;
  QTableWidget* diff_ = nullptr;
  QPushButton* diff_button_ = nullptr;
  QPushButton* open_button_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* diff_title_ = nullptr;
};

}  // namespace tinysim::gui
