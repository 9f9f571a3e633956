// `tinysim compare`, `tinysim fit` and `tinysim gate` as a user or a CI job runs them: exit
// codes, the firmware chosen per board, the gate's Markdown and JUnit files.
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
  return tinysim::test::temp_path("workflows-test", name);
}

// Runs `tinysim ARGS`, capturing stdout and stderr.
Result tinysim(const std::string& args) {
  return tinysim::test::run_cli(TINYSIM_CLI, "workflows-test", args);
}

std::string fw(const std::string& name) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + ".elf";
}

std::string gate_builds() {
  return fw("prof-gate-cortex-m0plus") + " " + fw("prof-gate-cortex-m4f") + " " +
         fw("prof-gate-cortex-m7f");
}

TEST(CompareCli, JsonRowsWithTheFirmwareOfEachBoard) {
  const Result r = tinysim("compare " + gate_builds() +
                           " --boards nrf52840-dk,arduino-zero,stm32f746g-disco,rpi-pico"
                           " --sort board -f json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "tinysim.compare/1");
  ASSERT_EQ(j["rows"].size(), 4u);
  // Sorted by board name; the rpi-pico needs its own build (XIP memory map): skipped.
  EXPECT_EQ(j["rows"][0]["board"], "arduino-zero");
  EXPECT_EQ(j["rows"][0]["firmware"], fw("prof-gate-cortex-m0plus"));
  EXPECT_EQ(j["rows"][1]["board"], "nrf52840-dk");
  EXPECT_EQ(j["rows"][1]["firmware"], fw("prof-gate-cortex-m4f"));
  EXPECT_EQ(j["rows"][2]["board"], "rpi-pico");
  EXPECT_EQ(j["rows"][2]["status"], "skipped");
  EXPECT_TRUE(j["rows"][2]["firmware"].is_null());
  EXPECT_EQ(j["rows"][3]["board"], "stm32f746g-disco");
  EXPECT_EQ(j["rows"][3]["firmware"], fw("prof-gate-cortex-m7f"));
  for (int i : {0, 1, 3}) {
    EXPECT_EQ(j["rows"][i]["status"], "ok");
    EXPECT_TRUE(j["rows"][i]["sram_fits"].get<bool>());
    EXPECT_GT(j["rows"][i]["latency_ms"].get<double>(), 0);
  }
  // Deterministic: the same command gives the same document.
  const Result again = tinysim("compare " + gate_builds() +
                               " --boards nrf52840-dk,arduino-zero,stm32f746g-disco,rpi-pico"
                               " --sort board -f json -j 1");
  EXPECT_EQ(again.out, r.out);
}

TEST(CompareCli, TableListsSkippedBoardsWithTheReason) {
  const Result r =
      tinysim("compare " + fw("prof-gate-cortex-m4f") + " --boards nrf52840-dk,arduino-zero");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("latency_ms"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not compared:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("arduino-zero skipped: no firmware for this board"), std::string::npos)
      << r.out;
  const Result csv =
      tinysim("compare " + fw("prof-gate-cortex-m4f") + " --boards nrf52840-dk -f csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("board,core,clock_hz,firmware,status,latency_ms", 0), 0u) << csv.out;
}

TEST(CompareCli, UsageErrors) {
  EXPECT_EQ(tinysim("compare " + fw("prof-gate-cortex-m4f") + " --boards nope").exit_code, 113);
  EXPECT_EQ(tinysim("compare " + fw("prof-gate-cortex-m4f") + " --sort speed").exit_code, 2);
  EXPECT_EQ(tinysim("compare /nonexistent.elf --boards nrf52840-dk").exit_code, 111);
  EXPECT_EQ(
      tinysim("compare " + fw("prof-gate-cortex-m4f") + " --boards nrf52840-dk --all").exit_code,
      2);
}

TEST(FitCli, BoardsMeetingTheBudgetCheapestFirst) {
  // prof-gate is tiny: every board it runs on meets 50 ms; the skipped one does not.
  const Result r = tinysim("fit " + gate_builds() +
                           " --boards nrf52840-dk,arduino-zero,rpi-pico --latency 50ms -f json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["fitting"].size(), 2u);
  ASSERT_EQ(j["rejected"].size(), 1u);
  EXPECT_EQ(j["rejected"][0]["board"], "rpi-pico");
  // A latency below what the M0+ achieves leaves boards out, with a negative margin.
  const double m0_ms = [&] {
    for (const auto& row : j["fitting"]) {
      if (row["board"] == "arduino-zero") return row["latency_ms"].get<double>();
    }
    return 0.0;
  }();
  ASSERT_GT(m0_ms, 0);
  const Result tight = tinysim("fit " + gate_builds() + " --boards arduino-zero --latency " +
                               std::to_string(m0_ms * 1000 / 2) + "us -f json");
  EXPECT_EQ(tight.exit_code, 1) << tight.err;
  const nlohmann::json t = nlohmann::json::parse(tight.out);
  ASSERT_EQ(t["rejected"].size(), 1u);
  for (const auto& c : t["rejected"][0]["constraints"]) {
    if (c["constraint"] == "latency") {
      EXPECT_FALSE(c["pass"].get<bool>());
      EXPECT_NEAR(c["margin"].get<double>(), -m0_ms / 2, 1e-3);
    }
  }
}

TEST(FitCli, UnitErrorsAreClear) {
  const Result r = tinysim("fit " + fw("prof-gate-cortex-m4f") + " --latency 50");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--latency: '50' is not a duration"), std::string::npos) << r.err;
  const Result e = tinysim("fit " + fw("prof-gate-cortex-m4f") + " --energy 5kg");
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_NE(e.err.find("nJ, uJ, mJ, J"), std::string::npos) << e.err;
  EXPECT_EQ(tinysim("fit " + fw("prof-gate-cortex-m4f") + " --sram-margin 120%").exit_code, 2);
}

class GateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    baseline_ = new std::filesystem::path(temp_path("baseline.json"));
    const Result r = tinysim("profile --no-db -b nrf52840-dk -f json -o " + baseline_->string() +
                             " " + fw("prof-gate-cortex-m4f"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove(*baseline_);
    delete baseline_;
  }
  static std::filesystem::path* baseline_;
};
std::filesystem::path* GateCli::baseline_ = nullptr;

TEST_F(GateCli, IdenticalFirmwarePasses) {
  const Result r = tinysim("gate --baseline " + baseline_->string() + " " +
                           fw("prof-gate-cortex-m4f") + " --max cycles=+2%,sram=+0");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("gate passed"), std::string::npos) << r.out;
}

TEST_F(GateCli, SlowerFirmwareFailsWithMarkdownAndJunit) {
  const auto md = temp_path("gate.md"), junit = temp_path("gate.xml");
  const Result r =
      tinysim("gate --baseline " + baseline_->string() + " " + fw("prof-gate-slower-cortex-m4f") +
              " --board nrf52840-dk --max cycles=+2%,sram=+0 --markdown " + md.string() +
              " --junit " + junit.string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("gate failed: depthwise_conv_2d_1 cycles +"), std::string::npos) << r.out;
  const std::string m = slurp(md);
  EXPECT_NE(m.find("## tinysim gate: FAILED"), std::string::npos) << m;
  EXPECT_NE(m.find("| depthwise_conv_2d_1 | cycles |"), std::string::npos) << m;
  const std::string x = slurp(junit);
  EXPECT_EQ(x.rfind("<?xml", 0), 0u);
  EXPECT_NE(x.find("<failure message=\"depthwise_conv_2d_1 cycles +"), std::string::npos) << x;
  std::filesystem::remove(md);
  std::filesystem::remove(junit);
}

TEST_F(GateCli, BaselineFromTheRunStore) {
  const auto db = temp_path("runs.db");
  std::filesystem::remove(db);
  ASSERT_EQ(tinysim("profile -b nrf52840-dk --db " + db.string() + " " + fw("prof-gate-cortex-m4f"))
                .exit_code,
            0);
  // Run 1 is the only run of a new store; NEW runs on the baseline's board by default.
  const Result pass = tinysim("gate --baseline 1 --db " + db.string() + " " +
                              fw("prof-gate-cortex-m4f") + " --max cycles=+0%");
  EXPECT_EQ(pass.exit_code, 0) << pass.out << pass.err;
  EXPECT_NE(pass.out.find("against run 1 (prof-gate-cortex-m4f.elf on nrf52840-dk)"),
            std::string::npos)
      << pass.out;
  const Result fail = tinysim("gate --baseline 1 --db " + db.string() + " " +
                              fw("prof-gate-slower-cortex-m4f") + " --max cycles=+2%");
  EXPECT_EQ(fail.exit_code, 1) << fail.out << fail.err;
  EXPECT_EQ(tinysim("gate --baseline 7 --db " + db.string() + " " + fw("prof-gate-cortex-m4f") +
                    " --max cycles=+2%")
                .exit_code,
            2);
  std::filesystem::remove(db);
  std::filesystem::remove(db.string() + "-wal");
  std::filesystem::remove(db.string() + "-shm");
}

TEST_F(GateCli, ProfileJsonOnBothSidesAndErrors) {
  const auto slow = temp_path("slow.json");
  ASSERT_EQ(tinysim("profile --no-db -b nrf52840-dk -f json -o " + slow.string() + " " +
                    fw("prof-gate-slower-cortex-m4f"))
                .exit_code,
            0);
  EXPECT_EQ(
      tinysim("gate --baseline " + baseline_->string() + " " + slow.string() + " --max cycles=+30%")
          .exit_code,
      0);
  EXPECT_EQ(
      tinysim("gate --baseline " + baseline_->string() + " " + slow.string() + " --max cycles=+2%")
          .exit_code,
      1);
  const Result bad =
      tinysim("gate --baseline " + baseline_->string() + " " + slow.string() + " --max cycels=+2%");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown key 'cycels'"), std::string::npos) << bad.err;
  EXPECT_EQ(
      tinysim("gate --baseline /nonexistent.json " + slow.string() + " --max cycles=+2%").exit_code,
      2);
  std::filesystem::remove(slow);
}

}  // namespace
