// Helpers for the profiler tests: profile a test firmware, with an independent observer
// recording the ground truth (cycles per function by block address, marker cycle stamps).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "profiler/firmware_info.h"
#include "profiler/profile.h"
#include "profiler/recorder.h"
#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::profiler::testing {

inline std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

// Forwards every event to the recorder and keeps its own plain accounting.
class TruthObserver final : public sim::ExecutionObserver {
 public:
  TruthObserver(sim::ExecutionObserver& next, const FirmwareInfo& info)
      : next_(next), info_(info) {}
  void on_block(const sim::RetiredBlock& b) override {
    const int fn = info_.function_index_at(b.start_address);
    uint64_t& mine =
        cycles_by_function[fn < 0 ? std::string("?") : info_.functions()[size_t(fn)].name];
    mine += b.cycles;
    // Cycles counted while the block ran but before its start stamp (operand-dependent divide
    // cycles) belong to it, unless an exception came in between.
    if (b.start_cycle > expected_ && !event_since_block_) {
      mine += b.start_cycle - expected_;
      in_block_gaps += b.start_cycle - expected_;
    }
    expected_ = b.start_cycle + b.cycles;
    event_since_block_ = false;
    block_cycles += b.cycles;
    instructions += b.instructions;
    next_.on_block(b);
  }
  void on_itm_write(uint32_t port, uint32_t value, uint64_t cycle) override {
    markers.push_back({port, value, cycle});
    next_.on_itm_write(port, value, cycle);
  }
  void on_exception_entry(int e, uint32_t r, uint64_t c) override {
    ++exceptions;
    event_since_block_ = true;
    next_.on_exception_entry(e, r, c);
  }
  void on_exception_return(int e, uint32_t r, uint64_t c) override {
    event_since_block_ = true;
    next_.on_exception_return(e, r, c);
  }
  struct Marker {
    uint32_t port, value;
    uint64_t cycle;
  };
  std::map<std::string, uint64_t> cycles_by_function;
  uint64_t block_cycles = 0, in_block_gaps = 0, instructions = 0, exceptions = 0;
  std::vector<Marker> markers;

 private:
  sim::ExecutionObserver& next_;
  const FirmwareInfo& info_;
  uint64_t expected_ = 0;
  bool event_since_block_ = false;
};

struct Profiled {
  Profile profile;
  sim::RunResult result;
  std::string console;
  std::unique_ptr<TruthObserver> truth;
  std::unique_ptr<FirmwareInfo> info;
};

// Profiles `name`-`variant` on `board`. `during_run`, if given, runs on another thread while
// the machine runs (e.g. to cancel it) and is joined afterwards.
inline Profiled profile_firmware(const std::string& name, const std::string& variant,
                                 const std::string& board_name,
                                 const std::string& command_line = "", RecorderOptions options = {},
                                 sim::RunOptions run_options = {},
                                 std::function<void(sim::Machine&)> during_run = nullptr) {
  Profiled out;
  const std::string path = firmware(name, variant);
  auto board = sim::find_board(board_name);
  EXPECT_TRUE(board.is_ok()) << board.status().message();
  auto image = sim::Image::load(path);
  EXPECT_TRUE(image.is_ok()) << image.status().message();
  auto info = FirmwareInfo::load(path);
  EXPECT_TRUE(info.is_ok()) << info.status().message();
  if (!board.is_ok() || !image.is_ok() || !info.is_ok()) return out;
  out.info = std::make_unique<FirmwareInfo>(std::move(info.value()));
  sim::MachineOptions machine_options;
  machine_options.command_line = command_line;
  auto machine = sim::Machine::create(board.value(), image.value(), machine_options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  if (!machine.is_ok()) return out;
  sim::Machine& m = *machine.value();
  m.set_console([&](int, std::string_view text) { out.console += text; });
  auto recorder = Recorder::create(m, *out.info, std::move(options));
  EXPECT_TRUE(recorder.is_ok()) << recorder.status().message();
  if (!recorder.is_ok()) return out;
  out.truth = std::make_unique<TruthObserver>(*recorder.value(), *out.info);
  m.set_observer(out.truth.get());
  std::thread thread;
  if (during_run) thread = std::thread([&] { during_run(m); });
  out.result = m.run(run_options);
  if (thread.joinable()) thread.join();
  out.profile = recorder.value()->finish(out.result);
  return out;
}

inline const FunctionProfile* find_function(const Profile& p, const std::string& name) {
  for (const FunctionProfile& f : p.functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

inline const OperatorProfile* find_operator(const Profile& p, const std::string& name) {
  for (const OperatorProfile& op : p.operators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

inline uint64_t cycles(const Metrics& m) {
  return m.get_u64(Metric::kCycles);
}

}  // namespace tinysim::profiler::testing
