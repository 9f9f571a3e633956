// RunController: runs one profiled simulation (profiler::run_session) on a background thread for
// the GUI, reports its progress on the GUI thread and lets the user cancel it.
//
// Contract: start() returns at once; the run goes on a worker thread (QThread). While it runs,
// progress() is emitted on the controller's thread about every 100 ms (the session's progress
// callback, forwarded through a queued connection). When the run ends, finished() is emitted
// exactly once with a RunOutcome: either an error (the library's message: a bad ELF, a firmware
// that does not fit or does not run on the board's core, an unknown board) or a Profile, which
// is partial when the run was cancelled, faulted or hit a budget. cancel() is safe at any time
// and only asks: the result still arrives through finished(). One run at a time; the destructor
// cancels a running run and waits for its thread.
//
// The controller has no simulation or profiler logic of its own: everything is the profiler
// library's session (profiler/session.h); it only adds threading and the run store.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "profiler/profile.h"
#include "sim/run_result.h"

namespace tinysim::gui {

// What to run.
struct RunRequest {
  QString firmware_path;  // an ELF
  QString board_name;     // a catalog board, e.g. "nrf52840-dk"
  // The firmware's command line (semihosting SYS_GET_CMDLINE), e.g. "1" for the bundled models'
  // input seed. Empty: none.
  QString firmware_arguments;
  // Host-time budget of the run in seconds (0: no limit).
  double timeout_seconds = 0;
  // Run store (SQLite) that keeps the profile for the History view; empty: do not store.
  QString store_path;
};

// How a run ended.
struct RunOutcome {
  RunRequest request;
  bool ok = false;                       // a Profile was produced (possibly partial)
  QString error;                         // when !ok: the library's message
  profiler::Profile profile;             // when ok
  std::optional<sim::RunResult> run;     // when ok: the machine's run result (fault details)
  bool cancelled = false;                // the user cancelled (profile.run.partial is then true)
  std::optional<int64_t> stored_run_id;  // the run store's id, when stored
  QString store_error;                   // why storing failed, when it did
};

// Progress of a running run, for the progress bar.
struct RunProgress {
  uint64_t cycles = 0;
  double simulated_ms = 0;
  uint64_t operators_done = 0;
  uint64_t operator_count = 0;  // 0 without a marker table
  QString current_operator;     // "" when unknown
};

class RunController : public QObject {
  Q_OBJECT

 public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  // Starts `request` on a worker thread. False (and nothing happens) when a run is going.
  bool start(const RunRequest& request);
  bool isRunning() const { return thread_ != nullptr; }

 public slots:
  // Asks the running run to stop; it ends with a partial, cancelled Profile.
  void cancel();

 signals:
  void started(const QString& firmware_path, const QString& board_name);
  void progress(const tinysim::gui::RunProgress& progress);
  void finished(std::shared_ptr<const tinysim::gui::RunOutcome> outcome);

 private:
  void onWorkerDone(std::shared_ptr<const RunOutcome> outcome);

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

// Runs `request` on the calling thread (what the worker does); `progress` may be empty. For
// tests and the command-line screenshot mode.
RunOutcome run_blocking(const RunRequest& request,
                        const std::function<void(const RunProgress&)>& progress,
                        const std::atomic<bool>* cancel);

}  // namespace tinysim::gui

Q_DECLARE_METATYPE(tinysim::gui::RunProgress)
Q_DECLARE_METATYPE(std::shared_ptr<const tinysim::gui::RunOutcome>)
