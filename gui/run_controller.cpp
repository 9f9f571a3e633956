// RunController: the session on a QThread, its progress and result sent back through queued
// signals (see run_controller.h).
#include "gui/run_controller.h"

#include <QMetaObject>
#include <QPointer>
#include <filesystem>

#include "profiler/run_store.h"
#include "profiler/session.h"
#include "sim/board.h"

#ifndef TINYSIM_VERSION
#define TINYSIM_VERSION "unknown"
#endif

namespace tinysim::gui {

namespace {

int register_metatypes() {
  qRegisterMetaType<RunProgress>("tinysim::gui::RunProgress");
  qRegisterMetaType<std::shared_ptr<const RunOutcome>>(
      "std::shared_ptr<const tinysim::gui::RunOutcome>");
  return 0;
}

}  // namespace

RunOutcome run_blocking(const RunRequest& request,
                        const std::function<void(const RunProgress&)>& progress,
                        const std::atomic<bool>* cancel) {
  RunOutcome outcome;
  outcome.request = request;
  auto board = sim::find_board(request.board_name.toStdString());
  if (!board.is_ok()) {
    outcome.error = QString::fromStdString(board.status().message());
    return outcome;
  }
  profiler::SessionOptions options;
  options.recorder.tool_version = TINYSIM_VERSION;
  options.machine.command_line = request.firmware_arguments.toStdString();
  options.run.timeout_seconds = request.timeout_seconds;
  profiler::ProgressCallback callback;
  if (progress) {
    callback = [&progress](const profiler::SessionProgress& p) {
      RunProgress out;
      out.cycles = p.cycles;
      out.simulated_ms = p.simulated_ms;
      out.operators_done = p.operators_done;
      out.operator_count = p.operator_count;
      out.current_operator = QString::fromStdString(p.current_operator);
      progress(out);
    };
  }
  auto session = profiler::run_session(request.firmware_path.toStdString(), board.value(), options,
                                       callback, cancel);
  if (!session.is_ok()) {
    outcome.error = QString::fromStdString(session.status().message());
    return outcome;
  }
  outcome.ok = true;
  outcome.profile = std::move(session.value().profile);
  outcome.run = session.value().run;
  outcome.cancelled = session.value().cancelled;
  if (!request.store_path.isEmpty()) {
    const std::filesystem::path path = request.store_path.toStdString();
    auto store = profiler::RunStore::open(path);
    if (!store.is_ok()) {
      outcome.store_error = QString::fromStdString(store.status().message());
    } else {
      const std::filesystem::path firmware_dir =
          std::filesystem::path(request.firmware_path.toStdString()).parent_path();
      auto id = store.value()->add(outcome.profile, profiler::collect_run_metadata(firmware_dir));
      if (id.is_ok()) {
        outcome.stored_run_id = id.value();
      } else {
        outcome.store_error = QString::fromStdString(id.status().message());
      }
    }
  }
  return outcome;
}

RunController::RunController(QObject* parent) : QObject(parent) {
  static const int registered = register_metatypes();
  (void)registered;
}

RunController::~RunController() {
  if (thread_) {
    cancel();
    thread_->wait();
    delete thread_;
  }
}

bool RunController::start(const RunRequest& request) {
  if (thread_) return false;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> cancel = cancel_;
  QPointer<RunController> self(this);
  thread_ = QThread::create([request, cancel, self] {
    auto forward = [self](const RunProgress& p) {
      if (!self) return;
      QMetaObject::invokeMethod(
          self.data(),
          [self, p] {
            if (self) emit self->progress(p);
          },
          Qt::QueuedConnection);
    };
    auto outcome = std::make_shared<const RunOutcome>(run_blocking(request, forward, cancel.get()));
    if (self) {
      QMetaObject::invokeMethod(
          self.data(),
          [self, outcome] {
            if (self) self->onWorkerDone(outcome);
          },
          Qt::QueuedConnection);
    }
  });
  thread_->setObjectName("tinysim-run");
  thread_->start();
  emit started(request.firmware_path, request.board_name);
  return true;
}

void RunController::cancel() {
  if (cancel_) cancel_->store(true);
}

void RunController::onWorkerDone(std::shared_ptr<const RunOutcome> outcome) {
  if (thread_) {
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
  }
  cancel_.reset();
  emit finished(outcome);
}

}  // namespace tinysim::gui
