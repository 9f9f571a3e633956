// CompareView: the same firmware (or bundled model) profiled on several boards side by side,
// checked against a budget, with the winner picked: the cheapest board that meets it.
//
// The numbers all come from the profiler library: profiler::compare_boards() runs the boards
// (in parallel, on a background thread, with per-board progress and cancellation) and picks each
// board's firmware among the candidates (profiler/compare.h: the build named for the board's
// firmware_variant, else by the ELF's build attributes); profiler::evaluate_budget() gives
// pass/fail and the margin per constraint and profiler::fit_rows() orders the boards that meet
// the budget, cheapest first (profiler/budget.h).
//
// Candidates: setFirmware(path) offers `path` and, when its name is a bundled build
// "<name>-<variant>.elf", the sibling builds "<name>-<variant'>.elf" of the same directory for
// the variants the chosen boards boot, so one KWS build compares on M0+, M4F and M7 boards alike.
// A `.tflite` that is one of the bundled models offers the bundled builds of that model
// (gui/firmware_resolver.h). An ELF built for one core is skipped on boards that cannot run it
// (the row says why).
//
// Table (one row per board, in the order of setBoards()): board, core, clock (MHz), firmware
// (file name; the selection reason in its tooltip), status, latency (ms), energy (uJ, "n/a"
// without power figures), SRAM peak (KiB) and free (% of the board's), flash (KiB) and free (%),
// price (USD, board or chip per the budget's price basis), verdict. Each checked cell is green
// when its constraint passes and red when it fails (the margin or the reason in its tooltip);
// the winner's row is bold with "winner" in the verdict column, and winnerReason() says why.
// Charts (Qt Charts, one tab per metric: latency, energy, SRAM used %, flash used %, price): a
// bar per board, failing bars in red, and the budget as a horizontal line.
//
// Changing the budget re-evaluates the last results without running again. Changing the
// firmware or the boards clears them.
#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <atomic>
#include <memory>
#include <vector>

#include "profiler/budget.h"
#include "profiler/compare.h"

class QChart;
class QChartView;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace tinysim::gui {

class BudgetEditor;

class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);
  // Cancels a running comparison and waits until its sessions have stopped (each stops at its
  // next translated block).
  ~CompareView() override;

  QString firmware() const { return firmware_; }
  // The files offered to the firmware selection for the current boards.
  QStringList firmwareCandidates() const;
  QStringList boards() const { return boards_; }
  BudgetEditor* budgetEditor() const { return budget_; }

  bool isRunning() const;
  // The rows of the last finished comparison (empty before one, or after the firmware or the
  // boards changed), in the order of boards().
  const std::vector<profiler::CompareRow>& rows() const { return rows_; }
  // The budget verdict of rows()[i] under the current budget.
  profiler::BudgetVerdict verdict(int row) const;
  // The cheapest board meeting the budget ("" none or no results) and a sentence on why it won
  // (or why no board did).
  QString winner() const { return winner_; }
  QString winnerReason() const { return winner_reason_; }
  // Problems starting the comparison ("no firmware chosen", a candidate that does not load).
  QString errorText() const { return error_; }

  QTableWidget* resultsTable() const { return table_; }
  // The chart of "latency", "energy", "sram", "flash" or "price"; nullptr for other names.
  QChart* chart(const QString& metric) const;

 public Q_SLOTS:
  void setFirmware(const QString& path);
  void setBoards(const QStringList& names);
  // Starts the comparison in the background. False (errorText() says why) without firmware or
  // boards, with an unknown board, or while one is running.
  bool run();
  // Asks a running comparison to stop; finished() follows with cancelled = true.
  void cancel();

 Q_SIGNALS:
  void started();
  // The comparison ended; rows() and the table are filled (partial rows when cancelled).
  void finished(bool cancelled);
  void winnerChanged(const QString& board);

 private:
  struct Progress;
  struct Outcome {
    profiler::CompareResult result;
    QString error;
  };

  void build_ui();
  void reset_rows();
  void poll_progress();
  void on_finished();
  void evaluate();
  void fill_table();
  void fill_charts();
  QStringList candidates_for(const std::vector<sim::Board>& boards) const;

  QString firmware_;
  QStringList boards_;
  std::vector<profiler::CompareRow> rows_;
  std::vector<profiler::BudgetVerdict> verdicts_;
  QString winner_, winner_reason_, error_;
  int winner_row_ = -1;
  bool running_ = false;  // from run() until on_finished() has taken the result

  std::shared_ptr<Progress> progress_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  QFutureWatcher<Outcome>* watcher_ = nullptr;
  QTimer* poll_ = nullptr;

  BudgetEditor* budget_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QProgressBar* progress_bar_ = nullptr;
  QLabel* firmware_label_ = nullptr;
  QLabel* budget_error_ = nullptr;
  QLabel* winner_label_ = nullptr;
  QTableWidget* table_ = nullptr;
  QTabWidget* charts_ = nullptr;
  std::vector<std::pair<QString, QChartView*>> chart_views_;
};

}  // namespace tinysim::gui
