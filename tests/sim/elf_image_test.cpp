// The ELF loader on valid images and on every kind of bad input: it must answer with a clear
// error naming the file, never crash.
#include "sim/elf_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "firmware_path.h"
#include "sim/board.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes) {
    path_ =
        std::filesystem::temp_directory_path() / ("tinysim-elf-test-" + std::to_string(getpid()) +
                                                  "-" + std::to_string(counter_++) + ".elf");
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

void expect_invalid(const StatusOr<Image>& image, const std::string& fragment) {
  ASSERT_FALSE(image.is_ok());
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidFirmware);
  EXPECT_NE(image.status().message().find(fragment), std::string::npos) << image.status().message();
}

TEST(ElfImage, LoadsFirmwareWithAttributesAndSymbols) {
  auto image = Image::load(firmware("hello", "cortex-m4f"));
  ASSERT_TRUE(image.is_ok()) << image.status().message();
  EXPECT_EQ(image->entry() & 1u, 1u);
  ASSERT_TRUE(image->has_attributes());
  EXPECT_EQ(image->attributes().arch_name(), "ARMv7E-M");
  EXPECT_TRUE(image->attributes().uses_fpu());
  EXPECT_FALSE(image->attributes().uses_double_precision());
  ASSERT_TRUE(image->symbol_address("main").has_value());
  EXPECT_EQ(image->describe_address(*image->symbol_address("main") + 2).rfind("main+0x2", 0), 0u);
}

TEST(ElfImage, ReadsArchitectureOfEachVariant) {
  const std::pair<const char*, const char*> expected[] = {
      {"cortex-m0", "ARMv6S-M"},  {"cortex-m0plus", "ARMv6S-M"},
      {"cortex-m3", "ARMv7-M"},   {"cortex-m4f", "ARMv7E-M"},
      {"cortex-m7f", "ARMv7E-M"}, {"cortex-m33f", "ARMv8-M.mainline"}};
  for (const auto& [variant, arch] : expected) {
    auto image = Image::load(firmware("hello", variant));
    ASSERT_TRUE(image.is_ok()) << image.status().message();
    EXPECT_EQ(image->attributes().arch_name(), arch) << variant;
  }
}

TEST(ElfImage, MissingFile) {
  expect_invalid(Image::load("/nonexistent/fw.elf"), "no such file");
}

TEST(ElfImage, RandomBytes) {
  std::mt19937 rng(1);
  std::vector<uint8_t> bytes(4096);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "not an ELF file");
}

TEST(ElfImage, SixtyFourBitElf) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  bytes[4] = 2;  // EI_CLASS = ELFCLASS64
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "64-bit");
}

TEST(ElfImage, BigEndianElf) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  bytes[5] = 2;  // EI_DATA = ELFDATA2MSB
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "big-endian");
}

TEST(ElfImage, ForeignMachine) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  bytes[18] = 62;  // e_machine = EM_X86_64
  bytes[19] = 0;
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "is not ARM");
}

TEST(ElfImage, ArmEntryPoint) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  bytes[24] &= 0xFE;  // e_entry bit 0 cleared
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "not a Thumb address");
}

TEST(ElfImage, TruncatedHeader) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  bytes.resize(40);
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "truncated");
}

TEST(ElfImage, TruncatedAnywhereNeverCrashes) {
  const auto full = read_file(firmware("hello", "cortex-m4f"));
  int rejected = 0;
  for (size_t size = 0; size < full.size(); size += 251) {
    std::vector<uint8_t> bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
    TempFile f(bytes);
    auto image = Image::load(f.path());
    if (!image.is_ok()) {
      EXPECT_EQ(image.status().code(), StatusCode::kInvalidFirmware);
      EXPECT_NE(image.status().message().find(f.path()), std::string::npos);
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(ElfImage, SegmentBeyondEndOfFile) {
  auto bytes = read_file(firmware("hello", "cortex-m4f"));
  // First program header: p_offset at e_phoff + 4; point it past the end of the file.
  const uint32_t phoff = bytes[28] | bytes[29] << 8 | bytes[30] << 16 | uint32_t(bytes[31]) << 24;
  const uint32_t past = static_cast<uint32_t>(bytes.size());
  for (int i = 0; i < 4; ++i) bytes[phoff + 4 + i] = static_cast<uint8_t>(past >> (8 * i));
  TempFile f(bytes);
  expect_invalid(Image::load(f.path()), "beyond the end of the file");
}

TEST(MachineCreate, SegmentsOutsideTheMemoryMap) {
  // hello needs about 6 KiB of SRAM (data, bss, 2 KiB heap, 4 KiB stack): give it 4 KiB.
  auto image = Image::load(firmware("hello", "cortex-m4f"));
  ASSERT_TRUE(image.is_ok());
  Board board = find_board("nrf52840-dk").value();
  board.memory[1].size_bytes = 4096;
  auto machine = Machine::create(board, image.value());
  ASSERT_FALSE(machine.is_ok());
  // Refused before loading, naming the section that runs past the end (sim/fit_check.h).
  EXPECT_EQ(machine.status().code(), StatusCode::kFirmwareTooLarge);
  EXPECT_NE(machine.status().message().find("does not fit board 'nrf52840-dk': section '"),
            std::string::npos)
      << machine.status().message();
  EXPECT_NE(machine.status().message().find("past the end of SRAM region 'sram' "
                                            "(0x20000000..0x20000fff, 4,096 bytes)"),
            std::string::npos)
      << machine.status().message();
}

TEST(MachineCreate, MissingVectorTable) {
  // Linked at 0, which on the STM32F746 is ITCM RAM: nothing at its boot address 0x00200000.
  auto image = Image::load(firmware("hello", "cortex-m4f"));
  auto board = find_board("stm32f746g-disco");
  ASSERT_TRUE(image.is_ok() && board.is_ok());
  auto machine = Machine::create(board.value(), image.value());
  ASSERT_FALSE(machine.is_ok());
  EXPECT_NE(machine.status().message().find("no vector table at the boot address 0x00200000"),
            std::string::npos)
      << machine.status().message();
}

TEST(MachineCreate, RefusesHardFloatBuildOnCoreWithoutFpu) {
  auto image = Image::load(firmware("hello", "cortex-m4f"));
  auto board = find_board("nucleo-g071rb");
  ASSERT_TRUE(image.is_ok() && board.is_ok());
  auto machine = Machine::create(board.value(), image.value());
  ASSERT_FALSE(machine.is_ok());
  EXPECT_EQ(machine.status().code(), StatusCode::kIncompatibleFirmware);
  EXPECT_NE(machine.status().message().find("ARMv7E-M"), std::string::npos)
      << machine.status().message();
  EXPECT_NE(machine.status().message().find("Cortex-M0+"), std::string::npos);
}

TEST(MachineCreate, RefusesArmv8mBuildOnCortexM4) {
  auto image = Image::load(firmware("hello", "cortex-m33f"));
  auto board = find_board("nucleo-f411re");
  ASSERT_TRUE(image.is_ok() && board.is_ok());
  auto machine = Machine::create(board.value(), image.value());
  ASSERT_FALSE(machine.is_ok());
  EXPECT_EQ(machine.status().code(), StatusCode::kIncompatibleFirmware);
  EXPECT_NE(machine.status().message().find("ARMv8-M.mainline"), std::string::npos);
}

TEST(MachineCreate, AcceptsOlderArchitectureOnNewerCore) {
  auto image = Image::load(firmware("hello", "cortex-m0plus"));
  auto board = find_board("nucleo-f411re");
  ASSERT_TRUE(image.is_ok() && board.is_ok());
  EXPECT_TRUE(Machine::create(board.value(), image.value()).is_ok());
}

TEST(Board, ValidationNamesTheKey) {
  Board b = find_board("nucleo-f411re").value();
  b.memory.push_back({"overlap", 0x20001000, 0x1000, RegionKind::kSram, ""});
  Status s = b.validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidBoard);
  EXPECT_NE(s.message().find("memory.overlap"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("overlaps region 'sram'"), std::string::npos) << s.message();
  Board c = find_board("nucleo-f411re").value();
  c.clock_hz = 0;
  EXPECT_NE(c.validate().message().find("clock_hz"), std::string::npos);
  EXPECT_FALSE(find_board("no-such-board").is_ok());
}

}  // namespace
}  // namespace tinysim::sim
