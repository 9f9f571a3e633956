// EventCounts: what the energy model charges for, counted by the simulator over a run or a part
// of it (an operator, a function).
//
// Active cycles are split by where the core fetched the executing block from (its region kind:
// on-chip flash, SRAM, TCM, or external flash executed in place); instructions by energy class
// (a coarser grouping of the timing classes of cpu_models/instruction.h: the literature finds
// per-class current deltas of about +-10-20 %, see docs/power-models.md). Memory events (flash
// line reads, cache hits and misses, stall cycles) come from the memory models' counters;
// sleep cycles from WFI/WFE. All fields are plain counts; counts of disjoint parts of a run add
// up to the counts of the whole (operator+ / operator-), and the energy model is linear in them.
#pragma once

#include <array>
#include <cstdint>

#include "cpu_models/instruction.h"

namespace tinysim::power_models {

// Where a block's instructions are fetched from: the base charge per cycle depends on it.
enum class FetchSource : uint8_t {
  kFlash,  // on-chip flash (through its accelerator or cache where the chip has one)
  kSram,   // on-chip SRAM
  kTcm,    // tightly coupled memory (Cortex-M7 ITCM)
  kXip,    // external QSPI flash behind an XIP cache (RP2040)
};
inline constexpr int kFetchSourceCount = 4;
// "flash", "sram", "tcm", "xip".
const char* fetch_source_name(FetchSource source);

// Instruction classes with their own current delta.
enum class EnergyClass : uint8_t {
  kAlu,         // data processing, bitfield, IT, moves
  kMulMacSimd,  // MUL/MLA/long multiplies, DSP SIMD, divide
  kLoadStore,   // every load and store, single or multiple, core or FP registers
  kBranch,      // branches, calls, returns, table branches
  kFpu,         // floating-point data processing (not FP loads/stores: kLoadStore)
  kOther,       // system, barriers, hints, sleep, SVC, BKPT, undefined
};
inline constexpr int kEnergyClassCount = 6;
// "alu", "mul-mac-simd", "load-store", "branch", "fpu", "other".
const char* energy_class_name(EnergyClass cls);
// The energy class of a timing class.
EnergyClass energy_class_of(cpu_models::InsnClass cls);

// Instructions per energy class of one decoded block, computed once when the block is decoded.
struct BlockEnergyCounts {
  std::array<uint64_t, kEnergyClassCount> instructions{};  // 64-bit: added with vector adds
  FetchSource source = FetchSource::kFlash;
};

struct EventCounts {
  std::array<uint64_t, kFetchSourceCount> cycles_by_source{};  // active core cycles
  std::array<uint64_t, kEnergyClassCount> instructions_by_class{};
  uint64_t flash_line_reads = 0;  // on-chip flash array reads (fetch, prefetch, data)
  uint64_t cache_hits = 0;        // all caches and accelerators, instruction and data side
  uint64_t cache_misses = 0;
  uint64_t stall_cycles = 0;  // part of the active cycles spent waiting for memory
  uint64_t sleep_cycles = 0;  // cycles in WFI/WFE (not active cycles)

  uint64_t active_cycles() const;
  uint64_t instructions() const;
  // Active plus sleep cycles: the time the counts cover, in core clock cycles.
  uint64_t total_cycles() const { return active_cycles() + sleep_cycles; }

  EventCounts& operator+=(const EventCounts& other);
  // REQUIRES: every field of `other` <= this one's (a snapshot taken earlier).
  EventCounts& operator-=(const EventCounts& other);
  friend EventCounts operator+(EventCounts a, const EventCounts& b) { return a += b; }
  friend EventCounts operator-(EventCounts a, const EventCounts& b) { return a -= b; }
  bool operator==(const EventCounts&) const = default;
};

}  // namespace tinysim::power_models
