// SRAM and flash accounting on workloads/firmware/profiler_tests/memory.c: known stack depths
// per operator, a known number of arena bytes written, a known heap allocation.
#include <gtest/gtest.h>

#include "profiler_test_util.h"

namespace tinysim::profiler {
namespace {

using testing::find_operator;
using testing::profile_firmware;

// A function's frame adds a little to its local array: saved registers, alignment.
constexpr uint64_t kFrameSlack = 128;

class MemoryTest : public ::testing::TestWithParam<const char*> {
 protected:
  static const char* board() {
    return std::string(GetParam()) == "cortex-m4f" ? "nrf52840-dk" : "nucleo-g071rb";
  }
};

TEST_P(MemoryTest, StackPeakPerOperator) {
  const auto r = profile_firmware("prof-memory", GetParam(), board());
  ASSERT_EQ(r.result.reason, sim::StopReason::kExit) << r.console;
  const Profile& p = r.profile;
  const OperatorProfile* deep = find_operator(p, "deep_stack");
  const OperatorProfile* shallow = find_operator(p, "shallow_stack");
  const OperatorProfile* deeper = find_operator(p, "deeper_stack");
  ASSERT_TRUE(deep && shallow && deeper);
  const uint64_t deep_peak = deep->metrics.get_u64(Metric::kStackPeakBytes);
  const uint64_t deeper_peak = deeper->metrics.get_u64(Metric::kStackPeakBytes);
  EXPECT_GE(deep_peak, 1024u);
  EXPECT_LE(deep_peak, 1024u + kFrameSlack);
  EXPECT_TRUE(deep->stack_peak_exact);
  EXPECT_GE(deeper_peak, 2048u);
  EXPECT_LE(deeper_peak, 2048u + kFrameSlack);
  EXPECT_TRUE(deeper->stack_peak_exact);
  // 256 bytes is less than the 1024 before it: painting only bounds it.
  EXPECT_FALSE(shallow->stack_peak_exact);
  EXPECT_EQ(shallow->metrics.get_u64(Metric::kStackPeakBytes), deep_peak);
  // Overall.
  EXPECT_TRUE(p.memory.stack_measured);
  EXPECT_EQ(p.memory.stack_peak_bytes, deeper_peak);
  EXPECT_EQ(p.total.get_u64(Metric::kStackPeakBytes), deeper_peak);
  EXPECT_EQ(p.memory.stack_bounds_from, "symbols");
  EXPECT_EQ(p.memory.stack_top - p.memory.stack_low, 4096u);  // STACK_SIZE default
  // The counter track follows the high-water mark up.
  ASSERT_FALSE(p.timeline.stack_high_water_bytes.empty());
  EXPECT_EQ(p.timeline.stack_high_water_bytes.back().value, deeper_peak);
}

TEST_P(MemoryTest, ArenaBytesWrittenPerOperator) {
  const auto r = profile_firmware("prof-memory", GetParam(), board());
  const Profile& p = r.profile;
  EXPECT_EQ(p.memory.arena_symbol, "prof_arena");
  EXPECT_EQ(p.memory.arena_bytes, 4096u);
  const OperatorProfile* arena = find_operator(p, "write_arena");
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->metrics.get_u64(Metric::kArenaWrittenBytes), 1000u);
  EXPECT_EQ(find_operator(p, "deep_stack")->metrics.get_u64(Metric::kArenaWrittenBytes), 0u);
}

TEST_P(MemoryTest, HeapPeak) {
  const auto r = profile_firmware("prof-memory", GetParam(), board());
  const Profile& p = r.profile;
  EXPECT_EQ(p.memory.heap_reserved_bytes, 4096u);
  EXPECT_TRUE(p.memory.heap_measured);
  EXPECT_GE(p.memory.heap_peak_bytes, 600u);
  EXPECT_LE(p.memory.heap_peak_bytes, 600u + 64u);  // malloc's header and alignment
}

TEST_P(MemoryTest, StaticSramAndFlashFromTheSections) {
  const auto r = profile_firmware("prof-memory", GetParam(), board());
  const Profile& p = r.profile;
  const MemoryReport& m = p.memory;
  const SectionInfo* bss = r.info->section(".bss");
  const SectionInfo* data = r.info->section(".data");
  const SectionInfo* text = r.info->section(".text");
  ASSERT_TRUE(bss && data && text);
  EXPECT_EQ(m.bss_bytes, bss->size_bytes);
  EXPECT_GE(m.bss_bytes, 4096u);  // the arena
  EXPECT_EQ(m.data_bytes, data->size_bytes);
  EXPECT_EQ(m.data_init_bytes, data->size_bytes);
  EXPECT_EQ(m.static_bytes, m.data_bytes + m.bss_bytes);
  EXPECT_EQ(m.sram_peak_bytes, m.static_bytes + m.stack_peak_bytes + m.heap_peak_bytes);
  const SectionInfo* heap = r.info->section(".heap");
  const SectionInfo* stack = r.info->section(".stack");
  ASSERT_TRUE(heap && stack);
  EXPECT_EQ(m.sram_reserved_bytes, m.static_bytes + heap->size_bytes + stack->size_bytes);
  EXPECT_TRUE(m.sram_fits);
  EXPECT_EQ(m.sram_margin_bytes, int64_t(m.board_sram_bytes) - int64_t(m.sram_peak_bytes));
  EXPECT_GE(m.code_bytes, text->size_bytes);
  EXPECT_EQ(m.flash_bytes, m.code_bytes + m.rodata_bytes + m.data_init_bytes);
  EXPECT_TRUE(m.flash_fits);
  EXPECT_EQ(m.board_flash_bytes, p.board.flash_bytes);
  EXPECT_GT(m.board_sram_bytes, 0u);
}

TEST_P(MemoryTest, WithoutPaintingNothingIsMeasured) {
  RecorderOptions options;
  options.paint_memory = false;
  const auto r = profile_firmware("prof-memory", GetParam(), board(), "", options);
  const Profile& p = r.profile;
  EXPECT_FALSE(p.memory.stack_measured);
  EXPECT_FALSE(p.memory.heap_measured);
  EXPECT_FALSE(p.operators.front().metrics.has(Metric::kStackPeakBytes));
  // The SRAM estimate then counts the whole reserved stack and heap.
  EXPECT_EQ(p.memory.sram_peak_bytes, p.memory.static_bytes + 4096u + 4096u);
  // The arena is compared, not painted.
  EXPECT_EQ(find_operator(p, "write_arena")->metrics.get_u64(Metric::kArenaWrittenBytes), 1000u);
}

TEST_P(MemoryTest, ArenaByName) {
  RecorderOptions options;
  options.arena_symbol = "no_such_arena";
  const auto r = profile_firmware("prof-memory", GetParam(), board(), "", options);
  EXPECT_TRUE(r.profile.memory.arena_symbol.empty());
  bool warned = false;
  for (const std::string& w : r.profile.warnings)
    warned |= w.find("no_such_arena") != std::string::npos;
  EXPECT_TRUE(warned);
}

INSTANTIATE_TEST_SUITE_P(Cores, MemoryTest, ::testing::Values("cortex-m4f", "cortex-m0plus"),
                         [](const auto& info) {
                           return std::string(info.param) == "cortex-m4f" ? "m4f" : "m0plus";
                         });

}  // namespace
}  // namespace tinysim::profiler
