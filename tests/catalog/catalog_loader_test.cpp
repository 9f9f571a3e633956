// The catalog loader on small scratch catalogs: composition (a board overlays its chip), sources,
// every class of malformed file rejected with a message naming the file and the dotted key,
// operating points and wait states, unit parsing.
#include <gtest/gtest.h>

#include <string>

#include "sim/board.h"
#include "sim/catalog.h"
#include "test_catalog.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::kTestBoard;
using tinysim::testing::kTestChip;
using tinysim::testing::ScratchCatalog;

// Loads boards/<name>.toml of `cat`, composed with its chip.
StatusOr<Board> load(const ScratchCatalog& cat, const std::string& name) {
  return load_board_file(cat.dir() / "boards" / (name + ".toml"), cat.dir() / "chips");
}

// The board loads, or the test fails with the loader's message.
Board load_ok(const ScratchCatalog& cat, const std::string& name) {
  auto b = load(cat, name);
  EXPECT_TRUE(b.is_ok()) << b.status().message();
  return b.is_ok() ? b.value() : Board{};
}

// The board is rejected with kInvalidBoard and a message starting "<file>: <key>: " and
// containing `what`.
void expect_rejected(const StatusOr<Board>& b, const std::filesystem::path& file,
                     const std::string& key, const std::string& what) {
  ASSERT_FALSE(b.is_ok()) << "loaded, expected an error at " << key;
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidBoard);
  const std::string& m = b.status().message();
  EXPECT_EQ(m.rfind(file.string() + ": " + key + ": ", 0), 0u) << m;
  EXPECT_NE(m.find(what), std::string::npos) << m;
}

const Fact* fact(const Board& b, const std::string& key) {
  for (const Fact& f : b.facts) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Composition.

TEST(CatalogCompose, BoardOverlaysItsChip) {
  ScratchCatalog cat("overlay");
  const auto chip = cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[memory.sram]
size = { value = "128K", source = "board variant with more SRAM" }
[memory.backup]
kind = "sram"
base = 0x40024000
size = "4K"
)");
  const Board b = load_ok(cat, "b");
  EXPECT_EQ(b.name, "b");
  EXPECT_EQ(b.part, "TEST1");
  EXPECT_EQ(b.clock_hz, 80'000'000u);
  // The board's size replaces the chip's; the chip's kind and base stay.
  const MemoryRegion* sram = b.region_named("sram");
  ASSERT_NE(sram, nullptr);
  EXPECT_EQ(sram->size_bytes, 128u * 1024);
  EXPECT_EQ(sram->base, 0x20000000u);
  EXPECT_EQ(sram->kind, RegionKind::kSram);
  EXPECT_NE(b.region_named("backup"), nullptr);
  // Each value remembers the file that set it and its own source.
  ASSERT_NE(fact(b, "memory.sram.size"), nullptr);
  EXPECT_EQ(fact(b, "memory.sram.size")->file, file.string());
  EXPECT_EQ(fact(b, "memory.sram.size")->source.document, "board variant with more SRAM");
  EXPECT_EQ(fact(b, "memory.sram.base")->file, chip.string());
  EXPECT_EQ(fact(b, "memory.sram.base")->source.document, "test chip, every value from the test");
  EXPECT_EQ(b.files, (std::vector<std::string>{chip.string(), file.string()}));
  // Regions come sorted by address.
  for (size_t i = 1; i < b.memory.size(); ++i) EXPECT_LT(b.memory[i - 1].base, b.memory[i].base);
}

TEST(CatalogCompose, ArraysAreReplacedWhole) {
  ScratchCatalog cat("arrays");
  cat.chip("testchip", kTestChip);
  cat.board("b", std::string(kTestBoard) + R"(
[[flash.wait_states]]
max_mhz = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
source = "a board-specific table"
)");
  const Board b = load_ok(cat, "b");
  ASSERT_EQ(b.flash.wait_states.size(), 1u);
  EXPECT_EQ(b.flash.wait_states[0].max_mhz.size(), 10u);
  EXPECT_EQ(b.operating_point.wait_states, 7u);  // 80 MHz <= 80
}

TEST(CatalogCompose, SourcesDoNotCrossFiles) {
  // The chip's table source covers the chip's values only: a board value needs its own.
  ScratchCatalog cat("sources");
  cat.chip("testchip", R"(
[chip]
part = "P"
vendor = "V"
family = "f"
[core]
source = "core doc"
kind = "cortex-m3"
fpu = "none"
nvic_priority_bits = 4
[clock]
max_mhz = { value = 72, source = "clock doc" }
[supply]
source = "supply doc"
vdd_min_v = 2.0
vdd_max_v = 3.6
[boot]
address = { value = 0, source = "boot doc" }
[memory.flash]
source = "map doc"
kind = "flash"
base = 0
size = "64K"
[memory.sram]
source = "map doc"
kind = "sram"
base = 0x20000000
size = "20K"
)");
  const auto file = cat.board("b", R"(
[board]
chip = "testchip"
description = "B"
[operating_point]
source = "op doc"
clock_mhz = 72
vdd_v = 3.3
[memory.sram]
size = "16K"
)");
  expect_rejected(load(cat, "b"), file, "memory.sram.size", "no source");
}

TEST(CatalogCompose, EstimateWithNoteStandsInForASource) {
  ScratchCatalog cat("estimate");
  cat.chip("testchip", kTestChip);
  cat.board("b", R"(
[board]
chip = "testchip"
description = "B"
[operating_point]
clock_mhz = { value = 80, source = "doc" }
range = { value = "fast", source = "doc" }
vdd_v = { value = 3.0, estimate = true, note = "supply not measured" }
)");
  const Board b = load_ok(cat, "b");
  const Fact* vdd = fact(b, "operating_point.vdd_v");
  ASSERT_NE(vdd, nullptr);
  EXPECT_TRUE(vdd->source.estimate);
  EXPECT_EQ(vdd->source.note, "supply not measured");
  EXPECT_EQ(vdd->value, "3");
}

// ---------------------------------------------------------------------------------------------
// Malformed files: each rejected, naming the file and the key.

TEST(CatalogMalformed, UnknownKey) {
  ScratchCatalog cat("unknown");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + "[memory.sram]\nsise = 4\n");
  expect_rejected(load(cat, "b"), file, "memory.sram.sise", "unknown key");
}

TEST(CatalogMalformed, UnknownTopLevelTable) {
  ScratchCatalog cat("unknown-table");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + "[peripherals]\nuart = 1\n");
  expect_rejected(load(cat, "b"), file, "peripherals", "unknown key");
}

TEST(CatalogMalformed, MissingField) {
  ScratchCatalog cat("missing");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[memory.extra]
kind = "sram"
size = "4K"
)");
  expect_rejected(load(cat, "b"), file, "memory.extra.base", "missing");
}

TEST(CatalogMalformed, MissingRequiredTable) {
  ScratchCatalog cat("missing-table");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", R"(
source = "b"
[board]
chip = "testchip"
description = "B"
)");
  expect_rejected(load(cat, "b"), file, "operating_point", "missing");
}

TEST(CatalogMalformed, OverlappingRegions) {
  ScratchCatalog cat("overlap");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[memory.sram2]
kind = "sram"
base = 0x2000F000
size = "8K"
)");
  expect_rejected(load(cat, "b"), file, "memory.sram2", "overlaps region 'sram'");
}

TEST(CatalogMalformed, ClockAboveChipMaximum) {
  ScratchCatalog cat("clock");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", R"(
source = "b"
[board]
chip = "testchip"
description = "B"
[operating_point]
clock_mhz = 120
range = "fast"
vdd_v = 3.3
)");
  expect_rejected(load(cat, "b"), file, "operating_point.clock_mhz",
                  "120 MHz is above the chip's maximum clock 100 MHz");
}

TEST(CatalogMalformed, ClockAboveVoltageRange) {
  ScratchCatalog cat("range-clock");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", R"(
source = "b"
[board]
chip = "testchip"
description = "B"
[operating_point]
clock_mhz = 50
range = "slow"
vdd_v = 3.3
)");
  expect_rejected(load(cat, "b"), file, "operating_point.clock_mhz",
                  "above the maximum 40 MHz of voltage range 'slow'");
}

TEST(CatalogMalformed, WaitStateTableDoesNotCoverTheClock) {
  ScratchCatalog cat("table");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[[flash.wait_states]]
range = "fast"
max_mhz = [25, 50]
source = "short table"
)");
  expect_rejected(load(cat, "b"), file, "flash.wait_states", "reaches only 50 MHz, not 80 MHz");
}

TEST(CatalogMalformed, WrongType) {
  ScratchCatalog cat("type");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + "[memory.sram]\nsize = true\n");
  expect_rejected(load(cat, "b"), file, "memory.sram.size", "expected a byte size");
}

TEST(CatalogMalformed, WrongTypeInArray) {
  ScratchCatalog cat("type-array");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[[flash.wait_states]]
max_mhz = [25, "fifty"]
)");
  expect_rejected(load(cat, "b"), file, "flash.wait_states[0].max_mhz[1]", "expected a number");
}

TEST(CatalogMalformed, BadEnumValue) {
  ScratchCatalog cat("enum");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + "[core]\nkind = \"cortex-m5\"\n");
  expect_rejected(load(cat, "b"), file, "core.kind", "'cortex-m5' is not one of");
}

TEST(CatalogMalformed, BrokenTomlSyntax) {
  ScratchCatalog cat("syntax");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", "[board]\nchip = \"testchip\"\ndescription = \"B\n");
  auto b = load(cat, "b");
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidBoard);
  // file:line:column: what the TOML parser says.
  EXPECT_EQ(b.status().message().rfind(file.string() + ":3:", 0), 0u) << b.status().message();
}

TEST(CatalogMalformed, BrokenChipFileNamesTheChip) {
  ScratchCatalog cat("chip-syntax");
  const auto chip = cat.chip("testchip", "[chip\n");
  cat.board("b", kTestBoard);
  auto b = load(cat, "b");
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().message().rfind(chip.string() + ":1:", 0), 0u) << b.status().message();
}

TEST(CatalogMalformed, MissingChipFile) {
  ScratchCatalog cat("no-chip");
  const auto file = cat.board("b", kTestBoard);
  expect_rejected(load(cat, "b"), file, "board.chip", "no chip file");
}

TEST(CatalogMalformed, UnknownVoltageRange) {
  ScratchCatalog cat("bad-range");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", R"(
source = "b"
[board]
chip = "testchip"
description = "B"
[operating_point]
clock_mhz = 80
range = "turbo"
vdd_v = 3.3
)");
  expect_rejected(load(cat, "b"), file, "operating_point.range",
                  "'turbo' is not in voltage_ranges");
}

TEST(CatalogMalformed, ValueWithoutSource) {
  ScratchCatalog cat("no-source");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", R"(
[board]
chip = "testchip"
description = "B"
[operating_point]
clock_mhz = 80
range = "fast"
vdd_v = 3.3
)");
  expect_rejected(load(cat, "b"), file, "operating_point.clock_mhz", "no source");
}

TEST(CatalogMalformed, RunCurrentNeedsExactlyOneFigure) {
  ScratchCatalog cat("power");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[[power.run]]
clock_mhz = 80
vdd_v = 3.3
code = "flash"
current_ma = 8
ua_per_mhz = 100
)");
  expect_rejected(load(cat, "b"), file, "power.run[0]", "exactly one of current_ma and ua_per_mhz");
}

TEST(CatalogMalformed, AliasOfUnknownRegion) {
  ScratchCatalog cat("alias");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[memory.boot-alias]
kind = "flash"
base = 0
size = "256K"
alias_of = "flesh"
)");
  expect_rejected(load(cat, "b"), file, "memory.boot-alias.alias_of", "'flesh' is not a region");
}

TEST(CatalogMalformed, CacheServingUnknownRegion) {
  ScratchCatalog cat("cache");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", std::string(kTestBoard) + R"(
[caches.art]
kind = "art"
regions = ["flash", "rom"]
icache_lines = 64
dcache_lines = 8
line_bytes = 16
enabled_at_reset = false
enabled_by_startup = true
)");
  expect_rejected(load(cat, "b"), file, "caches.art.regions", "no region 'rom'");
}

TEST(CatalogMalformed, WholeCatalogStopsAtTheFirstBrokenBoard) {
  ScratchCatalog cat("whole");
  cat.chip("testchip", kTestChip);
  cat.board("a-good", kTestBoard);
  const auto bad = cat.board("b-bad", std::string(kTestBoard) + "[clock]\nmax_mhz = \"fast\"\n");
  auto c = load_catalog(cat.dir());
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().message().rfind(bad.string() + ": clock.max_mhz: expected a number", 0), 0u)
      << c.status().message();
}

TEST(CatalogMalformed, NotACatalogDirectory) {
  auto c = load_catalog("/nonexistent/tinysim-catalog");
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("not a board catalog"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Operating points and wait states.

TEST(CatalogOperatingPoint, WaitStatesFollowTheTable) {
  ScratchCatalog cat("ws");
  cat.chip("testchip", kTestChip);
  cat.board("b", kTestBoard);
  const Board b = load_ok(cat, "b");
  EXPECT_EQ(b.operating_point.wait_states, 3u);  // 80 MHz: 75 < 80 <= 100
  EXPECT_EQ(b.wait_states_for(25'000'000, "fast").value(), 0u);
  EXPECT_EQ(b.wait_states_for(25'000'001, "fast").value(), 1u);
  EXPECT_EQ(b.wait_states_for(100'000'000, "fast").value(), 3u);
  EXPECT_EQ(b.wait_states_for(40'000'000, "slow").value(), 1u);
  auto above = b.wait_states_for(41'000'000, "slow");
  ASSERT_FALSE(above.is_ok());
  EXPECT_NE(above.status().message().find("reaches only 40 MHz"), std::string::npos);
  auto no_table = b.wait_states_for(10'000'000, "other");
  ASSERT_FALSE(no_table.is_ok());
  EXPECT_NE(no_table.status().message().find("no wait-state table"), std::string::npos);
}

TEST(CatalogOperatingPoint, SelectClockAndRange) {
  ScratchCatalog cat("select");
  cat.chip("testchip", kTestChip);
  cat.board("b", kTestBoard);
  Board b = load_ok(cat, "b");
  // A clock the current range allows keeps the range.
  ASSERT_TRUE(b.select_operating_point(30'000'000, "").is_ok());
  EXPECT_EQ(b.operating_point.range, "fast");
  EXPECT_EQ(b.operating_point.wait_states, 1u);
  EXPECT_EQ(b.clock_hz, 30'000'000u);
  // An explicit range.
  ASSERT_TRUE(b.select_operating_point(0, "slow").is_ok());
  EXPECT_EQ(b.operating_point.range, "slow");
  EXPECT_EQ(b.operating_point.wait_states, 1u);  // 30 MHz in slow: 20 < 30 <= 40
  // A clock the current range does not allow moves to the lowest range that does.
  ASSERT_TRUE(b.select_operating_point(90'000'000, "").is_ok());
  EXPECT_EQ(b.operating_point.range, "fast");
  EXPECT_EQ(b.operating_point.wait_states, 3u);
  // Errors name the limit.
  Status s = b.select_operating_point(120'000'000, "");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("above the maximum clock of the TEST1 (100 MHz)"), std::string::npos)
      << s.message();
  s = b.select_operating_point(60'000'000, "slow");
  EXPECT_NE(s.message().find("60 MHz is above the maximum 40 MHz of voltage range 'slow'"),
            std::string::npos)
      << s.message();
  s = b.select_operating_point(0, "turbo");
  EXPECT_NE(s.message().find("unknown voltage range 'turbo' (known: fast, slow)"),
            std::string::npos)
      << s.message();
  // A failed selection leaves the board as it was.
  EXPECT_EQ(b.clock_hz, 90'000'000u);
  EXPECT_EQ(b.operating_point.range, "fast");
}

TEST(CatalogOperatingPoint, VddTables) {
  ScratchCatalog cat("vdd");
  cat.chip("testchip", std::string(kTestChip).substr(0, std::string(kTestChip).find("[[flash")) +
                           R"(
[[flash.wait_states]]
vdd_min_v = 2.7
vdd_max_v = 3.6
max_mhz = [30, 60, 90, 100]
[[flash.wait_states]]
vdd_min_v = 1.8
vdd_max_v = 2.7
max_mhz = [20, 40, 60, 80, 100]
)");
  cat.board("b", kTestBoard);
  const Board b = load_ok(cat, "b");
  EXPECT_EQ(b.operating_point.wait_states, 2u);                       // 80 MHz at 3.3 V
  EXPECT_EQ(b.wait_states_for(80'000'000, "fast", 2.0).value(), 3u);  // at 2.0 V
  EXPECT_EQ(b.wait_states_for(80'000'000, "slow", 3.3).value(), 2u);  // tables ignore the range
}

// ---------------------------------------------------------------------------------------------
// Units and the default catalog.

TEST(CatalogUnits, Frequencies) {
  EXPECT_EQ(parse_frequency("48MHz").value(), 48'000'000u);
  EXPECT_EQ(parse_frequency("48 mhz").value(), 48'000'000u);
  EXPECT_EQ(parse_frequency("32.768kHz").value(), 32'768u);
  EXPECT_EQ(parse_frequency("1.2GHz").value(), 1'200'000'000u);
  EXPECT_EQ(parse_frequency("8000000").value(), 8'000'000u);
  EXPECT_EQ(parse_frequency("64M").value(), 64'000'000u);
  for (const char* bad : {"", "fast", "48 MHz please", "-5MHz", "48MB", "0"}) {
    auto f = parse_frequency(bad);
    ASSERT_FALSE(f.is_ok()) << bad;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(f.status().message().find("is not a frequency"), std::string::npos);
  }
}

TEST(CatalogUnits, ByteSizes) {
  EXPECT_EQ(parse_byte_size("128K").value(), 128u * 1024);
  EXPECT_EQ(parse_byte_size("128 KiB").value(), 128u * 1024);
  EXPECT_EQ(parse_byte_size("128kb").value(), 128u * 1024);
  EXPECT_EQ(parse_byte_size("2M").value(), 2u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("4096").value(), 4096u);
  EXPECT_EQ(parse_byte_size("1.5K").value(), 1536u);
  for (const char* bad : {"", "big", "12 parsecs", "0.3"}) {
    EXPECT_FALSE(parse_byte_size(bad).is_ok()) << bad;
  }
}

TEST(CatalogDefault, OverrideDirectory) {
  ScratchCatalog cat("default");
  cat.chip("testchip", kTestChip);
  cat.board("only-board", kTestBoard);
  set_default_catalog_directory(cat.dir());
  EXPECT_EQ(default_catalog_directory(), cat.dir());
  auto b = find_board("only-board");
  ASSERT_TRUE(b.is_ok()) << b.status().message();
  EXPECT_EQ(b.value().clock_hz, 80'000'000u);
  auto missing = find_board("nrf52840-dk");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("known boards: only-board"), std::string::npos);
  set_default_catalog_directory(TINYSIM_SOURCE_CATALOG);
  EXPECT_TRUE(find_board("nrf52840-dk").is_ok());
}

TEST(CatalogDefault, BrokenDefaultCatalogReportsWhy) {
  ScratchCatalog cat("broken-default");
  cat.chip("testchip", kTestChip);
  const auto file = cat.board("b", "[board\n");
  set_default_catalog_directory(cat.dir());
  auto b = find_board("b");
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidBoard);
  EXPECT_EQ(b.status().message().rfind(file.string() + ":1:", 0), 0u) << b.status().message();
  EXPECT_TRUE(builtin_boards().empty());
  set_default_catalog_directory(TINYSIM_SOURCE_CATALOG);
}

}  // namespace
}  // namespace tinysim::sim
