// The shipped catalog (catalog/): every board loads and validates, values match their sources,
// wait states come out of the documented tables, the memory-model configuration follows, and
// every board boots and runs the bundled hello firmware of its firmware variant.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "memory_models/memory_system.h"
#include "sim/board.h"
#include "sim/catalog.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

const Catalog& shipped() {
  static const StatusOr<Catalog> catalog = load_catalog(TINYSIM_SOURCE_CATALOG);
  EXPECT_TRUE(catalog.is_ok()) << catalog.status().message();
  static const Catalog empty;
  return catalog.is_ok() ? catalog.value() : empty;
}

Board board(const std::string& name) {
  auto b = shipped().find(name);
  EXPECT_TRUE(b.is_ok()) << b.status().message();
  return b.is_ok() ? b.value() : Board{};
}

constexpr uint32_t KiB = 1024;

TEST(ShippedCatalog, EveryBoardLoadsAndValidates) {
  const Catalog& c = shipped();
  ASSERT_GE(c.boards.size(), 16u);
  for (const Board& b : c.boards) {
    SCOPED_TRACE(b.name);
    EXPECT_TRUE(b.validate().is_ok()) << b.validate().message();
    EXPECT_FALSE(b.description.empty());
    EXPECT_FALSE(b.part.empty());
    EXPECT_GT(b.sram_bytes(), 0u);
    EXPECT_GT(b.flash_bytes(), 0u);
    EXPECT_EQ(b.files.size(), 2u);
    // Every value carries a source, or is an estimate that says why.
    for (const Fact& f : b.facts) {
      const bool descriptive = f.key.rfind("board.", 0) == 0 || f.key.rfind("chip.", 0) == 0 ||
                               f.key.find(".control") != std::string::npos ||
                               f.key.find("startup_note") != std::string::npos;
      if (descriptive) continue;
      EXPECT_TRUE(!f.source.document.empty() || (f.source.estimate && !f.source.note.empty()))
          << f.key;
    }
  }
}

TEST(ShippedCatalog, HasTheRequiredBoards) {
  std::set<std::string> names;
  for (const Board& b : shipped().boards) names.insert(b.name);
  // The 16 (one board per MCU) and the names the earlier built-in list had.
  for (const char* n : {"nucleo-f030r8", "nucleo-g071rb", "nucleo-l053r8", "rpi-pico",
                        "arduino-zero", "bluepill-f103c8", "nucleo-f401re", "stm32f407g-disc1",
                        "nucleo-f411re", "nucleo-f446re", "nucleo-l4r5zi", "nrf52840-dk",
                        "stm32f746g-disco", "nucleo-h743zi2", "nucleo-u575zi-q", "nrf5340-dk"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  EXPECT_TRUE(shipped().find(default_board_name()).is_ok());
}

TEST(ShippedCatalog, CoresOfTheRequiredMcus) {
  auto core = [](const char* name) { return board(name).core; };
  EXPECT_EQ(core("nucleo-f030r8").kind, CoreKind::kCortexM0);
  for (const char* n : {"nucleo-g071rb", "nucleo-l053r8", "rpi-pico", "arduino-zero"}) {
    EXPECT_EQ(core(n).kind, CoreKind::kCortexM0Plus) << n;
    EXPECT_EQ(core(n).fpu, FpuKind::kNone) << n;
  }
  EXPECT_EQ(core("bluepill-f103c8").kind, CoreKind::kCortexM3);
  for (const char* n : {"nucleo-f401re", "stm32f407g-disc1", "nucleo-f411re", "nucleo-f446re",
                        "nucleo-l4r5zi", "nrf52840-dk"}) {
    EXPECT_EQ(core(n).kind, CoreKind::kCortexM4) << n;
    EXPECT_EQ(core(n).fpu, FpuKind::kFpv4Sp) << n;
    EXPECT_TRUE(core(n).dsp) << n;
  }
  EXPECT_EQ(core("stm32f746g-disco").kind, CoreKind::kCortexM7);
  EXPECT_EQ(core("stm32f746g-disco").fpu, FpuKind::kFpv5Sp);
  EXPECT_EQ(core("nucleo-h743zi2").fpu, FpuKind::kFpv5Dp);
  EXPECT_EQ(core("nucleo-u575zi-q").kind, CoreKind::kCortexM33);
  EXPECT_EQ(core("nrf5340-dk").kind, CoreKind::kCortexM33);
  EXPECT_EQ(board("nrf52840-dk").nvic_priority_bits, 3u);    // nrfx mdk/nrf52840.h
  EXPECT_EQ(board("nucleo-f411re").nvic_priority_bits, 4u);  // ST CMSIS
  EXPECT_EQ(board("nucleo-g071rb").nvic_priority_bits, 2u);  // ARMv6-M
}

// The memory maps the earlier built-in boards had (tests and firmware rely on them).
TEST(ShippedCatalog, LegacyMemoryMapsStayCompatible) {
  for (const char* n : {"nucleo-f030r8", "nucleo-g071rb", "bluepill-f103c8", "nucleo-f411re"}) {
    SCOPED_TRACE(n);
    const Board b = board(n);
    const MemoryRegion* flash = b.region_named("flash");
    ASSERT_NE(flash, nullptr);
    EXPECT_EQ(flash->base, 0x08000000u);
    const MemoryRegion* alias = b.region_at(0);
    ASSERT_NE(alias, nullptr);
    EXPECT_EQ(alias->alias_of, "flash");
    EXPECT_EQ(b.boot_address, 0u);
    EXPECT_EQ(b.region_at(0x20000000)->kind, RegionKind::kSram);
  }
  const Board f746 = board("stm32f746g-disco");
  EXPECT_EQ(f746.boot_address, 0x00200000u);
  EXPECT_EQ(f746.region_at(0)->name, "itcm");
  EXPECT_EQ(f746.region_at(0x00200000)->alias_of, "flash");
  EXPECT_EQ(f746.region_named("flash")->base, 0x08000000u);
  EXPECT_EQ(f746.region_named("dtcm")->base, 0x20000000u);
  EXPECT_EQ(f746.region_named("sram1")->base, 0x20010000u);
  EXPECT_EQ(f746.region_named("sram2")->base, 0x2004C000u);
  for (const char* n : {"nrf52840-dk", "nrf5340-dk"}) {
    const Board b = board(n);
    EXPECT_EQ(b.region_named("flash")->base, 0u) << n;
    EXPECT_EQ(b.boot_address, 0u) << n;
  }
  // tests/sim/elf_image_test.cpp shrinks memory[1] of the nRF52840 DK: its SRAM.
  EXPECT_EQ(board("nrf52840-dk").memory.at(1).name, "sram");
  EXPECT_EQ(board("nrf52840-dk").clock_hz, 64'000'000u);
}

// Values checked against the sources the catalog cites.
TEST(ShippedCatalog, SpotChecksAgainstSources) {
  // modm-devices stm32f4-01_11.xml; ST CMSIS stm32f411xe.h.
  const Board f411 = board("nucleo-f411re");
  EXPECT_EQ(f411.max_clock_mhz, 100);
  EXPECT_EQ(f411.flash_bytes(), 512u * KiB);
  EXPECT_EQ(f411.sram_bytes(), 128u * KiB);
  ASSERT_NE(f411.voltage_range("scale3"), nullptr);
  EXPECT_EQ(f411.voltage_range("scale3")->max_mhz, 64);
  ASSERT_NE(f411.cache_named("art"), nullptr);
  EXPECT_EQ(f411.cache_named("art")->icache_lines, 64u);
  EXPECT_EQ(f411.cache_named("art")->dcache_lines, 8u);
  ASSERT_TRUE(f411.flash.control.has_value());
  EXPECT_EQ(f411.flash.control->address, 0x40023C00u);
  EXPECT_EQ(f411.flash.control->startup_value.value_or(0), 0x703u);
  // modm-devices stm32f4-05_07_15_17.xml.
  const Board f407 = board("stm32f407g-disc1");
  EXPECT_EQ(f407.region_named("ccm")->base, 0x10000000u);
  EXPECT_EQ(f407.region_named("sram2")->base, 0x2001C000u);
  EXPECT_EQ(f407.sram_bytes(), 192u * KiB);
  // STM32CubeG0 / L4 / U5 / L5 LL utils tables.
  EXPECT_EQ(board("nucleo-g071rb").voltage_range("range2")->max_mhz, 16);
  EXPECT_EQ(board("nucleo-l4r5zi").voltage_range("range1")->max_mhz, 120);
  EXPECT_EQ(board("nucleo-l4r5zi").sram_bytes(), 640u * KiB);
  EXPECT_EQ(board("nucleo-u575zi-q").voltage_range("range4")->max_mhz, 24);
  EXPECT_EQ(board("nucleo-u575zi-q").sram_bytes(), (768u + 16u) * KiB);
  // STM32CubeH7 STM32H743IITx.ld.
  const Board h743 = board("nucleo-h743zi2");
  EXPECT_EQ(h743.region_named("axi-sram")->base, 0x24000000u);
  EXPECT_EQ(h743.region_named("sram-d2")->size_bytes, 288u * KiB);
  EXPECT_EQ(h743.region_named("itcm")->kind, RegionKind::kTcm);
  EXPECT_EQ(h743.cache_named("l1-dcache")->size_bytes, 16u * KiB);
  EXPECT_EQ(h743.cache_named("l1-dcache")->ways, 4u);
  // pico-sdk memmap_default.ld, boot2_w25q080.S, boards/pico.h; RP2040 datasheet 2.6.3.
  const Board pico = board("rpi-pico");
  EXPECT_EQ(pico.region_named("flash")->kind, RegionKind::kXip);
  EXPECT_EQ(pico.region_named("flash")->base, 0x10000000u);
  EXPECT_EQ(pico.boot_address, 0x10000100u);
  ASSERT_TRUE(pico.region_named("flash")->xip.has_value());
  EXPECT_EQ(pico.region_named("flash")->xip->clock_divider, 2u);
  EXPECT_EQ(pico.region_named("flash")->xip->dummy_cycles, 4u);
  EXPECT_EQ(pico.sram_bytes(), 264u * KiB);
  EXPECT_EQ(pico.cache_named("xip")->size_bytes, 16u * KiB);
  EXPECT_EQ(pico.cache_named("xip")->line_bytes, 8u);
  EXPECT_EQ(pico.clock_hz, 125'000'000u);
  // Zephyr nrf5340_cpuapp_qkaa.dtsi; nrfx system_nrf5340_application.c.
  EXPECT_EQ(board("nrf5340-dk").sram_bytes(), 512u * KiB);
  EXPECT_EQ(board("nrf5340-dk").max_clock_mhz, 128);
}

TEST(ShippedCatalog, PowerFiguresKeepTheirConditions) {
  // STM32F031 datasheet Table 23 at 3.6 V (proxy for the F030, marked as estimate).
  const Board f030 = board("nucleo-f030r8");
  ASSERT_GE(f030.power.run.size(), 2u);
  const RunCurrent& flash48 = f030.power.run[0];
  EXPECT_EQ(flash48.clock_mhz, 48);
  EXPECT_EQ(flash48.vdd_v, 3.6);
  EXPECT_EQ(flash48.code, "flash");
  EXPECT_DOUBLE_EQ(flash48.current_ma, 11.4);
  EXPECT_NEAR(flash48.ua_per_mhz, 237.5, 1e-9);
  EXPECT_TRUE(flash48.source.estimate);
  EXPECT_EQ(f030.power.run[1].code, "sram");
  EXPECT_DOUBLE_EQ(f030.power.run[1].current_ma, 10.3);
  // nRF5340 PS: 2.7 mA from flash, 2.1 mA from RAM at 64 MHz, 3 V, DC/DC (verified).
  const Board nrf53 = board("nrf5340-dk");
  ASSERT_EQ(nrf53.power.run.size(), 2u);
  EXPECT_DOUBLE_EQ(nrf53.power.run[0].current_ma, 2.7);
  EXPECT_DOUBLE_EQ(nrf53.power.run[1].current_ma, 2.1);
  EXPECT_EQ(nrf53.power.run[1].regulator, "dcdc");
  EXPECT_FALSE(nrf53.power.run[0].source.estimate);
  // uA/MHz figures give the current at their clock.
  const Board u575 = board("nucleo-u575zi-q");
  ASSERT_FALSE(u575.power.run.empty());
  EXPECT_NEAR(u575.power.run[0].current_ma, 19.5 * 160 / 1000, 1e-9);
}

TEST(ShippedCatalog, PricesAreDatedAndAttributed) {
  int with_price = 0;
  for (const Board& b : shipped().boards) {
    for (const auto* p : {&b.board_price, &b.chip_price}) {
      if (!*p) continue;
      ++with_price;
      EXPECT_EQ((*p)->date.size() >= 7, true) << b.name;
      EXPECT_FALSE((*p)->source.document.empty()) << b.name;
    }
  }
  EXPECT_GE(with_price, 10);
}

// ---------------------------------------------------------------------------------------------
// Wait states from the tables.

TEST(ShippedWaitStates, FromTheDocumentedTables) {
  const Board f411 = board("nucleo-f411re");
  // RM0383 Table 6 / CMSIS at 2.7-3.6 V: 30 / 64 / 90 / 100 MHz.
  EXPECT_EQ(f411.operating_point.wait_states, 3u);
  EXPECT_EQ(f411.wait_states_for(100'000'000, "scale1", 3.3).value(), 3u);
  EXPECT_EQ(f411.wait_states_for(64'000'000, "scale1", 3.3).value(), 1u);
  EXPECT_EQ(f411.wait_states_for(30'000'000, "scale1", 3.3).value(), 0u);
  EXPECT_EQ(f411.wait_states_for(100'000'000, "scale1", 1.8).value(), 6u);  // modm vcore-min 1800
  EXPECT_EQ(board("nucleo-f446re").wait_states_for(180'000'000, "scale1", 3.3).value(), 5u);
  EXPECT_EQ(board("nucleo-f446re").operating_point.wait_states, 5u);
  EXPECT_EQ(board("stm32f407g-disc1").operating_point.wait_states, 5u);
  EXPECT_EQ(board("stm32f746g-disco").operating_point.wait_states, 7u);
  EXPECT_EQ(board("nucleo-f030r8").operating_point.wait_states, 1u);
  EXPECT_EQ(board("bluepill-f103c8").operating_point.wait_states, 2u);
  EXPECT_EQ(board("nucleo-g071rb").operating_point.wait_states, 2u);
  EXPECT_EQ(board("nucleo-g071rb").wait_states_for(16'000'000, "range2").value(), 1u);
  EXPECT_EQ(board("nucleo-l053r8").wait_states_for(4'000'000, "range3").value(), 1u);
  EXPECT_EQ(board("nucleo-l4r5zi").operating_point.wait_states, 5u);
  EXPECT_EQ(board("nucleo-l4r5zi").wait_states_for(26'000'000, "range2").value(), 2u);
  EXPECT_EQ(board("nucleo-u575zi-q").wait_states_for(37'500'000, "range3").value(), 2u);
  EXPECT_EQ(board("nucleo-u575zi-q").operating_point.wait_states, 4u);
  // H7: the table is in AXI clock (core / 2): 480 MHz -> 240 MHz -> 4 WS (VOS0).
  EXPECT_EQ(board("nucleo-h743zi2").operating_point.wait_states, 4u);
  EXPECT_EQ(board("nucleo-h743zi2").wait_states_for(300'000'000, "vos2").value(), 2u);
  // No user wait-state setting.
  EXPECT_EQ(board("nrf52840-dk").operating_point.wait_states, 0u);
  EXPECT_EQ(board("rpi-pico").operating_point.wait_states, 0u);
}

TEST(ShippedWaitStates, OperatingPointSelection) {
  Board f411 = board("nucleo-f411re");
  ASSERT_TRUE(f411.select_operating_point(48'000'000, "scale3").is_ok());
  EXPECT_EQ(f411.operating_point.wait_states, 1u);
  EXPECT_EQ(f411.clock_hz, 48'000'000u);
  Status s = f411.select_operating_point(100'000'000, "scale3");
  EXPECT_NE(s.message().find("100 MHz is above the maximum 64 MHz of voltage range 'scale3'"),
            std::string::npos)
      << s.message();
  Board nrf = board("nrf52840-dk");
  s = nrf.select_operating_point(0, "range1");
  EXPECT_NE(s.message().find("has no voltage ranges"), std::string::npos) << s.message();
  ASSERT_TRUE(nrf.select_operating_point(32'000'000, "").is_ok());
  EXPECT_EQ(nrf.clock_hz, 32'000'000u);
}

// ---------------------------------------------------------------------------------------------
// The memory-model configuration each board produces.

TEST(ShippedMemoryConfig, Stm32F4Art) {
  const auto cfg = memory_system_config(board("nucleo-f411re"));
  EXPECT_EQ(cfg.clock_hz, 100'000'000u);
  EXPECT_EQ(cfg.flash_accelerator, "stm32f4-art");
  EXPECT_EQ(cfg.art.icache_lines, 64u);
  EXPECT_EQ(cfg.flash.line_bits, 128u);
  EXPECT_EQ(cfg.flash_registers, "stm32f4");
  EXPECT_EQ(cfg.flash_registers_base, 0x40023C00u);
  EXPECT_EQ(cfg.voltage_range, "2.7-3.6V");
  ASSERT_EQ(cfg.flash.wait_states.size(), 4u);
  EXPECT_EQ(cfg.flash.wait_states[0].max_clock_hz,
            (std::vector<uint64_t>{30'000'000, 64'000'000, 90'000'000, 100'000'000}));
  EXPECT_EQ(cfg.flash.startup_wait_states.value_or(99), 3u);
  EXPECT_FALSE(cfg.flash.reset_settings.icache);
  EXPECT_TRUE(cfg.flash.startup_icache && cfg.flash.startup_prefetch);
  for (const auto& r : cfg.regions) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(r.through_accelerator, r.name == "flash" || r.name == "flash-boot-alias");
  }
}

TEST(ShippedMemoryConfig, CortexM7Caches) {
  const auto f746 = memory_system_config(board("stm32f746g-disco"));
  EXPECT_EQ(f746.l1_icache.size_bytes, 4u * KiB);
  EXPECT_EQ(f746.l1_icache.ways, 2u);
  EXPECT_EQ(f746.l1_dcache.ways, 4u);
  EXPECT_EQ(f746.l1_dcache.line_bytes, 32u);
  for (const auto& r : f746.regions) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(r.l1_cacheable, r.name == "flash" || r.name == "sram1" || r.name == "sram2");
    EXPECT_EQ(r.width_bits, 64u);
  }
  const auto h743 = memory_system_config(board("nucleo-h743zi2"));
  EXPECT_EQ(h743.flash.clock_divider, 2u);
  EXPECT_EQ(h743.voltage_range, "vos0");
  EXPECT_EQ(h743.l1_dcache.size_bytes, 16u * KiB);
  EXPECT_EQ(h743.flash_registers, "none");  // no FLASH_ACR entry for the H7 yet
}

TEST(ShippedMemoryConfig, XipAndOtherAccelerators) {
  const auto pico = memory_system_config(board("rpi-pico"));
  EXPECT_EQ(pico.xip.sck_divider, 2u);
  EXPECT_EQ(pico.xip.command_clocks, 0u);
  EXPECT_EQ(pico.xip.address_clocks, 6u);
  EXPECT_EQ(pico.xip.mode_clocks, 2u);
  EXPECT_EQ(pico.xip.dummy_clocks, 4u);
  EXPECT_EQ(pico.xip.data_lanes, 4u);
  EXPECT_EQ(pico.xip.cache.size_bytes, 16u * KiB);
  EXPECT_EQ(pico.xip.cache.line_bytes, 8u);
  EXPECT_TRUE(pico.xip.cache_enabled);
  EXPECT_EQ(pico.flash_accelerator, "none");
  const auto l4 = memory_system_config(board("nucleo-l4r5zi"));
  EXPECT_EQ(l4.flash_accelerator, "stm32l4-cache");
  EXPECT_EQ(l4.l4_cache.cache_line_bits, 256u);
  EXPECT_EQ(l4.flash_registers, "stm32l4");
  EXPECT_EQ(l4.voltage_range, "range1");
  const auto f1 = memory_system_config(board("bluepill-f103c8"));
  EXPECT_EQ(f1.flash_accelerator, "prefetch-buffer");
  EXPECT_EQ(f1.prefetch_buffer.buffers, 2u);
  EXPECT_TRUE(f1.flash.reset_settings.prefetch);
  const auto u5 = memory_system_config(board("nucleo-u575zi-q"));
  EXPECT_EQ(u5.flash_accelerator, "generic-cache");
  EXPECT_EQ(u5.flash_cache.size_bytes, 8u * KiB);
  EXPECT_EQ(u5.flash_registers, "stm32u5");
  const auto nrf = memory_system_config(board("nrf52840-dk"));
  EXPECT_TRUE(nrf.flash.wait_states.empty());
  EXPECT_EQ(nrf.flash_accelerator, "none");
}

TEST(ShippedMemoryConfig, EveryBoardsConfigurationIsUsable) {
  for (const Board& b : shipped().boards) {
    SCOPED_TRACE(b.name);
    EXPECT_EQ(memory_models::MemorySystem::validate(memory_system_config(b)), "");
  }
}

// ---------------------------------------------------------------------------------------------
// Every shipped board boots the bundled hello firmware for its variant.

std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

TEST(ShippedBoardsRun, EveryBoardRunsHello) {
  for (const Board& b : shipped().boards) {
    SCOPED_TRACE(b.name + " with hello-" + b.firmware_variant);
    auto image = Image::load(firmware("hello", b.firmware_variant));
    ASSERT_TRUE(image.is_ok()) << image.status().message();
    auto machine = Machine::create(b, image.value());
    ASSERT_TRUE(machine.is_ok()) << machine.status().message();
    std::string console;
    machine.value()->set_console([&](int, std::string_view text) { console += text; });
    RunOptions options;
    options.max_instructions = 20'000'000;
    const RunResult r = machine.value()->run(options);
    EXPECT_EQ(r.reason, StopReason::kExit) << stop_reason_name(r.reason);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(console.find("hello from tinysim firmware"), std::string::npos) << console;
    EXPECT_GT(r.cycles, 0u);
  }
}

// The bundled keyword-spotting model on every board: kws_boards_test.cpp.

TEST(ShippedBoardsRun, FirmwareVariantsMatchTheMemoryMap) {
  EXPECT_EQ(board("rpi-pico").firmware_variant, "cortex-m0plus-rp2040");
  EXPECT_EQ(board("nucleo-u575zi-q").firmware_variant, "cortex-m33f-stm32");
  EXPECT_EQ(board("nucleo-l552ze-q").firmware_variant, "cortex-m33f-stm32");
  EXPECT_EQ(board("nrf5340-dk").firmware_variant, "cortex-m33f");
  EXPECT_EQ(board("nucleo-h743zi2").firmware_variant, "cortex-m7f");
  EXPECT_EQ(board("nucleo-f030r8").firmware_variant, "cortex-m0");
  EXPECT_EQ(board("bluepill-f103c8").firmware_variant, "cortex-m3");
}

}  // namespace
}  // namespace tinysim::sim
