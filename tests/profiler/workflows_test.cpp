// The workflows on top of profiles: sessions (progress, cancellation), compare (firmware
// selection per board, determinism across thread counts), budgets and fit, the regression gate
// and its Markdown and JUnit reports, and rule attribution of a TensorFlow Lite Micro + CMSIS-NN
// shaped firmware (workloads/firmware/profiler_tests/tflm_standin, a stand-in: README there).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>
#include <QString>
#include <QXmlStreamReader>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "profiler/budget.h"
#include "profiler/compare.h"
#include "profiler/compare_report.h"
#include "profiler/gate.h"
#include "profiler/report_format.h"
#include "profiler/session.h"
#include "sim/board.h"

namespace tinysim::profiler {
namespace {

std::string fw(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

sim::Board board(const std::string& name) {
  auto b = sim::find_board(name);
  EXPECT_TRUE(b.is_ok()) << b.status().message();
  return b.value();
}

Profile run(const std::string& path, const std::string& board_name) {
  SessionOptions options;
  auto r = profile_firmware(path, board(board_name), options);
  EXPECT_TRUE(r.is_ok()) << r.status().message();
  return r.value();
}

const OperatorProfile* op_named(const Profile& p, const std::string& name) {
  for (const OperatorProfile& op : p.operators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

uint64_t cycles_of(const Metrics& m) {
  return m.get_u64(Metric::kCycles);
}

// --- session ---

TEST(Session, ProfilesLikeTheRecorderAndReportsTheEnding) {
  SessionOptions options;
  auto r = run_session(fw("prof-gate", "cortex-m4f"), board("nrf52840-dk"), options);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r.value().run.reason, sim::StopReason::kExit);
  EXPECT_FALSE(r.value().cancelled);
  const Profile& p = r.value().profile;
  EXPECT_EQ(p.operator_source, OperatorSource::kMarkers);
  ASSERT_EQ(p.operators.size(), 3u);
  EXPECT_EQ(p.operators[1].name, "depthwise_conv_2d_1");
  EXPECT_FALSE(p.run.partial);
}

TEST(Session, ErrorsNameTheFile) {
  SessionOptions options;
  auto missing = run_session("/nonexistent/fw.elf", board("nrf52840-dk"), options);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidFirmware);
  EXPECT_NE(missing.status().message().find("/nonexistent/fw.elf"), std::string::npos);
  // An M4F build on a Cortex-M0+ board.
  auto wrong = run_session(fw("prof-gate", "cortex-m4f"), board("arduino-zero"), options);
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kIncompatibleFirmware);
  options.rules_file = "/nonexistent/rules.toml";
  auto rules = run_session(fw("prof-gate", "cortex-m4f"), board("nrf52840-dk"), options);
  ASSERT_FALSE(rules.is_ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
}

TEST(Session, ProgressThenCancelGivesAPartialProfile) {
  SessionOptions options;
  options.machine.command_line = "1000000";  // CRC-32 passes: far longer than the test waits
  options.progress_interval_ms = 20;
  std::atomic<bool> cancel{false};
  std::atomic<int> calls{0};
  std::atomic<uint64_t> last_cycles{0};
  auto r = run_session(
      fw("kernel-crc32", "cortex-m4f"), board("nrf52840-dk"), options,
      [&](const SessionProgress& p) {
        EXPECT_GE(p.cycles, last_cycles.load());
        last_cycles = p.cycles;
        EXPECT_NEAR(p.simulated_ms, 1e3 * double(p.cycles) / 64e6, 1e-9);
        if (++calls >= 3) cancel = true;
      },
      &cancel);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_GE(calls.load(), 3);
  EXPECT_TRUE(r.value().cancelled);
  EXPECT_EQ(r.value().run.reason, sim::StopReason::kCancelled);
  EXPECT_TRUE(r.value().profile.run.partial);
  EXPECT_EQ(r.value().profile.run.stop_reason, "cancelled");
}

// --- compare: firmware selection ---

std::vector<FirmwareCandidate> candidates(const std::vector<std::string>& paths) {
  auto c = load_candidates(paths);
  EXPECT_TRUE(c.is_ok()) << c.status().message();
  return c.value();
}

TEST(Compare, PicksTheFirmwareBuiltForEachBoardsCore) {
  // Given in an order that matches no board first.
  const auto c = candidates({fw("prof-gate", "cortex-m7f"), fw("prof-gate", "cortex-m4f"),
                             fw("prof-gate", "cortex-m0plus")});
  const FirmwareSelection m0 = select_firmware(c, board("arduino-zero"));
  EXPECT_EQ(m0.candidate, 2) << m0.reason;
  EXPECT_EQ(m0.reason, "firmware_variant cortex-m0plus");
  const FirmwareSelection m4 = select_firmware(c, board("nrf52840-dk"));
  EXPECT_EQ(m4.candidate, 1) << m4.reason;
  const FirmwareSelection m7 = select_firmware(c, board("stm32f746g-disco"));
  EXPECT_EQ(m7.candidate, 0) << m7.reason;
  EXPECT_EQ(m7.reason, "firmware_variant cortex-m7f");
  // The RP2040 needs its own memory map (XIP flash at 0x10000000): the generic build is refused.
  const FirmwareSelection pico = select_firmware(c, board("rpi-pico"));
  EXPECT_EQ(pico.candidate, -1);
  EXPECT_NE(pico.reason.find("prof-gate-cortex-m0plus.elf: a segment runs at 0x00000000, outside "
                             "the board's memory map"),
            std::string::npos)
      << pico.reason;
  EXPECT_NE(pico.reason.find("prof-gate-cortex-m4f.elf: ARMv7E-M + FPU build, not executable"),
            std::string::npos)
      << pico.reason;
}

TEST(Compare, WithoutVariantNamesTheBuildAttributesDecide) {
  // The same builds under names that say nothing: the FPU generation tells M4F from M7F builds.
  const auto dir =
      std::filesystem::temp_directory_path() / ("tinysim-compare-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> copies = {
      {"a.elf", "cortex-m7f"}, {"b.elf", "cortex-m4f"}, {"c.elf", "cortex-m0plus"}};
  std::vector<std::string> paths;
  for (const auto& [name, variant] : copies) {
    std::filesystem::copy_file(fw("prof-gate", variant), dir / name,
                               std::filesystem::copy_options::overwrite_existing);
    paths.push_back((dir / name).string());
  }
  const auto c = candidates(paths);
  const FirmwareSelection m4 = select_firmware(c, board("nrf52840-dk"));
  EXPECT_EQ(m4.candidate, 1);
  EXPECT_EQ(m4.reason, "build attributes ARMv7E-M + FPv4");
  const FirmwareSelection m7 = select_firmware(c, board("stm32f746g-disco"));
  EXPECT_EQ(m7.candidate, 0);
  EXPECT_EQ(m7.reason, "build attributes ARMv7E-M + FPv5");
  const FirmwareSelection m0 = select_firmware(c, board("arduino-zero"));
  EXPECT_EQ(m0.candidate, 2);
  EXPECT_EQ(m0.reason, "build attributes ARMv6S-M + no FPU");
  // Only the M0+ build given: an M4F board still runs it (rule 3), saying so.
  const auto only_m0 = candidates({paths[2]});
  const FirmwareSelection fallback = select_firmware(only_m0, board("nrf52840-dk"));
  EXPECT_EQ(fallback.candidate, 0);
  EXPECT_NE(fallback.reason.find("compatible"), std::string::npos) << fallback.reason;
  std::filesystem::remove_all(dir);
}

TEST(Compare, ThreeBoardsDeterministicWhateverTheThreadCount) {
  const auto c = candidates({fw("prof-gate", "cortex-m0plus"), fw("prof-gate", "cortex-m4f"),
                             fw("prof-gate", "cortex-m7f")});
  const std::vector<sim::Board> boards = {board("stm32f746g-disco"), board("arduino-zero"),
                                          board("nrf52840-dk"), board("rpi-pico")};
  CompareOptions one;
  one.threads = 1;
  CompareOptions three;
  three.threads = 3;
  std::atomic<int> finished{0};
  const CompareResult a = compare_boards(c, boards, one);
  const CompareResult b =
      compare_boards(c, boards, three, [&](size_t, const std::string&, const SessionProgress& p) {
        if (p.finished) ++finished;
      });
  EXPECT_EQ(finished.load(), 3);  // the skipped rpi-pico gets no call
  ASSERT_EQ(a.rows.size(), 4u);
  ASSERT_EQ(b.rows.size(), 4u);
  const char* expected_fw[] = {"cortex-m7f", "cortex-m0plus", "cortex-m4f"};
  for (size_t i = 0; i < 3; ++i) {
    const CompareRow& r = a.rows[i];
    EXPECT_EQ(r.board, boards[i].name);
    EXPECT_EQ(r.status, RowStatus::kOk) << r.error;
    EXPECT_EQ(r.firmware, fw("prof-gate", expected_fw[i]));
    ASSERT_TRUE(r.profile.has_value());
    // Latency: the three operators' cycles at the board clock.
    uint64_t op_cycles = 0;
    for (const OperatorProfile& op : r.profile->operators) op_cycles += cycles_of(op.metrics);
    EXPECT_EQ(r.latency_scope, "operators");
    ASSERT_TRUE(r.latency_ms.has_value());
    EXPECT_DOUBLE_EQ(*r.latency_ms, 1e3 * double(op_cycles) / double(boards[i].clock_hz));
    EXPECT_EQ(r.sram_peak_bytes, r.profile->memory.sram_peak_bytes);
    EXPECT_EQ(r.sram_margin_bytes, int64_t(boards[i].sram_bytes()) - int64_t(r.sram_peak_bytes));
    EXPECT_TRUE(r.sram_fits);
    EXPECT_TRUE(r.flash_fits);
    // Energy only where the profile has it.
    EXPECT_EQ(r.energy_uj.has_value(), r.profile->energy.has_value());
    // Same numbers on one thread and on three.
    const CompareRow& s = b.rows[i];
    EXPECT_EQ(s.firmware, r.firmware);
    EXPECT_EQ(cycles_of(s.profile->total), cycles_of(r.profile->total));
    EXPECT_EQ(s.latency_ms, r.latency_ms);
    EXPECT_EQ(s.energy_uj, r.energy_uj);
    EXPECT_EQ(s.sram_peak_bytes, r.sram_peak_bytes);
    EXPECT_EQ(s.flash_bytes, r.flash_bytes);
  }
  // The same code is slower per MHz on the M0+ than on the M4 than on the M7.
  const double m7 = cycles_of(a.rows[0].profile->total);
  const double m0 = cycles_of(a.rows[1].profile->total);
  const double m4 = cycles_of(a.rows[2].profile->total);
  EXPECT_GT(m0, m4);
  EXPECT_GT(m4, m7);
  EXPECT_EQ(a.rows[3].status, RowStatus::kSkipped);
  EXPECT_NE(a.rows[3].error.find("outside the board's memory map"), std::string::npos);
  // The catalog's nRF52840 DK has a board price.
  EXPECT_TRUE(a.rows[2].board_price_usd.has_value());

  // Sorting: by latency, skipped last; by board name.
  std::vector<CompareRow> rows = a.rows;
  sort_rows(rows, CompareColumn::kLatency);
  EXPECT_EQ(rows[0].board, "stm32f746g-disco");  // 216 MHz M7
  EXPECT_EQ(rows[3].board, "rpi-pico");
  sort_rows(rows, CompareColumn::kLatency, true);
  EXPECT_EQ(rows[0].board, "arduino-zero");
  EXPECT_EQ(rows[3].board, "rpi-pico");  // missing values last in either direction
  sort_rows(rows, CompareColumn::kBoard);
  EXPECT_EQ(rows[0].board, "arduino-zero");
  EXPECT_EQ(rows[3].board, "stm32f746g-disco");

  // JSON keeps absent values null.
  const nlohmann::json j = compare_to_json(a.rows, "latency");
  EXPECT_EQ(j["schema"], "tinysim.compare/1");
  EXPECT_TRUE(j["rows"][3]["latency_ms"].is_null());
  EXPECT_EQ(j["rows"][3]["status"], "skipped");
  EXPECT_EQ(j["rows"][2]["cycles"], cycles_of(a.rows[2].profile->total));
}

TEST(Compare, CancelledBeforeStartRunsNothing) {
  const auto c = candidates({fw("prof-gate", "cortex-m4f")});
  std::atomic<bool> cancel{true};
  const CompareResult r = compare_boards(c, {board("nrf52840-dk")}, {}, {}, &cancel);
  EXPECT_TRUE(r.cancelled);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].status, RowStatus::kCancelled);
  EXPECT_FALSE(r.rows[0].profile.has_value());
}

// --- budgets and fit ---

CompareRow row(const std::string& name, std::optional<double> latency_ms,
               std::optional<double> energy_uj, std::optional<double> price, uint64_t sram_used,
               uint64_t sram_total) {
  CompareRow r;
  r.board = name;
  r.status = RowStatus::kOk;
  r.latency_ms = latency_ms;
  r.energy_uj = energy_uj;
  r.board_price_usd = price;
  r.sram_peak_bytes = sram_used;
  r.board_sram_bytes = sram_total;
  r.sram_margin_bytes = int64_t(sram_total) - int64_t(sram_used);
  r.sram_fits = r.sram_margin_bytes >= 0;
  r.sram_margin_percent = 100.0 * double(r.sram_margin_bytes) / double(sram_total);
  r.flash_bytes = 1000;
  r.board_flash_bytes = 10000;
  r.flash_margin_bytes = 9000;
  r.flash_fits = true;
  r.flash_margin_percent = 90;
  return r;
}

TEST(Fit, CheapestFirstWithMarginsAndReasons) {
  const std::vector<CompareRow> rows = {
      row("fast-dear", 10, 300, 40, 1000, 10000),           // fits, $40
      row("slow-cheap", 80, 200, 5, 1000, 10000),           // latency over
      row("ok-cheap", 45, 450, 12, 5000, 10000),            // fits, $12
      row("no-energy", 20, std::nullopt, 3, 1000, 10000),   // no power figures
      row("tight-sram", 20, 100, 2, 9500, 10000),           // 5% SRAM free < 10%
      row("no-price", 20, 100, std::nullopt, 1000, 10000),  // fits; unpriced last
  };
  Budget budget;
  budget.latency_ms = 50;
  budget.energy_uj = 500;
  budget.sram_margin_percent = 10;
  const FitResult fit = fit_rows(rows, budget);
  ASSERT_EQ(fit.fitting.size(), 3u);
  EXPECT_EQ(rows[fit.fitting[0].row].board, "ok-cheap");
  EXPECT_EQ(rows[fit.fitting[1].row].board, "fast-dear");
  EXPECT_EQ(rows[fit.fitting[2].row].board, "no-price");
  // Margins of ok-cheap: 50 - 45 ms, 500 - 450 uJ, 50% free - 10% required.
  const BudgetVerdict& v = fit.fitting[0].verdict;
  ASSERT_EQ(v.constraints.size(), 5u);  // run, latency, energy, sram, flash
  EXPECT_EQ(v.constraints[1].constraint, Constraint::kLatency);
  EXPECT_DOUBLE_EQ(*v.constraints[1].margin, 5.0);
  EXPECT_EQ(v.constraints[2].constraint, Constraint::kEnergy);
  EXPECT_DOUBLE_EQ(*v.constraints[2].margin, 50.0);
  EXPECT_EQ(v.constraints[3].constraint, Constraint::kSram);
  EXPECT_DOUBLE_EQ(*v.constraints[3].value, 50.0);
  EXPECT_DOUBLE_EQ(*v.constraints[3].margin, 40.0);

  ASSERT_EQ(fit.rejected.size(), 3u);
  auto failed = [&](size_t i) {
    std::vector<Constraint> out;
    for (const auto& c : fit.rejected[i].verdict.constraints) {
      if (!c.pass) out.push_back(c.constraint);
    }
    return out;
  };
  EXPECT_EQ(rows[fit.rejected[0].row].board, "slow-cheap");
  EXPECT_EQ(failed(0), std::vector<Constraint>{Constraint::kLatency});
  EXPECT_DOUBLE_EQ(*fit.rejected[0].verdict.constraints[1].margin, -30.0);
  EXPECT_EQ(rows[fit.rejected[1].row].board, "no-energy");
  EXPECT_EQ(failed(1), std::vector<Constraint>{Constraint::kEnergy});
  EXPECT_NE(fit.rejected[1].verdict.constraints[2].reason.find("no energy figure"),
            std::string::npos);
  EXPECT_EQ(rows[fit.rejected[2].row].board, "tight-sram");
  EXPECT_EQ(failed(2), std::vector<Constraint>{Constraint::kSram});

  // A price limit: unpriced boards fail it, explicitly.
  budget.max_price_usd = 20;
  const FitResult priced = fit_rows(rows, budget);
  ASSERT_EQ(priced.fitting.size(), 1u);
  EXPECT_EQ(rows[priced.fitting[0].row].board, "ok-cheap");
  const BudgetVerdict no_price = evaluate_budget(rows[5], budget);
  EXPECT_FALSE(no_price.pass);
  EXPECT_NE(no_price.constraints[3].reason.find("price.board"), std::string::npos);
}

TEST(Fit, SkippedAndOversizedBoardsFail) {
  CompareRow skipped;
  skipped.board = "x";
  skipped.status = RowStatus::kSkipped;
  skipped.error = "no firmware for this board";
  const BudgetVerdict v = evaluate_budget(skipped, Budget{});
  EXPECT_FALSE(v.pass);
  EXPECT_FALSE(v.constraints[0].pass);
  CompareRow big = row("big", 1, 1, 1, 12000, 10000);
  const BudgetVerdict b = evaluate_budget(big, Budget{});
  EXPECT_FALSE(b.pass);
  EXPECT_EQ(b.constraints[1].constraint, Constraint::kSram);
  EXPECT_EQ(b.constraints[1].reason, "does not fit: 2000 bytes short");
}

TEST(Units, ParseWithClearErrors) {
  EXPECT_DOUBLE_EQ(parse_duration_ms("50ms").value(), 50);
  EXPECT_DOUBLE_EQ(parse_duration_ms("800 us").value(), 0.8);
  EXPECT_DOUBLE_EQ(parse_duration_ms("1.5s").value(), 1500);
  EXPECT_DOUBLE_EQ(parse_energy_uj("500uJ").value(), 500);
  EXPECT_DOUBLE_EQ(parse_energy_uj("2mJ").value(), 2000);
  EXPECT_DOUBLE_EQ(parse_energy_uj("900nJ").value(), 0.9);
  EXPECT_DOUBLE_EQ(parse_energy_uj("0.5J").value(), 500000);
  EXPECT_DOUBLE_EQ(parse_percent("10%").value(), 10);
  EXPECT_DOUBLE_EQ(parse_percent("2.5").value(), 2.5);
  EXPECT_DOUBLE_EQ(parse_price_usd("$9.95").value(), 9.95);
  EXPECT_DOUBLE_EQ(parse_price_usd("10 USD").value(), 10);
  for (const char* bad : {"50", "50 kg", "ms", "-1ms", "0s"}) {
    auto r = parse_duration_ms(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos);
  }
  EXPECT_NE(parse_duration_ms("50").status().message().find("us, ms, s"), std::string::npos);
  EXPECT_NE(parse_energy_uj("500").status().message().find("nJ, uJ, mJ, J"), std::string::npos);
  EXPECT_FALSE(parse_percent("150%").is_ok());
  EXPECT_FALSE(parse_percent("10 pct").is_ok());
  EXPECT_FALSE(parse_price_usd("ten").is_ok());
}

// --- gate ---

std::vector<GateLimit> limits(const std::string& text) {
  auto l = parse_gate_limits(text);
  EXPECT_TRUE(l.is_ok()) << l.status().message();
  return l.value();
}

TEST(Gate, ParsesLimits) {
  const auto l = limits("cycles=+2%, sram=+0,energy=+3%,stack_peak_bytes=+16");
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0].metric, Metric::kCycles);
  EXPECT_TRUE(l[0].relative);
  EXPECT_DOUBLE_EQ(l[0].amount, 2);
  EXPECT_EQ(l[1].quantity, GateQuantity::kSramPeak);
  EXPECT_FALSE(l[1].relative);
  EXPECT_DOUBLE_EQ(l[1].amount, 0);
  EXPECT_EQ(l[2].metric, Metric::kEnergyUj);
  EXPECT_EQ(gate_limit_name(l[2]), "energy_uj");
  EXPECT_EQ(gate_limit_unit(l[2]), "uJ");
  EXPECT_EQ(l[3].metric, Metric::kStackPeakBytes);
  EXPECT_DOUBLE_EQ(l[3].amount, 16);
  auto unknown = parse_gate_limits("cycels=+2%");
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("unknown key 'cycels'"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("cycles"), std::string::npos);
  EXPECT_FALSE(parse_gate_limits("cycles=fast").is_ok());
  EXPECT_FALSE(parse_gate_limits("cycles").is_ok());
  EXPECT_FALSE(parse_gate_limits("").is_ok());
}

TEST(Gate, IdenticalFirmwarePasses) {
  const Profile a = run(fw("prof-gate", "cortex-m4f"), "nrf52840-dk");
  const Profile b = run(fw("prof-gate", "cortex-m4f"), "nrf52840-dk");
  const GateResult r = evaluate_gate(a, b, limits("cycles=+0%,sram=+0,instructions=+0"), "a", "b");
  EXPECT_TRUE(r.pass) << gate_summary(r);
  // 3 totals, then cycles and instructions for each of the 3 operators.
  EXPECT_EQ(r.checks.size(), 3u + 3u * 2u);
  for (const GateCheck& c : r.checks) EXPECT_EQ(c.delta, 0) << c.scope;
  EXPECT_EQ(gate_summary(r), "gate passed: 9 checks within limits");
}

TEST(Gate, SlowerFirmwareFailsNamingTheOperatorAndThePercentage) {
  const Profile base = run(fw("prof-gate", "cortex-m4f"), "nrf52840-dk");
  const Profile slow = run(fw("prof-gate-slower", "cortex-m4f"), "nrf52840-dk");
  const GateResult r = evaluate_gate(base, slow, limits("cycles=+2%,sram=+0"), "base.json",
                                     "prof-gate-slower on nrf52840-dk");
  EXPECT_FALSE(r.pass);
  const OperatorProfile* before = op_named(base, "depthwise_conv_2d_1");
  const OperatorProfile* after = op_named(slow, "depthwise_conv_2d_1");
  ASSERT_TRUE(before && after);
  // The loop runs 500 instead of 400 times. Its body (prof-gate-cortex-m4f.elf, spin+0x6):
  // add.w, add, adds, cmp (1 cycle each) and a taken bne (1 + P, P = 2 refill cycles in the
  // Cortex-M4 model; DDI0439B Table 3-1 gives P = 1..3): 7 cycles, at zero wait states on the
  // nRF52840. 100 more iterations: 700 cycles.
  const uint64_t extra = cycles_of(after->metrics) - cycles_of(before->metrics);
  EXPECT_EQ(extra, 700u);
  // The other operators did not change.
  for (const char* same : {"conv_2d_0", "fully_connected_2"}) {
    EXPECT_EQ(cycles_of(op_named(base, same)->metrics), cycles_of(op_named(slow, same)->metrics));
  }
  const double pct = 100.0 * double(extra) / double(cycles_of(before->metrics));
  EXPECT_GT(pct, 20.0);  // 100 of 400 iterations plus the call's fixed cost
  EXPECT_LT(pct, 25.0);

  const std::vector<const GateCheck*> regs = r.regressions();
  ASSERT_GE(regs.size(), 1u);
  EXPECT_EQ(regs[0]->scope, "depthwise_conv_2d_1");
  EXPECT_EQ(regs[0]->kind, "DEPTHWISE_CONV_2D");
  EXPECT_EQ(gate_limit_name(regs[0]->limit), "cycles");
  EXPECT_DOUBLE_EQ(regs[0]->delta, double(extra));
  EXPECT_DOUBLE_EQ(*regs[0]->delta_percent, pct);
  EXPECT_DOUBLE_EQ(regs[0]->allowed, 0.02 * double(cycles_of(before->metrics)));
  // The total regressed too when the extra work is above 2% of it.
  const double total_pct = 100.0 * double(extra) / double(cycles_of(base.total));
  for (const GateCheck& c : r.checks) {
    if (c.scope == "total" && c.limit.key == "cycles") {
      EXPECT_EQ(c.regressed, total_pct > 2.0);
    }
    if (c.scope == "conv_2d_0" || c.scope == "fully_connected_2") {
      EXPECT_FALSE(c.regressed);
    }
    if (c.limit.key == "sram") {
      EXPECT_FALSE(c.regressed) << c.delta;
    }
  }
  const std::string summary = gate_summary(r);
  EXPECT_NE(summary.find(fmt::format("depthwise_conv_2d_1 cycles {:+.2f}%", pct)),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("limit +2%"), std::string::npos) << summary;

  // Markdown: the verdict, the regression with its numbers, tables with even columns.
  const std::string md = render_gate_markdown(r);
  EXPECT_NE(md.find("## tinysim gate: FAILED"), std::string::npos);
  EXPECT_NE(md.find("### Regressions"), std::string::npos);
  EXPECT_NE(md.find(fmt::format("| depthwise_conv_2d_1 | cycles | {} | {} |",
                                detail::with_commas(int64_t(cycles_of(before->metrics))),
                                detail::with_commas(int64_t(cycles_of(after->metrics))))),
            std::string::npos)
      << md;
  EXPECT_NE(md.find(fmt::format("({:+.2f}%)", pct)), std::string::npos) << md;
  size_t table_lines = 0;
  std::istringstream lines(md);
  for (std::string l; std::getline(lines, l);) {
    if (l.empty() || l[0] != '|') continue;
    ++table_lines;
    size_t pipes = 0;
    for (size_t i = 0; i < l.size(); ++i) pipes += l[i] == '|' && (i == 0 || l[i - 1] != '\\');
    EXPECT_EQ(pipes, 8u) << l;
  }
  EXPECT_EQ(table_lines, 2 + regs.size() + 2 + r.checks.size());

  // JUnit: well-formed, one failure per regression, counts as declared.
  const std::string xml = render_gate_junit(r);
  QXmlStreamReader reader(QString::fromStdString(xml));
  int cases = 0, failures = 0, declared_tests = -1, declared_failures = -1;
  bool named_failure = false;
  while (!reader.atEnd()) {
    reader.readNext();
    if (!reader.isStartElement()) continue;
    const QString name = reader.name().toString();
    if (name == "testsuite") {
      declared_tests = reader.attributes().value("tests").toInt();
      declared_failures = reader.attributes().value("failures").toInt();
    } else if (name == "testcase") {
      ++cases;
    } else if (name == "failure") {
      ++failures;
      const std::string message = reader.attributes().value("message").toString().toStdString();
      if (message.find("depthwise_conv_2d_1 cycles") != std::string::npos &&
          message.find(fmt::format("{:+.2f}%", pct)) != std::string::npos) {
        named_failure = true;
      }
    }
  }
  ASSERT_FALSE(reader.hasError()) << reader.errorString().toStdString() << "\n" << xml;
  EXPECT_EQ(cases, declared_tests);
  EXPECT_EQ(size_t(cases), r.checks.size() + 1);
  EXPECT_EQ(failures, declared_failures);
  EXPECT_EQ(size_t(failures), regs.size());
  EXPECT_TRUE(named_failure) << xml;

  // The same pair with a limit above the growth passes.
  const GateResult loose = evaluate_gate(base, slow, limits("cycles=+30%"), "a", "b");
  EXPECT_TRUE(loose.pass) << gate_summary(loose);
}

TEST(Gate, AbsoluteLimitsAndUnmeasurableMetrics) {
  Profile a, b;
  a.memory.sram_peak_bytes = 1000;
  b.memory.sram_peak_bytes = 1004;
  a.total.set(Metric::kCycles, 100);
  b.total.set(Metric::kCycles, 100);
  GateResult r = evaluate_gate(a, b, limits("sram=+0"), "a", "b");
  EXPECT_FALSE(r.pass);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_DOUBLE_EQ(r.checks[0].delta, 4);
  EXPECT_DOUBLE_EQ(r.checks[0].allowed, 0);
  EXPECT_TRUE(evaluate_gate(a, b, limits("sram=+4"), "a", "b").pass);
  // No energy figure on either side: a failure with a reason, not a pass.
  r = evaluate_gate(a, b, limits("energy=+3%"), "a", "b");
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.checks[0].reason, "energy_uj not measured in the baseline nor the new run");
  // A new run that did not finish fails the gate.
  b.run.partial = true;
  b.run.stop_reason = "fault";
  r = evaluate_gate(a, b, limits("cycles=+50%"), "a", "b");
  EXPECT_FALSE(r.pass);
  EXPECT_FALSE(r.run_ok);
}

TEST(Gate, EnergyRegressionWhereTheBoardHasPowerFigures) {
  const Profile base = run(fw("prof-gate", "cortex-m4f"), "nrf52840-dk");
  const Profile slow = run(fw("prof-gate-slower", "cortex-m4f"), "nrf52840-dk");
  if (!base.energy) GTEST_SKIP() << "no energy model for nrf52840-dk in this tree";
  const GateResult r = evaluate_gate(base, slow, limits("energy=+3%"), "a", "b");
  EXPECT_FALSE(r.pass);
  bool op_flagged = false;
  for (const GateCheck* c : r.regressions()) {
    if (c->scope == "depthwise_conv_2d_1") op_flagged = true;
    EXPECT_NE(c->scope, "conv_2d_0");
  }
  EXPECT_TRUE(op_flagged) << gate_summary(r);
}

// --- TensorFlow Lite Micro + CMSIS-NN shaped firmware, no markers ---

TEST(TflmStandin, BuiltInRulesGiveThePerOperatorProfile) {
  for (const auto& [variant, board_name] : std::vector<std::pair<std::string, std::string>>{
           {"cortex-m4f", "nrf52840-dk"}, {"cortex-m0plus", "arduino-zero"}}) {
    const Profile p = run(fw("prof-tflm-standin", variant), board_name);
    EXPECT_EQ(p.operator_source, OperatorSource::kRules);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"CONV_2D", "conv.cc"},
        {"DEPTHWISE_CONV_2D", "depthwise_conv.cc"},
        {"AVERAGE_POOL_2D", "pooling.cc"},
        {"ADD", "add.cc"},
        {"FULLY_CONNECTED", "fully_connected.cc"},
        {"SOFTMAX", "softmax.cc"}};
    ASSERT_EQ(p.operators.size(), expected.size()) << variant;
    uint64_t sum = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      const OperatorProfile& op = p.operators[i];
      EXPECT_EQ(op.kind, expected[i].first) << i;
      EXPECT_EQ(op.invocations, 2u) << op.name;  // Invoke() runs twice
      // The operator is the TFLM kernel's Eval (outermost match), not the CMSIS-NN call inside.
      const FunctionProfile* eval = nullptr;
      for (const FunctionProfile& f : p.functions) {
        const std::string file = std::filesystem::path(f.source_file).filename().string();
        if (f.name == op.function && file == expected[i].second) eval = &f;
      }
      ASSERT_NE(eval, nullptr) << op.function << " in " << expected[i].second;
      EXPECT_EQ(eval->demangled.rfind("tflite::(anonymous namespace)::", 0), 0u) << eval->demangled;
      EXPECT_NE(eval->source_file.find("tensorflow/lite/micro/kernels/cmsis_nn/"),
                std::string::npos);
      // All of the Eval's inclusive cycles (with the CMSIS-NN kernel) are the operator's.
      EXPECT_EQ(cycles_of(op.metrics), cycles_of(eval->inclusive)) << op.name;
      sum += cycles_of(op.metrics);
    }
    EXPECT_EQ(sum + cycles_of(p.outside_operators), cycles_of(p.total));
    // The CMSIS-NN kernels appear by name, each called once per inference.
    for (const char* kernel : {"arm_convolve_s8", "arm_depthwise_conv_s8", "arm_fully_connected_s8",
                               "arm_avgpool_s8", "arm_softmax_s8", "arm_elementwise_add_s8"}) {
      bool found = false;
      for (const FunctionProfile& f : p.functions) {
        if (f.name == kernel) {
          found = true;
          EXPECT_EQ(f.calls, 2u) << kernel;
        }
      }
      EXPECT_TRUE(found) << kernel;
    }
  }
}

}  // namespace
}  // namespace tinysim::profiler
