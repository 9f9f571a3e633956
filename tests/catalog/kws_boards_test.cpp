// Every shipped board loads and runs the bundled keyword-spotting firmware (MLPerf Tiny KWS,
// DS-CNN) of the variant the board names (Board::firmware_variant), at its default operating
// point with its real memory system, and prints the outputs the TensorFlow Lite interpreter
// gives (workloads/models/reference-outputs.json): the softmax output for seed 1 and the logits
// for seeds 1..3. Boards whose SRAM cannot hold the model's 16,256-byte arena plus the
// firmware's stack (the STM32F030R8 and STM32L053R8, 8 KiB) refuse it before running, with a
// message naming the section, the sizes and the board, and `tinysim run` exits with 125.
//
// One test per board (ctest runs them in parallel); each prints its cycles and milliseconds.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sim/board.h"
#include "sim/catalog.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

const Catalog& shipped() {
  static const StatusOr<Catalog> catalog = load_catalog(TINYSIM_SOURCE_CATALOG);
  static const Catalog empty;
  return catalog.is_ok() ? catalog.value() : empty;
}

// Board names from the catalog's file names (known before main(), for the test list).
std::vector<std::string> board_names() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(TINYSIM_SOURCE_CATALOG) + "/boards")) {
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// 8 KiB of SRAM: less than the KWS arena alone.
const std::set<std::string> kTooSmall = {"nucleo-f030r8", "nucleo-l053r8"};

std::vector<int> reference(const std::string& model, uint32_t seed) {
  std::ifstream in(std::string(TINYSIM_MODELS_DIR) + "/reference-outputs.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  for (const auto& run : json.at("models").at(model).at("runs")) {
    if (run.at("seed").get<uint32_t>() == seed) return run.at("output").get<std::vector<int>>();
  }
  return {};
}

// The values of the firmware's "output: ..." line.
std::vector<int> parse_output(const std::string& text) {
  std::vector<int> values;
  const size_t at = text.find("output:");
  if (at == std::string::npos) return values;
  const char* p = text.c_str() + at + 7;
  for (;;) {
    char* end = nullptr;
    const long v = std::strtol(p, &end, 10);
    if (end == p) break;
    values.push_back(static_cast<int>(v));
    p = end;
  }
  return values;
}

std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

struct KwsRun {
  RunResult result;
  std::vector<int> output;
  memory_models::MemoryCounters memory;
};

KwsRun run(const Board& board, const Image& image, uint32_t seed) {
  KwsRun r;
  MachineOptions options;
  options.command_line = std::to_string(seed);
  auto machine = Machine::create(board, image, options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  if (!machine.is_ok()) return r;
  std::string console;
  machine.value()->set_console([&](int, std::string_view text) { console += text; });
  RunOptions limits;
  limits.max_instructions = 400'000'000;
  r.result = machine.value()->run(limits);
  r.memory = machine.value()->memory_counters();
  EXPECT_EQ(r.result.reason, StopReason::kExit) << stop_reason_name(r.result.reason);
  EXPECT_EQ(r.result.exit_code, 0);
  r.output = parse_output(console);
  return r;
}

class KwsOnBoard : public ::testing::TestWithParam<std::string> {};

TEST_P(KwsOnBoard, RunsAndMatchesTheReferenceOrIsRefused) {
  auto found = shipped().find(GetParam());
  ASSERT_TRUE(found.is_ok()) << found.status().message();
  const Board& board = found.value();
  auto softmax = Image::load(firmware("kws_ref_model", board.firmware_variant));
  auto logits = Image::load(firmware("kws_ref_model_logits", board.firmware_variant));
  ASSERT_TRUE(softmax.is_ok()) << softmax.status().message();
  ASSERT_TRUE(logits.is_ok()) << logits.status().message();

  if (kTooSmall.count(board.name)) {
    auto machine = Machine::create(board, softmax.value());
    ASSERT_FALSE(machine.is_ok());
    EXPECT_EQ(machine.status().code(), StatusCode::kFirmwareTooLarge);
    const std::string& message = machine.status().message();
    // The whole message, from the ELF's own section sizes: .bss (arena, buffers) runs past the
    // 8 KiB SRAM; the RAM sections there are .bss and the stack (no .data, no heap).
    uint64_t bss = 0, stack = 0, data = 0;
    for (const AllocatedSection& s : softmax.value().allocated_sections()) {
      if (s.name == ".bss") bss = s.size_bytes;
      if (s.name == ".stack") stack = s.size_bytes;
      if (s.name == ".data") data = s.size_bytes;
    }
    ASSERT_EQ(data, 0u);
    ASSERT_GT(bss, 16'256u);         // the arena and more
    auto grouped = [](uint64_t n) {  // 16480 -> "16,480"
      const std::string digits = std::to_string(n);
      std::string out;
      for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
      }
      return out;
    };
    char range[64];
    std::snprintf(range, sizeof range, "0x20000000..0x%08llx",
                  static_cast<unsigned long long>(0x20000000 + bss - 1));
    EXPECT_EQ(message, "kws_ref_model-" + board.firmware_variant + ".elf does not fit board '" +
                           board.name + "': section '.bss' (" + range + ", " + grouped(bss) +
                           " bytes) runs " + grouped(bss - 8192) +
                           " bytes past the end of SRAM region 'sram' (0x20000000..0x20001fff, "
                           "8,192 bytes); its RAM sections there need " +
                           grouped(bss + stack) + " bytes (.bss " + grouped(bss) + ", .stack " +
                           grouped(stack) + ")");
    std::printf("%s: refused: %s\n", board.name.c_str(), message.c_str());
    return;
  }

  const KwsRun first = run(board, softmax.value(), 1);
  EXPECT_EQ(first.output, reference("kws_ref_model", 1));
  for (uint32_t seed : {1u, 2u, 3u}) {
    EXPECT_EQ(run(board, logits.value(), seed).output, reference("kws_ref_model.logits", seed))
        << "seed " << seed;
  }
  if (board.name == "rpi-pico") {
    // The RP2040 starts at the vector table after boot2 (docs/catalog.md: boot2 is not run; its
    // QSPI settings are the catalog's), and the code runs in place from flash through the XIP
    // cache: misses become serial-flash transactions of one 8-byte line each.
    EXPECT_GT(first.memory.xip_cache.read_misses, 0u);
    EXPECT_EQ(first.memory.xip_transactions, first.memory.xip_cache.read_misses);
    EXPECT_EQ(first.memory.xip_bytes_read, 8 * first.memory.xip_transactions);
    EXPECT_GT(first.memory.xip_cache.read_hits, 100 * first.memory.xip_cache.read_misses);
    EXPECT_GT(first.result.fetch_stall_cycles, 0u);
    std::printf("rpi-pico XIP: %llu cache hits, %llu misses, %llu transactions\n",
                static_cast<unsigned long long>(first.memory.xip_cache.read_hits),
                static_cast<unsigned long long>(first.memory.xip_cache.read_misses),
                static_cast<unsigned long long>(first.memory.xip_transactions));
  }
  std::printf("%s (%s, %.0f MHz): %llu cycles, %.3f ms, %llu fetch stall, %llu data stall\n",
              board.name.c_str(), board.firmware_variant.c_str(), double(board.clock_hz) / 1e6,
              static_cast<unsigned long long>(first.result.cycles),
              1e3 * first.result.simulated_seconds,
              static_cast<unsigned long long>(first.result.fetch_stall_cycles),
              static_cast<unsigned long long>(first.result.data_stall_cycles));
  RecordProperty("cycles", std::to_string(first.result.cycles));
}

INSTANTIATE_TEST_SUITE_P(Shipped, KwsOnBoard, ::testing::ValuesIn(board_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(KwsOnBoard, EveryShippedBoardIsCovered) {
  ASSERT_GE(shipped().boards.size(), 16u);
  EXPECT_EQ(board_names().size(), shipped().boards.size());
  // The refused boards are exactly those with less SRAM than the firmware's RAM sections.
  for (const Board& b : shipped().boards) {
    EXPECT_EQ(kTooSmall.count(b.name) == 1, b.sram_bytes() <= 8u * 1024) << b.name;
  }
}

// The same check for flash: the VWW model's 240 KB of constants on the F030's 64 KiB.
TEST(KwsOnBoard, FlashOverflowNamesTheReadOnlySection) {
  auto image = Image::load(firmware("vww_96_int8", "cortex-m0"));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  auto machine = Machine::create(shipped().find("nucleo-f030r8").value(), image.value());
  ASSERT_FALSE(machine.is_ok());
  EXPECT_EQ(machine.status().code(), StatusCode::kFirmwareTooLarge);
  EXPECT_EQ(
      machine.status().message().rfind(
          "vww_96_int8-cortex-m0.elf does not fit board 'nucleo-f030r8': section '.rodata' ", 0),
      0u)
      << machine.status().message();
  EXPECT_NE(machine.status().message().find(
                "past the end of flash region 'flash-boot-alias' (0x00000000..0x0000ffff, 65,536 "
                "bytes); its read-only sections there need "),
            std::string::npos)
      << machine.status().message();
}

// `tinysim run` on a board that is too small: exit status 125 and the same message.
TEST(KwsOnBoard, CliRefusesWithItsOwnExitCode) {
  const std::string command = std::string(TINYSIM_CLI) + " run " +
                              firmware("kws_ref_model", "cortex-m0plus") +
                              " --board nucleo-l053r8 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[512];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 125) << text;
  EXPECT_NE(text.find("does not fit board 'nucleo-l053r8': section '.bss'"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace tinysim::sim
