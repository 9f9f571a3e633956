// `tinysim boards` (list, filters, JSON, show) and `tinysim run --clock/--vos/--catalog`, run as
// a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "test_catalog.h"

namespace {

struct Result {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result tinysim(const std::string& args) {
  const auto base =
      std::filesystem::temp_directory_path() / ("tinysim-catalog-cli-" + std::to_string(getpid()));
  const auto out = base.string() + ".out", err = base.string() + ".err";
  const std::string cmd =
      std::string(TINYSIM_CLI) + " " + args + " >" + out + " 2>" + err + " </dev/null";
  const int status = std::system(cmd.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::string fw(const std::string& name) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name;
}

TEST(BoardsCommand, ListsEveryBoardSortedByCore) {
  const Result r = tinysim("boards");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nrf52840-dk"), std::string::npos);
  EXPECT_NE(r.out.find("(default)"), std::string::npos);
  // M0 boards before M7 boards.
  EXPECT_LT(r.out.find("nucleo-f030r8"), r.out.find("stm32f746g-disco"));
  const auto json = nlohmann::json::parse(tinysim("boards --json").out);
  EXPECT_GE(json.size(), 16u);
}

TEST(BoardsCommand, Filters) {
  auto names = [](const std::string& args) {
    const Result r = tinysim("boards --json " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    for (const auto& b : nlohmann::json::parse(r.out)) out.push_back(b["name"]);
    return out;
  };
  const auto m4 = names("--core cortex-m4");
  EXPECT_EQ(names("--core m4"), m4);
  EXPECT_NE(std::find(m4.begin(), m4.end(), "nucleo-f411re"), m4.end());
  EXPECT_EQ(std::find(m4.begin(), m4.end(), "nucleo-f030r8"), m4.end());
  for (const auto& b : nlohmann::json::parse(tinysim("boards --json --min-sram 256K").out)) {
    EXPECT_GE(b["sram_bytes"].get<uint64_t>(), 256u * 1024) << b["name"];
  }
  for (const auto& b : nlohmann::json::parse(tinysim("boards --json --min-clock 200MHz").out)) {
    EXPECT_GE(b["max_clock_hz"].get<uint64_t>(), 200'000'000u) << b["name"];
  }
  const auto h7 = names("--min-flash 2M --min-clock 400MHz");
  EXPECT_EQ(h7, std::vector<std::string>{"nucleo-h743zi2"});
  for (const auto& b : nlohmann::json::parse(tinysim("boards --json --max-price 20").out)) {
    ASSERT_FALSE(b["board_price"].is_null()) << b["name"];
    EXPECT_LE(b["board_price"]["usd"].get<double>(), 20.0);
  }
  const auto cheap = names("--max-price 20 --sort price");
  ASSERT_FALSE(cheap.empty());
  EXPECT_EQ(cheap.front(), "bluepill-f103c8");  // $3
}

TEST(BoardsCommand, BadFiltersAreUsageErrors) {
  Result r = tinysim("boards --core cortex-m5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown core 'cortex-m5'"), std::string::npos) << r.err;
  r = tinysim("boards --min-sram lots");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--min-sram: 'lots' is not a byte size"), std::string::npos) << r.err;
  r = tinysim("boards --min-clock 12parsecs");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a frequency"), std::string::npos) << r.err;
}

TEST(BoardsCommand, ShowPrintsEveryValueWithItsSource) {
  const Result r = tinysim("boards show nucleo-f411re");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("STM32F411RET6"), std::string::npos);
  EXPECT_NE(r.out.find("3 flash wait states"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flash.wait_states[0].max_mhz = [30, 64, 90, 100]"), std::string::npos);
  EXPECT_NE(r.out.find("RM0383 Table 6"), std::string::npos);
  EXPECT_NE(r.out.find("ESTIMATE"), std::string::npos);  // the board price
  const auto json = nlohmann::json::parse(tinysim("boards show nucleo-f411re --json").out);
  EXPECT_EQ(json["name"], "nucleo-f411re");
  EXPECT_EQ(json["wait_states"], 3);
  ASSERT_TRUE(json["values"].is_array());
  bool found = false;
  for (const auto& v : json["values"]) {
    if (v["key"] == "clock.max_mhz") {
      found = true;
      EXPECT_EQ(v["value"], "100");
      EXPECT_FALSE(v["source"]["document"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(found);
  const Result missing = tinysim("boards show no-such-board");
  EXPECT_EQ(missing.exit_code, 113);
  EXPECT_NE(missing.err.find("unknown board 'no-such-board'"), std::string::npos);
}

TEST(BoardsCommand, OtherCatalogAndBrokenCatalog) {
  tinysim::testing::ScratchCatalog cat("cli");
  cat.chip("testchip", tinysim::testing::kTestChip);
  cat.board("scratch-board", tinysim::testing::kTestBoard);
  Result r = tinysim("boards --catalog " + cat.dir().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("scratch-board"), std::string::npos);
  EXPECT_EQ(r.out.find("nrf52840-dk"), std::string::npos);
  r = tinysim("boards");  // the default catalog is not the scratch one
  EXPECT_EQ(r.out.find("scratch-board"), std::string::npos);
  const auto file = cat.board(
      "zz-broken", std::string(tinysim::testing::kTestBoard) + "[memory.sram]\nsize = -4\n");
  r = tinysim("boards --catalog " + cat.dir().string());
  EXPECT_EQ(r.exit_code, 113);
  EXPECT_NE(r.err.find(file.string() + ": memory.sram.size: negative"), std::string::npos) << r.err;
}

TEST(BoardsCommand, EnvironmentVariableSelectsTheCatalog) {
  tinysim::testing::ScratchCatalog cat("env");
  cat.chip("testchip", tinysim::testing::kTestChip);
  cat.board("env-board", tinysim::testing::kTestBoard);
  const auto out =
      std::filesystem::temp_directory_path() / ("tinysim-catalog-env-" + std::to_string(getpid()));
  const int status = std::system(("TINYSIM_CATALOG=" + cat.dir().string() + " " + TINYSIM_CLI +
                                  " boards --json > " + out.string())
                                     .c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const auto json = nlohmann::json::parse(slurp(out));
  std::filesystem::remove(out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["name"], "env-board");
}

TEST(RunCommand, ClockAndVoltageRangeSelectTheOperatingPoint) {
  const auto json_path = std::filesystem::temp_directory_path() /
                         ("tinysim-catalog-run-" + std::to_string(getpid()) + ".json");
  Result r = tinysim("run -q --json " + json_path.string() + " -b nucleo-f411re --clock 48MHz " +
                     "--vos scale3 " + fw("hello-cortex-m4f.elf"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(slurp(json_path));
  std::filesystem::remove(json_path);
  EXPECT_EQ(doc["board"]["clock_hz"], 48'000'000);
}

TEST(RunCommand, OperatingPointErrorsAreClear) {
  const std::string hello = fw("hello-cortex-m4f.elf");
  Result r = tinysim("run -b nucleo-f411re --clock 120MHz " + hello);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("120 MHz is above the maximum clock of the STM32F411RET6 (100 MHz)"),
            std::string::npos)
      << r.err;
  r = tinysim("run -b nucleo-f411re --vos scale3 " + hello);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("100 MHz is above the maximum 64 MHz of voltage range 'scale3'"),
            std::string::npos)
      << r.err;
  r = tinysim("run -b nucleo-f411re --vos turbo " + hello);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown voltage range 'turbo' (known: scale1, scale2, scale3)"),
            std::string::npos)
      << r.err;
  r = tinysim("run -b nucleo-f411re --clock fast " + hello);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--clock: 'fast' is not a frequency"), std::string::npos) << r.err;
}

TEST(RunCommand, RunsOnABoardOfAnotherCatalog) {
  tinysim::testing::ScratchCatalog cat("run");
  cat.chip("testchip", tinysim::testing::kTestChip);
  // The M4 build is linked at 0: give the test chip an STM32-style flash alias there.
  cat.board("scratch", std::string(tinysim::testing::kTestBoard) + R"(
[boot]
address = 0
[memory.boot-alias]
kind = "flash"
base = 0
size = "256K"
alias_of = "flash"
)");
  const Result r = tinysim("run -q --catalog " + cat.dir().string() + " -b scratch " +
                           fw("hello-cortex-m4f.elf"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("hello from tinysim firmware"), std::string::npos) << r.out;
}

}  // namespace
