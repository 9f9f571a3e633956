// The calibration run: simulates the calibration firmware (workloads/firmware/calibration/) on a
// catalog board at a datasheet figure's condition and returns the event counts of the workload
// alone (two iteration counts, subtracted: start-up code cancels out). Shared by the calibration
// and sanity tests.
#pragma once

#include <stdexcept>
#include <string>

#include "power_models/calibration.h"
#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::testing {

inline std::string calibration_firmware(const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/calibration-coremark-like-" + variant + ".elf";
}

// Event counts of `run` ("flash N", "sram N", "idle N") on `board` as given (its operating
// point already selected); throws on any failure.
inline power_models::EventCounts run_counts(const sim::Board& board, const std::string& mode,
                                            int iterations) {
  auto image = sim::Image::load(calibration_firmware(board.firmware_variant));
  if (!image.is_ok()) throw std::runtime_error(image.status().message());
  sim::MachineOptions options;
  options.command_line = mode + " " + std::to_string(iterations);
  auto machine = sim::Machine::create(board, image.value(), options);
  if (!machine.is_ok()) throw std::runtime_error(machine.status().message());
  const sim::RunResult r = machine.value()->run({});
  if (r.reason != sim::StopReason::kExit || r.exit_code != 0) {
    throw std::runtime_error("calibration firmware did not exit cleanly on " + board.name + ": " +
                             sim::stop_reason_name(r.reason));
  }
  return r.events;
}

// a - b, field by field, 0 where b > a (the start-up and printf paths of two runs differ by a
// few cycles, which may go either way).
inline power_models::EventCounts difference(const power_models::EventCounts& a,
                                            const power_models::EventCounts& b) {
  auto sub = [](uint64_t x, uint64_t y) { return x > y ? x - y : 0; };
  power_models::EventCounts d;
  for (int i = 0; i < power_models::kFetchSourceCount; ++i)
    d.cycles_by_source[i] = sub(a.cycles_by_source[i], b.cycles_by_source[i]);
  for (int i = 0; i < power_models::kEnergyClassCount; ++i)
    d.instructions_by_class[i] = sub(a.instructions_by_class[i], b.instructions_by_class[i]);
  d.flash_line_reads = sub(a.flash_line_reads, b.flash_line_reads);
  d.cache_hits = sub(a.cache_hits, b.cache_hits);
  d.cache_misses = sub(a.cache_misses, b.cache_misses);
  d.stall_cycles = sub(a.stall_cycles, b.stall_cycles);
  d.sleep_cycles = sub(a.sleep_cycles, b.sleep_cycles);
  return d;
}

// The workload's own counts: run(mode, 40) - run(mode, 10), 30 iterations.
inline power_models::EventCounts workload_counts(const sim::Board& board, const std::string& mode) {
  return difference(run_counts(board, mode, 40), run_counts(board, mode, 10));
}

// `name` at `clock_mhz` in voltage range `range`; throws when the catalog refuses.
inline sim::Board board_at(const std::string& name, double clock_mhz, const std::string& range) {
  auto found = sim::find_board(name);
  if (!found.is_ok()) throw std::runtime_error(found.status().message());
  sim::Board board = found.value();
  const Status s = board.select_operating_point(uint64_t(clock_mhz * 1e6 + 0.5), range);
  if (!s.is_ok()) throw std::runtime_error(s.message());
  return board;
}

}  // namespace tinysim::testing
