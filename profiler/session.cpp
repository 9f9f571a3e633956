// Session: load, run with the Recorder, finish (see session.h). The helper thread that reports
// progress and forwards cancellation wakes every progress_interval_ms; the simulation itself
// never waits for it.
#include "profiler/session.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "profiler/firmware_info.h"
#include "profiler/operator_table.h"
#include "profiler/rules.h"
#include "sim/elf_image.h"

namespace tinysim::profiler {
namespace {

// Runs `body` while a helper thread calls `progress` and watches `cancel`.
class Watcher {
 public:
  Watcher(sim::Machine& machine, const Recorder& recorder, const std::vector<OperatorInfo>& table,
          const ProgressCallback& progress, const std::atomic<bool>* cancel, uint32_t interval_ms)
      : machine_(machine),
        recorder_(recorder),
        table_(table),
        progress_(progress),
        cancel_(cancel),
        interval_(std::chrono::milliseconds(interval_ms == 0 ? 100 : interval_ms)) {
    if (progress_ || cancel_) thread_ = std::thread([this] { loop(); });
  }
  ~Watcher() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool cancelled() const { return cancelled_.load(); }

 private:
  void loop() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!done_) {
      wake_.wait_for(lock, interval_);
      if (done_) break;
      if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
        cancelled_ = true;
        machine_.cancel();
      }
      if (!progress_) continue;
      SessionProgress p;
      p.cycles = recorder_.progress_cycles();
      p.simulated_ms = 1e3 * double(p.cycles) / double(machine_.board().clock_hz);
      p.operators_done = recorder_.operators_done();
      p.operator_count = recorder_.operator_count();
      if (p.operators_done < table_.size()) p.current_operator = table_[p.operators_done].name;
      p.host_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress_(p);
    }
  }

  sim::Machine& machine_;
  const Recorder& recorder_;
  const std::vector<OperatorInfo>& table_;
  const ProgressCallback& progress_;
  const std::atomic<bool>* cancel_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

}  // namespace

StatusOr<SessionResult> run_session(const std::string& elf_path, const sim::Board& board,
                                    const SessionOptions& options, const ProgressCallback& progress,
                                    const std::atomic<bool>* cancel) {
  auto image = sim::Image::load(elf_path);
  if (!image.is_ok()) return image.status();
  auto info = FirmwareInfo::load(elf_path);
  if (!info.is_ok()) return info.status();

  RecorderOptions recorder_options = options.recorder;
  if (!options.rules_file.empty()) {
    auto user = RuleSet::load(options.rules_file);
    if (!user.is_ok()) return user.status();
    RuleSet rules = user.value();
    rules.append(recorder_options.rules);
    recorder_options.rules = std::move(rules);
  }

  // The operator names for progress (the recorder validates the table itself).
  std::vector<OperatorInfo> table;
  if (const std::vector<uint8_t>* ops = image.value().section(".tinysim_ops")) {
    auto parsed = parse_operator_table(*ops);
    if (parsed.is_ok()) table = std::move(parsed.value());
  }

  auto machine = sim::Machine::create(board, image.value(), options.machine);
  if (!machine.is_ok()) return machine.status();
  sim::Machine& m = *machine.value();
  auto recorder = Recorder::create(m, info.value(), recorder_options);
  if (!recorder.is_ok()) return recorder.status();
  m.set_observer(recorder.value().get());
  if (options.console) m.set_console(options.console);
  if (options.warnings) m.set_warning_sink(options.warnings);

  SessionResult out;
  {
    Watcher watcher(m, *recorder.value(), table, progress, cancel, options.progress_interval_ms);
    out.run = m.run(options.run);
    out.cancelled = watcher.cancelled() || (cancel && cancel->load());
  }
  out.profile = recorder.value()->finish(out.run);
  return out;
}

StatusOr<Profile> profile_firmware(const std::string& elf_path, const sim::Board& board,
                                   const SessionOptions& options, const ProgressCallback& progress,
                                   const std::atomic<bool>* cancel) {
  auto result = run_session(elf_path, board, options, progress, cancel);
  if (!result.is_ok()) return result.status();
  return std::move(result.value().profile);
}

}  // namespace tinysim::profiler
