// The memory models on firmware, against their documented arithmetic (docs/memory-models.md):
// the same kernels (workloads/firmware/tests/memory_timing_kernels.S: a Thumb-16 straight line,
// a Thumb-32 straight line, a 16-line loop) run from flash at 0..7 wait states with the
// STM32F4 ART's prefetch and I-cache off and on, from SRAM, and on the Cortex-M7 from flash with
// the L1 caches off and on, from SRAM and from ITCM; a load loop reads DTCM, SRAM and flash.
// Each call's cycles are the sum of the kernel's retired blocks between the firmware's operator
// markers (memory_timing.c names each call with its marker value).
//
// The rules the expected values come from (units: core clock cycles):
//  - A flash read takes R = (wait states + 1) * divider cycles; a fetch the core waits for
//    costs R - 1 on top of the core's own cycle ("miss": w at divider 1).
//  - Line buffer: a fetch from the current flash line is free; entering another line misses.
//  - ART prefetch (one line ahead): when a line becomes current the next one is read as soon as
//    the flash is free; entering it costs max(0, ready - needed). A miss abandons a prefetch.
//  - ART I-cache: lines read by a miss are copied (prefetched lines are not); a hit is free.
//  - Time inside a block: its core cycles spread evenly over its bytes (16.16 fixed point), so
//    line k + 1 is needed `delta_k` cycles after line k was entered; the last line gets the rest.
//  - Cortex-M7 L1 I-cache / D-cache: a miss fills a 32-byte line: from flash one 256-bit read
//    (R - 1), from SRAM 4 beats of 64 bits (4 - 1 = 3); hits, TCM and uncached SRAM are free.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "firmware_path.h"
#include "sim/catalog.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

// Sums, per marker value, the cycles of retired blocks that start inside the kernel copies.
class KernelTimer final : public ExecutionObserver {
 public:
  void add_range(uint32_t base, uint32_t size) { ranges_.push_back({base, base + size}); }
  void on_block(const RetiredBlock& b) override {
    if (!marker_) return;
    for (const auto& [lo, hi] : ranges_) {
      if (b.start_address >= lo && b.start_address < hi) {
        cycles[*marker_] += b.cycles;
        return;
      }
    }
  }
  void on_itm_write(uint32_t port, uint32_t value, uint64_t) override {
    if (port == 1) marker_ = value;
    if (port == 2) marker_.reset();
  }
  void on_exception_entry(int, uint32_t, uint64_t) override {}
  void on_exception_return(int, uint32_t, uint64_t) override {}

  std::map<uint32_t, uint64_t> cycles;

 private:
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;
  std::optional<uint32_t> marker_;
};

constexpr uint32_t kKernelsSize = 0xC50;  // mt_kernels_start .. mt_kernels_end (checked below)

struct Measured {
  std::map<uint32_t, uint64_t> cycles;
  std::vector<std::string> warnings;
};

Measured measure(const std::string& board_name, uint64_t clock_hz, const std::string& variant,
                 const std::string& args, const std::vector<uint32_t>& copies,
                 bool ideal_memory = false) {
  Measured m;
  auto image = Image::load(firmware("test-memory-timing", variant));
  EXPECT_TRUE(image.is_ok()) << image.status().message();
  if (!image.is_ok()) return m;
  Board board = find_board(board_name).value();
  if (clock_hz) {
    EXPECT_TRUE(board.select_operating_point(clock_hz, "").is_ok());
  }
  MachineOptions options;
  options.command_line = args;
  options.ideal_memory = ideal_memory;
  auto machine = Machine::create(board, image.value(), options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  if (!machine.is_ok()) return m;
  const uint32_t start = image.value().symbol_address("mt_kernels_start").value_or(0);
  EXPECT_EQ(image.value().symbol_address("mt_kernels_end").value_or(0) - start, kKernelsSize);
  KernelTimer timer;
  timer.add_range(start, kKernelsSize);
  for (uint32_t c : copies) timer.add_range(c, kKernelsSize);
  machine.value()->set_observer(&timer);
  machine.value()->set_warning_sink([&](const std::string& w) { m.warnings.push_back(w); });
  const RunResult r = machine.value()->run({});
  EXPECT_EQ(r.reason, StopReason::kExit) << stop_reason_name(r.reason);
  m.cycles = timer.cycles;
  return m;
}

// Marker values (memory_timing.c).
constexpr uint32_t kFlash = 1, kSram = 2, kTcm = 3, kData = 4;
constexpr uint32_t kStraight16 = 0, kStraight32 = 1, kLoop = 2;
uint32_t marker(uint32_t section, uint32_t ws, uint32_t setting, uint32_t kernel, bool warm) {
  return (section << 16) | (ws << 12) | (setting << 8) | (kernel << 4) | (warm ? 1 : 0);
}

// Core cycles of the kernels on the Cortex-M4 (docs/cpu-models.md, Table 3-1 of the TRM):
// ADDS / ADD.W 1, BX LR 1 + P = 2, BNE.W 2 taken (1 + P) and 1 not taken.
constexpr uint64_t kCoreStraight16 = 128 * 1 + 2;  // 258 bytes: 17 lines of 16 bytes
constexpr uint64_t kCoreStraight32 = 64 * 1 + 2;   // 258 bytes: 17 lines
constexpr uint64_t kLoopIterations = 10;
constexpr uint64_t kCoreLoopTaken = 124 + 1 + 2;  // one iteration, BNE.W taken: 254 bytes
constexpr uint64_t kCoreLoopLast = 124 + 1 + 1;   // the last one, BNE.W not taken
constexpr uint64_t kCoreLoop = (kLoopIterations - 1) * kCoreLoopTaken + kCoreLoopLast + 2;

// delta_k: the cycles a block spends in each of its lines, as the model spreads them (the
// last entry is the rest).
std::vector<uint64_t> cycles_per_line(uint64_t core_cycles, uint64_t bytes, uint64_t line_bytes) {
  const uint64_t rate = (core_cycles << 16) / bytes;
  std::vector<uint64_t> delta;
  uint64_t done_cycles = 0;
  for (uint64_t done_bytes = line_bytes; done_bytes < bytes; done_bytes += line_bytes) {
    const uint64_t cumulative = (rate * done_bytes) >> 16;
    delta.push_back(cumulative - done_cycles);
    done_cycles = cumulative;
  }
  delta.push_back(core_cycles - done_cycles);
  return delta;
}

// Stalls of lines 1..n-1 of a line-aligned block when each is prefetched as its predecessor
// is entered, with the flash idle: sum of max(0, R - delta_k).
uint64_t prefetch_stalls(uint64_t core_cycles, uint64_t bytes, uint64_t line_bytes, uint64_t r) {
  const std::vector<uint64_t> delta = cycles_per_line(core_cycles, bytes, line_bytes);
  uint64_t stall = 0;
  for (size_t k = 0; k + 1 < delta.size(); ++k) stall += r > delta[k] ? r - delta[k] : 0;
  return stall;
}

uint64_t positive(int64_t x) {
  return x > 0 ? uint64_t(x) : 0;
}

// ---------------------------------------------------------------------------------------------
// STM32F411 (Cortex-M4, 128-bit flash lines, ART: prefetch, 64-line I-cache), run at 16 MHz so
// that every LATENCY 0..7 the firmware writes is legal (RM0383 Table 6: 0 WS up to 30 MHz).

const Measured& f411() {
  static const Measured m =
      measure("nucleo-f411re", 16'000'000, "cortex-m4f", "f4 0x20010000", {0x20010000});
  return m;
}

TEST(MemoryTiming, F411CoreCyclesFromSramAndIdealMemory) {
  const Measured ideal = measure("nucleo-f411re", 16'000'000, "cortex-m4f", "f4 0x20010000",
                                 {0x20010000}, /*ideal_memory=*/true);
  const uint64_t core[3] = {kCoreStraight16, kCoreStraight32, kCoreLoop};
  ASSERT_EQ(kCoreLoop, 1271u);
  for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
    for (bool warm : {false, true}) {
      // SRAM is not behind the flash interface: no stall (the model has no I-bus/S-bus
      // contention for code in SRAM).
      EXPECT_EQ(f411().cycles.at(marker(kSram, 0, 0, k, warm)), core[k]) << k;
      // With ideal memory every copy, at every setting, costs the core cycles.
      for (uint32_t ws = 0; ws < 8; ++ws) {
        for (uint32_t s = 0; s < 4; ++s) {
          EXPECT_EQ(ideal.cycles.at(marker(kFlash, ws, s, k, warm)), core[k]);
        }
      }
    }
  }
  EXPECT_TRUE(f411().warnings.empty()) << f411().warnings.front();
}

// Settings written to FLASH_ACR (memory_timing.c): 0 all off, 1 PRFTEN, 2 ICEN, 3 PRFTEN|ICEN.
enum Setting : uint32_t { kOff = 0, kPrefetch = 1, kICache = 2, kArt = 3 };

uint64_t lines_of(uint64_t bytes, uint64_t line_bytes) {
  return (bytes + line_bytes - 1) / line_bytes;
}

// The ART (STM32F4, 16-byte lines) and the STM32L4 flash caches (8-byte flash lines filled into
// 32-byte cache lines one at a time) follow the same rules; `line` is the flash line.
void check_art(const Measured& m, uint64_t kLine) {
  ASSERT_FALSE(m.cycles.empty());
  // Lines from the kernel's line-aligned start: 258 bytes (the straight lines), 254 (the loop
  // body; BX LR shares its last line). F411: 17 and 16; L4: 33 and 32.
  const uint64_t kStraightLines = lines_of(258, kLine), kLoopLines = lines_of(254, kLine);
  for (uint64_t w = 0; w < 8; ++w) {
    SCOPED_TRACE(w);
    const uint64_t r = w + 1;
    auto at = [&](uint32_t s, uint32_t k, bool warm) {
      return m.cycles.at(marker(kFlash, uint32_t(w), s, k, warm));
    };
    for (bool warm : {false, true}) {
      // Line buffers only: every line of a straight line misses, on every call.
      EXPECT_EQ(at(kOff, kStraight16, warm), kCoreStraight16 + kStraightLines * w);
      EXPECT_EQ(at(kOff, kStraight32, warm), kCoreStraight32 + kStraightLines * w);
      // The loop enters all its lines in each of its 10 iterations (the branch back leaves the
      // last line for line 0); BX LR is in the last line, the current one.
      EXPECT_EQ(at(kOff, kLoop, warm), kCoreLoop + kLoopIterations * kLoopLines * w);
      // Prefetch only: the first line misses, each further line was read while the core ran
      // the one before it (Thumb-16: 8 cycles per line >= R for w <= 7; Thumb-32: ~4 cycles
      // per line, so from 4 wait states each line waits R - 4).
      EXPECT_EQ(at(kPrefetch, kStraight16, warm),
                kCoreStraight16 + w + prefetch_stalls(kCoreStraight16, 258, kLine, r));
      EXPECT_EQ(at(kPrefetch, kStraight32, warm),
                kCoreStraight32 + w + prefetch_stalls(kCoreStraight32, 258, kLine, r));
      // Each iteration's branch back to line 0 misses (line 16 was prefetched instead).
      EXPECT_EQ(at(kPrefetch, kLoop, warm),
                kCoreLoop + kLoopIterations * w +
                    (kLoopIterations - 1) * prefetch_stalls(kCoreLoopTaken, 254, kLine, r) +
                    prefetch_stalls(kCoreLoopLast, 254, kLine, r));
    }
    // I-cache only (emptied before the cold call): the cold call misses every line and fills
    // the cache; the warm call hits every line (each kernel fits: F4 64 x 16 bytes, L4 32 x 32).
    EXPECT_EQ(at(kICache, kStraight16, false), kCoreStraight16 + kStraightLines * w);
    EXPECT_EQ(at(kICache, kStraight32, false), kCoreStraight32 + kStraightLines * w);
    EXPECT_EQ(at(kICache, kLoop, false), kCoreLoop + kLoopLines * w);  // the first pass only
    EXPECT_EQ(at(kICache, kStraight16, true), kCoreStraight16);
    EXPECT_EQ(at(kICache, kStraight32, true), kCoreStraight32);
    EXPECT_EQ(at(kICache, kLoop, true), kCoreLoop);
    // The ART (prefetch and I-cache): the cold call misses line 0 only; prefetched lines are
    // not cached, so the warm call hits line 0 and prefetches the rest again.
    const uint64_t p16 = prefetch_stalls(kCoreStraight16, 258, kLine, r);
    const uint64_t p32 = prefetch_stalls(kCoreStraight32, 258, kLine, r);
    EXPECT_EQ(at(kArt, kStraight16, false), kCoreStraight16 + w + p16);
    EXPECT_EQ(at(kArt, kStraight16, true), kCoreStraight16 + p16);
    EXPECT_EQ(at(kArt, kStraight32, false), kCoreStraight32 + w + p32);
    EXPECT_EQ(at(kArt, kStraight32, true), kCoreStraight32 + p32);
    // The loop through the ART: after the first pass line 0 hits. Entering the last line (15 on
    // the F411) started the prefetch of the line after it (wasted), so the flash is busy until R
    // after the last line was entered; line 0 is entered delta_last after that, line 1's prefetch
    // starts max(0, R - delta_15) later and is ready R after it, and the core needs it delta_0
    // after entering line 0.
    const std::vector<uint64_t> taken = cycles_per_line(kCoreLoopTaken, 254, kLine);
    const std::vector<uint64_t> last = cycles_per_line(kCoreLoopLast, 254, kLine);
    auto line1 = [&](uint64_t previous_last_line, uint64_t first_line) {
      return positive(int64_t(positive(int64_t(r) - int64_t(previous_last_line)) + r) -
                      int64_t(first_line));
    };
    // Lines 2..15 as usual (each prefetched as its predecessor is entered, the flash idle).
    auto rest = [&](const std::vector<uint64_t>& delta) {
      uint64_t stall = 0;
      for (size_t k = 1; k + 1 < delta.size(); ++k)
        stall += positive(int64_t(r) - int64_t(delta[k]));
      return stall;
    };
    const uint64_t first_pass = positive(int64_t(r) - int64_t(taken[0])) + rest(taken);
    const uint64_t later_passes =
        (kLoopIterations - 2) * (line1(taken.back(), taken[0]) + rest(taken)) +
        line1(taken.back(), last[0]) + rest(last);
    EXPECT_EQ(at(kArt, kLoop, false), kCoreLoop + w + first_pass + later_passes);
    EXPECT_EQ(at(kArt, kLoop, true), kCoreLoop + first_pass + later_passes);
  }
}

TEST(MemoryTiming, F411FlashAtEachWaitStateWithTheArtOffAndOn) {
  check_art(f411(), 16);
}

// STM32L4R5 (RM0432 3.3.4: 64-bit flash reads, prefetch, I-cache of 32 lines of 4 x 64 bits),
// at 16 MHz with LATENCY 0..7 on its FLASH_ACR (0x40022000, the same enable bits as the F4).
const Measured& l4r5() {
  static const Measured m =
      measure("nucleo-l4r5zi", 16'000'000, "cortex-m4f", "l4 0x20010000", {0x20010000});
  return m;
}

TEST(MemoryTiming, L4r5FlashAtEachWaitStateWithItsCachesOffAndOn) {
  Board board = find_board("nucleo-l4r5zi").value();
  ASSERT_EQ(memory_system_config(board).flash.line_bits, 64u);
  ASSERT_EQ(memory_system_config(board).flash_accelerator, "stm32l4-cache");
  check_art(l4r5(), 8);
  EXPECT_TRUE(l4r5().warnings.empty()) << l4r5().warnings.front();
}

// The orderings silicon shows, on the same measurements.
TEST(MemoryTiming, F411OrderingsSiliconShows) {
  auto at = [&](uint32_t ws, uint32_t s, uint32_t k, bool warm) {
    return f411().cycles.at(marker(kFlash, ws, s, k, warm));
  };
  for (uint32_t w = 1; w < 8; ++w) {
    // A loop through the ART runs at (nearly) zero wait states once warm; without any
    // accelerator it pays the wait states on every line of every iteration.
    EXPECT_LE(at(w, kArt, kLoop, true), kCoreLoop + kLoopIterations) << w;
    EXPECT_GT(at(w, kOff, kLoop, true), at(w, kArt, kLoop, true) + 100 * w) << w;
    // A straight line pays: once per line without prefetch, more with each wait state.
    EXPECT_GT(at(w, kOff, kStraight16, true), at(w - 1, kOff, kStraight16, true)) << w;
    EXPECT_GT(at(w, kICache, kStraight32, false), at(w, kArt, kStraight32, false)) << w;
    // Flash is never faster than SRAM.
    for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
      EXPECT_GE(at(w, kArt, k, true), f411().cycles.at(marker(kSram, 0, 0, k, true)));
    }
  }
  // RM0090 Figure 5: at 3 wait states prefetch hides 32-bit straight-line code entirely
  // (4 cycles per 128-bit line = R); at 5 each further line waits 2 cycles.
  EXPECT_EQ(at(3, kPrefetch, kStraight32, true), kCoreStraight32 + 3);
  EXPECT_GE(at(5, kPrefetch, kStraight32, true), kCoreStraight32 + 5 + 15 * 2);
}

// ---------------------------------------------------------------------------------------------
// STM32F103 (Cortex-M3, 64-bit flash lines, two 64-bit prefetch buffers: one line ahead;
// RM0008 3.3.3) at 16 MHz with LATENCY 0..2, PRFTBE off (setting 0) and on (1). No cache, so a
// cold and a warm call cost the same. The M3 costs these kernels as the M4 does.

const Measured& f103() {
  static const Measured m =
      measure("bluepill-f103c8", 16'000'000, "cortex-m3", "f1 0x20002000", {0x20002000});
  return m;
}

TEST(MemoryTiming, F103FlashWithThePrefetchBufferOffAndOn) {
  constexpr uint64_t kLine = 8;
  ASSERT_FALSE(f103().cycles.empty());
  for (uint64_t w = 0; w < 3; ++w) {
    SCOPED_TRACE(w);
    const uint64_t r = w + 1;
    for (bool warm : {false, true}) {
      auto at = [&](uint32_t s, uint32_t k) {
        return f103().cycles.at(marker(kFlash, uint32_t(w), s, k, warm));
      };
      // Off: 258 bytes are 33 lines of 8 bytes; the loop body 32 lines per pass.
      EXPECT_EQ(at(0, kStraight16), kCoreStraight16 + 33 * w);
      EXPECT_EQ(at(0, kStraight32), kCoreStraight32 + 33 * w);
      EXPECT_EQ(at(0, kLoop), kCoreLoop + kLoopIterations * 32 * w);
      // On: Thumb-16 code spends 4 cycles per 8-byte line >= R (at most 3): only the first line
      // (and, in the loop, each branch back to line 0) waits; Thumb-32 code spends 2 and waits
      // R - 2 per line at 2 wait states (RM0008: "the prefetch buffer ... 2 x 64 bits").
      EXPECT_EQ(at(1, kStraight16),
                kCoreStraight16 + w + prefetch_stalls(kCoreStraight16, 258, kLine, r));
      EXPECT_EQ(at(1, kStraight32),
                kCoreStraight32 + w + prefetch_stalls(kCoreStraight32, 258, kLine, r));
      EXPECT_EQ(at(1, kLoop),
                kCoreLoop + kLoopIterations * w +
                    (kLoopIterations - 1) * prefetch_stalls(kCoreLoopTaken, 254, kLine, r) +
                    prefetch_stalls(kCoreLoopLast, 254, kLine, r));
    }
  }
  EXPECT_EQ(prefetch_stalls(kCoreStraight16, 258, 8, 3), 0u);
  EXPECT_GT(prefetch_stalls(kCoreStraight32, 258, 8, 3), 0u);
  const uint64_t core[3] = {kCoreStraight16, kCoreStraight32, kCoreLoop};
  for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
    EXPECT_EQ(f103().cycles.at(marker(kSram, 0, 0, k, false)), core[k]);  // SRAM: no stall
  }
}

void print_table(const char* title, const Measured& m, uint32_t settings, uint32_t max_ws) {
  std::printf("%s\n", title);
  for (uint32_t ws = 0; ws < max_ws; ++ws) {
    for (uint32_t s = 0; s < settings; ++s) {
      std::printf("  ws %u setting %u:", ws, s);
      for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
        for (bool warm : {false, true}) {
          auto it = m.cycles.find(marker(kFlash, ws, s, k, warm));
          std::printf(" %6llu", it == m.cycles.end() ? 0ull : (unsigned long long)it->second);
        }
      }
      std::printf("\n");
    }
  }
  for (auto& [key, value] : m.cycles) {
    if ((key >> 16) == kFlash) continue;
    std::printf("  marker %05x: %llu\n", key, (unsigned long long)value);
  }
}

// ---------------------------------------------------------------------------------------------
// Cortex-M7: STM32F746 (flash on AXIM: no accelerator modelled on that path; 4 KiB L1 I- and
// D-caches) at 16 MHz with LATENCY 0..7, and the STM32H743 at its default 480 MHz (4 wait
// states counted on the AXI clock, core / 2). Settings (SCB->CCR): 0 both caches off, 1 both on;
// each setting starts with the caches invalidated.
//
// The M7's core cycles depend on its branch predictor's history (a cold call mispredicts the
// loop branch and the return), so the zero-wait count of each call is taken from a run of the
// same firmware with ideal memory, which executes the same instructions in the same order.

struct M7Board {
  const char* board;
  uint64_t clock_hz;  // 0: the board's default
  const char* args;
  uint32_t ram;    // the SRAM copy (cacheable, behind 64-bit AXI)
  uint32_t sweep;  // LATENCY values the firmware sweeps (1: only the board's own)
};

const M7Board kF746{"stm32f746g-disco", 16'000'000, "m7 0x20010000 0x100", 0x20010000, 8};
const M7Board kH743{"nucleo-h743zi2", 0, "m7 0x24000000 0x100 -", 0x24000000, 1};

const Measured& m7(const M7Board& e, bool ideal = false) {
  static std::map<std::pair<std::string, bool>, Measured> cache;
  auto it = cache.find({e.board, ideal});
  if (it == cache.end()) {
    it = cache
             .emplace(std::pair{std::string(e.board), ideal},
                      measure(e.board, e.clock_hz, "cortex-m7f", e.args, {e.ram, 0x100}, ideal))
             .first;
  }
  return it->second;
}

void check_m7(const M7Board& e) {
  const Measured& m = m7(e);
  const Measured& ideal = m7(e, true);
  ASSERT_FALSE(m.cycles.empty());
  ASSERT_EQ(m.cycles.size(), ideal.cycles.size());
  Board board = find_board(e.board).value();
  if (e.clock_hz) {
    ASSERT_TRUE(board.select_operating_point(e.clock_hz, "").is_ok());
  }
  const memory_models::MemorySystemConfig config = memory_system_config(board);
  // The flash's line (the line buffer's unit; F746: the 64-bit default, H743: 256 bits) and the
  // L1 line (32 bytes, DDI0489).
  const uint64_t flash_line = config.flash.line_bits / 8;
  const uint64_t divider = config.flash.clock_divider;
  const uint64_t l1_line = config.l1_icache.line_bytes;
  ASSERT_EQ(l1_line, 32u);
  ASSERT_EQ(config.l1_dcache.line_bytes, 32u);
  // An L1 line fill from SRAM over the 64-bit AXI bus: 4 beats of one cycle, minus the counted one.
  const uint64_t sram_fill = l1_line / 8 - 1;
  auto stall = [&](uint32_t section, uint32_t ws, uint32_t s, uint32_t k, bool warm) -> int64_t {
    const uint32_t key = marker(section, ws, s, k, warm);
    if (!m.cycles.count(key) || !ideal.cycles.count(key)) {
      ADD_FAILURE() << "no measurement for marker " << std::hex << key;
      return -1;
    }
    return int64_t(m.cycles.at(key)) - int64_t(ideal.cycles.at(key));
  };
  // Bytes of each kernel from its (32-byte aligned) start: 258, 258, and the loop body 254.
  const uint64_t bytes[3] = {258, 258, 254};
  const uint64_t calls[3] = {1, 1, kLoopIterations};  // passes over the lines per call
  for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
    SCOPED_TRACE(k);
    for (uint32_t s = 0; s < 2; ++s) {
      for (bool warm : {false, true}) {
        // ITCM: zero wait, never cached.
        EXPECT_EQ(stall(kTcm, 0, s, k, warm), 0);
        // SRAM: uncached free; cached, the cold call fills each 32-byte line once.
        EXPECT_EQ(stall(kSram, 0, s, k, warm),
                  int64_t(s && !warm ? lines_of(bytes[k], l1_line) * sram_fill : 0));
      }
    }
    for (uint32_t ws = 0; ws < e.sweep; ++ws) {
      const uint64_t w = e.sweep > 1 ? ws : board.operating_point.wait_states;
      const uint64_t r = (w + 1) * divider;  // one flash read
      SCOPED_TRACE(w);
      // Caches off: the line buffer misses every flash line, on every pass of the loop.
      const int64_t uncached = int64_t(calls[k] * lines_of(bytes[k], flash_line) * (r - 1));
      EXPECT_EQ(stall(kFlash, ws, 0, k, false), uncached);
      EXPECT_EQ(stall(kFlash, ws, 0, k, true), uncached);
      // I-cache on: the cold call fills each 32-byte line once (32 / flash line reads), the
      // warm call hits them all.
      const uint64_t fill = lines_of(l1_line, flash_line) * r - 1;
      EXPECT_EQ(stall(kFlash, ws, 1, k, false), int64_t(lines_of(bytes[k], l1_line) * fill));
      EXPECT_EQ(stall(kFlash, ws, 1, k, true), 0);
    }
  }
  // Data: 256 words (1 KiB: 32 L1 lines) read by the ITCM copy of mt_load, after the sweep (at
  // its last LATENCY).
  const uint64_t w = e.sweep > 1 ? e.sweep - 1 : board.operating_point.wait_states;
  const uint64_t r = (w + 1) * divider;
  for (bool warm : {false, true}) {
    SCOPED_TRACE(warm);
    for (uint32_t s = 0; s < 2; ++s) EXPECT_EQ(stall(kData, 0, s, 0, warm), 0);  // DTCM
    EXPECT_EQ(stall(kData, 0, 0, 1, warm), 0);                                   // SRAM uncached
    EXPECT_EQ(stall(kData, 0, 1, 1, warm), int64_t(warm ? 0 : 32 * sram_fill));
    // Flash: uncached, every flash line through the data line buffer; cached, each 32-byte
    // line filled once.
    EXPECT_EQ(stall(kData, 0, 0, 2, warm), int64_t(lines_of(1024, flash_line) * (r - 1)));
    EXPECT_EQ(stall(kData, 0, 1, 2, warm),
              int64_t(warm ? 0 : 32 * (lines_of(l1_line, flash_line) * r - 1)));
  }
  // The ordering: ITCM <= warm I-cache == ITCM < cold I-cache fills < uncached flash, and
  // uncached flash gets slower with every wait state.
  for (uint32_t ws = 1; ws < e.sweep; ++ws) {
    EXPECT_GT(m.cycles.at(marker(kFlash, ws, 0, kLoop, true)),
              m.cycles.at(marker(kFlash, ws - 1, 0, kLoop, true)));
  }
}

TEST(MemoryTiming, F746FlashSramItcmDtcm) {
  check_m7(kF746);
}
TEST(MemoryTiming, H743FlashSramItcmDtcm) {
  check_m7(kH743);
}

TEST(MemoryTiming, CortexM7ItcmRunsAtTheIdealMemoryCount) {
  // Where the predictor history is the same (every call from the ITCM copy follows the same
  // calls in both runs), the ITCM copy costs exactly the ideal-memory count; and a warm call
  // costs the same from every copy (the predictor knows the branches; the caches hold the code).
  for (const M7Board* e : {&kF746, &kH743}) {
    for (uint32_t k : {kStraight16, kStraight32, kLoop}) {
      for (uint32_t s = 0; s < 2; ++s) {
        const uint64_t tcm = m7(*e).cycles.at(marker(kTcm, 0, s, k, true));
        EXPECT_EQ(m7(*e, true).cycles.at(marker(kTcm, 0, s, k, true)), tcm) << e->board;
        EXPECT_EQ(m7(*e, true).cycles.at(marker(kFlash, 0, s, k, true)), tcm) << e->board;
        EXPECT_EQ(m7(*e).cycles.at(marker(kSram, 0, 1, k, true)), tcm) << e->board;
        EXPECT_EQ(m7(*e).cycles.at(marker(kFlash, 0, 1, k, true)), tcm) << e->board;
      }
    }
  }
}

TEST(MemoryTiming, PrintMeasuredCounts) {
  print_table("nucleo-f411re at 16 MHz (cold, warm: s16 s32 loop)", f411(), 4, 8);
  print_table("nucleo-l4r5zi at 16 MHz (cold, warm: s16 s32 loop)", l4r5(), 4, 8);
  print_table("bluepill-f103c8 at 16 MHz (settings: 0 PRFTBE off, 1 on)", f103(), 2, 3);
  print_table("stm32f746g-disco at 16 MHz (settings: 0 caches off, 1 on)", m7(kF746), 2, 8);
  print_table("nucleo-h743zi2 at 480 MHz (4 WS)", m7(kH743), 2, 1);
}

}  // namespace
}  // namespace tinysim::sim
