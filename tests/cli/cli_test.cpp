// The `tinysim` command as a user runs it: exit codes, reports and the JSON document.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_runner.h"

namespace {

using Result = tinysim::test::CliResult;
using tinysim::test::slurp;

std::filesystem::path temp_path(const std::string& name) {
  return tinysim::test::temp_path("cli-test", name);
}

// Runs `tinysim ARGS`, capturing stdout and stderr.
Result tinysim(const std::string& args) {
  return tinysim::test::run_cli(TINYSIM_CLI, "cli-test", args);
}

std::string fw(const std::string& name) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name;
}

TEST(Cli, RunsTheDefaultWorkloadOnTheDefaultBoard) {
  const Result r = tinysim("run " + fw("hello-cortex-m4f.elf"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("hello from tinysim firmware"), std::string::npos);
  EXPECT_NE(r.err.find("firmware exited with status 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nrf52840-dk"), std::string::npos);
  EXPECT_NE(r.err.find("simulated MIPS"), std::string::npos);
}

TEST(Cli, FirmwareStatusIsTheExitStatus) {
  EXPECT_EQ(tinysim("run -q " + fw("test-exit-code-cortex-m3.elf") + " -b bluepill-f103c8 -- 7")
                .exit_code,
            7);
}

TEST(Cli, EachEndingHasItsOwnExitCode) {
  const std::string faults = fw("test-faults-cortex-m4f.elf");
  EXPECT_EQ(tinysim("run " + faults + " -- bus-read").exit_code, 114);
  EXPECT_EQ(tinysim("run " + faults + " -- breakpoint").exit_code, 115);
  EXPECT_EQ(tinysim("run --max-instructions 10000 " + faults + " -- endless").exit_code, 116);
  EXPECT_EQ(tinysim("run --max-cycles 10000 " + faults + " -- endless").exit_code, 117);
  EXPECT_EQ(tinysim("run --timeout 0.1 " + faults + " -- endless").exit_code, 118);
  EXPECT_EQ(tinysim("run " + faults + " -- reset").exit_code, 119);
  EXPECT_EQ(tinysim("run " + faults + " -- sleep-forever").exit_code, 120);
}

TEST(Cli, BadInputsHaveTheirOwnExitCodes) {
  const Result missing = tinysim("run /nonexistent.elf");
  EXPECT_EQ(missing.exit_code, 111);
  EXPECT_NE(missing.err.find("/nonexistent.elf: no such file"), std::string::npos) << missing.err;
  const Result incompatible = tinysim("run " + fw("hello-cortex-m4f.elf") + " -b nucleo-g071rb");
  EXPECT_EQ(incompatible.exit_code, 112);
  EXPECT_NE(incompatible.err.find("cannot execute"), std::string::npos) << incompatible.err;
  const Result board = tinysim("run " + fw("hello-cortex-m4f.elf") + " -b no-such-board");
  EXPECT_EQ(board.exit_code, 113);
  EXPECT_NE(board.err.find("unknown board 'no-such-board'"), std::string::npos);
  EXPECT_EQ(tinysim("run --max-cycles lots " + fw("hello-cortex-m4f.elf")).exit_code, 2);
  EXPECT_EQ(tinysim("frobnicate").exit_code, 2);
}

TEST(Cli, FaultReportNamesKindAndLocation) {
  const Result r = tinysim("run " + fw("test-faults-cortex-m4f.elf") + " -- bus-write");
  EXPECT_NE(r.err.find("BusFault: precise data bus error: write of 4 bytes at 0x70000000"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("pc            store"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("lr            main+"), std::string::npos) << r.err;
}

TEST(Cli, JsonReportFollowsTheDocumentedSchema) {
  const auto path = temp_path("report.json");
  const Result r = tinysim("run -q --json " + path.string() + " " +
                           fw("test-faults-cortex-m4f.elf") + " -- bus-read");
  EXPECT_EQ(r.exit_code, 114);
  const auto doc = nlohmann::json::parse(slurp(path));
  EXPECT_EQ(doc["schema"], "tinysim.run/1");
  EXPECT_EQ(doc["board"]["name"], "nrf52840-dk");
  EXPECT_EQ(doc["board"]["clock_hz"], 64000000);
  EXPECT_EQ(doc["stop"]["reason"], "fault");
  EXPECT_EQ(doc["fault"]["kind"], "BusFault");
  EXPECT_EQ(doc["fault"]["address"], 0x70000000u);
  EXPECT_EQ(doc["fault"]["r"].size(), 13u);
  EXPECT_GT(doc["counts"]["instructions"].get<uint64_t>(), 0u);
  EXPECT_GE(doc["counts"]["cycles"].get<uint64_t>(), doc["counts"]["instructions"].get<uint64_t>());
  EXPECT_TRUE(doc["time"]["host_seconds"].is_number());
  std::filesystem::remove(path);
}

TEST(Cli, SameRunSameReportApartFromHostTime) {
  const auto a = temp_path("a.json"), b = temp_path("b.json");
  tinysim("run -q --json " + a.string() + " " + fw("test-systick-cortex-m4f.elf"));
  tinysim("run -q --json " + b.string() + " " + fw("test-systick-cortex-m4f.elf"));
  auto ja = nlohmann::json::parse(slurp(a)), jb = nlohmann::json::parse(slurp(b));
  ja.erase("time");
  jb.erase("time");
  EXPECT_EQ(ja, jb);
}

TEST(Cli, BoardsListsTheDefault) {
  const Result r = tinysim("boards");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("nrf52840-dk"), std::string::npos);
  EXPECT_NE(r.out.find("(default)"), std::string::npos);
  const auto json = nlohmann::json::parse(tinysim("boards --json").out);
  EXPECT_GE(json.size(), 7u);
}

}  // namespace
